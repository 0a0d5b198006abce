"""The revision cache: the current event and participants by identity, kept between units of work
and never served after any writer (this engine, another engine, raw SQL) changed them.

"Another process" is a second engine with its own pool and session factory on the same database,
as the CLI has while the bot serves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.database import create_engine, create_session_factory
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event, ProgrammeItem

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 22)
TEAMS = ChannelIdentity("msteams", "29:abc")


@pytest.fixture
async def other_engine(
    engine: AsyncEngine, database_url: str, connect_args: Mapping[str, Any]
) -> AsyncIterator[AsyncEngine]:
    """A second engine on the same (migrated) database: the CLI beside the bot."""
    other = create_engine(database_url, connect_args=connect_args)
    yield other
    await other.dispose()


@pytest.fixture
def other_uow(other_engine: AsyncEngine) -> SqlUnitOfWork:
    return SqlUnitOfWork(create_session_factory(other_engine))


async def test_a_kept_event_costs_one_small_query(engine: AsyncEngine, uow: SqlUnitOfWork) -> None:
    await _add_event(uow, "Ledertræf")
    first = await _current(uow)
    statements = _count_statements(engine)

    again = await _current(uow)

    assert again == first
    assert statements == ["SELECT revisions.name, revisions.revision FROM"]


async def test_another_engines_programme_change_is_seen_at_once(
    uow: SqlUnitOfWork, other_uow: SqlUnitOfWork
) -> None:
    stored = await _add_event(uow, "Ledertræf")
    assert await _current(uow) == stored
    assert stored.id is not None

    item = dataclasses.replace(stored.items[0], title="Frokost, flyttet")
    async with other_uow:
        changed = await other_uow.events.save_programme(stored.id, (item, *stored.items[1:]))
        await other_uow.commit()

    seen = await _current(uow)
    assert seen == changed
    assert seen is not None and seen.items[0].title == "Frokost, flyttet"


async def test_another_engines_new_event_and_rename_are_seen_at_once(
    uow: SqlUnitOfWork, other_uow: SqlUnitOfWork
) -> None:
    await _add_event(uow, "Ledertræf", day=date(2026, 11, 20))
    assert (await _current(uow) or _NO_EVENT).name == "Ledertræf"

    today = await _add_event(other_uow, "Træf i dag")
    assert (await _current(uow) or _NO_EVENT).name == "Træf i dag"

    async with other_uow:
        await other_uow.events.update(dataclasses.replace(today, name="Omdøbt"))
        await other_uow.commit()
    assert (await _current(uow) or _NO_EVENT).name == "Omdøbt"


async def test_a_change_in_raw_sql_is_seen_at_once(
    uow: SqlUnitOfWork, other_engine: AsyncEngine
) -> None:
    await _add_event(uow, "Ledertræf")
    assert await _current(uow) is not None

    async with other_engine.begin() as connection:
        await connection.execute(text("UPDATE programme_items SET title = 'Rettet i SQL'"))
    seen = await _current(uow)
    assert seen is not None and {item.title for item in seen.items} == {"Rettet i SQL"}

    async with other_engine.begin() as connection:
        await connection.execute(text("DELETE FROM events"))
    assert await _current(uow) is None


async def test_another_engines_sign_up_and_removal_are_seen_at_once(
    uow: SqlUnitOfWork, other_uow: SqlUnitOfWork
) -> None:
    event_id = (await _add_event(uow, "Ledertræf")).id
    assert event_id is not None
    assert await _by_identity(uow, event_id) is None  # kept: nobody

    async with other_uow:
        added = await other_uow.participants.add(_participant(event_id, "Bo Berg"))
        await other_uow.commit()
    assert await _by_identity(uow, event_id) == added

    async with other_uow:
        await other_uow.participants.update(dataclasses.replace(added, name="Bo Bergmann"))
        await other_uow.commit()
    assert (await _by_identity(uow, event_id) or _NOBODY).name == "Bo Bergmann"

    assert added.id is not None
    async with other_uow:
        await other_uow.participants.delete(added.id)
        await other_uow.commit()
    assert await _by_identity(uow, event_id) is None


async def test_a_unit_of_work_reads_its_own_writes(uow: SqlUnitOfWork) -> None:
    event_id = (await _add_event(uow, "Ledertræf")).id
    assert event_id is not None
    async with uow:
        assert await uow.participants.by_identity(event_id, TEAMS) is None
        added = await uow.participants.add(_participant(event_id, "Bo Berg"))
        assert await uow.participants.by_identity(event_id, TEAMS) == added
        await uow.commit()
        assert await uow.participants.by_identity(event_id, TEAMS) == added


async def test_what_a_rolled_back_unit_of_work_read_is_never_served(
    uow: SqlUnitOfWork, other_uow: SqlUnitOfWork
) -> None:
    event_id = (await _add_event(uow, "Ledertræf")).id
    assert event_id is not None
    async with uow:  # reads its own, uncommitted participant, then rolls back
        await uow.participants.add(_participant(event_id, "Aldrig Gemt"))
        assert await uow.participants.by_identity(event_id, TEAMS) is not None
    assert await _by_identity(uow, event_id) is None

    async with other_uow:
        added = await other_uow.participants.add(_participant(event_id, "Bo Berg"))
        await other_uow.commit()
    assert await _by_identity(uow, event_id) == added


async def test_sessions_of_one_factory_share_the_cache_and_others_do_not(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _add_event(SqlUnitOfWork(session_factory), "Ledertræf")
    await _current(SqlUnitOfWork(session_factory))
    statements = _count_statements(engine)
    await _current(SqlUnitOfWork(session_factory))
    assert len(statements) == 1

    await _current(SqlUnitOfWork(create_session_factory(engine)))
    assert len(statements) > 2  # a new factory starts empty: revision, event, items


_NO_EVENT = Event("—", DAY, DAY)
_NOBODY = Participant(event_id=0, name="—", department="—", level="—")


def _participant(event_id: int, name: str) -> Participant:
    return Participant(
        event_id=event_id,
        name=name,
        department="MSO",
        level="Leder",
        identities=frozenset({TEAMS}),
    )


async def _add_event(uow: SqlUnitOfWork, name: str, day: date = DAY) -> Event:
    items = (
        ProgrammeItem(start=_at(day, 9), title="Velkomst"),
        ProgrammeItem(start=_at(day, 12), title="Frokost"),
    )
    async with uow:
        added = await uow.events.add(Event(name, day, day, items=items))
        await uow.commit()
    return added


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=COPENHAGEN)


async def _current(uow: SqlUnitOfWork) -> Event | None:
    async with uow:
        return await uow.events.current(DAY)


async def _by_identity(uow: SqlUnitOfWork, event_id: int) -> Participant | None:
    async with uow:
        return await uow.participants.by_identity(event_id, TEAMS)


def _count_statements(engine: AsyncEngine) -> list[str]:
    statements: list[str] = []

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split()[:4]))

    event.listen(engine.sync_engine, "before_cursor_execute", on_statement)
    return statements
