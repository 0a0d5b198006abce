"""Programme changes over a SQLAlchemy session; implements `traef.ports.ProgrammeChangeRepository`.

Each change keeps the whole programme before and after it as JSON (`storage.mapping`), so an
undo restores exactly what was there, whatever happened to the item rows since.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.mapping import change_to_row, row_to_change
from storage.models import ProgrammeChangeRow
from traef.changes import ProgrammeChange


class SqlProgrammeChangeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, change: ProgrammeChange) -> ProgrammeChange:
        """Store the change as a new one; returns it with the id the database gave it."""
        row = change_to_row(change)
        self._session.add(row)
        await self._session.flush()
        return row_to_change(row)

    async def latest(self, event_id: int) -> ProgrammeChange | None:
        """The change added last of those not undone."""
        query = (
            select(ProgrammeChangeRow)
            .where(ProgrammeChangeRow.event_id == event_id, ProgrammeChangeRow.undone_at.is_(None))
            .order_by(ProgrammeChangeRow.id.desc())
            .limit(1)
        )
        row = (await self._session.scalars(query)).first()
        return row_to_change(row) if row is not None else None

    async def mark_undone(self, change_id: int, at: datetime) -> None:
        """Record when the change was undone; unknown ids are ignored."""
        await self._session.execute(
            update(ProgrammeChangeRow)
            .where(ProgrammeChangeRow.id == change_id)
            .values(undone_at=at)
        )

    async def for_event(self, event_id: int) -> list[ProgrammeChange]:
        """Every change of the event, undone ones included, in the order they were added."""
        query = (
            select(ProgrammeChangeRow)
            .where(ProgrammeChangeRow.event_id == event_id)
            .order_by(ProgrammeChangeRow.id)
        )
        return [row_to_change(row) for row in await self._session.scalars(query)]
