"""Broadcasts reach people on Slack: a facilitator's broadcast leaves through each conversation's
own channel (Slack's Web API for Slack people, the Bot Framework for Teams people), paced at
Slack's 1 message a second per channel, with Slack's refusals read for what they mean.

The first test is a transcript through the real app: signed Slack requests in, the fake Slack
Web API and the fake Teams channel recording what the bot sends. The others drive the outbox
sender itself over the app's adapters, on a real clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import Components, build_components, create_channel_link, prepare_database
from bot.http_client import SharedSession
from bot.slack.activities import SLACK
from bot.slack.link import create_slack_link
from bot.workers.outbox_sender import OutboxSender
from tests.e2e.fake_channel import FakeChannel
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import (
    IM,
    PERSON,
    SECRET,
    TOKEN,
    direct_message,
    event_body,
    post_event,
    turns_done,
)
from tests.e2e.test_http_app import serve, settings_for
from traef.outbox import Broadcast, DeliveryReport, MessageStatus, OutboxMessage
from traef.pacing import DEFAULT_LIMITS, RetryPolicy
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork

HELLE, HELLE_IM = "U0HELLE01", "D0HELLE01"  # the facilitator
TEAMS_PERSON = ChannelIdentity("msteams", "29:1niels-rask")
FAST_RETRIES = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2)
NEWS = "Vi starter igen kl. 11.20 – husk kameraet"


class SlackChat:
    """One person writing to the bot in their Slack direct messages."""

    def __init__(self, client: TestClient[Any, Any], slack: FakeSlack, user: str, im: str):
        self.client, self.slack, self.user, self.im = client, slack, user, im
        self._sent = 0

    async def say(self, text: str) -> list[str]:
        """Send `text`; the texts the bot posted back in this conversation."""
        self._sent += 1
        ts = f"1763800{self._sent:03d}.{self.user[-2:]}0000"
        event = direct_message(text, ts=ts, user=self.user, channel=self.im)
        before = len(self._posts())
        response = await post_event(self.client, event_body(event, f"Ev{self.user}{self._sent}"))
        assert response.status == 200
        await turns_done(self.client)
        return self._posts()[before:]

    def _posts(self) -> list[str]:
        posts = self.slack.called("chat.postMessage")
        return [str(args.get("text", "")) for _, args in posts if args.get("channel") == self.im]


def teams_reference(channel: FakeChannel) -> dict[str, Any]:
    return {
        "channelId": "msteams",
        "serviceUrl": channel.url,
        "conversation": {"id": "a:1niels", "conversationType": "personal"},
        "user": {"id": TEAMS_PERSON.user_id, "name": "Niels Rask"},
        "bot": {"id": "28:traefbot", "name": "Træfbot"},
    }


async def save_reference(
    components: Components, identity: ChannelIdentity, reference: dict[str, Any]
) -> None:
    uow = components.uow_factory()
    async with uow:
        await uow.conversations.save(identity, reference)
        await uow.commit()


async def test_a_facilitator_on_slack_broadcasts_to_slack_and_teams_alike(
    tmp_path: Path, slack: FakeSlack, channel: FakeChannel
) -> None:
    settings = settings_for(
        tmp_path,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=slack.url,
        facilitators=HELLE,
    )
    client = await serve(settings)
    components = await components_for(settings)
    try:
        lotte = SlackChat(client, slack, PERSON, IM)
        helle = SlackChat(client, slack, HELLE, HELLE_IM)
        assert await lotte.say("hej")  # the bot now knows where to write to Lotte
        await save_reference(components, TEAMS_PERSON, teams_reference(channel))

        preview = "\n".join(await helle.say(f"send til alle: {NEWS}"))
        assert "**Udsendelse til alle** – 3 modtagere:" in preview or (
            "*Udsendelse til alle* – 3 modtagere:" in preview
        )
        assert not [a for _, a in slack.called("chat.postMessage") if a.get("text") == NEWS]

        confirmed = "\n".join(await helle.say("ja"))
        assert "Udsendelsen er sat i gang til 3 modtagere." in confirmed

        news = await posted_news(slack, 2)  # through Slack's Web API, in each one's DM
        assert sorted(a["channel"] for a in news) == [HELLE_IM, IM]
        teams = await channel.wait_for(1)
        assert [body["text"] for _, body in teams] == [NEWS]

        status = "\n".join(await helle.say("status på udsendelsen"))
        assert "3 sendt, 0 venter, 0 ikke nået" in status
    finally:
        await components.close()
        await client.close()


async def posted_news(slack: FakeSlack, count: int) -> list[dict[str, Any]]:
    """The posts of NEWS, once `count` have arrived (the app's outbox sender sends them)."""
    for _ in range(100):
        news = [a for _, a in slack.called("chat.postMessage") if a.get("text") == NEWS]
        if len(news) >= count:
            return news
        await asyncio.sleep(0.1)
    raise AssertionError(f"{count} posts of the broadcast did not arrive")


async def components_for(settings: Any) -> Components:
    components = build_components(settings, create_channel_link(settings).adapter, now)
    await prepare_database(components)
    return components


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
async def slack_components(tmp_path: Path, slack: FakeSlack) -> AsyncIterator[Components]:
    """The app's parts with Slack attached, as `bot.app.create_app` makes them."""
    settings = settings_for(
        tmp_path, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=slack.url
    )
    components = await components_for(settings)
    session = SharedSession()
    link = create_slack_link(settings, session)
    components.attach(SLACK, link.adapter)
    yield components
    await session.close()
    await components.close()


def slack_person(i: int) -> ChannelIdentity:
    return ChannelIdentity(SLACK, f"U0PERSON{i}")


def slack_reference(i: int) -> dict[str, Any]:
    return {
        "channelId": SLACK,
        "conversation": {"id": f"D0PERSON{i}", "conversationType": "personal", "isGroup": False},
        "user": {"id": f"U0PERSON{i}", "role": "user"},
        "bot": {"id": "UB0T00001", "role": "bot"},
    }


async def queue(components: Components, messages: list[tuple[int, str]]) -> int:
    """A broadcast of `messages` (person number, text) to Slack people; returns its id."""
    uow = components.uow_factory()
    async with uow:
        for i in {i for i, _ in messages}:
            await uow.conversations.save(slack_person(i), slack_reference(i))
        broadcast = Broadcast(1, "facilitator", now(), "alle")
        stored = await uow.outbox.add_broadcast(
            broadcast,
            [
                OutboxMessage(slack_person(i), {"text": text}, idempotency_key=f"{i}:{n}")
                for n, (i, text) in enumerate(messages)
            ],
        )
        await uow.commit()
    assert stored.id is not None
    return stored.id


async def drain(sender: OutboxSender, components: Components, broadcast: int) -> DeliveryReport:
    async def run() -> DeliveryReport:
        while not (done := await report(components.uow_factory(), broadcast)).done:
            if await sender.tick() == 0:
                await asyncio.sleep(0.02)
        return done

    return await asyncio.wait_for(run(), 20)


async def report(uow: UnitOfWork, broadcast: int) -> DeliveryReport:
    async with uow:
        return await uow.outbox.report(broadcast)


async def outcomes(components: Components, broadcast: int) -> dict[str, tuple[MessageStatus, int]]:
    """Each person's message: its status and how many attempts it took."""
    uow = components.uow_factory()
    async with uow:
        messages = await uow.outbox.messages_of(broadcast)
    return {m.identity.user_id: (m.status, m.attempts) for m in messages}


async def test_slack_messages_to_one_channel_go_one_a_second(
    slack_components: Components, slack: FakeSlack
) -> None:
    sender = OutboxSender(slack_components, policy=FAST_RETRIES)  # the default limits
    broadcast = await queue(slack_components, [(1, "første"), (1, "anden"), (1, "tredje")])
    done = await drain(sender, slack_components, broadcast)
    assert done.counts[MessageStatus.SENT] == 3
    times = [t for method, t in slack.attempts if method == "chat.postMessage"]
    assert len(times) == 3
    per_second = DEFAULT_LIMITS[SLACK].per_conversation.per_second
    assert per_second == 1
    assert times[1] - times[0] >= 0.95 and times[2] - times[1] >= 0.95
    posted = [(a["channel"], a["text"]) for _, a in slack.called("chat.postMessage")]
    assert sorted(posted) == sorted(
        [("D0PERSON1", "første"), ("D0PERSON1", "anden"), ("D0PERSON1", "tredje")]
    )


async def test_slack_refusals_are_read_for_what_they_mean(
    slack_components: Components, slack: FakeSlack
) -> None:
    """Gone for good (a deactivated account): undeliverable at once, not tried again. Slack's
    trouble: tried again. Rate limited: tried again after Slack's Retry-After, by the outbox
    (the Web API client does not wait inside the send). Everyone reachable gets one copy."""
    slack.fail_next("chat.postMessage", "account_inactive", channel="D0PERSON1")
    slack.fail_next("chat.postMessage", "internal_error", channel="D0PERSON2")
    slack.rate_limit_next("chat.postMessage", 1)
    sender = OutboxSender(slack_components, policy=FAST_RETRIES)
    broadcast = await queue(slack_components, [(1, "til 1"), (2, "til 2"), (3, "til 3")])
    done = await drain(sender, slack_components, broadcast)
    assert (done.counts[MessageStatus.SENT], done.counts[MessageStatus.UNDELIVERABLE]) == (2, 1)
    attempts = [a["channel"] for m, a in slack.calls if m == "chat.postMessage"]
    assert attempts.count("D0PERSON1") == 1  # not tried again
    assert attempts.count("D0PERSON2") == 2  # once refused, once sent
    found = await outcomes(slack_components, broadcast)
    assert {user: status for user, (status, _) in found.items()} == {
        "U0PERSON1": MessageStatus.UNDELIVERABLE,
        "U0PERSON2": MessageStatus.SENT,
        "U0PERSON3": MessageStatus.SENT,
    }
    # One try each, one more after internal_error, one more after the 429: the outbox's own.
    assert sum(tries for _, tries in found.values()) == 5
    assert len([m for m, _ in slack.attempts if m == "chat.postMessage"]) == 5
