"""INSERT … ON CONFLICT, which PostgreSQL and SQLite both know but SQLAlchemy builds per dialect."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase


def insert_on_conflict(
    session: AsyncSession | AsyncConnection, model: type[DeclarativeBase]
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into the model's table that can take `on_conflict_do_…`, for the session's (or
    connection's) database."""
    if isinstance(session, AsyncConnection):
        dialect = session.dialect.name
    else:
        dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"Storage does not support the {dialect} dialect.")
