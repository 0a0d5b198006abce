"""A loopback stand-in for the Bot Framework's (or the emulator's) OpenID identity provider.

It serves an OpenID metadata document at `/v1/.well-known/openidconfiguration` and a JWKS at
`/keys` with RSA public keys that carry `endorsements` (channel ids) as Microsoft's do, and signs
tokens with the matching private keys:

    async with IdentityProvider() as idp:
        validator = TokenValidator(lambda: session, "app-id", metadata_url=idp.metadata_url)
        header = bearer_for(idp, "app-id", "msteams", "https://smba.example/emea/")
        identity = await validator.validate(header, "msteams", "https://smba.example/emea/")

`metadata_fetches`/`keys_fetches` count requests; `rotate()`/`add_key()`/`remove_key()` change the
published keys; `fail(status)`, `fail_with_garbage()`, `hang()` and `go_offline()` make it
misbehave until `recover()` / `go_online()`.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

CHANNEL_ISSUER = "https://api.botframework.com"
EMULATOR_ISSUER_V1 = "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/"
EMULATOR_ISSUER_V2 = "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0"
DEFAULT_ENDORSEMENTS = ("msteams", "webchat", "directline", "emulator", "slack")
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/keys"
TOKEN_LIFETIME = 3600


@functools.cache
def rsa_private_key(key_set: str, index: int) -> rsa.RSAPrivateKey:
    """A test key, generated once per test run as RSA key generation is slow; a provider's keys
    come from its own `key_set`, so that two providers never share a key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def stranger_key() -> rsa.RSAPrivateKey:
    """A private key that no provider publishes, to forge signatures with."""
    return rsa_private_key("stranger", 0)


@dataclass(slots=True)
class _Key:
    private_key: rsa.RSAPrivateKey
    endorsements: tuple[str, ...] | None  # None: the JWKS entry has no endorsements list

    def jwk(self, kid: str) -> dict[str, Any]:
        entry: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(
            self.private_key.public_key(), as_dict=True
        )
        entry.update(kid=kid, use="sig")
        if self.endorsements is not None:
            entry["endorsements"] = list(self.endorsements)
        return entry


class IdentityProvider:
    """An OpenID metadata document and JWKS on 127.0.0.1, with the private keys to sign tokens."""

    def __init__(
        self,
        *,
        issuer: str = CHANNEL_ISSUER,
        endorsements: Iterable[str] | None = DEFAULT_ENDORSEMENTS,
        clock: Callable[[], float] = time.time,
        key_set: str | None = None,
    ) -> None:
        """`key_set` names the provider's keys and key ids (default: "bf" for the channel issuer,
        "aad" for any other); give two providers of one issuer different ones."""
        self.issuer = issuer  # the metadata's "issuer"
        self.key_set = key_set or ("bf" if issuer == CHANNEL_ISSUER else "aad")
        self.clock = clock  # for iat/nbf/exp in bearer_for
        self.metadata_fetches = 0
        self.keys_fetches = 0
        self.delay = 0.0  # seconds each answer waits, so that concurrent fetches overlap
        self._keys: dict[str, _Key] = {}
        self._next_key = 0
        self._current = self.add_key(endorsements=endorsements)
        self._failure: int | str | None = None  # an HTTP status, "garbage" or "hang"
        self._unhang = asyncio.Event()
        self._port = 0
        self.server = self._new_server()

    # -- lifecycle --

    async def start(self) -> None:
        await self.server.start_server()
        self._port = self.server.port or 0

    async def close(self) -> None:
        self._unhang.set()
        await self.server.close()

    async def __aenter__(self) -> IdentityProvider:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def go_offline(self) -> None:
        """Stop listening: fetches fail with a connection error until `go_online()`."""
        await self.close()

    async def go_online(self) -> None:
        """Listen again on the same port."""
        self._unhang = asyncio.Event()
        self.server = self._new_server(self._port)
        await self.server.start_server()

    # -- addresses --

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def metadata_url(self) -> str:
        return self.url + METADATA_PATH

    @property
    def jwks_url(self) -> str:
        return self.url + KEYS_PATH

    # -- keys --

    @property
    def current_kid(self) -> str:
        """The key `sign` uses unless told otherwise."""
        return self._current

    @property
    def kids(self) -> list[str]:
        return list(self._keys)

    def add_key(
        self, *, kid: str | None = None, endorsements: Iterable[str] | None = DEFAULT_ENDORSEMENTS
    ) -> str:
        """Publish another key (not used by `sign` by default); returns its kid."""
        kid = kid or f"{self.key_set}-key-{self._next_key}"
        listed = tuple(endorsements) if endorsements is not None else None
        self._keys[kid] = _Key(rsa_private_key(self.key_set, self._next_key), listed)
        self._next_key += 1
        return kid

    def rotate(self, *, keep_old: bool = True) -> str:
        """Publish a new key and sign with it from now on; `keep_old=False` withdraws the others."""
        endorsements = self._keys[self._current].endorsements
        kid = self.add_key(endorsements=endorsements)
        if not keep_old:
            self._keys = {kid: self._keys[kid]}
        self._current = kid
        return kid

    def remove_key(self, kid: str) -> None:
        del self._keys[kid]

    def endorsements(self, kid: str) -> tuple[str, ...] | None:
        return self._keys[kid].endorsements

    def public_key(self, kid: str) -> rsa.RSAPublicKey:
        return self._keys[kid].private_key.public_key()

    def sign(
        self,
        claims: Mapping[str, object],
        *,
        kid: str | None = None,
        algorithm: str = "RS256",
        private_key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        """An RS256 (or `algorithm`) token over `claims`, headed with `kid` (default: current).

        `private_key` signs with another key while still naming `kid`, to forge a signature.
        """
        kid = kid or self._current
        key = private_key or self._keys[kid].private_key
        return jwt.encode(dict(claims), key, algorithm=algorithm, headers={"kid": kid})

    # -- misbehaving --

    def fail(self, status: int = 500) -> None:
        """Answer every request with `status` until `recover()`."""
        self._failure = status

    def fail_with_garbage(self) -> None:
        """Answer 200 with a body that is not JSON until `recover()`."""
        self._failure = "garbage"

    def hang(self) -> None:
        """Do not answer until `recover()` or `close()`."""
        self._failure = "hang"
        self._unhang.clear()

    def recover(self) -> None:
        self._failure = None
        self._unhang.set()

    # -- HTTP --

    def _new_server(self, port: int | None = None) -> TestServer:
        app = web.Application()
        app.router.add_get(METADATA_PATH, self._metadata)
        app.router.add_get(KEYS_PATH, self._jwks)
        return TestServer(app, host="127.0.0.1", port=port)

    async def _metadata(self, request: web.Request) -> web.StreamResponse:
        self.metadata_fetches += 1
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": self.url + "/v1/authorize",
            "jwks_uri": self.jwks_url,
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }
        return await self._answer(document)

    async def _jwks(self, request: web.Request) -> web.StreamResponse:
        self.keys_fetches += 1
        return await self._answer({"keys": [key.jwk(kid) for kid, key in self._keys.items()]})

    async def _answer(self, body: dict[str, Any]) -> web.StreamResponse:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self._failure == "hang":
            await self._unhang.wait()
        if isinstance(self._failure, int):
            return web.Response(status=self._failure, text="scripted failure")
        if self._failure == "garbage":
            return web.Response(text="<html>not json</html>", content_type="application/json")
        return web.json_response(body)


def channel_claims(
    provider: IdentityProvider,
    app_id: str,
    service_url: str,
    **overrides: object,
) -> dict[str, object]:
    """The claims of a valid Bot Connector token; an override of None removes the claim."""
    now = int(provider.clock())
    claims: dict[str, object] = {
        "iss": CHANNEL_ISSUER,
        "aud": app_id,
        "serviceurl": service_url,  # so spelt in the Bot Connector's tokens
        "nbf": now - 5,
        "iat": now - 5,
        "exp": now + TOKEN_LIFETIME,
    }
    return _overridden(claims, overrides)


def bearer_for(
    provider: IdentityProvider,
    app_id: str,
    channel_id: str,
    service_url: str,
    *,
    kid: str | None = None,
    **overrides: object,
) -> str:
    """An Authorization header value, "Bearer <token>", as the Bot Connector would send it.

    The token is signed with `kid`, or the current key if it endorses `channel_id`, or else the
    first key that does. Claim overrides of None remove the claim.
    """
    kid = kid or _endorsing_kid(provider, channel_id)
    token = provider.sign(channel_claims(provider, app_id, service_url, **overrides), kid=kid)
    return f"Bearer {token}"


def emulator_bearer_for(
    provider: IdentityProvider,
    app_id: str,
    *,
    version: str = "1.0",
    kid: str | None = None,
    **overrides: object,
) -> str:
    """An Authorization header value as the Bot Framework Emulator sends it (token v1.0 or 2.0)."""
    now = int(provider.clock())
    claims: dict[str, object] = {
        "iss": EMULATOR_ISSUER_V1 if version == "1.0" else EMULATOR_ISSUER_V2,
        "aud": app_id,
        "ver": version,
        "appid" if version == "1.0" else "azp": app_id,
        "nbf": now - 5,
        "iat": now - 5,
        "exp": now + TOKEN_LIFETIME,
    }
    return f"Bearer {provider.sign(_overridden(claims, overrides), kid=kid)}"


def _endorsing_kid(provider: IdentityProvider, channel_id: str) -> str:
    kids = provider.kids
    if provider.current_kid in kids:
        kids.insert(0, provider.current_kid)
    for kid in kids:
        endorsements = provider.endorsements(kid)
        if endorsements is None or channel_id in endorsements:
            return kid
    raise ValueError(f"no published key endorses channel {channel_id!r}")


def _overridden(claims: dict[str, object], overrides: Mapping[str, object]) -> dict[str, object]:
    merged = {**claims, **overrides}
    return {name: value for name, value in merged.items() if value is not None}
