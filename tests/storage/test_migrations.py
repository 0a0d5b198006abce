"""The Alembic migrations: they create the schema the models describe, and only once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Date, Executable, TextClause, bindparam, inspect, text
from sqlalchemy.engine import Connection

from storage.database import create_engine, create_session_factory
from storage.migrate import downgrade_database, upgrade_database
from storage.models import metadata
from storage.unit_of_work import SqlUnitOfWork
from storage.utc_datetime import UtcDateTime
from traef.demo import demo_event
from traef.participants import DEFAULT_DEPARTMENTS, DEFAULT_LEVELS, ChannelIdentity, Participant

T = TypeVar("T")

HEAD = "0002"
TABLES_0001 = {"alembic_version", "bot_state", "events", "programme_items"}
TABLES = TABLES_0001 | {"participants", "participant_identities"}
DAY = date(2026, 11, 22)


async def test_upgrading_creates_the_tables(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES
    assert await _revision(database_url, connect_args) == HEAD


async def test_upgrading_twice_changes_nothing(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    insert = "INSERT INTO bot_state VALUES ('k', '{}', 'e', CURRENT_TIMESTAMP)"
    await _execute(database_url, connect_args, insert)
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _revision(database_url, connect_args) == HEAD
    assert await _scalar(database_url, connect_args, "SELECT count(*) FROM bot_state") == 1


async def test_downgrading_removes_the_tables(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    await downgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == {"alembic_version"}
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES


async def test_the_migrations_match_the_models(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _run_sync(database_url, connect_args, _differences) == []


async def test_migrating_works_from_any_working_directory(
    database_url: str,
    connect_args: Mapping[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES


async def test_upgrading_from_0001_gives_stored_events_the_default_lists(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, revision="0001", connect_args=connect_args)
    for statement in _event_as_0001_stored_it():
        await _execute(database_url, connect_args, statement)

    await upgrade_database(database_url, connect_args=connect_args)

    async with _unit_of_work(database_url, connect_args) as uow, uow:
        event = await uow.events.current(DAY)
    assert event is not None
    assert (event.name, [item.title for item in event.items]) == ("Træf 2026", ["Velkommen"])
    assert (event.departments, event.levels) == (DEFAULT_DEPARTMENTS, DEFAULT_LEVELS)


async def test_downgrading_to_0001_keeps_the_events_and_their_programme(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    async with _unit_of_work(database_url, connect_args) as uow, uow:
        event = await uow.events.add(demo_event(DAY))
        assert event.id is not None
        someone = frozenset({ChannelIdentity("slack", "U0123")})
        participant = Participant(event.id, "Søren", "MSO", "Leder", identities=someone)
        await uow.participants.add(participant)
        await uow.commit()

    await downgrade_database(database_url, revision="0001", connect_args=connect_args)

    assert await _tables(database_url, connect_args) == TABLES_0001
    assert await _revision(database_url, connect_args) == "0001"
    assert "departments" not in await _columns(database_url, connect_args, "events")
    items = await _scalar(database_url, connect_args, "SELECT count(*) FROM programme_items")
    assert items == len(demo_event(DAY).items)
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _revision(database_url, connect_args) == HEAD


def _event_as_0001_stored_it() -> list[TextClause]:
    noon = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)
    event = text(
        "INSERT INTO events (name, start_date, end_date, timezone, created_at)"
        " VALUES ('Træf 2026', :day, :day, 'Europe/Copenhagen', :now)"
    )
    item = text(
        "INSERT INTO programme_items"
        " (event_id, position, starts_at, title, kind, speakers, description)"
        " SELECT id, 0, :now, 'Velkommen', 'plenary', '[]', '' FROM events"
    )
    return [
        event.bindparams(bindparam("day", DAY, Date()), bindparam("now", noon, UtcDateTime())),
        item.bindparams(bindparam("now", noon, UtcDateTime())),
    ]


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection)
    return list(compare_metadata(context, metadata))


async def _tables(url: str, connect_args: Mapping[str, Any]) -> set[str]:
    return await _run_sync(url, connect_args, lambda c: set(inspect(c).get_table_names()))


async def _columns(url: str, connect_args: Mapping[str, Any], table: str) -> set[str]:
    return await _run_sync(
        url, connect_args, lambda c: {column["name"] for column in inspect(c).get_columns(table)}
    )


async def _revision(url: str, connect_args: Mapping[str, Any]) -> object:
    return await _scalar(url, connect_args, "SELECT version_num FROM alembic_version")


async def _scalar(url: str, connect_args: Mapping[str, Any], sql: str) -> object:
    return await _run_sync(url, connect_args, lambda c: c.execute(text(sql)).scalar_one())


async def _execute(url: str, connect_args: Mapping[str, Any], statement: str | Executable) -> None:
    engine = create_engine(url, connect_args=connect_args)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement) if isinstance(statement, str) else statement)
    finally:
        await engine.dispose()


@asynccontextmanager
async def _unit_of_work(url: str, connect_args: Mapping[str, Any]) -> AsyncIterator[SqlUnitOfWork]:
    engine = create_engine(url, connect_args=connect_args)
    try:
        yield SqlUnitOfWork(create_session_factory(engine))
    finally:
        await engine.dispose()


async def _run_sync(
    url: str, connect_args: Mapping[str, Any], work: Callable[[Connection], T]
) -> T:
    engine = create_engine(url, connect_args=connect_args)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()
