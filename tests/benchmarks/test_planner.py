"""Planner: what a tick costs as families grow, and what one job per parent would cost instead.

A tick (resume finished pauses, plan what is due) with nobody, ~700 (1M parents spread over a
day's 1,440 minutes) and 10,000 due, at 10k, 100k and 1M parents, on SQLite and PostgreSQL;
resident memory alongside. Side by side: one `JobQueue.run_daily` job per parent.

Sizes: TEND_BENCH_PLANNER_SIZES (default 10000,100000,1000000).
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update
from telegram.ext import ApplicationBuilder, CallbackContext

from bot.db.models import Delivery, Parent
from bot.db.session import make_engine, make_session_factory
from messages.library import load_library
from scheduler.clock import WarpClock
from scheduler.planner import plan_due_deliveries, resume_finished_pauses
from tests.benchmarks.conftest import (
    DUE,
    BenchDb,
    Report,
    env_sizes,
    peak_rss_mb,
    rss_mb,
    seed_parents,
)

pytestmark = pytest.mark.benchmark

SIZES = env_sizes("TEND_BENCH_PLANNER_SIZES", "10000,100000,1000000")
EMPTY_TICKS = 20


@pytest.mark.parametrize("parents", SIZES, ids=lambda n: f"{n}-parents")
async def test_planner_tick(bench_db: BenchDb, parents: int, report: Report) -> None:
    rss_start = rss_mb()
    started = time.perf_counter()
    await seed_parents(bench_db, parents, spread=True)
    seeded_s = time.perf_counter() - started

    engine = make_engine(bench_db.url)
    sessions = make_session_factory(engine)
    library = load_library()
    clock = WarpClock(DUE + dt.timedelta(seconds=30), frozen=True)

    cpu_of_last_tick = [0.0]

    async def tick() -> tuple[float, int]:
        began, cpu = time.perf_counter(), time.process_time()
        await resume_finished_pauses(sessions, clock)
        planned = await plan_due_deliveries(sessions, library, clock)
        # CPU of this process (SQLite's work included, PostgreSQL's server not): what the
        # tick costs apart from waiting, on a machine shared with other work.
        cpu_of_last_tick[0] = time.process_time() - cpu
        return time.perf_counter() - began, planned

    async def make_due(count: int) -> int:
        """`count` active parents, spread over the ids, due at DUE; the outbox emptied."""
        stride = max(1, parents // count)
        async with sessions.begin() as session:
            await session.execute(delete(Delivery))
            ids = (
                await session.scalars(
                    select(Parent.id)
                    .where(Parent.status == "active", Parent.id % stride == 0)
                    .order_by(Parent.id)
                    .limit(count)
                )
            ).all()
            for start in range(0, len(ids), 5_000):
                await session.execute(
                    update(Parent)
                    .where(Parent.id.in_(ids[start : start + 5_000]))
                    .values(next_send_at=DUE)
                )
        if bench_db.name == "postgresql":
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("ANALYZE parents"))
        return len(ids)

    try:
        await tick()  # warm: first connection, statement caches, the library's indexes
        empty = [(await tick())[0] for _ in range(EMPTY_TICKS)]
        figures: dict[str, Any] = {
            "parents": parents,
            "seed_s": round(seeded_s, 1),
            "empty_tick": {
                "median_ms": round(statistics.median(empty) * 1000, 2),
                "max_ms": round(max(empty) * 1000, 2),
                "ticks": EMPTY_TICKS,
            },
        }
        for wanted in (700, 10_000):
            due = await make_due(min(wanted, parents))
            gc.collect()
            before = rss_mb()
            seconds, planned = await tick()
            cpu_ms = cpu_of_last_tick[0] * 1000
            _, again = await tick()
            async with sessions() as session:
                rows = await session.scalar(select(func.count(Delivery.id)))
            assert planned == due == rows, (planned, due, rows)
            assert again == 0
            figures[f"due_{wanted}"] = {
                "due": due,
                "tick_ms": round(seconds * 1000, 1),
                "tick_cpu_ms": round(cpu_ms, 1),
                "parents_per_s": round(planned / seconds),
                "rss_before_mb": before,
                "rss_after_mb": rss_mb(),
            }
        empty_after = [(await tick())[0] for _ in range(EMPTY_TICKS)]
        figures["empty_tick_after"] = {
            "median_ms": round(statistics.median(empty_after) * 1000, 2),
            "max_ms": round(max(empty_after) * 1000, 2),
        }
        figures["rss_start_mb"] = rss_start
        figures["rss_end_mb"] = rss_mb()
        figures["peak_rss_mb"] = peak_rss_mb()
        figures["goals"] = {
            "10k_due_le_1s": figures["due_10000"]["tick_ms"] <= 1000
            if figures["due_10000"]["due"] == 10_000
            else None,
            "empty_tick_le_20ms": figures["empty_tick"]["median_ms"] <= 20,
        }
    finally:
        await engine.dispose()
    report.record(f"planner_{parents}", bench_db.name, figures)


@pytest.mark.parametrize("parents", [n for n in SIZES if n <= 100_000], ids=lambda n: f"{n}-jobs")
async def test_one_job_per_parent(parents: int, report: Report) -> None:
    """What the design rules out: a JobQueue.run_daily job for every parent."""
    application = ApplicationBuilder().token("123456:JOBS").updater(None).build()
    job_queue = application.job_queue
    assert job_queue is not None

    async def nudge(_: CallbackContext[Any, Any, Any, Any]) -> None:
        return None

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    for i in range(parents):
        job_queue.run_daily(
            nudge,
            time=dt.time(8, i % 60, tzinfo=dt.UTC),
            chat_id=10_000 + i,
            name=f"nudge-{i}",
        )
    scheduled = time.perf_counter() - started
    await job_queue.start()
    started_s = time.perf_counter() - started
    try:
        assert len(job_queue.jobs()) == parents
        gc.collect()
        after = rss_mb()
    finally:
        await job_queue.stop(wait=False)
    report.record(
        f"jobqueue_{parents}",
        "memory",
        {
            "parents": parents,
            "run_daily_s": round(scheduled, 2),
            "startup_s": round(started_s, 2),
            "rss_growth_mb": round(after - before, 1),
            "kb_per_parent": round((after - before) * 1024 / parents, 2),
        },
    )
