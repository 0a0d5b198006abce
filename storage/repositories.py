"""The event repository over a SQLAlchemy session; implements `traef.ports.EventRepository`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.mapping import event_to_row, row_to_event
from storage.models import EventRow
from traef.programme import Event


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
