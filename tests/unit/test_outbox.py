"""The outbox's rules: what is claimable, what a report says; and the fake outbox keeps them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes import FakeUnitOfWork
from traef.outbox import (
    Broadcast,
    DeliveryReport,
    MessageStatus,
    OutboxMessage,
    idempotency_key,
    is_claimable,
)
from traef.participants import ChannelIdentity

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LEASE = 60.0
ANNA = ChannelIdentity("msteams", "29:anna")
BO = ChannelIdentity("slack", "U0BO")
CARL = ChannelIdentity("msteams", "29:carl")


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def broadcast(send_at: datetime | None = None, id: int | None = 1) -> Broadcast:
    return Broadcast(1, "Helle", NOW, "alle", send_at=send_at, id=id)


def hello(identity: ChannelIdentity) -> OutboxMessage:
    return OutboxMessage(identity, {"text": "Hej"})


async def added(uow: FakeUnitOfWork, *identities: ChannelIdentity) -> Broadcast:
    async with uow:
        stored = await uow.outbox.add_broadcast(broadcast(id=None), [hello(i) for i in identities])
        await uow.commit()
    return stored


async def claim(uow: FakeUnitOfWork, worker: str, now: datetime = NOW) -> list[OutboxMessage]:
    async with uow:
        claimed = await uow.outbox.claim(worker, now, 10, LEASE)
        await uow.commit()
    return claimed


def test_a_message_is_enqueued_with_its_broadcast() -> None:
    enqueued = hello(ANNA).enqueued(broadcast(send_at=later(600)))
    assert (enqueued.broadcast_id, enqueued.idempotency_key) == (1, "1:msteams:29:anna")
    assert (enqueued.status, enqueued.attempts, enqueued.next_attempt_at) == (
        MessageStatus.PENDING,
        0,
        later(600),
    )
    keyed = OutboxMessage(ANNA, {}, idempotency_key="change:4:anna").enqueued(broadcast())
    assert (keyed.idempotency_key, keyed.next_attempt_at) == ("change:4:anna", NOW)
    assert idempotency_key(7, BO) == "7:slack:U0BO"
    with pytest.raises(ValueError):
        hello(ANNA).enqueued(broadcast(id=None))


def test_what_is_claimable() -> None:
    pending = hello(ANNA).enqueued(broadcast())
    assert is_claimable(pending, broadcast(), NOW)
    assert not is_claimable(pending, broadcast(send_at=later(1)), NOW)
    assert not is_claimable(pending, Broadcast(1, "H", NOW, "alle", cancelled_at=NOW, id=1), NOW)
    retried = OutboxMessage(ANNA, {}, "k", 1, next_attempt_at=later(5))
    assert not is_claimable(retried, broadcast(), later(4))
    assert is_claimable(retried, broadcast(), later(5))
    sending = OutboxMessage(ANNA, {}, "k", 1, MessageStatus.SENDING, lease_until=later(60))
    assert not is_claimable(sending, broadcast(), later(59))
    assert is_claimable(sending, broadcast(), later(60))
    for status in (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.CANCELLED):
        assert not is_claimable(OutboxMessage(ANNA, {}, "k", 1, status), broadcast(), later(999))


def test_a_report_counts_and_names_who_was_not_reached() -> None:
    statuses = [
        (CARL, MessageStatus.FAILED),
        (ANNA, MessageStatus.UNDELIVERABLE),
        (BO, MessageStatus.SENT),
        (BO, MessageStatus.SENDING),
        (BO, MessageStatus.PENDING),
        (BO, MessageStatus.CANCELLED),
    ]
    report = DeliveryReport.of(1, (OutboxMessage(i, {}, status=s) for i, s in statuses))
    assert (report.sent, report.pending, report.failed, report.cancelled) == (1, 2, 2, 1)
    assert (report.total, report.done) == (6, False)
    assert report.unreached == (ANNA, CARL)
    assert report.counts[MessageStatus.UNDELIVERABLE] == 1
    assert DeliveryReport.of(1, []).done


async def test_the_fake_outbox_keeps_only_what_is_committed() -> None:
    uow = FakeUnitOfWork()
    async with uow:
        await uow.outbox.add_broadcast(broadcast(id=None), [hello(ANNA)])
    async with uow:
        assert await uow.outbox.latest_broadcast(1) is None
    stored = await added(uow, ANNA, BO, ANNA)
    assert stored.id == 1
    assert uow.committed_broadcasts == [stored]
    assert [m.identity for m in uow.committed_outbox] == [ANNA, BO]  # one per key
    async with uow:
        assert await uow.outbox.get_broadcast(1) == stored
        assert await uow.outbox.latest_broadcast(1) == stored


async def test_the_fake_outbox_claims_once_and_takes_a_dead_senders_messages_back() -> None:
    uow = FakeUnitOfWork()
    await added(uow, ANNA, BO)
    anna, bo = await claim(uow, "w1")
    assert (anna.status, anna.claimed_by, anna.lease_until, anna.attempts) == (
        MessageStatus.SENDING,
        "w1",
        later(LEASE),
        1,
    )
    assert await claim(uow, "w2", later(LEASE - 1)) == []
    assert anna.id is not None and bo.id is not None
    async with uow:
        assert await uow.outbox.mark_sent(anna.id, "w1", later(1))
        await uow.commit()
    [again] = await claim(uow, "w2", later(LEASE))
    assert (again.id, again.claimed_by, again.attempts) == (bo.id, "w2", 2)
    async with uow:
        assert not await uow.outbox.mark_sent(bo.id, "w1", later(61))  # taken over
        assert not await uow.outbox.mark_sent(anna.id, "w1", later(61))  # sent already
        assert await uow.outbox.mark_final(bo.id, "w2", MessageStatus.UNDELIVERABLE, "HTTP 403")
        with pytest.raises(ValueError):
            await uow.outbox.mark_final(bo.id, "w2", MessageStatus.SENT, "")
        report = await uow.outbox.report(1)
    assert (report.sent, report.failed, report.unreached) == (1, 1, (BO,))


async def test_the_fake_outbox_retries_when_due() -> None:
    uow = FakeUnitOfWork()
    await added(uow, ANNA)
    [anna] = await claim(uow, "w1")
    assert anna.id is not None
    async with uow:
        assert await uow.outbox.mark_retry(anna.id, "w1", later(30), "HTTP 502")
        await uow.commit()
    assert await claim(uow, "w1", later(29)) == []
    [again] = await claim(uow, "w1", later(30))
    assert (again.attempts, again.last_error) == (2, "HTTP 502")


async def test_the_fake_outbox_cancels_what_is_not_being_sent() -> None:
    uow = FakeUnitOfWork()
    await added(uow, ANNA, BO)
    async with uow:
        [anna] = await uow.outbox.claim("w1", NOW, 1, LEASE)
        await uow.commit()
    assert anna.id is not None
    async with uow:
        assert await uow.outbox.cancel(1, later(1)) == 1
        assert await uow.outbox.mark_retry(anna.id, "w1", later(5), "HTTP 503")
        await uow.commit()
        report = await uow.outbox.report(1)
        cancelled = await uow.outbox.get_broadcast(1)
    assert (report.cancelled, report.pending) == (2, 0)
    assert cancelled is not None and cancelled.cancelled_at == later(1)
    assert await claim(uow, "w2", later(3600)) == []
