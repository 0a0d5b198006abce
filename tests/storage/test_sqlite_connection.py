"""One-trip aiosqlite cursors: what SQLAlchemy reads from a cursor, as aiosqlite's own give it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.database import create_engine
from storage.sqlite_connection import OneTripConnection, connect_one_trip


async def test_a_cursor_gives_rows_description_rowcount_and_lastrowid_as_aiosqlite_does(
    tmp_path: Path,
) -> None:
    seen = []
    for connect in (aiosqlite.connect, connect_one_trip):
        async with connect(str(tmp_path / f"{connect.__name__}.db")) as connection:
            cursor = await connection.cursor()
            await cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
            await cursor.executemany("INSERT INTO t (name) VALUES (?)", [("a",), ("b",), ("c",)])
            many = cursor.rowcount
            await cursor.execute("INSERT INTO t (name) VALUES (?)", ("d",))
            inserted = (cursor.rowcount, cursor.lastrowid)
            await cursor.execute("UPDATE t SET name = upper(name) WHERE id > ?", (2,))
            updated = cursor.rowcount
            await cursor.execute("SELECT id, name FROM t ORDER BY id")
            names = [column[0] for column in cursor.description]
            first = await cursor.fetchone()
            two = await cursor.fetchmany(2)
            rest = await cursor.fetchall()
            await cursor.close()
            seen.append((many, inserted, updated, names, first, list(two), list(rest)))
    assert seen[0] == seen[1]
    assert seen[1] == (3, (1, 4), 2, ["id", "name"], (1, "a"), [(2, "b"), (3, "C")], [(4, "D")])


async def test_errors_come_back_as_sqlite_raised_them(tmp_path: Path) -> None:
    async with connect_one_trip(str(tmp_path / "errors.db")) as connection:
        assert isinstance(connection, OneTripConnection)
        async with connection.cursor() as cursor:
            await cursor.execute("CREATE TABLE t (x INTEGER UNIQUE)")
            await cursor.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(sqlite3.IntegrityError):
                await cursor.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(sqlite3.OperationalError):
                await cursor.execute("SELECT nothing FROM nowhere")


async def test_engines_use_one_trip_cursors_and_sqlalchemy_maps_their_errors(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'engine.db'}")
    try:
        async with engine.begin() as connection:
            raw = await connection.get_raw_connection()
            assert isinstance(raw.driver_connection, OneTripConnection)
            await connection.execute(text("CREATE TABLE t (x INTEGER UNIQUE)"))
            await connection.execute(text("INSERT INTO t VALUES (1), (2)"))
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT x FROM t ORDER BY x"))).all() == [
                (1,),
                (2,),
            ]
            with pytest.raises(IntegrityError):
                await connection.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        await engine.dispose()


async def test_ending_no_transaction_takes_no_trip_and_an_open_one_is_ended(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "transactions.db")
    async with connect_one_trip(path) as connection:
        trips: list[str] = []
        real = connection._execute

        async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
            trips.append(getattr(function, "__name__", "?"))
            return await real(function, *args, **kwargs)

        connection._execute = counted  # type: ignore[method-assign,assignment]
        cursor = await connection.cursor()
        await cursor.execute("CREATE TABLE t (x INTEGER)")
        await cursor.execute("SELECT count(*) FROM t")
        await connection.rollback()
        await connection.commit()
        assert trips == ["_run", "_run"]

        await cursor.execute("INSERT INTO t VALUES (1)")  # sqlite3 opens a transaction
        await connection.rollback()
        await cursor.execute("INSERT INTO t VALUES (2)")
        await connection.commit()
        await cursor.execute("SELECT x FROM t")
        assert list(await cursor.fetchall()) == [(2,)]
        assert trips.count("rollback") == 1 and trips.count("commit") == 1
