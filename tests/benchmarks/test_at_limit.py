"""At the limit: 3,000 messages against an emulator that answers 429 past 30/s overall and
1/s per chat, our outbox and sender side by side with a plain `bot.send_message` loop over
PTB's AIORateLimiter. Figures: achieved rate over the limit, 429s, per-chat violations.

Size: TEND_BENCH_AT_LIMIT (default 3000); ~100 s for each side at 30/s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

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

MESSAGES = env_int("TEND_BENCH_AT_LIMIT", 3_000)
# The app's default (16) unless a developer tries another (TEND_BENCH_SEND_CONCURRENCY).
CONCURRENCY = env_int("TEND_BENCH_SEND_CONCURRENCY", 16)
LIMIT = 30.0
OURS, THEIRS = 100_000, 200_000  # first chat id of each side (distinct chats)
TEXT = (
    "Today: when Maya points at something, name it and wait. Her pointing is a question; "
    "your answer tells her that her questions land. Try it three times today."
)


async def test_at_the_limit(bench_db: BenchDb, remote: RemoteEmulator, report: Report) -> None:
    await remote.call("users", first=OURS, count=MESSAGES)
    await remote.call("users", first=THEIRS, count=MESSAGES)
    await remote.call("rate_limit", enabled=True, per_chat=1.0, global_per_second=LIMIT)
    await seed_parents(bench_db, MESSAGES, first_user_id=OURS)
    settings = bench_settings(
        bench_db,
        remote,
        rate_per_second=LIMIT,
        rate_per_chat_per_second=1.0,
        send_concurrency=CONCURRENCY,
    )
    clock = WarpClock(DUE + dt.timedelta(seconds=30), frozen=True)
    async with running_bot(settings, clock) as application:
        await remote.call("reset")
        started = time.perf_counter()
        async with asyncio.timeout(MESSAGES / LIMIT * 3 + 120):
            tick = await ticker(application).tick()
        ours_elapsed = time.perf_counter() - started
    ours = sends_summary(await remote.call("sends", first=OURS, count=MESSAGES))

    await remote.call("reset")
    bot = ExtBot(
        remote.token,
        base_url=remote.base_url,
        rate_limiter=AIORateLimiter(overall_max_rate=LIMIT, overall_time_period=1),
    )
    refused = 0
    started = time.perf_counter()
    async with bot, asyncio.timeout(MESSAGES / LIMIT * 3 + 120):
        for i in range(MESSAGES):
            try:
                await bot.send_message(THEIRS + i, TEXT)
            except RetryAfter:
                refused += 1
    theirs_elapsed = time.perf_counter() - started
    theirs = sends_summary(await remote.call("sends", first=THEIRS, count=MESSAGES))

    ours["rate_over_limit"] = round((ours["rate_per_s"] or 0) / LIMIT, 4)
    theirs["rate_over_limit"] = round((theirs["rate_per_s"] or 0) / LIMIT, 4)
    report.record(
        "at_limit",
        bench_db.name,
        {
            "messages": MESSAGES,
            "limit_per_s": LIMIT,
            "send_concurrency": CONCURRENCY,
            "tend": {**ours, "planned": tick.planned, "tick_s": round(ours_elapsed, 1)},
            "ptb_aioratelimiter_loop": {
                **theirs,
                "raised_retry_after": refused,
                "loop_s": round(theirs_elapsed, 1),
            },
            "tend_over_ptb_rate": round(ours["rate_per_s"] / theirs["rate_per_s"], 3)
            if ours["rate_per_s"] and theirs["rate_per_s"]
            else None,
            "goals": {
                "rate_over_limit_ge_0.97": ours["rate_over_limit"] >= 0.97,
                "no_429": ours["status_429"] == 0,
                "no_per_chat_violation": ours["per_chat_violations"] == 0,
            },
        },
    )
    assert ours["chats_reached"] == MESSAGES  # nothing lost
