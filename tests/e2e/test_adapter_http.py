"""Our adapter behind the real app: who may post, the bot's own token, invokes and retries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from tests.e2e.fake_channel import FakeChannel
from tests.e2e.test_http_app import message, serve, settings_for
from tests.identity_provider import IdentityProvider, bearer_for, stranger_key

APP_ID = "7c1f3e52-0000-4000-8000-00000000b07"
PASSWORD = "not-a-real-secret"


class TokenEndpoint:
    """Entra ID's token endpoint on loopback: hands out bot-token-1, bot-token-2, …"""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        app = web.Application()
        app.router.add_post("/token", self._token)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self.server.make_url("/token"))

    async def _token(self, request: web.Request) -> web.Response:
        self.requests.append({key: str(value) for key, value in (await request.post()).items()})
        token = f"bot-token-{len(self.requests)}"
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": token}
        )


@pytest.fixture
async def identity() -> AsyncIterator[IdentityProvider]:
    async with IdentityProvider() as provider:
        yield provider


@pytest.fixture
async def tokens() -> AsyncIterator[TokenEndpoint]:
    endpoint = TokenEndpoint()
    await endpoint.server.start_server()
    yield endpoint
    await endpoint.server.close()


@pytest.fixture
async def secured(
    tmp_path: Path, identity: IdentityProvider, tokens: TokenEndpoint
) -> AsyncIterator[TestClient[Any, Any]]:
    settings = settings_for(
        tmp_path,
        microsoft_app_id=APP_ID,
        microsoft_app_password=PASSWORD,
        bot_openid_metadata_url=identity.metadata_url,
        bot_token_url=tokens.url,
    )
    client = await serve(settings)
    yield client
    await client.close()


def tampered_claims(now: int) -> dict[str, dict[str, Any]]:
    return {
        "expired": {"exp": now - 3600, "nbf": now - 7200, "iat": now - 7200},
        "wrong audience": {"aud": "another-bot"},
        "wrong issuer": {"iss": "https://evil.example"},
        "other service url": {"serviceurl": "https://elsewhere.example/"},
    }


def teams_message(channel: FakeChannel, text: str, activity_id: str) -> dict[str, Any]:
    return message(channel, text, channelId="msteams", id=activity_id)


async def test_a_signed_request_is_answered_with_the_bots_own_token(
    secured: TestClient[Any, Any],
    channel: FakeChannel,
    identity: IdentityProvider,
    tokens: TokenEndpoint,
) -> None:
    for turn in range(3):
        header = bearer_for(identity, APP_ID, "msteams", channel.url)
        body = teams_message(channel, "hvad sker der nu", f"activity-{turn}")
        response = await secured.post("/api/messages", json=body, headers={"Authorization": header})
        assert response.status == 201

    replies = await channel.wait_for(3)
    assert [reply["replyToId"] for _, reply in replies] == [
        "activity-0",
        "activity-1",
        "activity-2",
    ]
    assert set(channel.authorizations) == {"Bearer bot-token-1"}  # fetched once, then cached
    [form] = tokens.requests
    assert form == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": PASSWORD,
        "scope": "https://api.botframework.com/.default",
    }
    assert identity.keys_fetches == 1


@pytest.mark.parametrize(
    "problem",
    [
        "missing header",
        "expired",
        "wrong audience",
        "wrong issuer",
        "unknown key",
        "forged signature",
        "other service url",
    ],
)
async def test_refused_tokens_get_401_and_no_turn(
    secured: TestClient[Any, Any],
    channel: FakeChannel,
    identity: IdentityProvider,
    tokens: TokenEndpoint,
    problem: str,
) -> None:
    now = int(identity.clock())
    headers: dict[str, str] = {}
    if problem == "forged signature":
        claims = {
            "iss": "https://api.botframework.com",
            "aud": APP_ID,
            "serviceurl": channel.url,
            "exp": now + 600,
            "nbf": now - 5,
        }
        forged = identity.sign(claims, kid=identity.current_kid, private_key=stranger_key())
        headers["Authorization"] = f"Bearer {forged}"
    elif problem == "unknown key":  # signed with a key the provider no longer publishes
        headers["Authorization"] = bearer_for(identity, APP_ID, "msteams", channel.url)
        identity.rotate(keep_old=False)
    elif problem != "missing header":
        overrides = tampered_claims(now)[problem]
        headers["Authorization"] = bearer_for(identity, APP_ID, "msteams", channel.url, **overrides)

    body = teams_message(channel, "hvad sker der nu", "activity-1")
    response = await secured.post("/api/messages", json=body, headers=headers)

    assert response.status == 401
    assert await response.json() == {"error": "Unauthorized"}
    assert channel.attempts == []
    assert tokens.requests == []


async def test_an_unreachable_identity_provider_gets_503(
    secured: TestClient[Any, Any], channel: FakeChannel, identity: IdentityProvider
) -> None:
    header = bearer_for(identity, APP_ID, "msteams", channel.url)
    identity.fail(500)

    body = teams_message(channel, "hvad sker der nu", "activity-1")
    response = await secured.post("/api/messages", json=body, headers={"Authorization": header})

    assert response.status == 503
    assert channel.attempts == []


async def test_action_execute_is_answered_with_its_invoke_response(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await bot.post("/api/messages", json=message(channel, "english"))
    invoke = message(
        channel,
        "",
        type="invoke",
        name="adaptiveCard/action",
        id="invoke-1",
        value={"action": {"type": "Action.Execute", "verb": "menu", "data": {}}},
    )
    del invoke["text"]

    response = await bot.post("/api/messages", json=invoke)

    assert response.status == 200
    assert await response.json() == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Got it.",
    }
    replies = await channel.wait_for(2)
    assert replies[1][1]["replyToId"] == "invoke-1"


async def test_an_invoke_the_bot_does_not_know_gets_501(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    invoke = message(channel, "", type="invoke", name="no/such/invoke", id="invoke-2")
    del invoke["text"]

    response = await bot.post("/api/messages", json=invoke)

    assert response.status == 501


async def test_a_refused_reply_is_retried_within_the_turn(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    channel.fail("conversation-1", 429, times=1, retry_after=0.2)

    response = await bot.post("/api/messages", json=message(channel, "hvad sker der nu"))

    assert response.status == 201
    [(_, reply)] = await channel.wait_for(1)
    assert reply["text"].startswith("**Nu**")
    statuses = [attempt.status for attempt in channel.attempts]
    assert statuses == [429, 201]
    assert channel.attempts[1].at - channel.attempts[0].at >= 0.2


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(settings_for(tmp_path))
    yield client
    await client.close()
