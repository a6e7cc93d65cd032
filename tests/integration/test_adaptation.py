"""Adaptation end to end through the emulator: replies read and answered in kind, the decision
log written with its rows and linked to outcomes, silence slowing the rhythm, the short
check-in, and the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

from bot.coaching.acknowledgements import load_acknowledgements
from bot.coaching.checkins import PAUSE_QUESTION_ID, QUICK_CHECKIN_ID
from bot.coaching.policy_v2 import RulesV1Policy
from bot.db.models import CheckinAnswer, Decision
from bot.db.session import make_engine, make_session_factory
from bot.decision_export import COLUMNS, export_decisions
from bot.services import SERVICES_KEY, Services
from scheduler.clock import WarpClock
from scheduler.planner import plan_due_deliveries
from tests.integration.conftest import Family, Tend

UTC = dt.UTC
EIGHT_AM = dt.time(13, 0)  # 08:00 in New York, in UTC


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, EIGHT_AM, tzinfo=UTC)


NOV_26 = dt.date(2026, 11, 26)


async def joined(tend: Tend, user_id: int = 301, **kwargs: str) -> Family:
    family = Family(tend, user_id)
    await family.onboard(**kwargs)
    return family


async def message_decisions(tend: Tend) -> list[Decision]:
    """The decisions about library and check-in messages (acknowledgements left out)."""
    return [d for d in await tend.rows(Decision) if d.kind != "ack"]


def ack_texts(key: str, language: str = "en") -> tuple[str, ...]:
    return load_acknowledgements()[key][language]


async def test_every_scheduled_message_is_logged_with_its_row_and_its_outcome(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(at(NOV_26))
    nudge = await family.next()
    (delivery,) = await tend.deliveries()
    (decision,) = await message_decisions(tend)
    assert decision.delivery_id == delivery.id and decision.message_id == delivery.message_id
    assert decision.policy_version == "adaptive-2" and decision.slot == "daily"
    assert 0 < decision.probability <= 1 and 0 <= decision.draw < 1
    assert decision.arm is not None and decision.arm in json.loads(decision.candidates)
    context = json.loads(decision.context)
    assert context["time_of_day"] == "morning" and context["age_months"] == 6
    assert decision.outcome is None
    await family.press_and_read(nudge, "We tried it")
    (decision,) = await message_decisions(tend)
    assert (decision.outcome, decision.reward) == ("positive", 1)


async def test_a_reply_after_a_day_is_no_reward(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(at(NOV_26))
    nudge = await family.next()
    tend.clock.set(at(NOV_26) + dt.timedelta(hours=25))
    await family.press_and_read(nudge, "We tried it")
    (decision,) = await message_decisions(tend)
    assert decision.reward is None  # counted as a miss once the window closed


async def test_a_repair_tip_sent_as_an_answer_is_logged_too(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(at(NOV_26))
    await family.next()
    await family.send("he had a meltdown because I was on my phone")
    tip = await family.next()
    assert tip.text.startswith("🤝 Repair tip")
    reply_decisions = [d for d in await message_decisions(tend) if d.slot == "reply"]
    (logged,) = reply_decisions
    assert logged.kind == "repair" and logged.rule == "hard_moment"
    repair = next(d for d in await tend.deliveries() if d.kind == "repair")
    assert logged.delivery_id == repair.id
    assert "topic:tantrums" in json.loads(logged.context)["topics"]


async def test_words_are_answered_in_kind_not_with_got_it(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(at(NOV_26))
    await family.next()
    question = await family.send("what do I do now?")
    assert question.text in ack_texts("question")
    person = await family.send("can I talk to my home visitor?")
    assert person.text in ack_texts("person")
    no_worry = await family.send("no estuvo mal, le gustó mucho")
    assert no_worry.text in ack_texts("delight", "en")
    assert [d.kind for d in await tend.deliveries()] == ["nudge"]  # no repair tip among them


async def test_thank_yous_vary_from_day_to_day(tend: Tend) -> None:
    family = await joined(tend)
    thanks = []
    for offset in range(2):
        await tend.warp_to(at(NOV_26 + dt.timedelta(days=offset)))
        nudge = await family.next()
        thanks.append((await family.press_and_read(nudge, "We tried it")).text)
    assert len(set(thanks)) == 2 and all(t in ack_texts("tried") for t in thanks)


async def test_silence_slows_the_pace_asks_to_pause_and_a_reply_restores_it(tend: Tend) -> None:
    family = await joined(tend)
    sent_on: list[dt.date] = []
    day = NOV_26
    while len(sent_on) < 8:
        report = await tend.warp_to(at(day))
        if report.planned:
            await family.next()
            sent_on.append(day)
        day += dt.timedelta(days=1)
    gaps = [(b - a).days for a, b in itertools.pairwise(sent_on)]
    # Daily, then every other day after three unanswered, then twice a week after five.
    assert gaps[:3] == [1, 1, 1] and gaps[3:5] == [2, 2] and all(g >= 3 for g in gaps[5:])
    pause_row = (await tend.deliveries())[-1]
    assert pause_row.message_id == PAUSE_QUESTION_ID
    question = tend.emulator.messages_in(301)[-1]
    assert question.button_texts == ("Pause for two weeks", "Keep them coming")
    kept = await family.press_and_read(question, "Keep them coming")
    assert "usual time" in kept.text
    parent = await tend.parent(301)
    assert parent is not None and parent.unanswered_count == 0
    assert parent.next_send_at is not None
    assert parent.next_send_at - tend.clock.now() <= dt.timedelta(days=1)


async def test_the_pause_question_can_pause(tend: Tend) -> None:
    family = await joined(tend)
    day = NOV_26
    while True:
        report = await tend.warp_to(at(day))
        if report.planned:
            message = await family.next()
            if message.button_texts == ("Pause for two weeks", "Keep them coming"):
                break
        day += dt.timedelta(days=1)
    await family.press_and_read(message, "Pause for two weeks")
    parent = await tend.parent(301)
    assert parent is not None and parent.status == "paused"
    report = await tend.warp_to(at(day + dt.timedelta(days=7)))
    assert report.planned == 0


async def test_the_short_check_in_takes_three_taps_and_shapes_what_comes_next(tend: Tend) -> None:
    family = await joined(tend)
    for offset in range(3):
        await tend.warp_to(at(NOV_26 + dt.timedelta(days=offset)))
        nudge = await family.next()
        await family.press_and_read(nudge, "We tried it")
    await tend.warp_to(at(NOV_26 + dt.timedelta(days=3)))
    feeling = await family.next()
    assert (await tend.deliveries())[-1].message_id == QUICK_CHECKIN_ID
    assert feeling.button_texts[:2] == ("1 Very low", "2 Low")
    hardest = await family.press_and_read(feeling, "2 Low")
    assert "hardest" in hardest.text
    connection = await family.press_and_read(hardest, "Sleep")
    assert "connected" in connection.text and "Maya" in connection.text
    thanks = await family.press_and_read(connection, "4 Mostly")
    assert "something just for you" in thanks.text
    answers = {a.question: a.value for a in await tend.rows(CheckinAnswer)}
    assert answers == {"feeling": "2", "hardest": "sleep", "connection": "4"}
    parent = await tend.parent(301)
    assert parent is not None and "topic:sleep" in (parent.focus_topics or "")
    await tend.warp_to(at(NOV_26 + dt.timedelta(days=4)))
    calm = await family.next()
    assert calm.text.startswith("💛 Just for you")


async def test_never_more_than_one_unrequested_message_a_day(tend: Tend) -> None:
    family = await joined(tend)
    for offset in range(6):
        moment = at(NOV_26 + dt.timedelta(days=offset))
        await tend.warp_to(moment)
        await family.next()
        await family.send("we did it, she smiled")
        again = await tend.warp_to(moment + dt.timedelta(hours=3))
        assert again.planned == 0
    scheduled = [d for d in await tend.deliveries() if d.slot is not None]
    dates = [d.local_date for d in scheduled]
    assert len(dates) == len(set(dates)) == 6


async def test_the_export_has_one_pseudonymous_row_per_decision(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(at(NOV_26))
    nudge = await family.next()
    await family.press_and_read(nudge, "It was hard")
    await family.next()
    out = io.StringIO()
    count = await export_decisions(tend.database_url, out, now=tend.clock.now())
    every = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(every) and tuple(every[0]) == COLUMNS
    acks = [r for r in every if r["kind"] == "ack"]
    assert {r["rule"] for r in acks} == {"saved", "hard_intro"} and all(
        r["reward"] == "" for r in acks
    )
    rows = [r for r in every if r["kind"] != "ack"]
    daily, reply = rows
    assert daily["slot"] == "daily" and daily["outcome"] == "negative" and daily["reward"] == "0"
    assert reply["slot"] == "reply" and reply["kind"] == "repair"
    assert daily["participant"] == reply["participant"] and len(daily["participant"]) == 16
    assert "301" not in daily["participant"]


async def test_the_policy_is_injected_like_the_clock(tend: Tend) -> None:
    await joined(tend)
    services: Services = tend.application.bot_data[SERVICES_KEY]
    clock = WarpClock(at(NOV_26), frozen=True)
    planned = await plan_due_deliveries(services.sessions, services.library, clock, RulesV1Policy())
    assert planned == 1
    (decision,) = await message_decisions(tend)
    assert decision.policy_version == "rules-v1"


async def test_decisions_go_when_the_parent_is_erased(tend: Tend) -> None:
    await joined(tend)
    await tend.warp_to(at(NOV_26))
    engine = make_engine(tend.database_url)
    try:
        async with make_session_factory(engine).begin() as session:
            from sqlalchemy import delete

            from bot.db.models import Parent

            await session.execute(delete(Parent))
    finally:
        await engine.dispose()
    assert await tend.rows(Decision) == []


async def test_near_the_due_date_the_bot_asks_and_the_birth_date_moves_to_baby_content(
    tend: Tend,
) -> None:
    family = await joined(tend, date="2026-11-30")  # due in five days
    await tend.warp_to(at(NOV_26))
    asked = await family.next()
    assert asked.text == "Your due date is close. Has your baby arrived?"
    assert (await tend.deliveries())[-1].message_id == "arrival-question"
    when = await family.press_and_read(asked, "Yes, the baby is here")
    assert "born" in when.text.lower()
    await family.send("2026-11-25")
    parent = await tend.parent(301)
    assert parent is not None and parent.child is not None
    assert parent.child.birth_date == dt.date(2026, 11, 25) and parent.child.due_date is None
    await tend.warp_to(at(NOV_26 + dt.timedelta(days=1)))
    baby = await family.next()
    assert baby.text.startswith("🌱")
    assert (await tend.deliveries())[-1].message_id.startswith("nudge-m00")


async def test_not_yet_is_asked_again_a_few_days_later(tend: Tend) -> None:
    family = await joined(tend, date="2026-12-01")
    await tend.warp_to(at(NOV_26))
    asked = await family.next()
    wait = await family.press_and_read(asked, "Not yet")
    assert "ask again" in wait.text
    kinds = []
    for offset in range(1, 4):
        await tend.warp_to(at(NOV_26 + dt.timedelta(days=offset)))
        await family.next()
        kinds.append((await tend.deliveries())[-1].message_id)
    assert kinds[0] != "arrival-question"  # not the next day
    assert "arrival-question" in kinds  # but again within a few days
