"""What Slack sends, as frozen models: events, interactions (button presses, modal submits) and
slash commands. Only the fields the bot reads; the rest is ignored."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, ValidationError


class InvalidPayload(Exception):
    """The body is not one of Slack's payloads."""


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Event(_Wire):
    type: str
    user: str | None = None
    text: str = ""
    ts: str | None = None
    thread_ts: str | None = None
    channel: str | None = None
    channel_type: str | None = None
    event_ts: str | None = None
    bot_id: str | None = None
    subtype: str | None = None
    tab: str | None = None  # app_home_opened: "home" or "messages"


class Authorization(_Wire):
    user_id: str | None = None
    is_bot: bool = False


class EventEnvelope(_Wire):
    type: str
    challenge: str | None = None  # url_verification
    team_id: str | None = None
    api_app_id: str | None = None
    event: Event | None = None
    event_id: str | None = None
    event_time: int | None = None
    authorizations: tuple[Authorization, ...] = ()

    @property
    def bot_user(self) -> str | None:
        """The bot's own user id, as the event says (the app's installation)."""
        return next((a.user_id for a in self.authorizations if a.is_bot and a.user_id), None)


class User(_Wire):
    id: str
    name: str | None = None
    username: str | None = None


class Channel(_Wire):
    id: str


class Container(_Wire):
    type: str | None = None
    message_ts: str | None = None
    channel_id: str | None = None
    is_ephemeral: bool = False


class Message(_Wire):
    ts: str | None = None
    thread_ts: str | None = None
    text: str = ""
    blocks: tuple[dict[str, Any], ...] = ()


class Interaction(_Wire):
    type: str  # block_actions, view_submission, …
    user: User
    channel: Channel | None = None
    container: Container | None = None
    message: Message | None = None
    actions: tuple[dict[str, Any], ...] = ()
    view: dict[str, Any] | None = None
    state: dict[str, Any] | None = None  # the message's inputs, as the person left them
    response_url: str | None = None

    @property
    def channel_id(self) -> str | None:
        if self.channel is not None:
            return self.channel.id
        return self.container.channel_id if self.container is not None else None

    @property
    def card_ts(self) -> str | None:
        """The ts of the message whose button was pressed (an ephemeral one is replaced through
        the `response_url`, not by its ts)."""
        if self.message is not None and self.message.ts:
            return self.message.ts
        return self.container.message_ts if self.container is not None else None


class SlashCommand(_Wire):
    command: str
    text: str = ""
    user_id: str
    user_name: str | None = None
    channel_id: str
    channel_name: str | None = None
    team_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None


def parse_event(body: bytes) -> EventEnvelope:
    try:
        return EventEnvelope.model_validate_json(body)
    except ValidationError as error:
        raise InvalidPayload("not a Slack event") from error


def _form(body: bytes) -> dict[str, str]:
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as error:
        raise InvalidPayload("not a form body") from error


def parse_interaction(body: bytes) -> Interaction:
    try:
        return Interaction.model_validate(json.loads(_form(body).get("payload", "")))
    except (ValueError, ValidationError) as error:
        raise InvalidPayload("not a Slack interaction") from error


def parse_command(body: bytes) -> SlashCommand:
    try:
        return SlashCommand.model_validate(_form(body))
    except ValidationError as error:
        raise InvalidPayload("not a slash command") from error
