"""Replies: how fast one process handles parents' messages through the emulator, with every
update stored and the reply written, and how long a parent waits for the answer: at 50 a
second offered, alone and while a 10,000-message broadcast (Priority.BULK rows) drains.

Our limits are set at 1,000/s overall (paid-broadcast-like; 50 answers a second could never go
out under 30/s) and 1/s per chat; the emulator enforces nothing.

Sizes: TEND_BENCH_REPLIES_BURST (2000 updates), TEND_BENCH_REPLIES_SECONDS (20 s at 50/s),
TEND_BENCH_BROADCAST (10000).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest

from bot.services import SENDER_KEY, SERVICES_KEY
from scheduler import outbox
from scheduler.clock import WarpClock
from scheduler.outbox import Outgoing, Priority
from scheduler.sender import Sender
from tests.benchmarks.conftest import (
    DUE,
    BenchDb,
    Report,
    SqlCounter,
    bench_settings,
    env_int,
    running_bot,
    seed_parents,
    summary_ms,
)
from tests.benchmarks.remote_emulator import RemoteEmulator

pytestmark = pytest.mark.benchmark

BURST = env_int("TEND_BENCH_REPLIES_BURST", 2_000)
SECONDS = env_int("TEND_BENCH_REPLIES_SECONDS", 20)
BROADCAST = env_int("TEND_BENCH_BROADCAST", 10_000)
RATE = 50
WAIT = 240  # seconds an answer is waited for once the offering stopped
CHATTERS, LISTENERS = 100_000, 500_000  # first chat ids: parents who write; broadcast only
TEXT = "We read the bear book at bedtime and she laughed at the big sneeze"


def latency_summary(waits: list[float], unanswered: int) -> dict[str, Any]:
    """p50/p99/max in ms; texts never answered within WAIT count as slower than any answer
    (a percentile that falls on them is None)."""
    if not waits:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    figures: dict[str, Any] = summary_ms(waits + [float("inf")] * unanswered)
    return {key: None if value == float("inf") else value for key, value in figures.items()}


async def _wait_for_answers(remote: RemoteEmulator, expected: int, limit: float) -> Any:
    deadline = time.monotonic() + limit
    while True:
        answers = await remote.call("answers")
        if len(answers["latencies"]) >= expected or time.monotonic() > deadline:
            return answers
        await asyncio.sleep(0.5)


async def test_replies(bench_db: BenchDb, remote: RemoteEmulator, report: Report) -> None:
    chatters = list(range(CHATTERS, CHATTERS + BURST))
    await remote.call("users", first=CHATTERS, count=BURST)
    await remote.call("users", first=LISTENERS, count=BROADCAST)
    # Enrolled and active, their next message tomorrow: nothing is planned meanwhile.
    await seed_parents(bench_db, BURST, first_user_id=CHATTERS, due=DUE + dt.timedelta(days=1))
    settings = bench_settings(
        bench_db, remote, rate_per_second=1_000.0, rate_per_chat_per_second=1.0
    )
    clock = WarpClock(DUE, frozen=True)
    figures: dict[str, Any] = {"burst_updates": BURST, "offered_per_s": RATE}
    async with running_bot(settings, clock, polling=True) as application:
        services = application.bot_data[SERVICES_KEY]
        sender = application.bot_data[SENDER_KEY]
        assert isinstance(sender, Sender)

        # 1. Throughput: every chatter writes at once; until the last is answered.
        await remote.call("reset")
        cpu = time.process_time()
        with SqlCounter(services.engine) as sql:
            started = await remote.call("offer", users=chatters, rate=0, count=BURST, text=TEXT)
            answers = await _wait_for_answers(remote, BURST, 300)
        cpu_used = time.process_time() - cpu
        done = max(offered + wait for offered, wait in answers["latencies"])
        figures["throughput"] = {
            "answered": len(answers["latencies"]),
            "seconds": round(done - started, 2),
            "updates_per_s": round(len(answers["latencies"]) / (done - started), 1),
            "cpu_ms_per_update": round(cpu_used * 1000 / max(1, len(answers["latencies"])), 2),
            **{f"{key}_update": value for key, value in sql.per(BURST).items()},
        }

        # 2. Latency at 50/s offered, nothing else going on.
        await remote.call("reset")
        count = RATE * SECONDS
        await remote.call("offer", users=chatters[:500], rate=RATE, count=count, text=TEXT)
        await asyncio.sleep(SECONDS)
        await remote.call("stop_offer")
        answers = await _wait_for_answers(remote, count, WAIT)
        figures["alone"] = {
            "offered": answers["offered"],
            "unanswered": answers["unanswered"],
            **latency_summary([wait for _, wait in answers["latencies"]], answers["unanswered"]),
        }

        # 3. The same while a broadcast drains: latencies of texts offered before its end.
        await remote.call("reset")
        rows = [
            Outgoing(
                chat_id=LISTENERS + i,
                text="A note from the program: the library is open late on Thursday.",
                kind="broadcast",
                priority=Priority.BULK,
                message_id="bench-broadcast",
            )
            for i in range(BROADCAST)
        ]
        async with services.sessions.begin() as session:
            await outbox.enqueue(session, rows, clock.now())
        began = time.monotonic()
        sender.wake()
        await remote.call("offer", users=chatters[:500], rate=RATE, count=count, text=TEXT)
        await asyncio.sleep(SECONDS)
        offered = await remote.call("stop_offer")
        answers = await _wait_for_answers(remote, offered, WAIT)
        deadline = began + 900
        while time.monotonic() < deadline:
            sent = await remote.call("sent_count", first=LISTENERS, count=BROADCAST)
            if sent >= BROADCAST:
                break
            await asyncio.sleep(0.5)
        broadcast_sends = await remote.call("sends", first=LISTENERS, count=BROADCAST)
        delivered_at = [at for _, status, at in broadcast_sends if status == 200]
        began = min(delivered_at, default=began)  # the sender may start before wake()
        finished = max(delivered_at, default=began)
        during = [wait for at, wait in answers["latencies"] if at < finished]
        figures["during_broadcast"] = {
            "broadcast": BROADCAST,
            "broadcast_delivered": len(delivered_at),
            "broadcast_drain_s": round(finished - began, 1),
            "broadcast_per_s": round(len(delivered_at) / max(finished - began, 1e-9), 1),
            "offered_during": len(during),
            "unanswered": answers["unanswered"],
            **latency_summary(during, answers["unanswered"]),
        }
    figures["goals"] = {
        "ge_200_updates_per_s": figures["throughput"]["updates_per_s"] >= 200,
        "alone_p99_lt_100ms": (figures["alone"]["p99_ms"] or 1e9) < 100,
        "during_broadcast_p99_lt_1s": (figures["during_broadcast"]["p99_ms"] or 1e9) < 1000,
    }
    report.record("replies", bench_db.name, figures)
    assert figures["throughput"]["answered"] == BURST
