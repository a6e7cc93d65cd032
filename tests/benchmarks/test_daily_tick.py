"""How long the daily tick takes as families grow: planning (outbox rows) and sending.

Opt-in: `pytest --benchmarks tests/benchmarks -s` (add TEND_TEST_DATABASE_URL for PostgreSQL).
Figures are printed, not asserted: the suite never fails on a slow machine.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import func, insert, select

from bot.app import build_application, ticker
from bot.config import Settings
from bot.db.models import Child, Delivery, Parent
from bot.db.session import make_engine, make_session_factory
from bot.emulator import BotApiEmulator
from messages.library import load_library
from scheduler.clock import WarpClock
from scheduler.planner import plan_due_deliveries

pytestmark = pytest.mark.benchmark

DUE = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC)


async def seed_parents(database_url: str, count: int, *, first_user_id: int = 10_000) -> None:
    """`count` active parents, all due at DUE, children of every age from 0 to 59 months."""
    engine = make_engine(database_url)
    async with make_session_factory(engine).begin() as session:
        parents = [
            {
                "telegram_user_id": first_user_id + i,
                "chat_id": first_user_id + i,
                "language": "es" if i % 3 == 0 else "en",
                "timezone": "America/New_York",
                "send_time": dt.time(8, 0),
                "cadence": "daily",
                "status": "active",
                "next_send_at": DUE,
                "unanswered_count": 0,
                "created_at": DUE - dt.timedelta(days=30),
            }
            for i in range(count)
        ]
        await session.execute(insert(Parent), parents)
        ids = (await session.scalars(select(Parent.id).order_by(Parent.id))).all()
        await session.execute(
            insert(Child),
            [
                {
                    "parent_id": pid,
                    "name": None,
                    "birth_date": dt.date(2026, 11, 1) - dt.timedelta(days=30 * (i % 60)),
                }
                for i, pid in enumerate(ids)
            ],
        )
    await engine.dispose()


@pytest.mark.parametrize("families", [1_000, 10_000])
async def test_planner_throughput(database_url: str, families: int) -> None:
    await seed_parents(database_url, families)
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    library = load_library()
    clock = WarpClock(DUE + dt.timedelta(seconds=30), frozen=True)
    started = time.perf_counter()
    planned = await plan_due_deliveries(sessions, library, clock)
    elapsed = time.perf_counter() - started
    again = await plan_due_deliveries(sessions, library, clock)
    async with sessions() as session:
        rows = await session.scalar(select(func.count(Delivery.id)))
    await engine.dispose()
    backend = database_url.split(":", 1)[0]
    print(
        f"\nplanner [{backend}] {families} due families: {planned} rows in {elapsed:.2f} s "
        f"({planned / elapsed:.0f} families/s); second tick planned {again}"
    )
    assert planned == families == rows and again == 0


async def test_sender_throughput_through_the_emulator(database_url: str) -> None:
    families = 1_000
    await seed_parents(database_url, families)
    emu = BotApiEmulator(token="123456:BENCH", bot_username="TendBenchBot")
    await emu.start(host="127.0.0.1", port=0)
    for i in range(families):
        emu.add_user(10_000 + i, first_name="Parent", language_code="en")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token="123456:BENCH",
        telegram_api_base_url=emu.base_url,
        database_url=database_url,
    )
    clock = WarpClock(DUE + dt.timedelta(seconds=30), frozen=True)
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    try:
        started = time.perf_counter()
        report = await ticker(application).tick()
        elapsed = time.perf_counter() - started
    finally:
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]
        await emu.stop()
    backend = database_url.split(":", 1)[0]
    print(
        f"\nplan+send [{backend}] {families} families through the emulator (no rate limit): "
        f"{report.sent} sent in {elapsed:.2f} s ({report.sent / elapsed:.0f} msg/s)"
    )
    assert report.sent == families
