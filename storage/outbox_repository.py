"""The broadcast outbox over a SQLAlchemy session; implements `traef.ports.OutboxRepository`.

Claiming is atomic on both databases. PostgreSQL locks the due rows it picks with
SELECT … FOR UPDATE SKIP LOCKED, so senders with their own connections pick different rows
at once; SQLite has one writer at a time, and claims with one UPDATE … WHERE id IN (SELECT …)
that reads the rows only once it holds the write lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect_insert import insert_on_conflict
from storage.models import BroadcastRow, OutboxRow
from traef.outbox import (
    UNREACHED_STATUSES,
    Broadcast,
    BroadcastKind,
    DeliveryReport,
    MessageStatus,
    OutboxMessage,
)
from traef.participants import ChannelIdentity

PENDING, SENDING, CANCELLED = MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.CANCELLED


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_broadcast(
        self, broadcast: Broadcast, messages: Sequence[OutboxMessage]
    ) -> Broadcast:
        row = BroadcastRow(
            event_id=broadcast.event_id,
            kind=broadcast.kind.value,
            created_by=broadcast.created_by,
            created_at=broadcast.created_at,
            audience=broadcast.audience,
            send_at=broadcast.send_at,
            cancelled_at=broadcast.cancelled_at,
        )
        self._session.add(row)
        await self._session.flush()
        stored = _broadcast(row)
        if messages:
            insert = insert_on_conflict(self._session, OutboxRow).on_conflict_do_nothing(
                index_elements=[OutboxRow.idempotency_key]
            )
            await self._session.execute(
                insert, [_values(message.enqueued(stored)) for message in messages]
            )
        return stored

    async def claim(
        self, worker_id: str, now: datetime, limit: int, lease_seconds: float
    ) -> list[OutboxMessage]:
        due = (
            select(OutboxRow.id)
            .join(BroadcastRow, BroadcastRow.id == OutboxRow.broadcast_id)
            .where(_claimable(now))
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            locked = due.with_for_update(of=OutboxRow, skip_locked=True)
            ids = list(await self._session.scalars(locked))
            if not ids:
                return []
            chosen = OutboxRow.id.in_(ids)
        else:
            chosen = OutboxRow.id.in_(due.correlate(None).scalar_subquery())
        claim = (
            update(OutboxRow)
            .where(chosen)
            .values(
                status=SENDING.value,
                claimed_by=worker_id,
                lease_until=now + timedelta(seconds=lease_seconds),
                attempts=OutboxRow.attempts + 1,
            )
            .returning(OutboxRow)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        rows = await self._session.scalars(claim)
        return sorted((_message(row) for row in rows), key=lambda m: m.id or 0)

    async def mark_sent(self, message_id: int, worker_id: str, at: datetime) -> bool:
        return await self._finish(
            message_id, worker_id, status=MessageStatus.SENT.value, sent_at=at, lease_until=None
        )

    async def mark_retry(
        self, message_id: int, worker_id: str, next_at: datetime, error: str
    ) -> bool:
        if self._dialect == "postgresql":
            await self._session.execute(_lock_broadcast_of(message_id))
        cancelled = exists().where(
            BroadcastRow.id == OutboxRow.broadcast_id, BroadcastRow.cancelled_at.is_not(None)
        )
        return await self._finish(
            message_id,
            worker_id,
            status=case((cancelled, CANCELLED.value), else_=PENDING.value),
            next_attempt_at=next_at,
            last_error=error,
            claimed_by=None,
            lease_until=None,
        )

    async def mark_final(
        self, message_id: int, worker_id: str, status: MessageStatus, error: str
    ) -> bool:
        if status not in UNREACHED_STATUSES:
            raise ValueError(f"A message is given up as failed or undeliverable, not {status}.")
        return await self._finish(
            message_id, worker_id, status=status.value, last_error=error, lease_until=None
        )

    async def cancel(self, broadcast_id: int, at: datetime) -> int:
        await self._execute(
            update(BroadcastRow)
            .where(BroadcastRow.id == broadcast_id, BroadcastRow.cancelled_at.is_(None))
            .values(cancelled_at=at)
        )
        abandoned = and_(OutboxRow.status == SENDING.value, OutboxRow.lease_until <= at)
        return await self._execute(
            update(OutboxRow)
            .where(
                OutboxRow.broadcast_id == broadcast_id,
                or_(OutboxRow.status == PENDING.value, abandoned),
            )
            .values(status=CANCELLED.value, lease_until=None)
        )

    async def report(self, broadcast_id: int) -> DeliveryReport:
        of_broadcast = OutboxRow.broadcast_id == broadcast_id
        counts = await self._session.execute(
            select(OutboxRow.status, func.count()).where(of_broadcast).group_by(OutboxRow.status)
        )
        unreached = await self._session.execute(
            select(OutboxRow.channel, OutboxRow.user_id)
            .where(of_broadcast, OutboxRow.status.in_([s.value for s in UNREACHED_STATUSES]))
            .order_by(OutboxRow.channel, OutboxRow.user_id)
        )
        return DeliveryReport(
            broadcast_id,
            dict.fromkeys(MessageStatus, 0) | {MessageStatus(s): n for s, n in counts},
            tuple(ChannelIdentity(channel, user_id) for channel, user_id in unreached),
        )

    async def messages_of(self, broadcast_id: int) -> list[OutboxMessage]:
        query = (
            select(OutboxRow)
            .where(OutboxRow.broadcast_id == broadcast_id)
            .order_by(OutboxRow.channel, OutboxRow.user_id)
        )
        return [_message(row) for row in await self._session.scalars(query)]

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await self._session.get(BroadcastRow, broadcast_id)
        return _broadcast(row) if row is not None else None

    async def latest_broadcast(self, event_id: int) -> Broadcast | None:
        query = (
            select(BroadcastRow)
            .where(BroadcastRow.event_id == event_id)
            .order_by(BroadcastRow.id.desc())
            .limit(1)
        )
        row = (await self._session.scalars(query)).first()
        return _broadcast(row) if row is not None else None

    async def _finish(self, message_id: int, worker_id: str, **values: Any) -> bool:
        """Update the message if it is still being sent by `worker_id`."""
        return (
            await self._execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == message_id,
                    OutboxRow.status == SENDING.value,
                    OutboxRow.claimed_by == worker_id,
                )
                .values(**values)
            )
            == 1
        )

    async def _execute(self, statement: Executable) -> int:
        """Run an UPDATE; returns the number of rows it changed."""
        options = {"synchronize_session": False}
        result = await self._session.execute(statement, execution_options=options)
        return cast(CursorResult[Any], result).rowcount

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name


def _claimable(now: datetime) -> ColumnElement[bool]:
    """SQL for `traef.outbox.is_claimable`."""
    return and_(
        BroadcastRow.cancelled_at.is_(None),
        or_(BroadcastRow.send_at.is_(None), BroadcastRow.send_at <= now),
        or_(
            and_(OutboxRow.status == PENDING.value, OutboxRow.next_attempt_at <= now),
            and_(OutboxRow.status == SENDING.value, OutboxRow.lease_until <= now),
        ),
    )


def _lock_broadcast_of(message_id: int) -> Executable:
    """FOR SHARE on the message's broadcast: a cancel running at once waits for this unit of
    work, or this one for the cancel, so a retried message cannot miss the cancellation."""
    broadcast_id = select(OutboxRow.broadcast_id).where(OutboxRow.id == message_id)
    return (
        select(BroadcastRow.id)
        .where(BroadcastRow.id == broadcast_id.scalar_subquery())
        .with_for_update(read=True)
    )


def _values(message: OutboxMessage) -> dict[str, Any]:
    return {
        "broadcast_id": message.broadcast_id,
        "channel": message.identity.channel,
        "user_id": message.identity.user_id,
        "idempotency_key": message.idempotency_key,
        "body": message.body,
        "status": message.status.value,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at,
    }


def _broadcast(row: BroadcastRow) -> Broadcast:
    return Broadcast(
        event_id=row.event_id,
        created_by=row.created_by,
        created_at=row.created_at,
        audience=row.audience,
        kind=BroadcastKind(row.kind),
        send_at=row.send_at,
        cancelled_at=row.cancelled_at,
        id=row.id,
    )


def _message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        identity=ChannelIdentity(row.channel, row.user_id),
        body=row.body,
        idempotency_key=row.idempotency_key,
        broadcast_id=row.broadcast_id,
        status=MessageStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        claimed_by=row.claimed_by,
        lease_until=row.lease_until,
        sent_at=row.sent_at,
        last_error=row.last_error,
        id=row.id,
    )
