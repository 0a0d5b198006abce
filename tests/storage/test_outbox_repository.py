"""SqlOutboxRepository: every message is claimed by one sender, sent once, and accounted for."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import EventRow, OutboxRow
from storage.unit_of_work import SqlUnitOfWork
from traef.outbox import Broadcast, BroadcastKind, MessageStatus, OutboxMessage
from traef.participants import ChannelIdentity
from traef.programme import Event

DAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LEASE = 60.0


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def people(count: int, channel: str = "msteams") -> list[ChannelIdentity]:
    return [ChannelIdentity(channel, f"29:user{n:04}") for n in range(count)]


def messages(identities: list[ChannelIdentity]) -> list[OutboxMessage]:
    return [OutboxMessage(identity, {"text": f"Hej {identity.user_id}"}) for identity in identities]


@pytest.fixture
async def event_id(uow: SqlUnitOfWork) -> int:
    async with uow:
        event = await uow.events.add(Event("Træf", DAY, DAY))
        await uow.commit()
    assert event.id is not None
    return event.id


async def add(
    uow: SqlUnitOfWork,
    event_id: int,
    count: int,
    kind: BroadcastKind = BroadcastKind.BROADCAST,
    send_at: datetime | None = None,
) -> Broadcast:
    broadcast = Broadcast(event_id, "Helle", NOW, "alle", kind, send_at)
    async with uow:
        stored = await uow.outbox.add_broadcast(broadcast, messages(people(count)))
        await uow.commit()
    return stored


async def claim(
    uow: SqlUnitOfWork, worker: str, now: datetime = NOW, limit: int = 100
) -> list[OutboxMessage]:
    async with uow:
        claimed = await uow.outbox.claim(worker, now, limit, LEASE)
        await uow.commit()
    return claimed


async def test_a_broadcast_is_stored_with_its_messages_in_the_unit_of_work(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    broadcast = Broadcast(event_id, "Helle", NOW, "alle", BroadcastKind.PROGRAMME_CHANGE)
    async with uow:
        await uow.outbox.add_broadcast(broadcast, messages(people(3)))
    async with uow:  # not committed: gone
        assert await uow.outbox.latest_broadcast(event_id) is None

    stored = await add(uow, event_id, 3, BroadcastKind.PROGRAMME_CHANGE)
    assert stored.id is not None
    async with uow:
        assert await uow.outbox.get_broadcast(stored.id) == stored
        assert await uow.outbox.latest_broadcast(event_id) == stored
        assert await uow.outbox.get_broadcast(stored.id + 1) is None
        report = await uow.outbox.report(stored.id)
    assert (report.total, report.pending, report.sent) == (3, 3, 0)

    [first, *_] = await claim(uow, "w1")
    assert first.idempotency_key == f"{stored.id}:msteams:29:user0000"
    assert (first.broadcast_id, first.identity, first.body) == (
        stored.id,
        ChannelIdentity("msteams", "29:user0000"),
        {"text": "Hej 29:user0000"},
    )


async def test_a_message_is_stored_once_per_idempotency_key(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    anna, bo = people(2)
    keyed = [OutboxMessage(anna, {"text": "a"}, idempotency_key="change:7:anna")]
    async with uow:
        broadcast = Broadcast(event_id, "Helle", NOW, "alle")
        first = await uow.outbox.add_broadcast(broadcast, [*messages([anna, bo, anna]), *keyed])
        second = await uow.outbox.add_broadcast(broadcast, [*keyed, *messages([anna])])
        await uow.commit()
    assert first.id is not None and second.id is not None
    async with uow:
        assert (await uow.outbox.report(first.id)).total == 3
        assert (await uow.outbox.report(second.id)).total == 1  # the keyed one was there


async def test_claiming_takes_due_messages_oldest_first_once(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    broadcast = await add(uow, event_id, 5)
    first = await claim(uow, "w1", limit=3)
    assert [m.identity.user_id for m in first] == ["29:user0000", "29:user0001", "29:user0002"]
    assert {(m.status, m.claimed_by, m.lease_until, m.attempts) for m in first} == {
        (MessageStatus.SENDING, "w1", later(LEASE), 1)
    }
    second = await claim(uow, "w2", limit=3)
    assert [m.identity.user_id for m in second] == ["29:user0003", "29:user0004"]
    assert await claim(uow, "w3") == []
    async with uow:
        assert broadcast.id is not None
        report = await uow.outbox.report(broadcast.id)
    assert (report.counts[MessageStatus.SENDING], report.pending) == (5, 5)


async def test_a_scheduled_broadcast_is_claimed_from_its_time(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    await add(uow, event_id, 2, send_at=later(3600))
    assert await claim(uow, "w1", later(3599)) == []
    assert len(await claim(uow, "w1", later(3600))) == 2


async def test_sent_retried_and_given_up(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession], event_id: int
) -> None:
    broadcast = await add(uow, event_id, 3)
    anna, bo, carl = await claim(uow, "w1")
    assert anna.id is not None and bo.id is not None and carl.id is not None
    async with uow:
        assert await uow.outbox.mark_sent(anna.id, "w1", later(1))
        assert await uow.outbox.mark_retry(bo.id, "w1", later(30), "HTTP 502")
        assert await uow.outbox.mark_final(carl.id, "w1", MessageStatus.UNDELIVERABLE, "HTTP 403")
        with pytest.raises(ValueError):
            await uow.outbox.mark_final(carl.id, "w1", MessageStatus.SENT, "")
        await uow.commit()

    assert await claim(uow, "w2", later(29)) == []
    [again] = await claim(uow, "w2", later(30))
    assert (again.id, again.attempts, again.last_error) == (bo.id, 2, "HTTP 502")
    async with uow:
        assert await uow.outbox.mark_final(bo.id, "w2", MessageStatus.FAILED, "gave up")
        await uow.commit()
        assert broadcast.id is not None
        report = await uow.outbox.report(broadcast.id)
    assert (report.sent, report.failed, report.pending, report.done) == (1, 2, 0, True)
    assert report.unreached == (bo.identity, carl.identity)
    async with session_factory() as session:
        sent = await session.get(OutboxRow, anna.id)
    assert sent is not None and (sent.sent_at, sent.claimed_by) == (later(1), "w1")


async def test_only_the_sender_holding_the_claim_marks_a_message(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    await add(uow, event_id, 1)
    [message] = await claim(uow, "w1")
    assert message.id is not None
    async with uow:
        assert not await uow.outbox.mark_sent(message.id, "w2", NOW)
        assert not await uow.outbox.mark_retry(message.id, "w2", NOW, "x")
        assert not await uow.outbox.mark_final(message.id, "w2", MessageStatus.FAILED, "x")
        assert not await uow.outbox.mark_sent(message.id + 1, "w1", NOW)
        assert await uow.outbox.mark_sent(message.id, "w1", NOW)
        assert not await uow.outbox.mark_sent(message.id, "w1", NOW)  # sent already
        assert not await uow.outbox.mark_retry(message.id, "w1", NOW, "x")


async def test_a_message_whose_sender_died_comes_back_after_the_lease(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    await add(uow, event_id, 1)
    [lost] = await claim(uow, "w1")
    assert await claim(uow, "w2", later(LEASE - 1)) == []
    [found] = await claim(uow, "w2", later(LEASE))
    assert (found.id, found.claimed_by, found.attempts) == (lost.id, "w2", 2)
    assert found.lease_until == later(2 * LEASE)
    assert lost.id is not None
    async with uow:  # the first sender wakes up: too late to overwrite
        assert not await uow.outbox.mark_retry(lost.id, "w1", NOW, "late")
        assert not await uow.outbox.mark_sent(lost.id, "w1", NOW)
        assert await uow.outbox.mark_sent(lost.id, "w2", later(LEASE + 1))


async def test_a_claim_that_is_rolled_back_is_not_kept(uow: SqlUnitOfWork, event_id: int) -> None:
    await add(uow, event_id, 2)
    async with uow:
        assert len(await uow.outbox.claim("w1", NOW, 10, LEASE)) == 2
    again = await claim(uow, "w2")
    assert [(m.claimed_by, m.attempts) for m in again] == [("w2", 1), ("w2", 1)]


async def test_cancelling_stops_what_is_not_being_sent(uow: SqlUnitOfWork, event_id: int) -> None:
    broadcast = await add(uow, event_id, 6)
    other = await add(uow, event_id, 1)
    assert broadcast.id is not None
    sending, retried, _dead = await claim(uow, "w1", limit=3)
    assert sending.id is not None and retried.id is not None
    async with uow:
        assert await uow.outbox.cancel(broadcast.id, later(1)) == 3  # the three pending
        await uow.commit()
    async with uow:
        assert await uow.outbox.mark_sent(sending.id, "w1", later(2))  # being sent: finishes
        assert await uow.outbox.mark_retry(retried.id, "w1", later(3), "HTTP 503")  # cancelled
        await uow.commit()
    async with uow:
        assert await uow.outbox.cancel(broadcast.id, later(LEASE)) == 1  # the dead sender's
        await uow.commit()
        cancelled = await uow.outbox.get_broadcast(broadcast.id)
        report = await uow.outbox.report(broadcast.id)
    assert cancelled is not None and cancelled.cancelled_at == later(1)
    assert (report.sent, report.cancelled, report.pending) == (1, 5, 0)
    assert [m.broadcast_id for m in await claim(uow, "w2", later(3600))] == [other.id]


@pytest.mark.parametrize("first", ["retry", "cancel"])
async def test_a_retry_at_the_time_of_a_cancel_ends_cancelled(
    session_factory: async_sessionmaker[AsyncSession],
    uow: SqlUnitOfWork,
    event_id: int,
    first: str,
) -> None:
    broadcast = await add(uow, event_id, 1)
    [message] = await claim(uow, "w1")
    assert broadcast.id is not None and message.id is not None
    sender, canceller = SqlUnitOfWork(session_factory), SqlUnitOfWork(session_factory)

    async def retry() -> None:
        assert message.id is not None
        assert await sender.outbox.mark_retry(message.id, "w1", later(5), "HTTP 502")

    async def cancel() -> None:
        assert broadcast.id is not None
        await canceller.outbox.cancel(broadcast.id, later(1))

    async with sender, canceller:
        done_first, then = (retry(), cancel) if first == "retry" else (cancel(), retry)
        holder = sender if first == "retry" else canceller
        await done_first
        waiting = asyncio.create_task(then())  # waits for the first to commit
        await asyncio.sleep(0.2)
        await holder.commit()
        await asyncio.wait_for(waiting, timeout=10)
        await (canceller if first == "retry" else sender).commit()
    async with uow:
        report = await uow.outbox.report(broadcast.id)
    assert (report.cancelled, report.pending) == (1, 0)


async def test_a_report_counts_every_status(uow: SqlUnitOfWork, event_id: int) -> None:
    broadcast = await add(uow, event_id, 4)
    assert broadcast.id is not None
    async with uow:
        report = await uow.outbox.report(broadcast.id)
        assert (await uow.outbox.report(broadcast.id + 99)).total == 0
    assert report.counts == {status: 0 for status in MessageStatus} | {MessageStatus.PENDING: 4}
    assert report.unreached == ()


async def test_deleting_the_event_deletes_its_broadcasts(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession], event_id: int
) -> None:
    await add(uow, event_id, 3)
    async with session_factory() as session, session.begin():
        await session.delete(await session.get(EventRow, event_id))
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxRow)) == 0


async def test_two_senders_drain_one_outbox_without_duplicates_or_losses(
    session_factory: async_sessionmaker[AsyncSession], uow: SqlUnitOfWork, event_id: int
) -> None:
    broadcast = await add(uow, event_id, 300)
    claims: Counter[int] = Counter()
    by_worker: Counter[str] = Counter()

    async def drain(worker: str) -> None:
        own = SqlUnitOfWork(session_factory)  # a connection of its own
        while True:
            async with own:
                claimed = await own.outbox.claim(worker, NOW, 7, LEASE)
                await asyncio.sleep(0.001)  # "sending": the other sender runs meanwhile
                for message in claimed:
                    assert message.id is not None
                    assert await own.outbox.mark_sent(message.id, worker, NOW)
                await own.commit()
            if not claimed:
                return
            claims.update(m.id for m in claimed if m.id is not None)
            by_worker[worker] += len(claimed)

    await asyncio.wait_for(asyncio.gather(drain("w1"), drain("w2")), timeout=30)
    assert len(claims) == 300 and set(claims.values()) == {1}
    assert broadcast.id is not None
    async with uow:
        report = await uow.outbox.report(broadcast.id)
    assert (report.sent, report.total) == (300, 300)
    if session_factory.kw["bind"].dialect.name == "postgresql":
        assert by_worker["w1"] > 0 and by_worker["w2"] > 0


async def test_postgresql_senders_skip_what_another_holds(
    session_factory: async_sessionmaker[AsyncSession], uow: SqlUnitOfWork, event_id: int
) -> None:
    if session_factory.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a second sender waits instead")
    await add(uow, event_id, 4)
    first, second = SqlUnitOfWork(session_factory), SqlUnitOfWork(session_factory)
    async with first, second:
        held = await first.outbox.claim("w1", NOW, 2, LEASE)  # not committed yet
        rest = await asyncio.wait_for(second.outbox.claim("w2", NOW, 10, LEASE), timeout=5)
        assert {m.id for m in held}.isdisjoint({m.id for m in rest})
        assert len(held) + len(rest) == 4
