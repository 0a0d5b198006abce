"""Broadcasts by facilitators: who a message is for, and putting it in the outbox.

A broadcast is decided and its outbox rows written in one unit of work, so a message is either
queued for every recipient or for none; the sender delivers it (`bot/workers/outbox_sender.py`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from traef.errors import TraefError
from traef.group_plans import PlanKind
from traef.outbox import Broadcast, BroadcastKind, OutboxMessage
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.ports import UnitOfWork
from traef.programme import Event


class AudienceKind(StrEnum):
    EVERYONE = "everyone"  # everyone the bot can write to
    CHECKED_IN = "checked_in"
    NOT_CHECKED_IN = "not_checked_in"  # signed up, not (yet) checked in
    UNIT = "unit"  # one department
    PARTICIPANT_TYPE = "participant_type"
    GROUP = "group"  # one group of the newest published breakout plan
    EACH_GROUP = "each_group"  # every group of that plan, each with its own details


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind
    value: str | None = None

    def includes(self, person: Participant | None, groups: dict[int, int]) -> bool:
        """Whether this person (None: someone who only talked to the bot) is meant."""
        if self.kind is AudienceKind.EVERYONE:
            return True
        if person is None or not person.is_active:
            return False
        if self.kind is AudienceKind.CHECKED_IN:
            return person.status is Status.CHECKED_IN
        if self.kind is AudienceKind.NOT_CHECKED_IN:
            return person.status is Status.SIGNED_UP
        if self.kind is AudienceKind.UNIT:
            return person.department.casefold() == (self.value or "").casefold()
        if self.kind is AudienceKind.PARTICIPANT_TYPE:
            return person.participant_type.value == self.value
        if self.kind is AudienceKind.EACH_GROUP:
            return (person.id or 0) in groups
        return str(groups.get(person.id or 0)) == self.value


class NobodyToReachError(TraefError):
    """No one in the audience can be reached (nobody has written to the bot yet)."""


@dataclass(frozen=True, slots=True)
class Recipient:
    identity: ChannelIdentity
    participant: Participant | None


async def recipients(uow: UnitOfWork, event: Event, audience: Audience) -> list[Recipient]:
    """Everyone in the audience the bot can write to, once each (one account per person)."""
    assert event.id is not None
    async with uow:
        known = await uow.conversations.all()
        people = await uow.participants.for_event(event.id)
        plan = await uow.plans.latest(event.id, PlanKind.BREAKOUT)
    groups = {}
    if plan is not None and plan.published_at is not None:
        groups = {member: group.number for group in plan.groups for member in group.members}
    owner = {identity: person for person in people for identity in person.identities}
    chosen: dict[object, Recipient] = {}
    for identity, _reference in known:
        person = owner.get(identity)
        if audience.includes(person, groups):
            key = person.id if person is not None else identity
            chosen.setdefault(key, Recipient(identity, person))
    return sorted(chosen.values(), key=lambda r: (r.identity.channel, r.identity.user_id))


async def queue_broadcast(
    uow: UnitOfWork,
    event: Event,
    chosen: list[Recipient],
    body_for: Callable[[Recipient], dict[str, Any]],
    *,
    created_by: str,
    audience: str,
    now: datetime,
    send_at: datetime | None = None,
    kind: BroadcastKind = BroadcastKind.BROADCAST,
) -> Broadcast:
    """Queue one message per recipient, all in one transaction."""
    assert event.id is not None
    if not chosen:
        raise NobodyToReachError(audience)
    broadcast = Broadcast(event.id, created_by, now, audience, kind, send_at)
    messages = [OutboxMessage(r.identity, body_for(r)) for r in chosen]
    async with uow:
        stored = await uow.outbox.add_broadcast(broadcast, messages)
        await uow.commit()
    return stored


def participant_type_named(text: str) -> ParticipantType | None:
    try:
        return ParticipantType.parse(text)
    except TraefError:
        return None


_STATUS_DA = {
    "pending": "venter",
    "sending": "sendes",
    "sent": "sendt",
    "failed": "ikke nået",
    "undeliverable": "kan ikke nås",
    "cancelled": "stoppet",
}


async def delivery_csv(uow: UnitOfWork, broadcast_id: int, event_id: int) -> bytes:
    """The delivery report as a CSV file for Excel: one line per recipient."""
    async with uow:
        messages = await uow.outbox.messages_of(broadcast_id)
        people = await uow.participants.for_event(event_id)
    names = {identity: person.name for person in people for identity in person.identities}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Navn", "Kanal", "Bruger", "Status", "Forsøg", "Sendt", "Fejl"])
    for message in messages:
        writer.writerow(
            [
                names.get(message.identity, ""),
                message.identity.channel,
                message.identity.user_id,
                _STATUS_DA[message.status.value],
                message.attempts,
                message.sent_at.isoformat(timespec="seconds") if message.sent_at else "",
                message.last_error or "",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
