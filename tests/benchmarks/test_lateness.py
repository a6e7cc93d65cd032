"""Lateness: 10,000 parents due at the same minute, Telegram's 30/s enforced by the emulator.
How long until the last one is sent, over the ideal 10,000 / 30 s (goal at most 1.03).

Size: TEND_BENCH_LATENESS (default 10000; ~5.5 minutes of real time at 30/s).
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.app import ticker
from scheduler.clock import WarpClock
from tests.benchmarks.conftest import (
    DUE,
    BenchDb,
    Report,
    bench_settings,
    env_int,
    running_bot,
    seed_parents,
    sends_summary,
)
from tests.benchmarks.remote_emulator import RemoteEmulator

pytestmark = pytest.mark.benchmark

PARENTS = env_int("TEND_BENCH_LATENESS", 10_000)
CONCURRENCY = env_int("TEND_BENCH_SEND_CONCURRENCY", 16)  # the app's default
LIMIT = 30.0
FIRST = 100_000


async def test_lateness_of_a_full_minute(
    bench_db: BenchDb, remote: RemoteEmulator, report: Report
) -> None:
    await remote.call("users", first=FIRST, count=PARENTS)
    await remote.call("rate_limit", enabled=True, per_chat=1.0, global_per_second=LIMIT)
    await seed_parents(bench_db, PARENTS, first_user_id=FIRST)
    settings = bench_settings(
        bench_db,
        remote,
        rate_per_second=LIMIT,
        rate_per_chat_per_second=1.0,
        send_concurrency=CONCURRENCY,
    )
    clock = WarpClock(DUE, frozen=True)  # the minute they are all due
    ideal = PARENTS / LIMIT
    async with running_bot(settings, clock) as application:
        await remote.call("reset")
        started = time.monotonic()
        async with asyncio.timeout(ideal * 2 + 120):
            tick = await ticker(application).tick()
    sends = await remote.call("sends", first=FIRST, count=PARENTS)
    summary = sends_summary(sends)
    delivered = [at for _, status, at in sends if status == 200]
    last = max(delivered) - started
    first = min(at for _, _, at in sends) - started
    report.record(
        "lateness",
        bench_db.name,
        {
            "parents": PARENTS,
            "limit_per_s": LIMIT,
            "send_concurrency": CONCURRENCY,
            "ideal_s": round(ideal, 1),
            "last_sent_after_s": round(last, 1),
            "first_sent_after_s": round(first, 2),
            "lateness_ratio": round(last / ideal, 4),
            "planned": tick.planned,
            **summary,
            "goals": {"ratio_le_1.03": last / ideal <= 1.03},
        },
    )
    assert summary["chats_reached"] == PARENTS  # nothing lost
