"""The real aiohttp app on loopback, answering through a local fake channel."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.local_chat import build_local_components
from bot.settings import Settings
from tests.e2e.fake_channel import FakeChannel
from traef.roster_import import import_roster
from traef.services import current_event

NOW = datetime(2026, 11, 22, 9, 33, tzinfo=ZoneInfo("Europe/Copenhagen"))


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        **overrides,
    )


async def serve(settings: Settings) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(
        TestServer(create_app(settings, clock=lambda: NOW), host="127.0.0.1")
    )
    await client.start_server()
    return client


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(settings_for(tmp_path))
    yield client
    await client.close()


def message(channel: FakeChannel, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "activity-1",
        "text": text,
        "channelId": "emulator",
        "serviceUrl": channel.url,
        "from": {"id": "user-1", "name": "Lotte Henriksen"},
        "recipient": {"id": "bot-1", "name": "Træfbot"},
        "conversation": {"id": "conversation-1"},
        "locale": "da-DK",
        **extra,
    }


async def test_programme_reply_arrives_at_the_channel(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    response = await bot.post("/api/messages", json=message(channel, "dagens program"))
    assert response.status == 201

    [(path, reply)] = await channel.wait_for(1)
    assert path.startswith("/v3/conversations/conversation-1/activities")
    assert reply["replyToId"] == "activity-1"
    card = reply["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Dagens program"
    assert card["body"][1]["text"] == "Fælles om ledelse · søndag den 22. november 2026"
    assert "▶ Nu: **Fortællinger i plenum**" in card["fallbackText"]


async def test_welcome_on_conversation_update_and_language_is_remembered(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    update = message(
        channel,
        "",
        type="conversationUpdate",
        membersAdded=[{"id": "user-1", "name": "Lotte Henriksen"}],
    )
    del update["text"]
    assert (await bot.post("/api/messages", json=update)).status == 201
    [(_, welcome)] = await channel.wait_for(1)
    assert welcome["attachments"][0]["content"]["body"][0]["text"].startswith("Hej Lotte!")

    await bot.post("/api/messages", json=message(channel, "english"))
    await bot.post("/api/messages", json=message(channel, "hvad sker der nu"))
    replies = await channel.wait_for(3)
    assert replies[1][1]["text"] == "Fine, I'll write in English from now on."
    assert replies[2][1]["text"].startswith("**Now** (8:50–9:45): **Fortællinger i plenum**")


async def test_health(bot: TestClient[Any, Any]) -> None:
    response = await bot.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "Malformed JSON"),
        (b"[1, 2, 3]", "The body is not an activity"),
        (b'"hello"', "The body is not an activity"),
        (json.dumps({"text": "hej"}).encode(), "Missing required field: type"),
    ],
)
async def test_bad_bodies_get_400_with_a_reason(
    bot: TestClient[Any, Any], body: bytes, reason: str
) -> None:
    response = await bot.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await response.json())["error"].startswith(reason)


async def test_missing_required_fields_get_400(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    for field, reason in [
        ("conversation", "Missing required field: conversation"),
        ("serviceUrl", "Missing required field: serviceUrl"),
        ("from", "Missing required field: from.id"),
    ]:
        body = message(channel, "program")
        del body[field]
        response = await bot.post("/api/messages", json=body)
        assert response.status == 400, field
        assert (await response.json())["error"] == reason
    body = message(channel, "program", conversation={"name": "no id"})
    response = await bot.post("/api/messages", json=body)
    assert (await response.json())["error"] == "Missing required field: conversation.id"
    assert channel.received == []


async def test_too_large_bodies_get_413(bot: TestClient[Any, Any], channel: FakeChannel) -> None:
    body = message(channel, "x" * (300 * 1024))
    response = await bot.post("/api/messages", json=body)
    assert response.status == 413
    assert "256 KB" in (await response.json())["error"]
    assert channel.received == []


async def test_unauthenticated_request_gets_401_when_an_app_id_is_configured(
    tmp_path: Path, channel: FakeChannel
) -> None:
    client = await serve(
        settings_for(
            tmp_path,
            microsoft_app_id="3c3d5a2c-7c5e-4c41-9a9f-0f1d2b3c4d5e",
            microsoft_app_password="not-a-real-secret",
        )
    )
    try:
        response = await client.post("/api/messages", json=message(channel, "program"))
        assert response.status == 401
        assert await response.json() == {"error": "Unauthorized"}
        assert channel.received == []
    finally:
        await client.close()


@pytest.fixture
async def authenticated_bot(
    tmp_path: Path, channel: FakeChannel
) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(
        settings_for(
            tmp_path,
            microsoft_app_id="3c3d5a2c-7c5e-4c41-9a9f-0f1d2b3c4d5e",
            microsoft_app_password="not-a-real-secret",
        )
    )
    yield client
    await client.close()


# A well-formed token from the Bot Framework's issuer, with a signature that cannot be right.
FORGED_TOKEN = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IngiLCJ0eXAiOiJKV1QifQ."
    "eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIiwiYXVkIjoiM2MzZDVhMmMtN2M1ZS00YzQxLTlhOWYt"
    "MGYxZDJiM2M0ZDVlIn0.c2ln"
)


@pytest.mark.parametrize("header", ["Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer "])
async def test_invalid_tokens_get_401(
    authenticated_bot: TestClient[Any, Any], channel: FakeChannel, header: str
) -> None:
    response = await authenticated_bot.post(
        "/api/messages", json=message(channel, "program"), headers={"Authorization": header}
    )
    assert response.status == 401
    assert channel.received == []


async def test_unreachable_identity_provider_gets_503_not_500(
    authenticated_bot: TestClient[Any, Any], channel: FakeChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botframework.connector.auth.jwt_token_extractor as extractor

    def unreachable(url: str, **_: Any) -> None:
        raise extractor.requests.ConnectionError(f"cannot reach {url}")

    monkeypatch.setattr(extractor.requests, "get", unreachable)
    monkeypatch.setattr(extractor.JwtTokenExtractor, "metadataCache", {})
    response = await authenticated_bot.post(
        "/api/messages",
        json=message(channel, "program"),
        headers={"Authorization": f"Bearer {FORGED_TOKEN}"},
    )
    assert response.status == 503
    assert await response.json() == {"error": "Cannot verify the token right now"}
    assert channel.received == []


async def test_unknown_routes_and_methods_answer_json_not_traces(bot: TestClient[Any, Any]) -> None:
    response = await bot.get("/api/messages")
    assert response.status == 405
    assert "error" in await response.json()
    response = await bot.get("/nowhere")
    assert response.status == 404


async def test_imported_participant_is_recognised_from_the_teams_profile(
    bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    await bot.get("/healthz")  # the app has started: migrated, demo event loaded
    roster = "Navn;E-mail;Afdeling;Stilling\nLotte Henriksen;lotte.henriksen@aarhus.dk;MSO;Leder\n"
    components = build_local_components(settings_for(tmp_path))
    event = await current_event(components.uow_factory(), NOW.date())
    await import_roster(components.uow_factory(), event, roster.encode())
    await components.engine.dispose()
    channel.members["29:lotte"] = {
        "id": "29:lotte",
        "name": "Lotte Henriksen",
        "email": "Lotte.Henriksen@aarhus.dk",
        "userPrincipalName": "lotte.henriksen@aarhus.dk",
    }

    body = message(
        channel,
        "hvad sker der nu",
        channelId="msteams",
        channelData={"tenant": {"id": "aarhus-tenant"}},
        **{"from": {"id": "29:lotte", "name": "Lotte Henriksen"}},
    )
    assert (await bot.post("/api/messages", json=body)).status == 201
    (_, greeting), (_, answer) = await channel.wait_for(2)
    assert greeting["text"].startswith("Hej Lotte! Du står allerede på deltagerlisten")
    assert answer["text"].startswith("**Nu** (8.50–9.45)")


async def test_an_unreachable_channel_is_logged_not_a_500(
    bot: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    body = {
        "type": "message",
        "id": "a-9",
        "text": "program",
        "channelId": "emulator",
        "serviceUrl": "http://127.0.0.1:9",
        "from": {"id": "u"},
        "conversation": {"id": "c"},
    }
    response = await bot.post("/api/messages", json=body)
    assert response.status == 201
    assert "Turn failed: activity a-9" in caplog.text
    assert "Could not send the apology for activity a-9" in caplog.text
