"""People full of personal data, and a reader of every row, for the feedback and purge tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import metadata
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event, ProgrammeItem

DAY = date(2026, 11, 22)
NINE = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def person(n: int, event_id: int) -> Participant:
    return Participant(
        event_id,
        f"Ingrid Testesen {n}",
        "MSO",
        "Leder",
        email=f"ingrid{n}@example.dk",
        phone=f"+45123{n:05d}",
        calendar_token=f"calendar-token-{n}",
        identities=frozenset({ChannelIdentity("slack", f"U-ingrid-{n}")}),
    )


def personal_data(n: int) -> list[str]:
    return [f"Ingrid Testesen {n}", f"ingrid{n}@example.dk", f"+45123{n:05d}", f"U-ingrid-{n}"]


async def setup_event(uow: SqlUnitOfWork, people: int) -> tuple[int, int, list[int]]:
    async with uow:
        event = await uow.events.add(
            Event(
                "Træf",
                DAY,
                DAY,
                items=(ProgrammeItem(NINE, "Oplæg", end=NINE + timedelta(hours=1)),),
            )
        )
        assert event.id is not None and event.items[0].id is not None
        ids = []
        for n in range(people):
            added = await uow.participants.add(person(n, event.id))
            assert added.id is not None
            ids.append(added.id)
        await uow.commit()
    return event.id, event.items[0].id, ids


async def all_rows(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, list[str]]:
    """Every row of every table in the database, each as one text."""
    found: dict[str, list[str]] = {}
    async with session_factory() as session:
        connection = await session.connection()
        names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert set(names) >= {table.name for table in metadata.sorted_tables}
        for name in names:
            rows = await session.execute(text(f'SELECT * FROM "{name}"'))
            found[name] = [json.dumps(list(row), default=str, ensure_ascii=False) for row in rows]
    return found
