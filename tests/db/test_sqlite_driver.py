"""SQLite through one trip to aiosqlite's thread a statement: the same results, errors and
transactions as aiosqlite's own cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import make_engine
from bot.db.sqlite_driver import OneTripConnection


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    found = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    async with found.begin() as connection:
        await connection.execute(
            text("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)")
        )
    yield found
    await found.dispose()


def _trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the calls handed to the connection's thread."""
    calls: list[str] = []
    original = OneTripConnection._execute

    async def counted(self: OneTripConnection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", "call"))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(OneTripConnection, "_execute", counted)
    return calls


async def test_a_statement_is_one_trip_and_returns_its_rows(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with engine.begin() as connection:
        trips = _trips(monkeypatch)
        inserted = await connection.execute(
            text("INSERT INTO items (name) VALUES (:name) RETURNING id"), {"name": "a"}
        )
        assert inserted.scalar_one() == 1
        many = await connection.execute(
            text("INSERT INTO items (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        assert many.rowcount == 2
        rows = await connection.execute(text("SELECT id, name FROM items ORDER BY id"))
        assert [tuple(row) for row in rows] == [(1, "a"), (2, "b"), (3, "c")]
        assert len(trips) == 3


async def test_errors_and_rollbacks_behave_as_with_aiosqlite(engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO items (name) VALUES ('x')"))
            await connection.execute(text("INSERT INTO items (name) VALUES ('x')"))
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM items"))).scalar_one()
        assert count == 0  # the first insert was rolled back with the failed one
        updated = await connection.execute(text("UPDATE items SET name = 'y'"))
        assert updated.rowcount == 0


async def test_a_commit_with_nothing_written_makes_no_trip(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        trips = _trips(monkeypatch)
        await connection.commit()
        await connection.rollback()
        assert trips == []
        await connection.execute(text("INSERT INTO items (name) VALUES ('z')"))
        await connection.commit()
        assert len(trips) == 2  # the insert, the commit
