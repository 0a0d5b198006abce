"""The reminder log over a SQLAlchemy session; implements `traef.ports.ReminderLog`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect_insert import insert_on_conflict
from storage.models import ReminderLogRow

MAX_KEY_LENGTH = 200


class SqlReminderLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, participant_id: int, key: str, at: datetime) -> bool:
        """Record reminder `key` for the participant; False when it was claimed before.

        INSERT … ON CONFLICT DO NOTHING against the unique (participant_id, key): of two units
        of work claiming the same reminder at once, the second waits for the first to finish
        and gets True only if the first rolled back. A claim holds once committed.
        """
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"A reminder key has 1 to {MAX_KEY_LENGTH} characters: {key!r}")
        statement = (
            insert_on_conflict(self._session, ReminderLogRow)
            .values(participant_id=participant_id, key=key, claimed_at=at)
            .on_conflict_do_nothing(
                index_elements=[ReminderLogRow.participant_id, ReminderLogRow.key]
            )
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount == 1
