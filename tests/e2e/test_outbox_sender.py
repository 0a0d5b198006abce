"""The outbox sender through the real app's adapter to a scripted fake channel.

Every reachable recipient gets exactly one copy through refusals (429 + Retry-After, 502),
cancellations, restarts and two senders on one PostgreSQL outbox; the unreachable (403, 404, no
conversation reference, attempts used up) are reported; pacing holds on recorded timestamps.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import (
    OUTBOX_SENDER,
    Components,
    build_components,
    create_app,
    create_channel_link,
    prepare_database,
)
from bot.settings import Settings
from bot.workers.outbox_sender import OutboxSender
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.unit_of_work import SqlUnitOfWork
from tests.e2e.fake_channel import FakeChannel
from tests.e2e.test_http_app import settings_for
from tests.storage.conftest import POSTGRES_URL_VARIABLE, fresh_schema
from traef.outbox import Broadcast, DeliveryReport, MessageStatus, OutboxMessage
from traef.pacing import DEFAULT_LIMITS, PacingLimits, Rate, RetryPolicy
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork
from traef.services import ensure_demo_event

FAST_RETRIES = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2)
FAST = PacingLimits(per_conversation=Rate(100), per_app=Rate(500))


def now() -> datetime:
    return datetime.now(UTC)


def who(i: int) -> ChannelIdentity:
    return ChannelIdentity("emulator", f"user-{i}")


def reference(channel: FakeChannel, i: int) -> dict[str, Any]:
    return {
        "channelId": "emulator",
        "serviceUrl": channel.url,
        "conversation": {"id": f"conv-{i}"},
        "user": {"id": f"user-{i}"},
        "bot": {"id": "bot-1", "name": "Træfbot"},
    }


async def components_for(settings: Settings) -> Components:
    components = build_components(settings, create_channel_link(settings).adapter, now)
    await prepare_database(components)
    return components


async def enqueue(
    uow_factory: Callable[[], UnitOfWork],
    channel: FakeChannel,
    recipients: Sequence[int],
    *,
    copies: int = 1,
    without_reference: Sequence[int] = (),
) -> int:
    """A broadcast of `copies` messages to each recipient; returns its id."""
    uow = uow_factory()
    async with uow:
        for i in recipients:
            if i not in without_reference:
                await uow.conversations.save(who(i), reference(channel, i))
        event = await uow.events.current(now().date())
        event_id = event.id if event is not None and event.id is not None else 1
        broadcast = Broadcast(event_id, "facilitator", now(), "alle")
        messages = [
            OutboxMessage(who(i), {"text": f"besked {n} til {i}"}, idempotency_key=f"{i}:{n}")
            for i in recipients
            for n in range(copies)
        ]
        stored = await uow.outbox.add_broadcast(broadcast, messages)
        await uow.commit()
    assert stored.id is not None
    return stored.id


async def report(uow_factory: Callable[[], UnitOfWork], broadcast_id: int) -> DeliveryReport:
    uow = uow_factory()
    async with uow:
        return await uow.outbox.report(broadcast_id)


async def drain(
    senders: Sequence[OutboxSender],
    uow_factory: Callable[[], UnitOfWork],
    broadcast_id: int,
    timeout: float = 20,
) -> DeliveryReport:
    """Tick the senders side by side until the broadcast is done."""

    async def run() -> DeliveryReport:
        while not (done := await report(uow_factory, broadcast_id)).done:
            if sum(await asyncio.gather(*(s.tick() for s in senders))) == 0:
                await asyncio.sleep(0.02)
        return done

    return await asyncio.wait_for(run(), timeout)


def copies_per_conversation(channel: FakeChannel) -> Counter[str]:
    return Counter(path.split("/")[3] for path, _ in channel.received)


def texts(channel: FakeChannel) -> Counter[str]:
    return Counter(body["text"] for _, body in channel.received)


def assert_paced(times: Sequence[float], rate: Rate, tolerance: float = 1e-6) -> None:
    """Token-bucket conformance: any k consecutive messages span ≥ (k − capacity) / rate."""
    times = sorted(times)
    for i in range(len(times)):
        for j in range(i + rate.capacity, len(times)):
            needed = (j - i + 1 - rate.capacity) / rate.per_second
            assert times[j] - times[i] >= needed - tolerance, (i, j, times[j] - times[i], needed)


@pytest.fixture
async def components(tmp_path: Path) -> AsyncIterator[Components]:
    components = await components_for(settings_for(tmp_path))
    yield components
    await components.close()


async def test_the_app_runs_a_sender_that_delivers_a_broadcast(
    tmp_path: Path, channel: FakeChannel
) -> None:
    settings = settings_for(tmp_path)
    app = create_app(settings, clock=now)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        assert (await client.get("/healthz")).status == 200
        assert isinstance(app[OUTBOX_SENDER], OutboxSender)
        components = await components_for(settings)
        try:
            broadcast_id = await enqueue(components.uow_factory, channel, range(3))
            await channel.wait_for(3)  # the app's own sender, on its own loop
            for _ in range(50):
                if (done := await report(components.uow_factory, broadcast_id)).done:
                    break
                await asyncio.sleep(0.1)
            assert done.sent == 3
        finally:
            await components.close()
    finally:
        await client.close()
    assert sorted(texts(channel)) == [f"besked 0 til {i}" for i in range(3)]


async def test_refusals_are_retried_or_reported_and_each_reachable_gets_one_copy(
    components: Components, channel: FakeChannel
) -> None:
    for i in (0, 1, 2):
        channel.fail(f"conv-{i}", 403)  # the bot was blocked or uninstalled
    channel.fail("conv-3", 404)
    for i in (4, 5, 6):
        channel.fail(f"conv-{i}", 502, times=1)
    for i in (7, 8, 9):
        channel.fail(f"conv-{i}", 429, times=2, retry_after=0.3)
    channel.fail("conv-10", 503)  # never comes back: given up after FAST_RETRIES.max_attempts
    recipients = range(30)
    broadcast_id = await enqueue(
        components.uow_factory, channel, recipients, without_reference=[11]
    )
    sender = OutboxSender(components, limits=FAST, policy=FAST_RETRIES, batch=8)

    done = await drain([sender], components.uow_factory, broadcast_id)

    reachable = [i for i in recipients if i not in (0, 1, 2, 3, 10, 11)]
    assert copies_per_conversation(channel) == {f"conv-{i}": 1 for i in reachable}
    assert done.sent == len(reachable)
    assert done.count(MessageStatus.UNDELIVERABLE) == 5  # 403 ×3, 404, no reference
    assert done.count(MessageStatus.FAILED) == 1
    assert set(done.unreached) == {who(i) for i in (0, 1, 2, 3, 10, 11)}
    assert len([a for a in channel.attempts if a.conversation == "conv-10"]) == 4
    assert len([a for a in channel.attempts if a.conversation == "conv-0"]) == 1  # at once
    for i in (7, 8, 9):  # Retry-After honoured
        tries = [a.at for a in channel.attempts if a.conversation == f"conv-{i}"]
        assert len(tries) == 3
        assert tries[1] - tries[0] >= 0.29 and tries[2] - tries[1] >= 0.29


async def test_pacing_on_a_controlled_clock_with_the_teams_defaults(
    components: Components,
) -> None:
    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

        async def sleep(self, seconds: float) -> None:
            self.now += seconds
            await asyncio.sleep(0)

    clock = Clock()
    channel = FakeChannel(clock=clock)
    await channel.server.start_server()
    try:
        broadcast_id = await enqueue(components.uow_factory, channel, [0], copies=30)
        others = await enqueue(components.uow_factory, channel, range(1, 121))
        sender = OutboxSender(
            components,
            monotonic=clock,
            sleep=clock.sleep,
            limits=DEFAULT_LIMITS["msteams"],
            batch=200,
            concurrency=1,  # one at a time: the channel sees the time the pacer let it go at
        )
        await drain([sender], components.uow_factory, broadcast_id)
        assert (await report(components.uow_factory, others)).sent == 120
    finally:
        await channel.server.close()
    assert len(channel.received) == 150
    assert_paced(channel.times("conv-0"), Rate(7))
    assert_paced([a.at for a in channel.attempts], Rate(50))
    assert clock.now >= (150 - 50) / 50


async def test_pacing_in_real_time_with_low_rates(
    components: Components, channel: FakeChannel
) -> None:
    limits = PacingLimits(per_conversation=Rate(5, burst=1), per_app=Rate(25, burst=2))
    broadcast_id = await enqueue(components.uow_factory, channel, [0], copies=6)
    others = await enqueue(components.uow_factory, channel, range(1, 21))
    sender = OutboxSender(components, limits={"emulator": limits}, batch=50)

    await drain([sender], components.uow_factory, others)
    assert (await drain([sender], components.uow_factory, broadcast_id)).sent == 6

    assert len(channel.received) == 26
    assert_paced(channel.times("conv-0"), limits.per_conversation, tolerance=0.02)
    assert_paced([a.at for a in channel.attempts], Rate(25, burst=2), tolerance=0.02)


async def test_a_cancelled_sender_and_a_restart_lose_nothing_and_send_nothing_twice(
    tmp_path: Path, channel: FakeChannel
) -> None:
    settings = settings_for(tmp_path)
    first = await components_for(settings)
    channel.fail_first_attempts(0.2, 429, retry_after=0.2)
    limits = PacingLimits(per_conversation=Rate(100), per_app=Rate(60))
    broadcast_id = await enqueue(first.uow_factory, channel, range(60))
    sender = OutboxSender(first, limits=limits, policy=FAST_RETRIES, batch=20, idle_seconds=0.02)
    await sender.start()
    await channel.wait_for(15)
    await sender.stop()  # mid-broadcast: what was being sent is marked, the rest handed back
    partway = await report(first.uow_factory, broadcast_id)
    assert 15 <= partway.sent < 60
    assert partway.count(MessageStatus.SENDING) == 0
    assert partway.sent == len(channel.received)

    # Another sender task in the same process picks up; then cancel it from outside, too.
    second = OutboxSender(first, limits=limits, policy=FAST_RETRIES, batch=20)
    tick = asyncio.create_task(second.tick())
    await channel.wait_for(partway.sent + 5)
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick
    await second.drain()
    await first.close()

    # The process restarts: new components on the same SQLite file, a new worker id.
    restarted = await components_for(settings)
    try:
        # A sender killed with -9 leaves claimed rows behind: they come back after the lease.
        uow = restarted.uow_factory()
        async with uow:
            orphans = await uow.outbox.claim("dead-worker", now(), 5, 60)
            await uow.commit()

        def later() -> datetime:
            return now() + timedelta(seconds=61)

        third = OutboxSender(restarted, limits=limits, policy=FAST_RETRIES, clock=later)
        done = await drain([third], restarted.uow_factory, broadcast_id)
    finally:
        await restarted.close()
    assert len(orphans) == 5
    assert done.sent == 60
    assert copies_per_conversation(channel) == {f"conv-{i}": 1 for i in range(60)}


@pytest.fixture
async def postgres_url() -> AsyncIterator[tuple[str, dict[str, Any]]]:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} not set: the PostgreSQL outbox sender test skipped")
    async with fresh_schema(url) as schema:
        yield url, {"server_settings": {"search_path": schema}}


async def test_two_senders_with_their_own_connections_drain_one_postgresql_outbox(
    tmp_path: Path, channel: FakeChannel, postgres_url: tuple[str, dict[str, Any]]
) -> None:
    url, connect_args = postgres_url
    await upgrade_database(url, connect_args=connect_args)
    engines = [create_engine(url, connect_args=connect_args) for _ in range(2)]
    local = await components_for(settings_for(tmp_path))  # for its adapter
    try:
        processes = []
        for engine in engines:
            sessions = create_session_factory(engine)

            def uow_factory(sessions: Any = sessions) -> UnitOfWork:
                return SqlUnitOfWork(sessions)

            processes.append(replace(local, engine=engine, uow_factory=uow_factory))
        await ensure_demo_event(processes[0].uow_factory(), now())
        channel.fail_first_attempts(0.1, 502)
        broadcast_id = await enqueue(processes[0].uow_factory, channel, range(200))
        senders = [OutboxSender(p, limits=FAST, policy=FAST_RETRIES, batch=10) for p in processes]
        done = await drain(senders, processes[1].uow_factory, broadcast_id, timeout=60)
    finally:
        for engine in engines:
            await engine.dispose()
        await local.close()
    assert done.sent == 200
    assert copies_per_conversation(channel) == {f"conv-{i}": 1 for i in range(200)}
    claimed_by = Counter(a.conversation for a in channel.attempts)
    assert sum(claimed_by.values()) >= 200
