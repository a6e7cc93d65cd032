"""Delivery through faults at Telegram's limits: nothing lost, duplicates within the bound,
no request while a 429's retry_after is running, an answer never dropped."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.db.models import Child, Delivery, Parent
from bot.db.session import make_engine, make_session_factory
from bot.services import SERVICES_KEY, Services
from scheduler.outbox import MAX_UNCONFIRMED, Priority
from scheduler.planner import BATCH, plan_due_deliveries
from tests.integration.conftest import START, Family, Tend

UTC = dt.UTC
FAST = {
    "rate_per_second": 30.0,
    "rate_per_chat_per_second": 1.0,
    "retry_base_seconds": 0.2,
    "send_concurrency": 16,
}


async def enroll(tend: Tend, count: int, first_id: int = 10_000) -> list[int]:
    """`count` active parents, all due now (written straight to the database)."""
    engine = make_engine(tend.database_url)
    try:
        async with make_session_factory(engine).begin() as session:
            for user_id in range(first_id, first_id + count):
                parent = Parent(
                    telegram_user_id=user_id,
                    chat_id=user_id,
                    language="en",
                    timezone="America/New_York",
                    send_time=dt.time(7, 0),
                    cadence="daily",
                    status="active",
                    next_send_at=START,
                    unanswered_count=0,
                    created_at=START,
                    consented_at=START,
                )
                parent.child = Child(name=None, birth_date=dt.date(2026, 3, 1))
                session.add(parent)
                tend.emulator.add_user(user_id, first_name="P", language_code="en")
    finally:
        await engine.dispose()
    return list(range(first_id, first_id + count))


async def settle(tend: Tend, rounds: int = 120) -> list[Delivery]:
    """Tick until no row is pending or in flight (bounded), then the rows."""
    for _ in range(rounds):
        await tend.tick()
        rows = await tend.deliveries()
        if all(r.status in ("sent", "failed", "cancelled") for r in rows):
            return rows
        await asyncio.sleep(0.25)
    raise AssertionError("the outbox did not settle")


def sends_to(tend: Tend, families: list[int]) -> Counter[int]:
    """Messages each chat really holds (a dropped call may still have been delivered)."""
    return Counter({f: len(tend.emulator.messages_in(f)) for f in families})


@pytest.mark.parametrize("settings_overrides", [FAST])
async def test_every_message_arrives_through_faults_within_the_duplicate_bound(
    tend: Tend,
) -> None:
    families = await enroll(tend, 90)
    faults = tend.emulator.faults
    faults.rate_limit(per_chat_per_second=1.0, global_per_second=30.0)
    faults.fail_next("sendMessage", count=9)  # 10% 5xx
    faults.delay("sendMessage", 5.5, count=4)  # slow past PTB's 5 s read timeout
    faults.drop_next("sendMessage", count=3)  # answered by Telegram, connection lost
    faults.fail_next("sendMessage", count=2, retry_after=1)  # a burst of 429s
    rows = await settle(tend)
    delivered = sends_to(tend, families)
    # Every family received its message (what Telegram recorded, not what we believe).
    assert min(delivered.values()) >= 1
    # A row is "sent", or it stopped after its unconfirmed attempts, which may have arrived
    # (here they did: the emulator processes slow and dropped calls, like Telegram).
    unsure = [r for r in rows if r.status != "sent"]
    assert all(r.last_error and r.last_error.startswith("unconfirmed") for r in unsure)
    bound = 1 + MAX_UNCONFIRMED[Priority.DAILY]
    assert max(delivered[f] for f in families) <= bound


@pytest.mark.parametrize("settings_overrides", [FAST])
async def test_sending_at_the_limit_draws_no_429(tend: Tend) -> None:
    families = await enroll(tend, 60)
    tend.emulator.faults.rate_limit(per_chat_per_second=1.0, global_per_second=30.0)
    await settle(tend)
    assert tend.emulator.call_count("sendMessage", status=429) == 0
    assert all(len(tend.emulator.messages_in(f)) == 1 for f in families)


@pytest.mark.parametrize("settings_overrides", [FAST])
async def test_no_request_goes_out_inside_a_retry_after_window(tend: Tend) -> None:
    await enroll(tend, 40)
    tend.emulator.faults.fail_next("sendMessage", count=1, retry_after=2)
    await settle(tend)
    sends = [c for c in tend.emulator.calls if c.method.lower() == "sendmessage"]
    (limited,) = [i for i, c in enumerate(sends) if c.status == 429]
    window_end = sends[limited].at + 2.0
    # Requests already on the wire when the 429 came back may land just after it.
    later = [c for c in sends[limited + 1 :] if c.at > sends[limited].at + 0.2]
    assert later and all(c.at >= window_end - 0.05 for c in later)


@pytest.mark.parametrize("settings_overrides", [FAST])
async def test_an_answer_that_hits_a_429_still_reaches_the_parent(tend: Tend) -> None:
    families = [Family(tend, 401 + i) for i in range(5)]
    tend.emulator.faults.fail_next("sendMessage", count=5, retry_after=1)
    for family in families:
        await tend.emulator.user_sends_text(family.user_id, "hello")
    answers = await asyncio.gather(*(family.next() for family in families))
    assert all("/start" in answer.text for answer in answers)


@pytest.mark.parametrize("settings_overrides", [FAST])
async def test_a_blocked_parent_is_marked_unreachable_and_not_retried(tend: Tend) -> None:
    (blocked, fine) = await enroll(tend, 2)
    tend.emulator._chat(blocked).blocked = True  # blocked while the bot was away
    rows = await settle(tend)
    by_chat = {r.chat_id: r for r in rows}
    assert by_chat[blocked].status == "failed" and by_chat[fine].status == "sent"
    parent = await tend.parent(blocked)
    assert parent is not None and parent.status == "blocked" and parent.next_send_at is None
    tries = sum(
        1
        for c in tend.emulator.calls
        if c.method.lower() == "sendmessage" and int(c.params["chat_id"]) == blocked
    )
    assert tries == 1


@pytest.mark.parametrize("settings_overrides", [FAST])
async def test_urgent_rows_go_before_daily_ones(tend: Tend) -> None:
    await enroll(tend, 60)
    await tend.application.bot_data["tend.ticker"].tick(wait_for_sends=False)
    family = Family(tend, 499)
    await tend.emulator.user_sends_text(family.user_id, "hello")
    await family.next()
    sends = [
        int(c.params["chat_id"])
        for c in tend.emulator.calls
        if c.method.lower() == "sendmessage" and c.status == 200
    ]
    # 60 daily messages at 30/s take 2 s; the answer overtook most of them.
    print("ANSWER INDEX", sends.index(499))
    assert sends.index(499) < 30
    await settle(tend)
    assert START  # the clock never moved: leases and retries run on wall time


async def test_the_planner_wakes_the_sender_after_each_batch_it_commits(tend: Tend) -> None:
    await enroll(tend, BATCH + 10)
    services: Services = tend.application.bot_data[SERVICES_KEY]
    committed: list[int] = []
    engine = make_engine(tend.database_url)

    def woken() -> None:
        committed.append(len(committed))

    try:
        planned = await plan_due_deliveries(
            services.sessions, services.library, services.clock, on_commit=woken
        )
        async with make_session_factory(engine)() as session:
            rows = await session.scalar(select(func.count()).select_from(Delivery))
    finally:
        await engine.dispose()
    assert planned == rows == BATCH + 10
    # Two batches, two wakes: the sender could start on the first 500 during the second.
    assert committed == [0, 1]
