"""The Alembic migrations: they create the schema the models describe, and only once."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Date, Executable, TextClause, bindparam, inspect, text
from sqlalchemy.engine import Connection

from storage.database import create_engine, create_session_factory
from storage.migrate import downgrade_database, upgrade_database
from storage.models import metadata
from storage.unit_of_work import SqlUnitOfWork
from storage.utc_datetime import UtcDateTime
from traef.changes import ProgrammeChange
from traef.demo import demo_event
from traef.participants import DEFAULT_DEPARTMENTS, DEFAULT_LEVELS, ChannelIdentity, Participant
from traef.programme import EVERYONE

T = TypeVar("T")

HEAD = "0008"
TABLES_0001 = {"alembic_version", "bot_state", "events", "programme_items"}
TABLES_0002 = TABLES_0001 | {"participants", "participant_identities"}
TABLES_0003 = TABLES_0002 | {"programme_changes", "reminder_log", "conversation_references"}
TABLES_0004 = TABLES_0003 | {"group_plans"}
TABLES_0005 = TABLES_0004 | {"broadcasts", "outbox"}
TABLES_0006 = TABLES_0005 | {"feedback_forms", "feedback_answers", "postits"}
TABLES = TABLES_0006 | {"revisions"}
COLUMNS_0003 = {
    "programme_items": {"audience_kind", "audience_value"},
    "events": {"preparation", "preparation_reminder_days"},
    "participants": {"reminders", "groups", "calendar_token"},
}
DAY = date(2026, 11, 22)
NOON = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)
SLACK = ChannelIdentity("slack", "U0123")


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


async def test_upgrading_from_0002_fills_the_new_columns_and_keeps_everything(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, revision="0002", connect_args=connect_args)
    for statement in [*_event_as_0002_stored_it(), *_participant_as_0002_stored_it()]:
        await _execute(database_url, connect_args, statement)

    await upgrade_database(database_url, connect_args=connect_args)

    async with _unit_of_work(database_url, connect_args) as uow, uow:
        event = await uow.events.current(DAY)
        assert event is not None and event.id is not None
        [participant] = await uow.participants.for_event(event.id)
    assert [(item.title, item.audience) for item in event.items] == [("Velkommen", EVERYONE)]
    assert (event.departments, event.levels) == (("MSO",), ("Leder",))
    assert (event.preparation, event.preparation_reminder_days) == ("", None)
    assert (participant.name, participant.identities) == ("Søren", {SLACK})
    assert (participant.reminders, participant.groups, participant.calendar_token) == (
        False,
        frozenset(),
        None,
    )

    async with _unit_of_work(database_url, connect_args) as uow, uow:  # and they can be written
        changed = dataclasses.replace(participant, groups=frozenset({"Gruppe 3"}), reminders=True)
        await uow.participants.update(changed)
        await uow.commit()
    async with _unit_of_work(database_url, connect_args) as uow, uow:
        assert participant.id is not None
        assert await uow.participants.get(participant.id) == changed
        [welcome] = event.items
        again = await uow.events.save_programme(event.id, (dataclasses.replace(welcome, id=None),))
    assert again.items[0].id is not None and welcome.id is not None
    assert again.items[0].id > welcome.id  # the id of a deleted item is not given again


async def test_downgrading_to_0002_keeps_events_participants_and_identities(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    async with _unit_of_work(database_url, connect_args) as uow, uow:
        event = await uow.events.add(
            dataclasses.replace(demo_event(DAY), preparation="Læs dit ledelsesgrundlag")
        )
        assert event.id is not None
        participant = await uow.participants.add(
            Participant(
                event.id,
                "Søren",
                "MSO",
                "Leder",
                reminders=True,
                groups=frozenset({"Gruppe 3"}),
                calendar_token="a" * 64,
                identities=frozenset({SLACK}),
            )
        )
        assert participant.id is not None
        await uow.changes.add(
            ProgrammeChange(event.id, "Helle", NOON, "Frokost senere", event.items, event.items)
        )
        assert await uow.reminders.claim(participant.id, "breakout:1", NOON)
        await uow.conversations.save(SLACK, {"conversation": {"id": "D1"}})
        await uow.commit()

    await downgrade_database(database_url, revision="0002", connect_args=connect_args)

    assert await _tables(database_url, connect_args) == TABLES_0002
    assert await _revision(database_url, connect_args) == "0002"
    for table, columns in COLUMNS_0003.items():
        assert not columns & await _columns(database_url, connect_args, table), table
    for table, count in (
        ("programme_items", len(event.items)),
        ("participants", 1),
        ("participant_identities", 1),
    ):
        assert await _scalar(database_url, connect_args, f"SELECT count(*) FROM {table}") == count

    await upgrade_database(database_url, connect_args=connect_args)
    async with _unit_of_work(database_url, connect_args) as uow, uow:
        again = await uow.participants.get(participant.id)
        assert await uow.changes.for_event(event.id) == []
    assert again == dataclasses.replace(
        participant, reminders=False, groups=frozenset(), calendar_token=None
    )


def _participant_as_0002_stored_it() -> list[TextClause]:
    participant = text(
        "INSERT INTO participants (event_id, name, department, area, level, participant_type,"
        " phone_consent, language, status, created_at, updated_at)"
        " SELECT id, 'Søren', 'MSO', '', 'Leder', 'leader', :no, 'da', 'signed_up', :now, :now"
        " FROM events"
    )
    identity = text(
        "INSERT INTO participant_identities (participant_id, event_id, channel, user_id)"
        " SELECT id, event_id, :channel, :user_id FROM participants"
    )
    return [
        participant.bindparams(
            bindparam("no", False, Boolean()), bindparam("now", NOON, UtcDateTime())
        ),
        identity.bindparams(channel=SLACK.channel, user_id=SLACK.user_id),
    ]


def _event_as_0001_stored_it() -> list[TextClause]:
    event = text(
        "INSERT INTO events (name, start_date, end_date, timezone, created_at)"
        " VALUES ('Træf 2026', :day, :day, 'Europe/Copenhagen', :now)"
    )
    return [
        event.bindparams(bindparam("day", DAY, Date()), bindparam("now", NOON, UtcDateTime())),
        _item_as_0001_stored_it(),
    ]


def _item_as_0001_stored_it() -> TextClause:
    item = text(
        "INSERT INTO programme_items"
        " (event_id, position, starts_at, title, kind, speakers, description)"
        " SELECT id, 0, :now, 'Velkommen', 'plenary', '[]', '' FROM events"
    )
    return item.bindparams(bindparam("now", NOON, UtcDateTime()))


def _event_as_0002_stored_it() -> list[TextClause]:
    event = text(
        "INSERT INTO events (name, start_date, end_date, timezone, departments, levels, created_at)"
        " VALUES ('Træf 2026', :day, :day, 'Europe/Copenhagen', '[\"MSO\"]', '[\"Leder\"]', :now)"
    )
    return [
        event.bindparams(bindparam("day", DAY, Date()), bindparam("now", NOON, UtcDateTime())),
        _item_as_0001_stored_it(),
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


async def test_downgrading_0004_removes_only_the_group_plans(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    await downgrade_database(database_url, revision="0003", connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES_0003
    assert await _revision(database_url, connect_args) == "0003"
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES


async def test_downgrading_0005_removes_only_the_outbox(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    await downgrade_database(database_url, revision="0004", connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES_0004
    assert await _revision(database_url, connect_args) == "0004"
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES


async def test_downgrading_0006_removes_only_the_feedback(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    await downgrade_database(database_url, revision="0005", connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES_0005
    assert await _revision(database_url, connect_args) == "0005"
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES


async def test_downgrading_0007_removes_only_the_revisions(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    await downgrade_database(database_url, revision="0006", connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES_0006
    assert await _revision(database_url, connect_args) == "0006"
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES
