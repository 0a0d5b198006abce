"""Reminders: a few minutes before each breakout and phone dialogue, and the preparation (optakt).

Which reminders are due is computed afresh from the programme as it is now, so a delayed item
is reminded at its new time. Each reminder has a key (`item:<id>`, `preparation:<event id>`)
that is claimed in storage before it is sent: a claim succeeds once per participant and key,
so a reminder never goes out twice, whether the bot restarts or two workers run at once.

The trade-off of claiming before delivering: if the process dies between the claim and the
delivery (or the channel refuses the message), that one reminder is lost rather than risked
twice. A reminder is a courtesy; a duplicate every 20 seconds would be a nuisance.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from traef.errors import NoEventError
from traef.participants import Participant
from traef.ports import UnitOfWork
from traef.programme import Event, ItemKind, ProgrammeItem
from traef.services import current_event

LEAD = timedelta(minutes=5)
REMINDED_KINDS = frozenset({ItemKind.BREAKOUT, ItemKind.PHONE_DIALOGUE})
PREPARATION_FROM = time(9, 0)  # event-local time the preparation reminder may go out from
MAX_PARALLEL_DELIVERIES = 8

Deliver = Callable[[Participant, "Reminder"], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Reminder:
    participant_id: int
    key: str
    event: Event
    item: ProgrammeItem | None = None  # None: the reminder of the event's preparation

    @property
    def is_preparation(self) -> bool:
        return self.item is None


def due_reminders(
    event: Event, participants: Iterable[Participant], now: datetime, lead: timedelta = LEAD
) -> list[Reminder]:
    """What should go out at `now`; never for something that has already started or passed."""
    due: list[Reminder] = []
    preparation = preparation_is_due(event, now)
    for participant in participants:
        if participant.id is None or not participant.is_active:
            continue
        if participant.reminders:
            due += _item_reminders(event, participant, participant.id, now, lead)
        if preparation:
            due.append(Reminder(participant.id, f"preparation:{event.id}", event))
    return due


def _item_reminders(
    event: Event, participant: Participant, participant_id: int, now: datetime, lead: timedelta
) -> list[Reminder]:
    own = event.for_audience(participant.participant_type, participant.groups)
    return [
        Reminder(participant_id, f"item:{item.id}", event, item)
        for item in own.items
        if item.id is not None
        and item.kind in REMINDED_KINDS
        and item.start - lead <= now < item.start
    ]


def _anything_due(event: Event, now: datetime, lead: timedelta) -> bool:
    """Whether any participant could have a reminder now; most ticks need not load anyone."""
    return preparation_is_due(event, now) or any(
        item.kind in REMINDED_KINDS and item.start - lead <= now < item.start
        for item in event.items
    )


def preparation_is_due(event: Event, now: datetime) -> bool:
    """On the reminder day, from 9.00 event-local time until that day ends."""
    if not event.preparation.strip() or event.preparation_reminder_days is None:
        return False
    day = event.start_date - timedelta(days=event.preparation_reminder_days)
    local = event.local(now)
    return local.date() == day and local.time() >= PREPARATION_FROM


async def send_due_reminders(
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
    deliver: Deliver,
    lead: timedelta = LEAD,
) -> int:
    """Claim and deliver what is due now for the current event; returns how many arrived.

    A reminder is delivered only after its claim is committed (see the module's docstring).
    Errors of single reminders do not stop the others; the first is raised at the end.
    """
    event = await _current_event(uow_factory, now)
    if event is None or event.id is None or not _anything_due(event, now, lead):
        return 0
    uow = uow_factory()
    async with uow:
        participants = {p.id: p for p in await uow.participants.for_event(event.id)}
    reminders = due_reminders(event, participants.values(), now, lead)
    limit = asyncio.Semaphore(MAX_PARALLEL_DELIVERIES)

    async def claim_and_deliver(reminder: Reminder) -> bool:
        async with limit:
            if not await _claim(uow_factory, reminder, now):
                return False
            return await deliver(participants[reminder.participant_id], reminder)

    results = await asyncio.gather(*map(claim_and_deliver, reminders), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise errors[0]
    return sum(1 for result in results if result is True)


async def _claim(uow_factory: Callable[[], UnitOfWork], reminder: Reminder, at: datetime) -> bool:
    uow = uow_factory()
    async with uow:
        claimed = await uow.reminders.claim(reminder.participant_id, reminder.key, at)
        await uow.commit()
    return claimed


async def _current_event(uow_factory: Callable[[], UnitOfWork], now: datetime) -> Event | None:
    """The current event by its own local date (the UTC date can be a different day)."""
    try:
        event = await current_event(uow_factory(), now.date())
        local_today = event.local(now).date()
        if local_today != now.date():
            event = await current_event(uow_factory(), local_today)
    except NoEventError:
        return None
    return event
