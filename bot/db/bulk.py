"""Many rows in one statement, their values handed to the driver as they are (a tick's batch).

SQLAlchemy's executemany converts every value of every row in Python; for a planner tick's
thousands of outbox, decision and parent rows that was about a sixth of the tick. Here a row is
a tuple in the order of the columns named, and the statement is the dialect's own:

- PostgreSQL: one array a column, `INSERT ... SELECT FROM unnest(...)` or
  `UPDATE ... FROM unnest(...)`, each array encoded by asyncpg in C; one round trip.
- SQLite: `?` placeholders (an insert that returns ids as multi-row VALUES, an update as
  executemany); datetimes written as SQLAlchemy writes them there (naive UTC,
  "YYYY-MM-DD HH:MM:SS.ffffff"), dates as ISO dates.

`among(session, column, ids)` is the reading side: a batch's ids as one parameter (a
PostgreSQL array, a JSON list SQLite reads with json_each) instead of an IN list of hundreds,
which SQLAlchemy renders anew for every statement.

Every column a row needs is given (SQLAlchemy's Python-side defaults are not applied);
datetimes must be aware, as `UtcDateTime` demands. The array types come from the table.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Table,
    Text,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

Row = Sequence[Any]
# SQLite's default limit on a statement's parameters (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
SQLITE_MAX_PARAMETERS = 32_766


async def insert(
    session: AsyncSession,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    on_conflict: Sequence[str] = (),
    returning: str | None = None,
) -> list[Any]:
    """Insert `rows` (skipping those that conflict on the `on_conflict` columns, when named);
    the `returning` column of each row inserted, in no promised order."""
    if not rows:
        return []
    connection = await _connection(session)
    conflict = f" ON CONFLICT ({', '.join(on_conflict)}) DO NOTHING" if on_conflict else ""
    tail = f"{conflict} RETURNING {returning}" if returning else conflict
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        sql = (
            f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest("
            f"{_pg_arrays(table, tuple(columns))}){tail}"
        )
        result = await connection.exec_driver_sql(sql, _by_column(rows, len(columns)))
        return list(result.scalars()) if returning else []
    prepared = _for_sqlite(table, tuple(columns), rows)
    one = "(" + ", ".join("?" * len(columns)) + ")"
    if not returning:
        await connection.exec_driver_sql(
            f"INSERT INTO {table.name} ({names}) VALUES {one}{tail}", prepared
        )
        return []
    found: list[Any] = []
    step = max(1, SQLITE_MAX_PARAMETERS // len(columns))
    for start in range(0, len(prepared), step):
        chunk = prepared[start : start + step]
        sql = f"INSERT INTO {table.name} ({names}) VALUES {', '.join([one] * len(chunk))}{tail}"
        flat = tuple(value for row in chunk for value in row)
        found.extend((await connection.exec_driver_sql(sql, flat)).scalars())
    return found


async def update(
    session: AsyncSession, table: Table, key: str, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """Set `columns` of the row whose `key` is each row's first value (the rest, in order)."""
    if not rows:
        return
    connection = await _connection(session)
    if connection.dialect.name == "postgresql":
        sets = ", ".join(f"{name} = v.{name}" for name in columns)
        sql = (
            f"UPDATE {table.name} SET {sets} FROM unnest("
            f"{_pg_arrays(table, (key, *columns))}) AS v({key}, {', '.join(columns)})"
            f" WHERE {table.name}.{key} = v.{key}"
        )
        await connection.exec_driver_sql(sql, _by_column(rows, len(columns) + 1))
        return
    sets = ", ".join(f"{name} = ?" for name in columns)
    prepared = _for_sqlite(table, (key, *columns), rows)
    await connection.exec_driver_sql(
        f"UPDATE {table.name} SET {sets} WHERE {key} = ?", [(*row[1:], row[0]) for row in prepared]
    )


async def _connection(session: AsyncSession) -> AsyncConnection:
    """The session's connection, with the ORM's pending changes written first (as any
    `session.execute` would), so statements keep their order."""
    await session.flush()
    return await session.connection()


def among(
    session: AsyncSession, column: InstrumentedAttribute[Any], ids: Sequence[int]
) -> ColumnElement[bool]:
    """`column IN ids`, with the ids as one parameter whatever their number."""
    if session.get_bind().dialect.name == "postgresql":
        array = postgresql.ARRAY(column.expression.type)
        return column == any_(bindparam(None, list(ids), type_=array))
    each = func.json_each(bindparam(None, json.dumps(list(ids)), type_=Text)).table_valued("value")
    return column.in_(select(each.c.value))


def _by_column(rows: Sequence[Row], width: int) -> tuple[list[Any], ...]:
    return tuple([row[i] for row in rows] for i in range(width))


@functools.cache
def _pg_arrays(table: Table, columns: tuple[str, ...]) -> str:
    """`$1::INTEGER[], $2::VARCHAR(120)[], ...`: each column's type as the table declares it."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return ", ".join(
        f"${i}::{table.c[name].type.compile(dialect=dialect)}[]"
        for i, name in enumerate(columns, start=1)
    )


@functools.lru_cache(maxsize=4096)  # a batch's rows share a few moments (now, the due time)
def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


@functools.cache
def _sqlite_converters(
    table: Table, columns: tuple[str, ...]
) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The positions of the datetime and date columns, with what writes them."""
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(columns):
        kind = table.c[name].type
        if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
            found.append((i, _sqlite_datetime))
        elif isinstance(kind, Date):
            found.append((i, _sqlite_date))
    return tuple(found)


def _for_sqlite(
    table: Table, columns: tuple[str, ...], rows: Sequence[Row]
) -> list[tuple[Any, ...]]:
    """The rows as tuples (what sqlite3's executemany takes), dates and datetimes written."""
    converters = _sqlite_converters(table, columns)
    if not converters:
        return [tuple(row) for row in rows]
    prepared = []
    for row in rows:
        values = list(row)
        for i, convert in converters:
            values[i] = convert(values[i])
        prepared.append(tuple(values))
    return prepared
