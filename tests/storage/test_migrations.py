"""The Alembic migrations: they create the schema the models describe, and only once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage.database import create_engine
from storage.migrate import downgrade_database, upgrade_database
from storage.models import metadata

T = TypeVar("T")

TABLES = {"alembic_version", "bot_state", "events", "programme_items"}


async def test_upgrading_creates_the_tables(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _tables(database_url, connect_args) == TABLES
    assert await _revision(database_url, connect_args) == "0001"


async def test_upgrading_twice_changes_nothing(
    database_url: str, connect_args: Mapping[str, Any]
) -> None:
    await upgrade_database(database_url, connect_args=connect_args)
    insert = "INSERT INTO bot_state VALUES ('k', '{}', 'e', CURRENT_TIMESTAMP)"
    await _execute(database_url, connect_args, insert)
    await upgrade_database(database_url, connect_args=connect_args)
    assert await _revision(database_url, connect_args) == "0001"
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


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection)
    return list(compare_metadata(context, metadata))


async def _tables(url: str, connect_args: Mapping[str, Any]) -> set[str]:
    return await _run_sync(url, connect_args, lambda c: set(inspect(c).get_table_names()))


async def _revision(url: str, connect_args: Mapping[str, Any]) -> object:
    return await _scalar(url, connect_args, "SELECT version_num FROM alembic_version")


async def _scalar(url: str, connect_args: Mapping[str, Any], sql: str) -> object:
    return await _run_sync(url, connect_args, lambda c: c.execute(text(sql)).scalar_one())


async def _execute(url: str, connect_args: Mapping[str, Any], sql: str) -> None:
    engine = create_engine(url, connect_args=connect_args)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(sql))
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
