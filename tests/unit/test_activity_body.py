from __future__ import annotations

import json
from typing import Any

import pytest

from bot.activity_body import InvalidActivityError, parse_activity_body

VALID: dict[str, Any] = {
    "type": "message",
    "channelId": "msteams",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "conversation": {"id": "a:1"},
    "from": {"id": "29:1"},
    "text": "program",
}


def body(**changes: Any) -> bytes:
    payload = {**VALID, **changes}
    return json.dumps({k: v for k, v in payload.items() if v is not None}).encode()


def test_a_valid_activity_is_returned_whole() -> None:
    assert parse_activity_body(body()) == VALID


def test_a_conversation_update_needs_no_sender() -> None:
    assert parse_activity_body(body(type="conversationUpdate", **{"from": None}))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "Malformed JSON"),
        (b"\xff\xfe", "Malformed JSON"),
        (b"null", "The body is not an activity (expected a JSON object)."),
        (body(type=None), "Missing required field: type"),
        (body(type=""), "Invalid field type"),
        (body(type=7), "Invalid field type"),
        (body(channelId=None), "Missing required field: channelId"),
        (body(conversation="a:1"), "Invalid field conversation"),
        (body(**{"from": None}), "Missing required field: from.id"),
    ],
)
def test_invalid_bodies_give_a_short_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(InvalidActivityError) as error:
        parse_activity_body(raw)
    assert str(error.value).startswith(reason)
    assert "\n" not in str(error.value)
