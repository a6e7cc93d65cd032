"""aiosqlite with one trip to its thread per statement instead of four.

aiosqlite runs each sqlite3 call on the connection's own thread, and SQLAlchemy's adapter makes
four such calls for every statement (open a cursor, execute, fetch, close). Each trip wakes the
thread and then the event loop, and on a busy machine the trips cost more than the statement:
a reply's dozen statements paid for about fifty. Here a statement's execute, fetch and close run
together on the thread, and the rows come back with it (SQLAlchemy fetches them all at once
anyway; no query here streams). A commit or rollback with no transaction open skips the trip.

Used through `create_async_engine(url, async_creator=...)` (see `bot.db.session`), so the
SQLAlchemy dialect, pool and adapter are aiosqlite's own; only the driver's cursor differs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import Any

import aiosqlite

_Result = tuple[list[Any], Any, int, int | None]


class _Cursor:
    """An aiosqlite-like cursor whose statements run in one trip to the connection's thread."""

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> _Cursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = None) -> _Cursor:
        self._take(
            await self._connection.run(_execute, sql, () if parameters is None else parameters)
        )
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> _Cursor:
        self._take(await self._connection.run(_executemany, sql, parameters))
        return self

    def _take(self, result: _Result) -> None:
        self._rows, self.description, self.rowcount, self.lastrowid = result

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> Sequence[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []


def _execute(connection: sqlite3.Connection, sql: str, parameters: Any) -> _Result:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return _results(cursor)
    finally:
        cursor.close()


def _executemany(connection: sqlite3.Connection, sql: str, parameters: Iterable[Any]) -> _Result:
    cursor = connection.cursor()
    try:
        cursor.executemany(sql, parameters)
        return _results(cursor)
    finally:
        cursor.close()


def _results(cursor: sqlite3.Cursor) -> _Result:
    rows = cursor.fetchall() if cursor.description else []
    return rows, cursor.description, cursor.rowcount, cursor.lastrowid


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection, handing SQLAlchemy cursors that make one trip a statement."""

    def cursor(self) -> _Cursor:  # type: ignore[override]
        return _Cursor(self)

    async def run(self, call: Callable[..., _Result], *args: Any) -> _Result:
        """`call(sqlite3_connection, *args)` on the connection's thread."""
        result: _Result = await self._execute(  # type: ignore[no-untyped-call]
            lambda: call(self._conn, *args)
        )
        return result

    async def commit(self) -> None:
        if self._in_transaction():
            await super().commit()

    async def rollback(self) -> None:
        if self._in_transaction():
            await super().rollback()

    def _in_transaction(self) -> bool:
        # Read between calls (SQLAlchemy never shares a connection between tasks), so the
        # thread is idle; a closed connection answers True and lets aiosqlite say it is closed.
        connection = self._connection
        return connection is None or connection.in_transaction


def connector(database: str, *, timeout: float) -> Callable[[], Awaitable[OneTripConnection]]:
    """An `async_creator` for `create_async_engine` opening `database` (a path or ":memory:")."""

    async def connect() -> OneTripConnection:
        connection = OneTripConnection(partial(sqlite3.connect, database, timeout=timeout), 64)
        connection._thread.daemon = True  # as SQLAlchemy's own aiosqlite connect does
        await connection
        return connection

    return connect
