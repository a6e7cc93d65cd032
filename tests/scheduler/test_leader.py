"""One sender at a time across workers (PostgreSQL only: SQLite has one process)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot.db.session import make_engine
from scheduler.leader import SenderLease


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("the sender lease is a PostgreSQL advisory lock")
    return database_url


async def test_only_one_worker_holds_the_lease_and_another_takes_over(pg_url: str) -> None:
    first_engine, second_engine = make_engine(pg_url), make_engine(pg_url)
    first = SenderLease(first_engine, on_notify=lambda: None)
    second = SenderLease(second_engine, on_notify=lambda: None)
    try:
        assert await first.held()
        assert not await second.held()
        await first.release()  # the leader dies: its connection closes, the lock goes
        assert await second.held()
        assert not await first.held()
    finally:
        await first.release()
        await second.release()
        await first_engine.dispose()
        await second_engine.dispose()


async def test_a_notify_from_any_worker_wakes_the_leader(pg_url: str) -> None:
    engine, other = make_engine(pg_url), make_engine(pg_url)
    woken = asyncio.Event()
    lease = SenderLease(engine, on_notify=woken.set)
    try:
        assert await lease.held()
        async with other.begin() as connection:
            await connection.execute(text("NOTIFY tend_outbox"))
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        await lease.release()
        await engine.dispose()
        await other.dispose()
