"""Engines and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from storage import revision_cache
from storage.sqlite_connection import connect_one_trip

SQLITE_BUSY_TIMEOUT_MS = 15_000


def create_engine(url: str, *, connect_args: Mapping[str, Any] | None = None) -> AsyncEngine:
    """An engine for `sqlite+aiosqlite://…` or `postgresql+asyncpg://…`.

    SQLite connections enforce foreign keys and wait for locks instead of failing at once; the
    directory of a SQLite file is created when missing; it is kept in write-ahead-log mode with
    `synchronous = NORMAL` (see `_configure_sqlite_connection`), and each statement takes one trip
    to aiosqlite's thread (`storage.sqlite_connection`). `connect_args` go to the driver,
    e.g. `{"server_settings": {"search_path": "traef"}}` for asyncpg.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        ensure_sqlite_directory(parsed)
        arguments = {"async_creator_fn": connect_one_trip, **(connect_args or {})}
        engine = create_async_engine(parsed, connect_args=arguments)
        event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
        return engine
    return create_async_engine(parsed, connect_args=dict(connect_args or {}), pool_pre_ping=True)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that share one `RevisionCache` (see `storage.revision_cache`)."""
    cache = revision_cache.RevisionCache()
    return async_sessionmaker(
        engine,
        expire_on_commit=False,
        sync_session_class=revision_cache.RevisionSession,
        info={revision_cache.SESSION_KEY: cache},
    )


def ensure_sqlite_directory(url: str | URL) -> None:
    """Create the directory that will hold a SQLite database file; other URLs are left alone."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or is_sqlite_memory(parsed):
        return
    database = parsed.database or ""
    if parsed.query.get("uri") and database.startswith("file:"):
        database = database.removeprefix("file:").split("?", 1)[0]
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def is_sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or url.query.get("mode") == "memory"


def _configure_sqlite_connection(
    dbapi_connection: Any, _connection_record: ConnectionPoolEntry
) -> None:
    """Foreign keys on, a busy timeout, and for a file: write-ahead log, `synchronous = NORMAL`.

    In WAL mode readers do not block the writer nor the writer readers, and a commit appends to
    the log instead of rewriting pages through a rollback journal. With `synchronous = NORMAL` a
    commit is not fsynced; the log is synced at checkpoints. A committed transaction survives a
    crash of the application (the operating system still has it); after a power loss or an
    operating-system crash the last transactions before it may be rolled back, though the database
    stays consistent. Bot state and what a facilitator typed can be redone; that is the trade for
    a commit that costs no fsync. The mode is kept in the file, so every process that opens it (the
    CLI, migrations) uses it too. In-memory databases keep their own journal ("memory").
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()
