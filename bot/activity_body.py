"""The minimal shape an incoming Bot Framework activity must have before the adapter sees it."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_BODY_BYTES = 256 * 1024


class InvalidActivityError(Exception):
    """The body is not an activity we can process; the message is a short reason for the sender."""


class _Conversation(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    id: str = Field(min_length=1)


class _Account(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    id: str = Field(min_length=1)


class IncomingActivity(BaseModel):
    """What every activity needs to be answered: its type, its origin and where to reply."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    type: str = Field(min_length=1)
    channel_id: str = Field(alias="channelId", min_length=1)
    service_url: str = Field(alias="serviceUrl", min_length=1)
    conversation: _Conversation
    from_: _Account | None = Field(default=None, alias="from")


def parse_activity_body(body: bytes) -> dict[str, Any]:
    """The JSON body as a dict, checked for the fields an activity needs."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidActivityError(f"Malformed JSON: {error}") from None
    if not isinstance(payload, dict):
        raise InvalidActivityError("The body is not an activity (expected a JSON object).")
    try:
        activity = IncomingActivity.model_validate(payload)
    except ValidationError as error:
        raise InvalidActivityError(_first_problem(error)) from None
    if activity.type == "message" and activity.from_ is None:
        raise InvalidActivityError("Missing required field: from.id")
    return payload


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    field = ".".join(str(part) for part in problem["loc"]) or "body"
    if problem["type"] == "missing":
        return f"Missing required field: {field}"
    return f"Invalid field {field}: {problem['msg']}"
