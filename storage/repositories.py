"""The event repository over a SQLAlchemy session; implements `traef.ports.EventRepository`."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import cast

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.mapping import (
    event_to_row,
    item_to_row,
    row_to_event,
    update_event_row,
    update_item_row,
)
from storage.models import EventRow, ProgrammeChangeRow, ProgrammeItemRow
from storage.revision_cache import EVENTS, MISSING, CachedReads
from traef.programme import Event, ProgrammeItem


class SqlEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._cached = CachedReads(session, EVENTS)

    async def add(self, event: Event) -> Event:
        """Store the event as a new one; returns it with the ids the database gave it."""
        row = event_to_row(event)
        self._session.add(row)
        await self._session.flush()
        return row_to_event(row)

    async def get(self, event_id: int) -> Event | None:
        row = await self._session.get(EventRow, event_id, options=[selectinload(EventRow.items)])
        return row_to_event(row) if row is not None else None

    async def current(self, today: date) -> Event | None:
        """The event on today (the latest to start); else the soonest to come; else the latest.

        With a `RevisionCache` in the session's info, one small query when nothing has changed.
        """
        revision = await self._cached.revision()
        kept = self._cached.get(revision, today)
        if kept is MISSING:
            kept = await self._current(today)
            self._cached.keep(revision, today, kept)
        return cast(Event | None, kept)

    async def _current(self, today: date) -> Event | None:
        for query in (_ongoing(today), _upcoming(today), _past(today)):
            row = (await self._session.scalars(query.limit(1))).first()
            if row is not None:
                return row_to_event(row)
        return None

    async def ended_before(self, day: date) -> list[Event]:
        rows = await self._session.scalars(_past(day))
        return [row_to_event(row) for row in rows]

    async def count(self) -> int:
        total = await self._session.scalar(select(func.count()).select_from(EventRow))
        return total or 0

    async def update(self, event: Event) -> Event:
        """Overwrite the stored event's own fields; its programme stays as stored.

        Returns the event with the stored programme. Raises the domain's error, writing
        nothing, when the stored programme does not fit the new dates.
        """
        if event.id is None:
            raise ValueError("Only a stored event (one with an id) can be updated.")
        row = await self._row(event.id)
        dataclasses.replace(event, items=row_to_event(row).items)  # validates
        update_event_row(row, event)
        await self._session.flush()
        return row_to_event(row)

    async def save_programme(self, event_id: int, items: tuple[ProgrammeItem, ...]) -> Event:
        """Make the event's programme exactly `items`, positioned in the order given.

        Items with an id keep it: the event's items are updated in place; an item the event had
        before, deleted since (as a programme change records: undoing a change restores it) is
        added again under its id. Items without an id are added; the event's other items are
        deleted. Any other id raises LookupError, a programme that does not fit the event the
        domain's error; either way before anything is written.
        """
        row = await self._row(event_id)
        dataclasses.replace(row_to_event(row), items=items)  # validates
        ids = [item.id for item in items if item.id is not None]
        if len(set(ids)) != len(ids):
            raise ValueError("A programme cannot hold one item twice.")
        stored = {item_row.id: item_row for item_row in row.items}
        await self._check_restorable(event_id, set(ids) - stored.keys())

        # The kept rows step aside to positions below zero first, so that no row takes a
        # position another row still holds: (event_id, position) is unique at every statement.
        kept = [stored[item_id] for item_id in ids if item_id in stored]
        row.items = kept  # the others are deleted as orphans
        for temporary, kept_row in enumerate(kept, start=1):
            kept_row.position = -temporary
        await self._session.flush()

        rows: list[ProgrammeItemRow] = []
        for position, item in enumerate(items):
            if item.id in stored:
                item_row = stored[item.id]
                update_item_row(item_row, item, position)
            else:
                item_row = item_to_row(item, position)
                if item.id is not None:
                    item_row.id = item.id  # an item restored
            rows.append(item_row)
        row.items = rows
        await self._session.flush()
        return row_to_event(row)

    async def _check_restorable(self, event_id: int, ids: set[int]) -> None:
        """Refuse ids unless each was an item of the event, as its changes record, and is free.

        Ids are never given twice (a sequence; AUTOINCREMENT on SQLite), so an item restored
        under its id cannot meet another item with that id; an id the database never gave
        could, later.
        """
        if not ids:
            return
        snapshots = await self._session.execute(
            select(ProgrammeChangeRow.before, ProgrammeChangeRow.after).where(
                ProgrammeChangeRow.event_id == event_id
            )
        )
        recorded = {
            each["id"] for before, after in snapshots for each in (*before, *after) if each["id"]
        }
        taken = await self._session.scalars(
            select(ProgrammeItemRow.id).where(ProgrammeItemRow.id.in_(ids))
        )
        refused = sorted((ids - recorded) | set(taken))
        if refused:
            raise LookupError(
                f"Programme items {refused} are not items of event {event_id}, nor were they."
            )

    async def _row(self, event_id: int) -> EventRow:
        row = await self._session.get(EventRow, event_id, options=[selectinload(EventRow.items)])
        if row is None:
            raise LookupError(f"Event {event_id} is not stored.")
        return row


def _events() -> Select[EventRow]:
    return select(EventRow).options(selectinload(EventRow.items))


def _ongoing(today: date) -> Select[EventRow]:
    return (
        _events()
        .where(EventRow.start_date <= today, EventRow.end_date >= today)
        .order_by(EventRow.start_date.desc(), EventRow.id.desc())
    )


def _upcoming(today: date) -> Select[EventRow]:
    return (
        _events()
        .where(EventRow.start_date > today)
        .order_by(EventRow.start_date.asc(), EventRow.id.asc())
    )


def _past(today: date) -> Select[EventRow]:
    return (
        _events()
        .where(EventRow.end_date < today)
        .order_by(EventRow.end_date.desc(), EventRow.start_date.desc(), EventRow.id.desc())
    )
