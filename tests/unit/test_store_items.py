"""Store items as text: plain JSON without jsonpickle, and the same text jsonpickle would write."""

from __future__ import annotations

import json
from typing import Any

import jsonpickle
import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from storage import store_items


def _as_jsonpickle_wrote_it(item: object) -> str:
    """What `store_items.encode` wrote before it knew plain JSON."""
    data = json.loads(jsonpickle.encode(item))
    if isinstance(data, dict):
        data.pop(store_items.E_TAG, None)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "item",
    [
        {"language": "da", "recognised_for_event": 3, "e_tag": "*"},
        {"nested": {"list": [1, 2.5, None, True, "ø"], "empty": {}}, "b": [], "a": ""},
        ["a", 1, {"k": "v"}],
        "just text",
    ],
)
def test_plain_json_is_written_as_jsonpickle_wrote_it_and_read_back(item: Any) -> None:
    assert store_items.is_plain_json(item)
    text = store_items.encode(item)
    assert text == _as_jsonpickle_wrote_it(item)

    restored = store_items.decode(text, "etag-1")
    expected = {**item, "e_tag": "etag-1"} if isinstance(item, dict) else item
    assert restored == expected


@pytest.mark.parametrize(
    "item",
    [
        {"tuple": (1, 2)},
        {"py/object": "looks like a tag"},
        {1: "a key that is not text"},
        {"nan": float("nan")},
        {"state": DialogState([DialogInstance("SignUpDialog", {"values": {"n": 1}})])},
    ],
)
def test_anything_else_goes_through_jsonpickle(item: dict[Any, Any]) -> None:
    assert not store_items.is_plain_json(item)
    assert store_items.encode(item) == _as_jsonpickle_wrote_it(item)


def test_objects_round_trip_through_jsonpickle_text() -> None:
    state = DialogState([DialogInstance("SignUpDialog", {"values": {"name": "Bo"}})])
    restored = store_items.decode(store_items.encode({"DialogState": state}), "etag-2")
    assert isinstance(restored, dict) and restored["e_tag"] == "etag-2"
    loaded = restored["DialogState"]
    assert isinstance(loaded, DialogState)
    assert loaded.dialog_stack[0].id == "SignUpDialog"
    assert loaded.dialog_stack[0].state == {"values": {"name": "Bo"}}
