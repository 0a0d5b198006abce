"""The event repository over a SQLAlchemy session; implements `traef.ports.EventRepository`."""

from __future__ import annotations

import dataclasses
from datetime import date

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
from storage.models import EventRow, ProgrammeItemRow
from traef.programme import Event, ProgrammeItem


class SqlEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

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
        """The event on today (the latest to start); else the soonest to come; else the latest."""
        for query in (_ongoing(today), _upcoming(today), _past(today)):
            row = (await self._session.scalars(query.limit(1))).first()
            if row is not None:
                return row_to_event(row)
        return None

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

        Items with an id keep it and their row is updated; items without one are added; the
        event's other items are deleted. An id that is not one of the event's items raises
        LookupError; a programme that does not fit the event raises the domain's error; either
        way nothing is written.
        """
        row = await self._row(event_id)
        dataclasses.replace(row_to_event(row), items=items)  # validates
        stored = {item_row.id: item_row for item_row in row.items}
        ids = [item.id for item in items if item.id is not None]
        if len(set(ids)) != len(ids):
            raise ValueError("A programme cannot hold one item twice.")
        unknown = sorted(set(ids) - stored.keys())
        if unknown:
            raise LookupError(f"Programme items {unknown} are not items of event {event_id}.")

        # The kept rows step aside to positions below zero first, so that no row takes a
        # position another row still holds: (event_id, position) is unique at every statement.
        kept = [stored[item.id] for item in items if item.id is not None]
        row.items = kept  # the others are deleted as orphans
        for temporary, item_row in enumerate(kept, start=1):
            item_row.position = -temporary
        await self._session.flush()

        rows: list[ProgrammeItemRow] = []
        for position, item in enumerate(items):
            if item.id is None:
                rows.append(item_to_row(item, position))
            else:
                rows.append(stored[item.id])
                update_item_row(stored[item.id], item, position)
        row.items = rows
        await self._session.flush()
        return row_to_event(row)

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
