"""aiosqlite connections whose statements take one trip to the connection's thread, not four.

aiosqlite runs each sqlite3 call in the connection's own thread and hands the result back to the
event loop: creating a cursor, executing, fetching the rows and closing the cursor are four trips
(queue, thread, wake-up of the loop) for one statement, and they cost more than the statement.
`OneTripCursor` does all four in one trip and keeps the rows; fetching them then takes none.
Ending a transaction that is not open (after reads) takes no trip either.

SQLAlchemy's aiosqlite dialect builds its connections with `async_creator_fn` when given one in
`connect_args` (with the arguments it would pass `aiosqlite.connect`); `create_engine` passes
`connect_one_trip`. The cursor offers what SQLAlchemy's adapter uses of an aiosqlite cursor.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from types import TracebackType
from typing import Any, Self

import aiosqlite

Description = tuple[tuple[str, None, None, None, None, None, None], ...] | None
_Outcome = tuple[Description, list[Any], int, int | None]


def connect_one_trip(database: str, **kwargs: Any) -> OneTripConnection:
    """Like `aiosqlite.connect`, with cursors that take one trip per statement."""

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(database, **kwargs)

    connection = OneTripConnection(connector, 64)
    # As SQLAlchemy does for aiosqlite's own: a daemon thread (the connection is a thread itself
    # before aiosqlite 0.22, and holds one from then on).
    thread: Any = getattr(connection, "_thread", connection)
    thread.daemon = True
    return connection


class OneTripConnection(aiosqlite.Connection):
    """Cursors of one trip per statement; no trip at all to end a transaction that is not open.

    sqlite3 does nothing on `commit()` or `rollback()` outside a transaction, and a connection
    that only read has none open (sqlite3 opens transactions for writes); SQLAlchemy rolls back
    every connection it takes back, so reads would pay a trip for nothing. `in_transaction` is
    read between statements, when the connection's thread is not using it.
    """

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def commit(self) -> None:
        if self._transaction_may_be_open():
            await super().commit()

    async def rollback(self) -> None:
        if self._transaction_may_be_open():
            await super().rollback()

    def _transaction_may_be_open(self) -> bool:
        connection = self._connection
        return connection is None or connection.in_transaction


class OneTripCursor:
    """Runs a statement, fetches all its rows and closes the sqlite3 cursor in one trip."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: deque[Any] = deque()
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def __await__(self) -> Generator[Any, None, Self]:
        return self._itself().__await__()

    async def _itself(self) -> Self:
        return self

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = None) -> Self:
        connection = self._connection._conn
        self._keep(await self._connection._execute(_run, connection, sql, parameters, False))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Self:
        connection = self._connection._conn
        self._keep(await self._connection._execute(_run, connection, sql, parameters, True))
        return self

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(count, len(self._rows)))]

    async def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()

    async def nextset(self) -> bool | None:
        return None

    def _keep(self, outcome: _Outcome) -> None:
        self.description, rows, self.rowcount, self.lastrowid = outcome
        self._rows = deque(rows)


def _run(connection: sqlite3.Connection, sql: str, parameters: Any, many: bool) -> _Outcome:
    """In the connection's thread: execute, fetch everything, close."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        elif parameters is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()
