"""Store items as botbuilder's storages keep them: jsonpickle text, with the e_tag kept apart."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import jsonpickle
from jsonpickle.unpickler import Unpickler

E_TAG = "e_tag"


def encode(item: object) -> str:
    """The item as jsonpickle text, without its e_tag (the e_tag lives in its own column)."""
    data = json.loads(jsonpickle.encode(item))
    if isinstance(data, dict):
        data.pop(E_TAG, None)
    return json.dumps(data, ensure_ascii=False)


def decode(text: str, e_tag: str) -> object:
    """The item restored from jsonpickle text, carrying the stored e_tag."""
    item = Unpickler().restore(json.loads(text))
    set_e_tag(item, e_tag)
    return item


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
