"""Engines: SQLite connections enforce foreign keys and wait for locks; files get a directory."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from storage.database import (
    SQLITE_BUSY_TIMEOUT_MS,
    create_engine,
    create_session_factory,
    ensure_sqlite_directory,
)


async def test_sqlite_connections_enforce_foreign_keys_and_wait_for_locks(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}")
    try:
        async with engine.connect() as connection:
            foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
            busy_timeout = await connection.scalar(text("PRAGMA busy_timeout"))
    finally:
        await engine.dispose()
    assert (foreign_keys, busy_timeout) == (1, SQLITE_BUSY_TIMEOUT_MS)


async def test_a_sqlite_file_gets_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "traefbot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
    finally:
        await engine.dispose()
    assert path.is_file()


def test_only_sqlite_files_get_a_directory(tmp_path: Path) -> None:
    ensure_sqlite_directory("sqlite+aiosqlite:///:memory:")
    ensure_sqlite_directory("sqlite+aiosqlite://")
    ensure_sqlite_directory(f"postgresql+asyncpg://postgres@localhost/{tmp_path / 'no'}")
    assert list(tmp_path.iterdir()) == []

    ensure_sqlite_directory(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'traefbot.db'}")
    assert (tmp_path / "data").is_dir()


def test_sessions_keep_their_objects_loaded_after_commit(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'sessions.db'}")
    assert create_session_factory(engine).kw["expire_on_commit"] is False


async def test_a_sqlite_file_is_kept_in_wal_mode_without_a_sync_per_commit(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'wal.db'}"
    engine, other = create_engine(url), create_engine(url)
    try:
        async with engine.connect() as connection:
            journal_mode = await connection.scalar(text("PRAGMA journal_mode"))
            synchronous = await connection.scalar(text("PRAGMA synchronous"))
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        async with other.connect() as reader, engine.begin() as writer:
            # WAL: a reader's open transaction does not stop a writer from committing
            await reader.execute(text("BEGIN"))
            assert await reader.scalar(text("SELECT count(*) FROM t")) == 1
            await writer.execute(text("INSERT INTO t VALUES (2)"))
    finally:
        await engine.dispose()
        await other.dispose()
    assert (journal_mode, synchronous) == ("wal", 1)  # 1 = NORMAL


async def test_an_in_memory_sqlite_database_works(tmp_path: Path) -> None:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1), (2)"))
            assert await connection.scalar(text("SELECT sum(x) FROM t")) == 3
            assert await connection.scalar(text("PRAGMA journal_mode")) == "memory"
    finally:
        await engine.dispose()
