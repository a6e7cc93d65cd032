"""Raw pipeline: plan + send with nothing holding it back (the emulator enforces no limit, our
limits are set paid-broadcast high), messages a second end to end and CPU ms a message in the
bot's process; side by side with a plain `bot.send_message` loop in the same run. And what
`sniffio` being importable does to that loop, each in a fresh process.

Size: TEND_BENCH_RAW (default 5000 messages). TEND_BENCH_PROFILE=FILE profiles the send phase.
"""

from __future__ import annotations

import asyncio
import cProfile
import datetime as dt
import json
import os
import sys
import time

import pytest

from bot.services import SENDER_KEY, SERVICES_KEY
from scheduler.clock import WarpClock
from scheduler.planner import plan_due_deliveries, resume_finished_pauses
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
    sends_summary,
)
from tests.benchmarks.plain_loop import plain_loop
from tests.benchmarks.remote_emulator import ROOT, RemoteEmulator

pytestmark = pytest.mark.benchmark

MESSAGES = env_int("TEND_BENCH_RAW", 5_000)
# A file name: the send phase is profiled (cProfile) into it, to see where the time goes.
PROFILE_ENV = "TEND_BENCH_PROFILE"
OURS, THEIRS = 100_000, 300_000


def _profiler() -> cProfile.Profile | None:
    if not os.environ.get(PROFILE_ENV):
        return None
    profile = cProfile.Profile()
    profile.enable()
    return profile


@pytest.mark.parametrize("concurrency", [4, 16, 32], ids=lambda c: f"concurrency-{c}")
async def test_raw_pipeline(
    bench_db: BenchDb, remote: RemoteEmulator, report: Report, concurrency: int
) -> None:
    await remote.call("users", first=OURS, count=MESSAGES)
    await remote.call("users", first=THEIRS, count=MESSAGES)
    await seed_parents(bench_db, MESSAGES, first_user_id=OURS)
    settings = bench_settings(
        bench_db,
        remote,
        rate_per_second=100_000.0,
        rate_per_chat_per_second=1_000.0,
        send_concurrency=concurrency,
    )
    clock = WarpClock(DUE + dt.timedelta(seconds=30), frozen=True)
    async with running_bot(settings, clock) as application:
        services = application.bot_data[SERVICES_KEY]
        sender = application.bot_data[SENDER_KEY]
        assert isinstance(sender, Sender)
        await remote.call("reset")
        sent_before = sender.sent_total
        started, cpu = time.perf_counter(), time.process_time()
        with SqlCounter(services.engine) as sql:
            async with asyncio.timeout(600):
                await resume_finished_pauses(services.sessions, clock)
                # As a tick plans: the sender is woken at each batch's commit, and sends while
                # the next batch is planned.
                planned = await plan_due_deliveries(
                    services.sessions, services.library, clock, on_commit=sender.wake
                )
                planned_s, plan_cpu = time.perf_counter() - started, time.process_time() - cpu
                sent_while_planning = sender.sent_total - sent_before
                profile = _profiler()
                await sender.drain()
                if profile is not None:
                    profile.disable()
                    profile.dump_stats(os.environ[PROFILE_ENV])
        elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
        sent = sender.sent_total - sent_before
    sends = sends_summary(await remote.call("sends", first=OURS, count=MESSAGES))
    ours = {
        "planned": planned,
        "sent": sent,
        "seconds": round(elapsed, 2),
        "plan_s": round(planned_s, 2),
        # The sender runs during planning (woken at each batch's commit): the plan phase's CPU
        # includes those sends, and the send phase's figures cover the rest.
        "sent_while_planning": sent_while_planning,
        "plan_cpu_ms_per_msg": round(plan_cpu * 1000 / max(1, planned), 3),
        "send_msgs_per_s": round((sent - sent_while_planning) / max(1e-9, elapsed - planned_s), 1),
        "send_cpu_ms_per_msg": round(
            (cpu_used - plan_cpu) * 1000 / max(1, sent - sent_while_planning), 3
        ),
        "msgs_per_s": round(sent / elapsed, 1),
        "cpu_ms_per_msg": round(cpu_used * 1000 / sent, 3),
        "delivered_at_emulator": sends["delivered"],
        "duplicates": sends["duplicates"],
        **{f"{key}_msg": value for key, value in sql.per(sent).items()},
    }
    theirs = await plain_loop(remote.base_url, remote.token, THEIRS, MESSAGES)
    report.record(
        f"raw_pipeline_concurrency_{concurrency}",
        bench_db.name,
        {
            "messages": MESSAGES,
            "send_concurrency": concurrency,
            "tend_plan_and_send": ours,
            "plain_send_message_loop": theirs,
            "tend_over_plain": round(ours["msgs_per_s"] / theirs["msgs_per_s"], 3),
            "goals": {
                "ge_1000_per_s": ours["msgs_per_s"] >= 1000,
                "ge_2x_plain_loop": ours["msgs_per_s"] >= 2 * theirs["msgs_per_s"],
            },
        },
    )
    assert planned == MESSAGES == sends["chats_reached"]  # nothing lost


async def test_sniffio_on_a_plain_loop(remote: RemoteEmulator, report: Report) -> None:
    """The same loop in fresh processes, `sniffio` importable or not, alternated three times."""
    count = min(MESSAGES, 3_000)
    await remote.call("users", first=THEIRS, count=count)
    runs: dict[str, list[dict[str, float]]] = {"with_sniffio": [], "without_sniffio": []}
    for _ in range(3):
        for label, flags in (("with_sniffio", []), ("without_sniffio", ["--no-sniffio"])):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.benchmarks.plain_loop",
                remote.base_url,
                remote.token,
                str(THEIRS),
                str(count),
                *flags,
                cwd=ROOT,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
                stdout=asyncio.subprocess.PIPE,
            )
            out, _ = await asyncio.wait_for(process.communicate(), 300)
            runs[label].append(json.loads(out.decode().strip().splitlines()[-1]))

    def best(label: str) -> dict[str, float]:
        return {
            "msgs_per_s_best": max(run["msgs_per_s"] for run in runs[label]),
            "msgs_per_s_runs": [run["msgs_per_s"] for run in runs[label]],
            "cpu_ms_per_msg_best": min(run["cpu_ms_per_msg"] for run in runs[label]),
        }

    with_, without = best("with_sniffio"), best("without_sniffio")
    report.record(
        "sniffio_plain_loop",
        "none",
        {
            "messages_per_run": count - 1,
            "with_sniffio": with_,
            "without_sniffio": without,
            "with_over_without": round(with_["msgs_per_s_best"] / without["msgs_per_s_best"], 3),
        },
    )
