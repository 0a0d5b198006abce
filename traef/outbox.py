"""The broadcast outbox: one message per recipient of a broadcast, sent at most once.

A broadcast and its messages are stored in the same transaction as the decision to send
them. Senders claim due messages for a lease, send them and mark the outcome; a message
whose sender died comes back once its lease has run out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from traef.participants import ChannelIdentity


class BroadcastKind(StrEnum):
    BROADCAST = "broadcast"  # a facilitator's message to an audience
    PROGRAMME_CHANGE = "programme_change"
    GROUPS = "groups"  # published breakout groups or phone pairs


class MessageStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender until its lease runs out
    SENT = "sent"
    FAILED = "failed"  # given up: attempts exhausted or refused by the channel
    UNDELIVERABLE = "undeliverable"  # the bot is blocked or uninstalled, or the user is gone
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset(
    {
        MessageStatus.SENT,
        MessageStatus.FAILED,
        MessageStatus.UNDELIVERABLE,
        MessageStatus.CANCELLED,
    }
)
UNREACHED_STATUSES = frozenset({MessageStatus.FAILED, MessageStatus.UNDELIVERABLE})


@dataclass(frozen=True, slots=True)
class Broadcast:
    event_id: int
    created_by: str
    created_at: datetime
    audience: str  # who it is for, as the facilitator chose it: "alle", "MSO", "gruppe 3", …
    kind: BroadcastKind = BroadcastKind.BROADCAST
    send_at: datetime | None = None  # None: at once
    cancelled_at: datetime | None = None
    id: int | None = None

    @property
    def due_at(self) -> datetime:
        return self.send_at or self.created_at


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message to one recipient. `body` is the rendered activity as JSON, or {"text": …}.

    A new message needs only `identity` and `body`; storing it with its broadcast fills in the
    broadcast, the idempotency key (unless one is given) and the time of the first attempt.
    """

    identity: ChannelIdentity
    body: dict[str, Any]
    idempotency_key: str | None = None  # unique in the outbox
    broadcast_id: int | None = None
    status: MessageStatus = MessageStatus.PENDING
    attempts: int = 0  # counted when claimed, so a sender that dies still uses one up
    next_attempt_at: datetime | None = None
    claimed_by: str | None = None  # the sender, while sending and once sent or given up
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    id: int | None = None

    def enqueued(self, broadcast: Broadcast) -> OutboxMessage:
        """The message as it is stored with the (stored) broadcast: pending, not yet tried."""
        if broadcast.id is None:
            raise ValueError("Messages are enqueued with a stored broadcast.")
        return OutboxMessage(
            self.identity,
            self.body,
            self.idempotency_key or idempotency_key(broadcast.id, self.identity),
            broadcast.id,
            next_attempt_at=self.next_attempt_at or broadcast.due_at,
        )


def idempotency_key(broadcast_id: int, identity: ChannelIdentity) -> str:
    """The default key: one message per recipient and broadcast."""
    return f"{broadcast_id}:{identity.channel}:{identity.user_id}"


def is_claimable(message: OutboxMessage, broadcast: Broadcast, now: datetime) -> bool:
    """Due and not taken: pending with its attempt due, or sending with its lease run out
    (its sender died); of a broadcast that is due and not cancelled."""
    if broadcast.cancelled_at is not None or broadcast.due_at > now:
        return False
    if message.status is MessageStatus.PENDING:
        return message.next_attempt_at is not None and message.next_attempt_at <= now
    if message.status is MessageStatus.SENDING:
        return message.lease_until is not None and message.lease_until <= now
    return False


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """How a broadcast is going: messages per status, and who could not be reached."""

    broadcast_id: int
    counts: Mapping[MessageStatus, int] = field(default_factory=dict)
    unreached: tuple[ChannelIdentity, ...] = ()  # failed or undeliverable, sorted

    @classmethod
    def of(cls, broadcast_id: int, messages: Iterable[OutboxMessage]) -> DeliveryReport:
        counts = dict.fromkeys(MessageStatus, 0)
        unreached = []
        for message in messages:
            counts[message.status] += 1
            if message.status in UNREACHED_STATUSES:
                unreached.append(message.identity)
        return cls(broadcast_id, counts, tuple(sorted(unreached, key=_identity_key)))

    def count(self, *statuses: MessageStatus) -> int:
        return sum(self.counts.get(status, 0) for status in statuses)

    @property
    def sent(self) -> int:
        return self.count(MessageStatus.SENT)

    @property
    def pending(self) -> int:
        """Not sent yet: waiting or being sent."""
        return self.count(MessageStatus.PENDING, MessageStatus.SENDING)

    @property
    def failed(self) -> int:
        return self.count(*UNREACHED_STATUSES)

    @property
    def cancelled(self) -> int:
        return self.count(MessageStatus.CANCELLED)

    @property
    def total(self) -> int:
        return self.count(*MessageStatus)

    @property
    def done(self) -> bool:
        return self.pending == 0


def _identity_key(identity: ChannelIdentity) -> tuple[str, str]:
    return identity.channel, identity.user_id
