"""The channel connector against the fake channel: retries, their bounds, and the bot's token."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.connector import ChannelConnector, ChannelError, single_attempt
from tests.e2e.fake_channel import FakeChannel
from traef.pacing import RetryPolicy


class Credentials:
    def __init__(self) -> None:
        self.issued = 0

    async def authorization(self) -> str | None:
        return f"Bearer token-{self.issued}"

    def invalidate(self) -> None:
        self.issued += 1


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def reply(channel: FakeChannel, conversation: str = "conv-1") -> Activity:
    return Activity(
        type="message",
        text="Hej",
        service_url=channel.url,
        conversation=ConversationAccount(id=conversation),
        recipient=ChannelAccount(id="user-1"),
        reply_to_id="activity-1",
    )


def connector(
    session: aiohttp.ClientSession,
    credentials: Credentials,
    sleeps: Sleeps,
    max_wait: float = 10.0,
) -> ChannelConnector:
    policy = RetryPolicy(max_attempts=4, base_delay=0.25, max_delay=4.0)
    return ChannelConnector(
        lambda: session, credentials, policy=policy, max_wait=max_wait, sleep=sleeps
    )


@pytest.mark.parametrize("status", [412, 502, 503, 504])
async def test_passing_refusals_are_retried_with_a_bounded_backoff(
    channel: FakeChannel, session: aiohttp.ClientSession, status: int
) -> None:
    channel.fail("conv-1", status, times=2)
    sleeps = Sleeps()

    answer = await connector(session, Credentials(), sleeps).send(reply(channel))

    assert answer.id
    assert [a.status for a in channel.attempts] == [status, status, 201]
    assert len(sleeps.waits) == 2
    assert 0 <= sleeps.waits[0] <= 0.25 and 0 <= sleeps.waits[1] <= 0.5


async def test_429_waits_as_long_as_retry_after_says(
    channel: FakeChannel, session: aiohttp.ClientSession
) -> None:
    channel.fail("conv-1", 429, times=1, retry_after=3)
    sleeps = Sleeps()

    await connector(session, Credentials(), sleeps).send(reply(channel))

    assert sleeps.waits == [3.0]
    assert [a.status for a in channel.attempts] == [429, 201]


async def test_a_wait_longer_than_the_budget_gives_up_at_once(
    channel: FakeChannel, session: aiohttp.ClientSession
) -> None:
    channel.fail("conv-1", 429, times=1, retry_after=60)
    sleeps = Sleeps()

    with pytest.raises(ChannelError) as refused:
        await connector(session, Credentials(), sleeps, max_wait=10).send(reply(channel))

    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "60"}
    assert sleeps.waits == []


async def test_attempts_are_bounded(channel: FakeChannel, session: aiohttp.ClientSession) -> None:
    channel.fail("conv-1", 503)  # for ever
    sleeps = Sleeps()

    with pytest.raises(ChannelError) as refused:
        await connector(session, Credentials(), sleeps).send(reply(channel))

    assert refused.value.status == 503
    assert len(channel.attempts) == 4
    assert len(sleeps.waits) == 3


@pytest.mark.parametrize("status", [400, 403, 404])
async def test_other_refusals_are_not_retried(
    channel: FakeChannel, session: aiohttp.ClientSession, status: int
) -> None:
    channel.fail("conv-1", status, times=1)

    with pytest.raises(ChannelError) as refused:
        await connector(session, Credentials(), Sleeps()).send(reply(channel))

    assert refused.value.status == status
    assert len(channel.attempts) == 1


async def test_a_single_attempt_leaves_retrying_to_the_caller(
    channel: FakeChannel, session: aiohttp.ClientSession
) -> None:
    channel.fail("conv-1", 503, times=1)

    with single_attempt(), pytest.raises(ChannelError):
        await connector(session, Credentials(), Sleeps()).send(reply(channel))

    assert len(channel.attempts) == 1


async def test_a_401_fetches_a_new_token_once(
    channel: FakeChannel, session: aiohttp.ClientSession
) -> None:
    channel.fail("conv-1", 401, times=1)
    credentials = Credentials()

    await connector(session, credentials, Sleeps()).send(reply(channel))

    assert channel.authorizations == ["Bearer token-0", "Bearer token-1"]
    channel.fail("conv-1", 401)
    with pytest.raises(ChannelError) as refused:
        await connector(session, credentials, Sleeps()).send(reply(channel))
    assert refused.value.status == 401


async def test_no_answer_is_retried(session: aiohttp.ClientSession) -> None:
    sleeps = Sleeps()
    activity = Activity(
        type="message", service_url="http://127.0.0.1:9", conversation=ConversationAccount(id="c")
    )

    with pytest.raises(ChannelError) as refused:
        await connector(session, Credentials(), sleeps).send(activity)

    assert refused.value.status is None
    assert len(sleeps.waits) == 3


async def test_update_delete_and_member(
    channel: FakeChannel, session: aiohttp.ClientSession
) -> None:
    channel.members["29:lotte"] = {"id": "29:lotte", "email": "lotte@aarhus.dk"}
    client = connector(session, Credentials(), Sleeps())
    activity = reply(channel, "a:1Xyz;messageid=17")
    activity.id = "17"

    await client.update(activity)
    await client.delete(channel.url, "a:1Xyz;messageid=17", "17")
    member = await client.member(channel.url, "a:1Xyz;messageid=17", "29:lotte")

    assert channel.updates[0][0] == "17" and channel.updates[0][1]["text"] == "Hej"
    assert channel.deletions == ["17"]
    assert member["email"] == "lotte@aarhus.dk"
