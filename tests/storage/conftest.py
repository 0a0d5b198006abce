"""Every storage test runs on each backend: a fresh SQLite file, and a fresh PostgreSQL schema.

PostgreSQL runs when TEST_POSTGRES_URL is set (e.g. postgresql+asyncpg://postgres@127.0.0.1/test);
then an unreachable server fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from storage.bot_storage import SqlStorage
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.unit_of_work import SqlUnitOfWork

POSTGRES_URL_VARIABLE = "TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[str, Mapping[str, Any]]]:
    """URL and driver arguments of a database that holds nothing yet."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'not-yet-created' / 'traefbot.db'}", {}
        return
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} not set: PostgreSQL storage tests skipped")
    async with fresh_schema(url) as schema:
        yield url, {"server_settings": {"search_path": schema}}


@asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """A uniquely named PostgreSQL schema, dropped with everything in it afterwards."""
    name = f"test_{uuid4().hex}"
    admin = create_async_engine(url, poolclass=NullPool)
    try:
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{name}"'))
        yield name
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        await admin.dispose()


@pytest.fixture
def database_url(empty_database: tuple[str, Mapping[str, Any]]) -> str:
    return empty_database[0]


@pytest.fixture
def connect_args(empty_database: tuple[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    return empty_database[1]


@pytest.fixture
async def engine(database_url: str, connect_args: Mapping[str, Any]) -> AsyncIterator[AsyncEngine]:
    """An engine on a migrated database."""
    await upgrade_database(database_url, connect_args=connect_args)
    engine = create_engine(database_url, connect_args=connect_args)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def storage(session_factory: async_sessionmaker[AsyncSession]) -> SqlStorage:
    return SqlStorage(session_factory)


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession]) -> SqlUnitOfWork:
    return SqlUnitOfWork(session_factory)
