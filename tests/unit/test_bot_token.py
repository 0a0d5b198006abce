"""The bot's outgoing token: fetched once, cached, refreshed early in the background, single-flight.

A fake Entra ID token endpoint runs on loopback over TLS (a throw-away self-signed certificate), and
the client session resolves every host name to it, so the provider posts to its real URLs.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import socket
import ssl
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.bot_token import (
    BACKGROUND_RETRY_DELAY,
    BOT_FRAMEWORK_SCOPE,
    BotTokenProvider,
    TokenUnavailable,
    token_url_for,
)

SECRET = "s3cret-Pa55word~value"
APP_ID = "11111111-2222-3333-4444-555555555555"
LIFETIME = 3599
MARGIN = 300.0


@dataclass
class Posted:
    host: str
    path: str
    form: dict[str, str]


@dataclass
class FakeEntra:
    """Answers the scripted (status, body) pairs in turn, then good tokens `token-<n>`."""

    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    posted: list[Posted] = field(default_factory=list)
    gate: asyncio.Event | None = None  # when set up, answers wait until it is set
    expires_in: int | str = LIFETIME
    port: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.posted.append(
            Posted(
                request.host.split(":")[0],
                request.path,
                {key: str(value) for key, value in form.items()},
            )
        )
        if self.gate is not None:
            await self.gate.wait()
        if self.script:
            status, body = self.script.pop(0)
            return web.json_response(body, status=status)
        token = f"token-{len(self.posted)}"
        return web.json_response(
            {"token_type": "Bearer", "expires_in": self.expires_in, "access_token": token}
        )


class Loopback(AbstractResolver):
    def __init__(self, port: int) -> None:
        self.port = port

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": self.port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def server_tls() -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-entra")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.TemporaryDirectory() as folder:
        cert, private = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context.load_cert_chain(cert, private)
    return context


@pytest.fixture
async def entra() -> AsyncIterator[FakeEntra]:
    fake = FakeEntra()
    app = web.Application()
    app.router.add_post("/{tail:.*}", fake.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server(ssl=server_tls())
    assert server.port is not None
    fake.port = server.port
    yield fake
    await server.close()


@pytest.fixture
async def session(entra: FakeEntra) -> AsyncIterator[aiohttp.ClientSession]:
    connector = aiohttp.TCPConnector(resolver=Loopback(entra.port), ssl=False)
    async with aiohttp.ClientSession(connector=connector) as client:
        yield client


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> list[float]:
    return []


Make = Callable[..., BotTokenProvider]


@pytest.fixture
def make(session: aiohttp.ClientSession, clock: Clock, sleeps: list[float]) -> Make:
    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    def build(tenant_id: str = "", **options: Any) -> BotTokenProvider:
        options.setdefault("app_id", APP_ID)
        return BotTokenProvider(
            lambda: session,
            password=SECRET,
            tenant_id=tenant_id,
            clock=clock,
            refresh_margin=MARGIN,
            sleep=sleep,
            **options,
        )

    return build


async def eventually(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


async def settled(provider: BotTokenProvider) -> None:
    """Let a background refresh finish (it is the only pending work)."""
    await eventually(lambda: provider._fetch is None)


def run_soon(coroutine: Awaitable[str]) -> asyncio.Future[str]:
    return asyncio.ensure_future(coroutine)


async def test_first_call_posts_client_credentials_to_the_multi_tenant_endpoint(
    entra: FakeEntra, make: Make, clock: Clock
) -> None:
    provider = make()
    assert await provider.token() == "token-1"
    [posted] = entra.posted
    assert (posted.host, posted.path) == (
        "login.microsoftonline.com",
        "/botframework.com/oauth2/v2.0/token",
    )
    assert posted.form == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": SECRET,
        "scope": "https://api.botframework.com/.default",
    }
    assert provider.expires_at == clock.now + LIFETIME


async def test_single_tenant_app_asks_its_own_tenant(entra: FakeEntra, make: Make) -> None:
    await make(tenant_id="contoso-tenant-id").token()
    assert entra.posted[0].path == "/contoso-tenant-id/oauth2/v2.0/token"
    assert entra.posted[0].host == "login.microsoftonline.com"


async def test_custom_token_url_and_scope_are_honoured(entra: FakeEntra, make: Make) -> None:
    provider = make(token_url="https://sts.example.test/custom/token", scope="api://x/.default")
    await provider.token()
    [posted] = entra.posted
    assert (posted.host, posted.path) == ("sts.example.test", "/custom/token")
    assert posted.form["scope"] == "api://x/.default"


def test_token_url_for_tenants() -> None:
    assert (
        token_url_for("") == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    )
    assert token_url_for("abc") == "https://login.microsoftonline.com/abc/oauth2/v2.0/token"
    assert BOT_FRAMEWORK_SCOPE == "https://api.botframework.com/.default"


async def test_second_call_uses_the_cache(entra: FakeEntra, make: Make, clock: Clock) -> None:
    provider = make()
    first = await provider.token()
    clock.now += LIFETIME - MARGIN - 1
    assert await provider.token() == first
    await asyncio.sleep(0.05)
    assert len(entra.posted) == 1


async def test_expires_in_as_a_string_is_understood(
    entra: FakeEntra, make: Make, clock: Clock
) -> None:
    entra.expires_in = "3599"
    provider = make()
    await provider.token()
    assert provider.expires_at == clock.now + 3599


async def test_near_expiry_hands_out_the_cached_token_and_refreshes_once_in_background(
    entra: FakeEntra, make: Make, clock: Clock
) -> None:
    provider = make()
    await provider.token()
    entra.gate = asyncio.Event()
    clock.now += LIFETIME - MARGIN + 1
    for _ in range(5):  # no turn waits for the refresh
        assert await asyncio.wait_for(provider.token(), timeout=1) == "token-1"
    await eventually(lambda: len(entra.posted) == 2)
    entra.gate.set()
    await settled(provider)
    assert await provider.token() == "token-2"
    assert len(entra.posted) == 2


async def test_after_expiry_the_caller_awaits_a_new_token(
    entra: FakeEntra, make: Make, clock: Clock
) -> None:
    provider = make()
    await provider.token()
    clock.now += LIFETIME + 1
    assert await provider.token() == "token-2"
    assert len(entra.posted) == 2


async def test_concurrent_first_calls_share_one_request(entra: FakeEntra, make: Make) -> None:
    provider = make()
    entra.gate = asyncio.Event()
    callers = asyncio.gather(*(provider.token() for _ in range(20)))
    await eventually(lambda: len(entra.posted) == 1)
    entra.gate.set()
    assert await callers == ["token-1"] * 20
    assert len(entra.posted) == 1


async def test_one_caller_cancelled_does_not_cancel_the_shared_fetch(
    entra: FakeEntra, make: Make
) -> None:
    provider = make()
    entra.gate = asyncio.Event()
    impatient, patient = run_soon(provider.token()), run_soon(provider.token())
    await eventually(lambda: len(entra.posted) == 1)
    impatient.cancel()
    entra.gate.set()
    assert await patient == "token-1"


async def test_invalidate_forces_a_new_fetch(entra: FakeEntra, make: Make) -> None:
    provider = make()
    await provider.token()
    provider.invalidate()
    assert provider.expires_at is None
    assert await provider.token() == "token-2"


async def test_short_lifetime_refreshes_at_half_of_it(
    entra: FakeEntra, make: Make, clock: Clock
) -> None:
    entra.expires_in = 120  # less than twice the margin: refresh after 60 s, not at once
    provider = make()
    await provider.token()
    clock.now += 59
    assert await provider.token() == "token-1"
    await asyncio.sleep(0.05)
    assert len(entra.posted) == 1
    clock.now += 2
    assert await provider.token() == "token-1"
    await settled(provider)
    assert await provider.token() == "token-2"


async def test_failed_background_refresh_keeps_the_valid_token_and_retries_later(
    entra: FakeEntra, make: Make, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    provider = make()
    await provider.token()
    entra.script.append((500, {"error": "temporarily_unavailable"}))
    entra.script.append((500, {}))
    entra.script.append((500, {}))
    clock.now += LIFETIME - MARGIN + 1
    with caplog.at_level(logging.WARNING, logger="traefbot.token"):
        assert await provider.token() == "token-1"
        await settled(provider)
    assert len(entra.posted) == 4 and "could not fetch" in caplog.text
    assert await provider.token() == "token-1"  # too soon to try again
    await asyncio.sleep(0.05)
    assert len(entra.posted) == 4
    clock.now += BACKGROUND_RETRY_DELAY
    assert await provider.token() == "token-1"
    await settled(provider)
    assert await provider.token() == "token-5"


async def test_rejected_secret_fails_at_once_without_echoing_it(
    entra: FakeEntra, make: Make, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    entra.script.append(
        (
            401,
            {
                "error": "invalid_client",
                "error_description": f"AADSTS7000215: Invalid client secret provided: {SECRET}",
                "error_codes": [7000215],
            },
        )
    )
    provider = make()
    with (
        caplog.at_level(logging.DEBUG, logger="traefbot.token"),
        pytest.raises(TokenUnavailable) as raised,
    ):
        await provider.token()
    message = str(raised.value)
    assert "invalid_client" in message and "AADSTS7000215" in message
    assert SECRET not in message and SECRET not in caplog.text
    assert len(entra.posted) == 1 and sleeps == []


async def test_unavailable_service_is_retried(
    entra: FakeEntra, make: Make, sleeps: list[float]
) -> None:
    entra.script.append((503, {"error": "temporarily_unavailable"}))
    assert await make().token() == "token-2"
    assert len(entra.posted) == 2 and len(sleeps) == 1


async def test_unreachable_endpoint_is_unavailable(make: Make, sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = make(token_url=f"http://127.0.0.1:{port}/token")
    with pytest.raises(TokenUnavailable, match="could not reach"):
        await provider.token()
    assert len(sleeps) == 2  # three attempts


async def test_garbled_answer_is_unavailable(entra: FakeEntra, make: Make) -> None:
    entra.script.append((200, {"token_type": "Bearer", "expires_in": 3599}))
    with pytest.raises(TokenUnavailable, match="without a usable token"):
        await make().token()


async def test_authorization_header_value(entra: FakeEntra, make: Make) -> None:
    assert await make().authorization() == "Bearer token-1"


async def test_no_app_id_means_no_authorization_and_no_request(
    entra: FakeEntra, make: Make
) -> None:
    assert await make(app_id="").authorization() is None
    assert entra.posted == []
