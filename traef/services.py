"""Use cases: plain functions over a unit of work, raising domain errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from traef.demo import DEMO_TIMEZONE, demo_event
from traef.errors import InvalidProgrammeError, NoEventError
from traef.participants import ChannelIdentity, Participant
from traef.ports import UnitOfWork
from traef.programme import Event


async def ensure_demo_event(uow: UnitOfWork, now: datetime) -> Event | None:
    """Load the demo event, placed on today's date, when the database holds no event.

    Returns the demo event when it was added, None when an event already existed.
    """
    async with uow:
        if await uow.events.count() > 0:
            return None
        today = now.astimezone(ZoneInfo(DEMO_TIMEZONE)).date()
        added = await uow.events.add(demo_event(today))
        await uow.commit()
        return added


async def current_event(uow: UnitOfWork, today: date) -> Event:
    """The event participants mean when they ask for "the programme" today."""
    async with uow:
        event = await uow.events.current(today)
    if event is None:
        raise NoEventError("No event has been set up.")
    return event


async def event_and_registration(
    uow: UnitOfWork, today: date, identity: ChannelIdentity
) -> tuple[Event | None, Participant | None]:
    """The current event (None when none is set up) and the person's registration in it, if any,
    cancelled or not: what most questions start from, in one unit of work."""
    async with uow:
        event = await uow.events.current(today)
        if event is None or event.id is None:
            return event, None
        return event, await uow.participants.by_identity(event.id, identity)


async def set_preparation(
    uow: UnitOfWork, event: Event, text: str | None = None, reminder_days: int | None = None
) -> Event:
    """Change the event's preparation text (optakt) and/or how many days before it is reminded."""
    if reminder_days is not None and not 0 <= reminder_days <= 60:
        raise InvalidProgrammeError("Remind between 0 and 60 days before.")
    changed = replace(
        event,
        preparation=event.preparation if text is None else text.strip(),
        preparation_reminder_days=(
            event.preparation_reminder_days if reminder_days is None else reminder_days
        ),
    )
    async with uow:
        stored = await uow.events.update(changed)
        await uow.commit()
        return stored
