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
