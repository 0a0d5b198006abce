"""Bring a database to the newest schema with the Alembic migrations in `storage/migrations`.

    await upgrade_database("sqlite+aiosqlite:///data/traefbot.db")

Needs no alembic.ini and works from any working directory and inside a running event loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.database import create_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant; serialises concurrent migrations of one PostgreSQL database.
_POSTGRES_LOCK_ID = 7_214_011


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration, built in code; `url` only matters to Alembic's own commands."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade_database(
    url: str, *, revision: str = "head", connect_args: Mapping[str, Any] | None = None
) -> None:
    """Migrate the database at `url` up to `revision`; a database already there is left as is."""
    await _migrate(url, "upgrade", revision, connect_args)


async def downgrade_database(
    url: str, *, revision: str = "base", connect_args: Mapping[str, Any] | None = None
) -> None:
    """Migrate the database at `url` down to `revision` (by default: drop everything)."""
    await _migrate(url, "downgrade", revision, connect_args)


async def _migrate(
    url: str, direction: str, revision: str, connect_args: Mapping[str, Any] | None
) -> None:
    engine = create_engine(url, connect_args=connect_args)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_alembic, direction, revision)
    finally:
        await engine.dispose()


def _run_alembic(connection: Connection, direction: str, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _POSTGRES_LOCK_ID})
    config = alembic_config()
    config.attributes["connection"] = connection
    if direction == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)
