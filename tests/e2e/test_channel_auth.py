"""TokenValidator against loopback identity providers, one for the channel and one for the emulator.

The clock is injected and set years away from real time, so that any check against real time
would fail these tests.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from bot import channel_auth
from bot.channel_auth import AuthenticationError, IdentityUnavailable, TokenValidator
from tests.identity_provider import (
    EMULATOR_ISSUER_V1,
    EMULATOR_ISSUER_V2,
    IdentityProvider,
    bearer_for,
    channel_claims,
    emulator_bearer_for,
    stranger_key,
)

APP_ID = "5d1f0c52-bot-app-id"
CHANNEL = "msteams"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
DAY = 24 * 3600


class Clock:
    def __init__(self, now: float = 2_000_000_000.0) -> None:  # 2033
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def idp(clock: Clock) -> AsyncIterator[IdentityProvider]:
    async with IdentityProvider(clock=clock) as provider:
        yield provider


@pytest.fixture
async def emulator_idp(clock: Clock) -> AsyncIterator[IdentityProvider]:
    provider = IdentityProvider(issuer=EMULATOR_ISSUER_V2, endorsements=None, clock=clock)
    async with provider:
        yield provider


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def validator(
    session: aiohttp.ClientSession,
    idp: IdentityProvider,
    emulator_idp: IdentityProvider,
    clock: Clock,
) -> TokenValidator:
    return TokenValidator(
        lambda: session,
        APP_ID,
        metadata_url=idp.metadata_url,
        emulator_metadata_url=emulator_idp.metadata_url,
        clock=clock,
    )


async def validate(validator: TokenValidator, header: str | None) -> channel_auth.Identity:
    return await validator.validate(header, CHANNEL, SERVICE_URL)


async def refused(validator: TokenValidator, header: str | None, reason: str) -> None:
    with pytest.raises(AuthenticationError, match=reason):
        await validate(validator, header)


# -- a valid channel token --


async def test_a_valid_channel_token_gives_the_bots_identity(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    identity = await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))

    assert identity.app_id == APP_ID
    assert identity.issuer == "https://api.botframework.com"
    assert identity.service_url == SERVICE_URL
    assert identity.from_emulator is False
    assert identity.claims["aud"] == APP_ID
    assert identity.claims["serviceurl"] == SERVICE_URL


@pytest.mark.parametrize("algorithm", ["RS384", "RS512"])
async def test_the_other_rsa_algorithms_are_accepted(
    validator: TokenValidator, idp: IdentityProvider, algorithm: str
) -> None:
    token = idp.sign(channel_claims(idp, APP_ID, SERVICE_URL), algorithm=algorithm)

    assert (await validate(validator, f"Bearer {token}")).app_id == APP_ID


async def test_the_serviceurl_claim_may_be_spelt_in_camel_case_and_differ_by_a_slash(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    header = bearer_for(
        idp, APP_ID, CHANNEL, SERVICE_URL, serviceurl=None, serviceUrl=SERVICE_URL.rstrip("/")
    )

    assert (await validate(validator, header)).service_url == SERVICE_URL.rstrip("/")


# -- lifetime, against the injected clock --


async def test_an_expired_token_is_refused_beyond_the_clock_skew(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, exp=int(clock()) - 301)

    await refused(validator, header, "expired")


async def test_an_expired_token_is_accepted_within_the_clock_skew(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, exp=int(clock()) - 290)

    assert (await validate(validator, header)).app_id == APP_ID


async def test_a_token_without_exp_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    await refused(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, exp=None), "exp")


async def test_a_token_valid_only_later_is_refused_beyond_the_clock_skew(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, nbf=int(clock()) + 301)

    await refused(validator, header, "not valid for another")


async def test_a_token_valid_shortly_is_accepted_within_the_clock_skew(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, nbf=int(clock()) + 290)

    assert (await validate(validator, header)).app_id == APP_ID


# -- who issued it and for whom --


async def test_a_token_for_another_bot_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, aud="someone-elses-bot")

    await refused(validator, header, "audience")


async def test_a_token_from_an_untrusted_issuer_is_refused_without_fetching_keys(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, iss="https://evil.example")

    await refused(validator, header, "untrusted issuer")
    assert idp.metadata_fetches == 0


async def test_an_emulator_issuer_is_checked_against_the_emulators_keys(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    """A channel key cannot vouch for an emulator token: each path has its own key set."""
    token = idp.sign({"iss": EMULATOR_ISSUER_V1, "aud": APP_ID, "ver": "1.0", "appid": APP_ID})

    await refused(validator, f"Bearer {token}", "unknown signing key")


# -- signing keys --


async def test_an_unknown_key_is_refused_after_exactly_one_refetch(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    clock.advance(301)
    claims = channel_claims(idp, APP_ID, SERVICE_URL)
    stranger = idp.sign(claims, kid="not-published", private_key=stranger_key())

    await refused(validator, f"Bearer {stranger}", "unknown signing key")
    assert (idp.metadata_fetches, idp.keys_fetches) == (2, 2)

    await refused(validator, f"Bearer {stranger}", "unknown signing key")
    assert idp.keys_fetches == 2  # no second refetch within min_refetch_interval


async def test_an_unknown_key_does_not_refetch_keys_just_fetched(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    claims = channel_claims(idp, APP_ID, SERVICE_URL)
    stranger = idp.sign(claims, kid="not-published", private_key=stranger_key())

    await refused(validator, f"Bearer {stranger}", "unknown signing key")
    assert idp.keys_fetches == 1


async def test_a_rotated_key_is_accepted_after_a_refetch(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    new_kid = idp.rotate(keep_old=False)
    clock.advance(301)

    identity = await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))

    assert identity.app_id == APP_ID
    assert idp.keys_fetches == 2
    assert idp.kids == [new_kid]


async def test_a_signature_by_another_private_key_under_a_known_kid_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    forged = idp.sign(channel_claims(idp, APP_ID, SERVICE_URL), private_key=stranger_key())

    await refused(validator, f"Bearer {forged}", "bad signature")


async def test_a_token_with_altered_claims_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    token = idp.sign(channel_claims(idp, APP_ID, SERVICE_URL, aud="someone-elses-bot"))
    header, _, signature = token.split(".")
    payload = _b64(json.dumps(channel_claims(idp, APP_ID, SERVICE_URL)).encode())

    await refused(validator, f"Bearer {header}.{payload}.{signature}", "bad signature")


async def test_an_unsigned_token_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    claims = channel_claims(idp, APP_ID, SERVICE_URL)
    token = jwt.encode(claims, "", algorithm="none", headers={"kid": idp.current_kid})

    await refused(validator, f"Bearer {token}", "algorithm 'none' not allowed")


async def test_an_hmac_token_is_refused_even_when_keyed_with_the_public_key(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    public_pem = idp.public_key(idp.current_kid).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": idp.current_kid}).encode())
    payload = _b64(json.dumps(channel_claims(idp, APP_ID, SERVICE_URL)).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()

    await refused(validator, f"Bearer {header}.{payload}.{_b64(signature)}", "HS256")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer garbage",
        "Bearer a.b.c",
        "Bearer x y",
    ],
)
async def test_a_missing_or_malformed_header_is_refused(
    validator: TokenValidator, header: str | None
) -> None:
    with pytest.raises(AuthenticationError):
        await validate(validator, header)


# -- endorsements and serviceUrl --


async def test_a_key_not_endorsed_for_the_activitys_channel_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL)

    with pytest.raises(AuthenticationError, match="not endorsed"):
        await validator.validate(header, "skype", SERVICE_URL)


async def test_an_activity_without_a_channel_id_is_refused_when_the_key_has_endorsements(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL)

    with pytest.raises(AuthenticationError, match="no channel id"):
        await validator.validate(header, "", SERVICE_URL)


async def test_a_key_is_checked_against_its_own_endorsements(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    teams_only = idp.add_key(endorsements=["msteams"])
    header = bearer_for(idp, APP_ID, "msteams", SERVICE_URL, kid=teams_only)

    assert (await validator.validate(header, "msteams", SERVICE_URL)).app_id == APP_ID
    with pytest.raises(AuthenticationError, match="not endorsed"):
        await validator.validate(header, "webchat", SERVICE_URL)


async def test_a_token_without_a_serviceurl_claim_is_refused(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, serviceurl=None)

    await refused(validator, header, "no serviceUrl claim")


@pytest.mark.parametrize(
    "activity_url", ["https://evil.example/emea/", "https://smba.trafficmanager.net/amer/", None]
)
async def test_a_serviceurl_claim_other_than_the_activitys_is_refused(
    validator: TokenValidator, idp: IdentityProvider, activity_url: str | None
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL)

    with pytest.raises(AuthenticationError, match="does not match"):
        await validator.validate(header, CHANNEL, activity_url)


# -- the emulator --


@pytest.mark.parametrize("version", ["1.0", "2.0"])
async def test_an_emulator_token_for_this_bot_is_accepted(
    validator: TokenValidator, emulator_idp: IdentityProvider, idp: IdentityProvider, version: str
) -> None:
    header = emulator_bearer_for(emulator_idp, APP_ID, version=version)

    identity = await validator.validate(header, "emulator", "http://localhost:51234")

    assert identity.from_emulator is True
    assert identity.app_id == APP_ID
    assert identity.service_url is None
    assert identity.issuer in channel_auth.EMULATOR_ISSUERS
    assert idp.metadata_fetches == 0 and emulator_idp.metadata_fetches == 1


@pytest.mark.parametrize(
    ("version", "overrides", "reason"),
    [
        ("1.0", {"appid": "someone-elses-bot"}, "appid"),
        ("2.0", {"azp": "someone-elses-bot"}, "azp"),
        ("1.0", {"appid": None}, "appid"),
        ("1.0", {"aud": "someone-elses-bot"}, "audience"),
        ("1.0", {"ver": None}, "version"),
        ("1.0", {"ver": "3.0"}, "version"),
    ],
)
async def test_an_emulator_token_for_another_bot_is_refused(
    validator: TokenValidator,
    emulator_idp: IdentityProvider,
    version: str,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    header = emulator_bearer_for(emulator_idp, APP_ID, version=version, **overrides)

    with pytest.raises(AuthenticationError, match=reason):
        await validator.validate(header, "emulator", "http://localhost:51234")


# -- caching the keys --


async def test_keys_are_fetched_once_and_again_after_their_lifetime(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    clock.advance(DAY - 1)
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    assert (idp.metadata_fetches, idp.keys_fetches) == (1, 1)

    clock.advance(2)
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))

    assert (idp.metadata_fetches, idp.keys_fetches) == (2, 2)


async def test_concurrent_first_validations_share_one_fetch(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    idp.delay = 0.05
    headers = [bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL) for _ in range(20)]

    identities = await asyncio.gather(*(validate(validator, h) for h in headers))

    assert len(identities) == 20
    assert (idp.metadata_fetches, idp.keys_fetches) == (1, 1)


async def test_a_validator_shares_the_cache_when_both_paths_use_one_url(
    session: aiohttp.ClientSession, idp: IdentityProvider, clock: Clock
) -> None:
    validator = TokenValidator(
        lambda: session,
        APP_ID,
        metadata_url=idp.metadata_url,
        emulator_metadata_url=idp.metadata_url,
        clock=clock,
    )
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    await validator.validate(emulator_bearer_for(idp, APP_ID), "emulator", None)

    assert idp.keys_fetches == 1


# -- the identity provider failing --


async def _fail(idp: IdentityProvider, how: str) -> None:
    if how == "500":
        idp.fail(500)
    elif how == "garbage":
        idp.fail_with_garbage()
    else:
        await idp.go_offline()


@pytest.mark.parametrize("how", ["500", "garbage", "offline"])
async def test_with_the_provider_down_and_nothing_cached_identity_is_unavailable(
    validator: TokenValidator, idp: IdentityProvider, how: str
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL)
    await _fail(idp, how)

    with pytest.raises(IdentityUnavailable):
        await validate(validator, header)


async def test_concurrent_validations_all_see_the_provider_down(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    idp.delay = 0.05
    idp.fail(503)
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL)

    results = await asyncio.gather(
        *(validate(validator, header) for _ in range(5)), return_exceptions=True
    )

    assert all(isinstance(result, IdentityUnavailable) for result in results)
    assert idp.metadata_fetches == 1


async def test_the_provider_coming_back_ends_the_outage(
    validator: TokenValidator, idp: IdentityProvider
) -> None:
    idp.fail(500)
    with pytest.raises(IdentityUnavailable):
        await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    idp.recover()

    assert (await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))).app_id


async def test_metadata_without_a_jwks_uri_makes_identity_unavailable(
    session: aiohttp.ClientSession, idp: IdentityProvider, clock: Clock
) -> None:
    validator = TokenValidator(
        lambda: session,
        APP_ID,
        metadata_url=idp.jwks_url,
        clock=clock,  # a JWKS, not metadata
    )

    with pytest.raises(IdentityUnavailable):
        await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))


async def test_a_hanging_provider_times_out(
    validator: TokenValidator, idp: IdentityProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channel_auth, "FETCH_TIMEOUT_SECONDS", 0.2)
    idp.hang()

    with pytest.raises(IdentityUnavailable, match="Timeout"):
        await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))


@pytest.mark.parametrize("how", ["500", "garbage", "offline"])
async def test_with_the_provider_down_cached_keys_still_validate(
    validator: TokenValidator,
    idp: IdentityProvider,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    await _fail(idp, how)
    clock.advance(DAY + 1)
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL)

    with caplog.at_level(logging.WARNING, logger="traefbot.auth"):
        assert (await validate(validator, header)).app_id == APP_ID
        assert (await validate(validator, header)).app_id == APP_ID

    assert [r.levelno for r in caplog.records] == [logging.WARNING]  # one attempt, not two
    assert "keeping 1 cached" in caplog.records[0].getMessage()


async def test_old_keys_are_replaced_once_the_provider_recovers(
    validator: TokenValidator, idp: IdentityProvider, clock: Clock
) -> None:
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    idp.fail(500)
    clock.advance(DAY + 1)
    await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))
    idp.recover()
    idp.rotate(keep_old=False)
    clock.advance(301)

    assert (await validate(validator, bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL))).app_id


# -- logging --


async def test_a_refusal_is_logged_with_its_reason_but_not_the_token(
    validator: TokenValidator, idp: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    header = bearer_for(idp, APP_ID, CHANNEL, SERVICE_URL, aud="someone-elses-bot")
    token = header.removeprefix("Bearer ")

    with caplog.at_level(logging.INFO, logger="traefbot.auth"), pytest.raises(AuthenticationError):
        await validate(validator, header)

    refusals = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(refusals) == 1 and "audience" in refusals[0].getMessage()
    for part in token.split("."):
        assert part not in caplog.text


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
