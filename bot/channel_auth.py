"""Checks the JWT that the Bot Framework puts on every activity it posts to /api/messages.

Follows "Authenticate requests from the Bot Connector service to your bot" and "… from the Bot
Framework Emulator" (learn.microsoft.com/azure/bot-service/rest-api/
bot-framework-rest-connector-authentication): the unverified issuer picks the OpenID metadata, the
token's `kid` picks a key from the JWKS that the metadata names, and after the signature the claims
are checked against our app id and the activity. Signing keys are cached per metadata URL
(`_SigningKeys`), so after the first fetch a validation does no HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.types import Options

logger = logging.getLogger("traefbot.auth")

BOT_FRAMEWORK_OPENID_METADATA_URL = (
    "https://login.botframework.com/v1/.well-known/openidconfiguration"
)
EMULATOR_OPENID_METADATA_URL = (
    "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration"
)
CHANNEL_ISSUER = "https://api.botframework.com"
EMULATOR_ISSUERS = frozenset(
    {
        "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",  # auth v3.1, token 1.0
        "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",  # v3.1, 2.0
        "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",  # auth v3.2, token 1.0
        "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",  # v3.2, 2.0
    }
)
ALLOWED_ALGORITHMS = frozenset({"RS256", "RS384", "RS512"})
FETCH_TIMEOUT_SECONDS = 10.0
_EMULATOR_APP_ID_CLAIMS = {"1.0": "appid", "2.0": "azp"}  # by the token's "ver"
_NO_CLAIM_CHECKS: Options = {  # PyJWT checks the signature; we check the claims
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "require": ["exp"],
}


class AuthenticationError(Exception):
    """The request's token is missing or invalid (HTTP 401). The message never holds the token."""


class IdentityUnavailable(Exception):
    """The signing keys could not be fetched and none are cached (HTTP 503)."""


@dataclass(frozen=True, slots=True)
class Identity:
    app_id: str  # the audience (our bot's app id), or the emulator's appid/azp claim
    issuer: str
    service_url: str | None  # the verified serviceUrl claim; None for the emulator
    from_emulator: bool
    claims: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class SigningKey:
    public_key: RSAPublicKey
    endorsements: frozenset[str] | None  # channel ids; None: the key names none


class TokenValidator:
    """Validates the Authorization header of an incoming activity; see the module docstring."""

    def __init__(
        self,
        session: Callable[[], aiohttp.ClientSession],
        app_id: str,
        *,
        metadata_url: str = BOT_FRAMEWORK_OPENID_METADATA_URL,
        emulator_metadata_url: str = EMULATOR_OPENID_METADATA_URL,
        clock: Callable[[], float] = time.time,
        clock_skew: float = 300.0,
        metadata_lifetime: float = 24 * 3600,
        min_refetch_interval: float = 300.0,
    ) -> None:
        self._app_id = app_id
        self._clock = clock
        self._clock_skew = clock_skew
        caches: dict[str, _SigningKeys] = {}
        for url in (metadata_url, emulator_metadata_url):
            if url not in caches:
                caches[url] = _SigningKeys(
                    session, url, clock, metadata_lifetime, min_refetch_interval
                )
        self._channel_keys = caches[metadata_url]
        self._emulator_keys = caches[emulator_metadata_url]

    async def validate(
        self, auth_header: str | None, channel_id: str, service_url: str | None
    ) -> Identity:
        """The caller's identity, or AuthenticationError (401) / IdentityUnavailable (503)."""
        try:
            return await self._validate(auth_header, channel_id, service_url)
        except AuthenticationError as error:
            logger.warning("refused a request from channel %r: %s", (channel_id or "")[:40], error)
            raise

    async def _validate(
        self, auth_header: str | None, channel_id: str, service_url: str | None
    ) -> Identity:
        token = _bearer_token(auth_header)
        algorithm, kid, issuer = _unverified_parts(token)
        from_emulator = issuer in EMULATOR_ISSUERS
        if issuer != CHANNEL_ISSUER and not from_emulator:
            raise AuthenticationError(f"untrusted issuer {issuer!r:.80}")
        keys = self._emulator_keys if from_emulator else self._channel_keys
        key = await keys.get(kid)
        _check_endorsement(key, channel_id)
        claims = _verified_claims(token, key, algorithm)
        self._check_lifetime(claims)
        self._check_audience(claims)
        if from_emulator:
            return Identity(_emulator_app_id(claims, self._app_id), issuer, None, True, claims)
        claimed_url = _service_url_claim(claims, service_url)
        return Identity(self._app_id, issuer, claimed_url, False, claims)

    def _check_lifetime(self, claims: Mapping[str, object]) -> None:
        now = self._clock()
        expires = _number(claims.get("exp"))
        if expires is None:
            raise AuthenticationError("token has no valid exp claim")
        if now >= expires + self._clock_skew:
            raise AuthenticationError(f"token expired {now - expires:.0f} s ago")
        if "nbf" in claims:
            not_before = _number(claims["nbf"])
            if not_before is None:
                raise AuthenticationError("token has an invalid nbf claim")
            if now + self._clock_skew < not_before:
                raise AuthenticationError(f"token not valid for another {not_before - now:.0f} s")

    def _check_audience(self, claims: Mapping[str, object]) -> None:
        audience = claims.get("aud")
        if not self._app_id or audience != self._app_id:
            raise AuthenticationError(f"token is for audience {audience!r:.60}, not this bot")


class _SigningKeys:
    """The keys published via one OpenID metadata URL, fetched on first use.

    They are refetched once `lifetime` has passed, or when a token names an unknown key id; but
    once keys are cached, at most once per `min_refetch_interval` after the last attempt. A failed
    refetch keeps the old keys. Concurrent callers share one fetch.
    """

    def __init__(
        self,
        session: Callable[[], aiohttp.ClientSession],
        url: str,
        clock: Callable[[], float],
        lifetime: float,
        min_refetch_interval: float,
    ) -> None:
        self._session = session
        self._url = url
        self._clock = clock
        self._lifetime = lifetime
        self._min_refetch_interval = min_refetch_interval
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._tried_at = 0.0  # last attempt, successful or not
        self._completed = 0  # attempts finished, so that waiters can tell one ended
        self._last_error = ""
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> SigningKey:
        if self._fetched_at is None:
            await self._refresh("first use")
            if self._fetched_at is None:
                raise IdentityUnavailable(f"no signing keys from {self._url}: {self._last_error}")
        elif self._clock() - self._fetched_at >= self._lifetime and self._may_refetch():
            await self._refresh("cached keys are old")
        key = self._keys.get(kid)
        if key is None and self._may_refetch():
            await self._refresh(f"unknown key id {kid!r:.60}")
            key = self._keys.get(kid)
        if key is None:
            raise AuthenticationError(f"unknown signing key {kid!r:.60}")
        return key

    def _may_refetch(self) -> bool:
        return self._clock() - self._tried_at >= self._min_refetch_interval

    async def _refresh(self, reason: str) -> None:
        completed = self._completed
        async with self._lock:
            if self._completed != completed:
                return  # another caller fetched while this one waited
            self._tried_at = self._clock()
            try:
                keys = await _fetch_keys(self._session(), self._url)
            except _FetchFailed as error:
                self._last_error = str(error)
                self._completed += 1
                if self._fetched_at is None:
                    logger.error("could not fetch signing keys (%s): %s", reason, error)
                else:
                    logger.warning(
                        "could not refetch signing keys (%s), keeping %d cached: %s",
                        reason,
                        len(self._keys),
                        error,
                    )
                return
            self._keys, self._fetched_at = keys, self._tried_at
            self._completed += 1
            logger.info("fetched %d signing keys from %s (%s)", len(keys), self._url, reason)


class _FetchFailed(Exception):
    pass


async def _fetch_keys(session: aiohttp.ClientSession, metadata_url: str) -> dict[str, SigningKey]:
    metadata = await _get_json(session, metadata_url)
    jwks_uri = metadata.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri:
        raise _FetchFailed(f"{metadata_url} names no jwks_uri")
    entries = (await _get_json(session, jwks_uri)).get("keys")
    if not isinstance(entries, list):
        raise _FetchFailed(f"{jwks_uri} has no keys list")
    keys = {kid: key for kid, key in map(_signing_key, entries) if key is not None}
    if not keys:
        raise _FetchFailed(f"{jwks_uri} has no usable RSA signing keys")
    return keys


async def _get_json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
    try:
        async with session.get(url, timeout=timeout) as response:
            if response.status != 200:
                raise _FetchFailed(f"{url} answered HTTP {response.status}")
            body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        raise _FetchFailed(f"{url}: {error!r}") from error
    if not isinstance(body, dict):
        raise _FetchFailed(f"{url} did not answer a JSON object")
    return body


def _signing_key(entry: object) -> tuple[str, SigningKey | None]:
    """A JWKS entry as (kid, key); the key is None unless it is an RSA signing key."""
    if not isinstance(entry, dict):
        return "", None
    kid = entry.get("kid")
    if not isinstance(kid, str) or entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
        return str(kid), None
    try:
        public_key = jwt.PyJWK(entry, algorithm="RS256").key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
        logger.warning("ignoring signing key %r: %s", kid, error)
        return kid, None
    if not isinstance(public_key, RSAPublicKey):
        return kid, None
    endorsements = entry.get("endorsements")
    if isinstance(endorsements, list):
        return kid, SigningKey(public_key, frozenset(e for e in endorsements if isinstance(e, str)))
    return kid, SigningKey(public_key, None)


def _bearer_token(auth_header: str | None) -> str:
    if not auth_header:
        raise AuthenticationError("no Authorization header")
    scheme, _, token = auth_header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise AuthenticationError("Authorization header is not 'Bearer <token>'")
    return token


def _unverified_parts(token: str) -> tuple[str, str, str]:
    """The token's algorithm, key id and issuer, before its signature is checked."""
    try:
        decoded = jwt.decode_complete(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise AuthenticationError(f"malformed token: {error}") from None
    header, claims = decoded["header"], decoded["payload"]
    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise AuthenticationError(f"signing algorithm {algorithm!r:.20} not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise AuthenticationError("token names no signing key (kid)")
    issuer = claims.get("iss")
    if not isinstance(issuer, str):
        raise AuthenticationError("token has no issuer")
    return algorithm, kid, issuer


def _check_endorsement(key: SigningKey, channel_id: str) -> None:
    if key.endorsements is None:
        return
    if not channel_id:
        raise AuthenticationError("activity has no channel id to check endorsements against")
    if channel_id not in key.endorsements:
        raise AuthenticationError(f"signing key is not endorsed for channel {channel_id!r:.40}")


def _verified_claims(token: str, key: SigningKey, algorithm: str) -> Mapping[str, object]:
    try:
        claims = jwt.decode(token, key.public_key, algorithms=[algorithm], options=_NO_CLAIM_CHECKS)
    except jwt.InvalidSignatureError:
        raise AuthenticationError("bad signature") from None
    except jwt.PyJWTError as error:
        raise AuthenticationError(f"invalid token: {error}") from None
    return MappingProxyType(claims)


def _emulator_app_id(claims: Mapping[str, object], app_id: str) -> str:
    version = claims.get("ver")
    claim = _EMULATOR_APP_ID_CLAIMS.get(version) if isinstance(version, str) else None
    if claim is None:
        raise AuthenticationError(f"emulator token has unknown version {version!r:.20}")
    claimed = claims.get(claim)
    if not isinstance(claimed, str) or claimed != app_id:
        raise AuthenticationError(f"emulator token's {claim} {claimed!r:.60} is not this bot")
    return claimed


def _service_url_claim(claims: Mapping[str, object], service_url: str | None) -> str:
    """The token's serviceUrl claim (spelt "serviceurl" by the Bot Connector), if it matches."""
    claimed = next((v for k, v in claims.items() if k.lower() == "serviceurl"), None)
    if not isinstance(claimed, str) or not claimed:
        raise AuthenticationError("token has no serviceUrl claim")
    if not service_url or claimed.rstrip("/") != service_url.rstrip("/"):
        raise AuthenticationError("serviceUrl claim does not match the activity's serviceUrl")
    return claimed


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
