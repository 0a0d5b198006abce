"""Only Slack gets in: every request's signature is checked before anything in it is read."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import (
    FORM,
    command_body,
    direct_message,
    event_body,
    signed,
    stored_rows,
    turns_done,
)
from tests.e2e.test_http_app import serve, settings_for

ROUTES = [
    ("/slack/events", "application/json", event_body(direct_message("program"))),
    ("/slack/commands", FORM, command_body("program")),
]


def tampered_headers(body: bytes, problem: str) -> dict[str, str]:
    now = int(time.time())
    if problem == "wrong secret":
        return signed(body, secret="not-the-signing-secret")
    if problem == "missing headers":
        return {}
    if problem == "six minutes old":
        return signed(body, at=now - 6 * 60)
    headers = signed(body, at=now - 60)  # replayed: the same body and signature, a new time
    return {**headers, "X-Slack-Request-Timestamp": str(now)}


@pytest.mark.parametrize(
    "problem", ["wrong secret", "missing headers", "six minutes old", "replayed with a new time"]
)
@pytest.mark.parametrize(("path", "content_type", "body"), ROUTES, ids=["events", "commands"])
async def test_unsigned_or_tampered_requests_get_401_and_nothing_happens(
    slack_bot: TestClient[Any, Any],
    slack: FakeSlack,
    problem: str,
    path: str,
    content_type: str,
    body: bytes,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    headers = {"Content-Type": content_type, **tampered_headers(body, problem)}
    response = await slack_bot.post(path, data=body, headers=headers)

    assert response.status == 401
    await turns_done(slack_bot)
    assert slack.attempts == []  # no Web API call at all
    assert await stored_rows(tmp_path) == 0  # no conversation kept, no state saved
    assert "program" not in caplog.text  # logged without the body
    assert any("Slack signature" in record.getMessage() for record in caplog.records)


async def test_a_correctly_signed_request_is_taken(
    slack_bot: TestClient[Any, Any], slack: FakeSlack, tmp_path: Path
) -> None:
    body = event_body(direct_message("program"))
    headers = {"Content-Type": "application/json", **signed(body)}
    response = await slack_bot.post("/slack/events", data=body, headers=headers)

    assert response.status == 200
    await slack.wait_for(1, "chat.postMessage")
    await turns_done(slack_bot)
    assert await stored_rows(tmp_path) > 0


async def test_without_slack_settings_the_slack_endpoints_are_not_there(tmp_path: Path) -> None:
    client = await serve(settings_for(tmp_path))
    try:
        for path in ("/slack/events", "/slack/interactions", "/slack/commands"):
            body = command_body("program")
            response = await client.post(path, data=body, headers={"Content-Type": FORM})
            assert response.status == 404
    finally:
        await client.close()
