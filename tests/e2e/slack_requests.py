"""Slack's requests as Slack sends them, correctly signed, for the Slack end-to-end tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import SLACK_TURNS
from storage.database import create_engine
from tests.e2e.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.e2e.test_http_app import serve, settings_for

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
APP = "A0TRAEF01"
PERSON = "U0LOTTE01"
IM = "D0LOTTE01"
CHANNEL = "C0LEDERE1"


def signed(body: bytes, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if at is None else at)
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def event_body(event: dict[str, Any], event_id: str = "Ev0000001") -> bytes:
    return json.dumps(
        {
            "token": "verification-token-unused",
            "team_id": TEAM,
            "api_app_id": APP,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1763800380,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM,
                    "user_id": BOT_USER,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-eyJldCI6Im1lc3NhZ2UifQ",
        }
    ).encode()


def direct_message(text: str, ts: str = "1763800380.000200", **extra: Any) -> dict[str, Any]:
    return {
        "client_msg_id": "5b1c0f3e-0000-4000-8000-000000000001",
        "type": "message",
        "text": text,
        "user": PERSON,
        "ts": ts,
        "blocks": [],
        "team": TEAM,
        "channel": IM,
        "event_ts": ts,
        "channel_type": "im",
        **extra,
    }


def mention(text: str, ts: str = "1763800390.000300") -> dict[str, Any]:
    return {
        "client_msg_id": "5b1c0f3e-0000-4000-8000-000000000002",
        "type": "app_mention",
        "text": text,
        "user": PERSON,
        "ts": ts,
        "blocks": [],
        "team": TEAM,
        "channel": CHANNEL,
        "event_ts": ts,
    }


def interaction_body(
    action: dict[str, Any],
    message_ts: str = "1700000001.000100",
    *,
    ephemeral: bool = False,
    channel: str = IM,
    response_url: str = "https://hooks.slack.com/actions/T0TEAM001/1/abc",
) -> bytes:
    """A press on a button of the bot's message in `channel`; on an ephemeral one Slack sends
    no `message`, only the container."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": PERSON, "username": "lotte", "name": "lotte", "team_id": TEAM},
        "api_app_id": APP,
        "token": "verification-token-unused",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1234567890.123456.abcdef",
        "team": {"id": TEAM, "domain": "aarhus-ledere"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER, "ts": message_ts, "text": "…"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{**action, "block_id": "b1", "action_ts": "1763800400.000500"}],
    }
    if ephemeral:
        del payload["message"]
    return urlencode({"payload": json.dumps(payload)}).encode()


def command_body(
    text: str,
    channel: str = IM,
    *,
    response_url: str = "https://hooks.slack.com/commands/T0TEAM001/1/xyz",
    channel_name: str = "directmessage",
) -> bytes:
    return urlencode(
        {
            "token": "verification-token-unused",
            "team_id": TEAM,
            "team_domain": "aarhus-ledere",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": PERSON,
            "user_name": "lotte",
            "command": "/traef",
            "text": text,
            "api_app_id": APP,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": "1234567890.123456.fedcba",
        }
    ).encode()


async def serve_slack(tmp_path: Path, slack: FakeSlack, **overrides: Any) -> TestClient[Any, Any]:
    settings = settings_for(
        tmp_path,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=slack.url,
        **overrides,
    )
    return await serve(settings)


async def stored_rows(tmp_path: Path) -> int:
    """Conversations kept and bot state saved in the test's database."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        async with engine.connect() as connection:
            kept = await connection.scalar(text("SELECT count(*) FROM conversation_references"))
            state = await connection.scalar(text("SELECT count(*) FROM bot_state"))
    finally:
        await engine.dispose()
    return int(kept or 0) + int(state or 0)


async def turns_done(client: TestClient[Any, Any]) -> None:
    app = client.app
    assert app is not None
    await app[SLACK_TURNS].wait()


async def post(
    client: TestClient[Any, Any], path: str, body: bytes, content_type: str, **headers: str
) -> Any:
    return await client.post(
        path, data=body, headers={"Content-Type": content_type, **signed(body), **headers}
    )


async def post_event(client: TestClient[Any, Any], body: bytes, **headers: str) -> Any:
    return await post(client, "/slack/events", body, "application/json", **headers)


FORM = "application/x-www-form-urlencoded"
