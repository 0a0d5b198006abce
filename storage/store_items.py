"""Store items as botbuilder's storages keep them: jsonpickle text, with the e_tag kept apart.

Plain JSON (dicts with text keys, lists, text, numbers, booleans, None) is its own jsonpickle
text, so it is written and read with `json` alone; anything else goes through jsonpickle.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import jsonpickle
from jsonpickle.unpickler import Unpickler

E_TAG = "e_tag"
_TAG_MARK = '"py/'  # every jsonpickle tag is a key starting so; text without it is plain JSON


def encode(item: object) -> str:
    """The item as jsonpickle text, without its e_tag (the e_tag lives in its own column)."""
    if is_plain_json(item):
        data: Any = item
        if isinstance(item, dict) and E_TAG in item:
            data = {key: value for key, value in item.items() if key != E_TAG}
    else:
        data = json.loads(jsonpickle.encode(item))
        if isinstance(data, dict):
            data.pop(E_TAG, None)
    return json.dumps(data, ensure_ascii=False)


def decode(text: str, e_tag: str) -> object:
    """The item restored from jsonpickle text, carrying the stored e_tag."""
    data = json.loads(text)
    item = data if _TAG_MARK not in text else Unpickler().restore(data)
    set_e_tag(item, e_tag)
    return item


def is_plain_json(value: object) -> bool:
    """True when jsonpickle would write `value` as it is: JSON types only, no tag-like keys."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    if kind is list:
        return all(is_plain_json(each) for each in value)  # type: ignore[attr-defined]
    if kind is dict:
        return all(
            type(key) is str and not key.startswith("py/") and is_plain_json(each)
            for key, each in value.items()  # type: ignore[attr-defined]
        )
    return False


def e_tag_of(item: object) -> str | None:
    if isinstance(item, dict):
        value: Any = item.get(E_TAG)
    else:
        value = getattr(item, E_TAG, None)
    return value if value is None else str(value)


def set_e_tag(item: object, e_tag: str) -> None:
    """Put the e_tag on a dict item or an object; objects that take no new attribute keep none."""
    if isinstance(item, dict):
        item[E_TAG] = e_tag
        return
    with contextlib.suppress(AttributeError, TypeError):
        setattr(item, E_TAG, e_tag)
