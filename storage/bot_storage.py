"""botbuilder's `Storage` in the `bot_state` table, with e_tag concurrency like BlobStorage.

An item whose e_tag is None or "*" is written whatever is stored; an item with another e_tag
only over the stored item with that same e_tag. All items of one `write` go in one transaction.
Each item is one statement (an upsert, or an update conditional on the e_tag), run on a plain
connection: state is read and written every turn, and needs no ORM session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast
from uuid import uuid4

from botbuilder.core import Storage
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.sql.dml import Insert

from storage import store_items
from storage.dialect_insert import insert_on_conflict
from storage.models import BotStateRow
from storage.utc_datetime import utc_now


class EtagConflictError(Exception):
    """The stored item changed (or vanished) since it was read: another turn got there first."""

    def __init__(self, key: str, e_tag: str) -> None:
        super().__init__(
            f"Etag conflict: '{key}' is no longer stored with e_tag '{e_tag}'; "
            "it was changed or deleted since it was read."
        )
        self.key = key
        self.e_tag = e_tag


class SqlStorage(Storage):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        super().__init__()
        engine = session_factory.kw.get("bind")
        if not isinstance(engine, AsyncEngine):
            raise TypeError("SqlStorage needs a session factory bound to an AsyncEngine.")
        self._engine: AsyncEngine = engine

    async def read(self, keys: Iterable[str] | None) -> dict[str, object]:
        wanted = list(keys) if keys is not None else []
        if not wanted:
            raise Exception("Keys are required when reading")
        query = select(BotStateRow.key, BotStateRow.data, BotStateRow.e_tag).where(
            BotStateRow.key.in_(wanted)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return {key: store_items.decode(data, e_tag) for key, data, e_tag in rows}

    async def write(self, changes: Mapping[str, object] | None) -> None:
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        expected = {key: _expected_e_tag(key, item) for key, item in changes.items()}
        written: dict[str, str] = {}
        async with self._engine.begin() as connection:
            for key in sorted(changes):  # one lock order for all writers: no deadlocks
                written[key] = await _write_one(connection, key, changes[key], expected[key])
        for key, item in changes.items():
            store_items.set_e_tag(item, written[key])

    async def delete(self, keys: Iterable[str] | None) -> None:
        if keys is None:
            raise Exception("Keys are required when deleting")
        doomed = list(keys)
        if not doomed:
            return
        async with self._engine.begin() as connection:
            await connection.execute(delete(BotStateRow).where(BotStateRow.key.in_(doomed)))


def _expected_e_tag(key: str, item: object) -> str | None:
    """The e_tag the stored item must have, or None when any (or no) stored item will do."""
    e_tag = store_items.e_tag_of(item)
    if e_tag == "":
        raise Exception(f"SqlStorage.write(): e_tag of '{key}' is empty")
    return None if e_tag == "*" else e_tag


async def _write_one(
    connection: AsyncConnection, key: str, item: object, expected: str | None
) -> str:
    """Write one item; returns its new e_tag."""
    e_tag = uuid4().hex
    values: dict[str, Any] = {
        "data": store_items.encode(item),
        "e_tag": e_tag,
        "updated_at": utc_now(),
    }
    if expected is None:
        await connection.execute(_upsert(connection, {"key": key, **values}))
        return e_tag
    statement = (
        update(BotStateRow)
        .where(BotStateRow.key == key, BotStateRow.e_tag == expected)
        .values(values)
    )
    result = cast(CursorResult[Any], await connection.execute(statement))
    if result.rowcount != 1:
        raise EtagConflictError(key, expected)
    return e_tag


def _upsert(connection: AsyncConnection, values: dict[str, Any]) -> Insert:
    """INSERT … ON CONFLICT (key) DO UPDATE, safe against a concurrent insert of the same key."""
    statement = insert_on_conflict(connection, BotStateRow).values(values)
    return statement.on_conflict_do_update(
        index_elements=[BotStateRow.key],
        set_={name: statement.excluded[name] for name in ("data", "e_tag", "updated_at")},
    )
