"""The adaptive policy: candidate pool, rules, then a clipped bandit; pure over a snapshot."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from bot.coaching import fit
from bot.coaching.bandit import ArmStats
from bot.coaching.checkins import PAUSE_QUESTION_ID, QUICK_CHECKIN_ID
from bot.coaching.policy_v2 import (
    PAUSE_QUESTION,
    AdaptivePolicy,
    Snapshot,
    arm_of,
    candidate_pool,
    week_practice,
)
from messages.library import Library, load_library
from messages.vocabulary import IDEA_SPACING_DAYS

MONDAY = dt.date(2026, 11, 30)
POLICY = AdaptivePolicy()


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def snap(**overrides: object) -> Snapshot:
    values: dict[str, object] = {
        "parent_id": 3,
        "language": "en",
        "age_months": 20,
        "today": MONDAY,
        "local_hour": 8,
        "scheduled_count": 1,
        "days_since_checkin": 1,
    }
    return Snapshot(**(values | overrides))  # type: ignore[arg-type]


def run_days(library: Library, days: int, **overrides: object) -> list[str]:
    """A parent who gets `days` scheduled messages in a row, as the planner would send them."""
    sent: dict[str, dt.date] = {}
    chosen: list[str] = []
    for day in range(days):
        today = MONDAY + dt.timedelta(days=day)
        decision = POLICY.choose(
            snap(today=today, last_sent=dict(sent), scheduled_count=day, **overrides), library
        )
        sent[decision.message_id] = today
        chosen.append(decision.message_id)
    return chosen


LOOK_BACK = re.compile(r"\b(was there|did you|did something)\b[^.?!]*\btoday\b", re.I)


def test_a_morning_message_never_asks_about_the_day_and_an_evening_one_never_says_wake_up(
    library: Library,
) -> None:
    for kind in ("nudge", "checkin", "calm", "repair"):
        for age in (0, 9, 20, 40):
            morning = candidate_pool(snap(age_months=age, local_hour=8), library, kind)
            assert not [m.id for m in morning if LOOK_BACK.search(m.text)], (kind, age)
            evening = candidate_pool(snap(age_months=age, local_hour=19), library, kind)
            waking = [m.id for m in evening if "moment:waking" in m.tags and "nap" not in m.text]
            assert not waking, (kind, age)


def test_an_idea_never_returns_within_its_window(library: Library) -> None:
    ids = run_days(library, 40, age_months=30, days_since_checkin=1)
    ideas: dict[str, int] = {}
    for day, message_id in enumerate(ids):
        message = library.get(message_id, "en")
        if message is None or message.kind != "nudge" or message.idea is None:
            continue
        if message.idea in ideas:
            assert day - ideas[message.idea] >= IDEA_SPACING_DAYS, message.idea
        ideas[message.idea] = day


def test_no_library_message_repeats_within_thirty_days(library: Library) -> None:
    ids = [i for i in run_days(library, 30, days_since_checkin=1) if i != QUICK_CHECKIN_ID]
    assert len(set(ids)) == len(ids)


def test_a_week_of_nudges_shares_a_practice(library: Library) -> None:
    ids = run_days(library, 7, days_since_checkin=1)
    practices = Counter(library.get(i, "en").practice for i in ids)  # type: ignore[union-attr]
    assert practices.most_common(1)[0][1] >= 6
    assert practices.most_common(1)[0][0] == week_practice(snap())


def sleep_nudges(library: Library, ids: list[str]) -> int:
    return sum("topic:sleep" in library.get(i, "en").tags for i in ids)  # type: ignore[union-attr]


@pytest.mark.parametrize(("age", "at_least"), [(9, 1), (20, 2)])
def test_a_reported_topic_favours_matching_nudges_for_the_week(
    library: Library, age: int, at_least: int
) -> None:
    """As many as the library has that keep their ideas 14 days apart (three 9-month bedtime
    nudges share one idea)."""
    focused = run_days(library, 7, focus_topics=frozenset({"topic:sleep"}), age_months=age)
    baseline = run_days(library, 7, age_months=age)
    assert sleep_nudges(library, focused) >= at_least
    assert sleep_nudges(library, focused) > sleep_nudges(library, baseline)


def test_stress_brings_a_calm_message_that_fits_what_was_reported(library: Library) -> None:
    decision = POLICY.choose(
        snap(pending_need="calm", reported_topics=frozenset({"topic:fatigue"})), library
    )
    assert decision.kind == "calm" and decision.rule == "calm_pending"
    assert decision.message is not None and decision.message.tags & {"topic:fatigue", "topic:sleep"}


def test_never_two_care_messages_in_a_row(library: Library) -> None:
    decision = POLICY.choose(
        snap(pending_need="calm", recent_scheduled_kinds=("calm", "nudge")), library
    )
    assert decision.kind == "nudge"
    decision = POLICY.choose(snap(pending_need="repair", recent_kinds=("repair",)), library)
    assert decision.kind == "nudge"


def test_a_pending_repair_fits_the_reported_situation(library: Library) -> None:
    for day in range(10):
        decision = POLICY.choose(
            snap(
                pending_need="repair",
                reported_topics=frozenset({"topic:tantrums"}),
                today=MONDAY + dt.timedelta(days=day),
            ),
            library,
        )
        assert decision.kind == "repair" and decision.message is not None
        assert fit.situations_of(decision.message) <= {"topic:tantrums"}


def test_long_silence_asks_whether_to_pause_once(library: Library) -> None:
    decision = POLICY.choose(snap(unanswered_count=7), library)
    assert decision.kind == PAUSE_QUESTION and decision.message_id == PAUSE_QUESTION_ID
    later = POLICY.choose(snap(unanswered_count=8, asked_pause=True), library)
    assert later.kind != PAUSE_QUESTION


def test_check_ins_come_every_few_days_and_take_turns(library: Library) -> None:
    first = POLICY.choose(snap(days_since_checkin=None, scheduled_count=3), library)
    assert first.kind == "checkin" and first.message_id == QUICK_CHECKIN_ID
    quick_on = MONDAY - dt.timedelta(days=4)
    second = POLICY.choose(
        snap(days_since_checkin=4, scheduled_count=9, last_sent={QUICK_CHECKIN_ID: quick_on}),
        library,
    )
    assert second.kind == "checkin" and second.message is not None
    assert POLICY.choose(snap(days_since_checkin=2), library).kind != "checkin"


def test_every_nudge_decision_has_a_probability_within_the_bounds(library: Library) -> None:
    own = {"topic:language": ArmStats(30, 0), "topic:play": ArmStats(0, 30)}
    for day in range(30):
        decision = POLICY.choose(snap(today=MONDAY + dt.timedelta(days=day), own=own), library)
        if decision.kind != "nudge":
            continue
        assert sum(decision.candidates.values()) == pytest.approx(1.0)
        floor = min(POLICY.floor, 1 / len(decision.candidates))
        assert all(floor - 1e-9 <= p <= POLICY.ceiling + 1e-9 for p in decision.candidates.values())
        assert 0 < decision.probability <= decision.candidates[decision.arm]  # type: ignore[index]
        assert 0.0 <= decision.draw < 1.0
        assert decision.message is not None and arm_of(decision.message) == decision.arm


def test_a_decision_is_reproducible(library: Library) -> None:
    assert POLICY.choose(snap(), library) == POLICY.choose(snap(), library)


def test_random_choice_spreads_evenly_over_the_arms(library: Library) -> None:
    random_policy = AdaptivePolicy(learn=False)
    decision = random_policy.choose(snap(own={"topic:play": ArmStats(50, 0)}), library)
    assert len(set(decision.candidates.values())) == 1


def test_spanish_parents_get_spanish_messages(library: Library) -> None:
    decision = POLICY.choose(snap(language="es"), library)
    assert decision.message is not None and decision.message.language == "es"


def test_a_strained_week_lets_calm_compete_with_the_nudges(library: Library) -> None:
    decision = POLICY.choose(snap(facts_this_week=frozenset({"stressed"})), library)
    assert "kind:calm" in decision.candidates
    calm = POLICY.choose(
        snap(facts_this_week=frozenset({"stressed"}), recent_scheduled_kinds=("calm",)), library
    )
    assert "kind:calm" not in calm.candidates  # never two care messages in a row


def test_the_baseline_ignores_what_parents_report(library: Library) -> None:
    from bot.coaching.policy_v2 import non_adaptive_policy

    baseline = non_adaptive_policy()
    reported = snap(
        pending_need="calm",
        focus_topics=frozenset({"topic:sleep"}),
        facts_this_week=frozenset({"stressed"}),
        unanswered_count=7,
    )
    decision = baseline.choose(reported, library)
    assert decision.kind == "nudge" and "kind:calm" not in decision.candidates


def test_a_slowed_rhythm_still_carries_nudges_not_only_check_ins(library: Library) -> None:
    decision = POLICY.choose(
        snap(days_since_checkin=7, scheduled_count=12, recent_scheduled_kinds=("checkin",)),
        library,
    )
    assert decision.kind == "nudge"


def test_a_week_before_the_due_date_the_policy_asks_whether_the_baby_arrived(
    library: Library,
) -> None:
    from bot.coaching.checkins import ARRIVAL_QUESTION_ID

    assert POLICY.choose(snap(age_months=-1, days_to_due=5), library).message_id == (
        ARRIVAL_QUESTION_ID
    )
    assert POLICY.choose(snap(age_months=-2, days_to_due=20), library).kind == "nudge"
    asked = snap(age_months=-1, days_to_due=4, last_sent={ARRIVAL_QUESTION_ID: MONDAY})
    assert POLICY.choose(asked, library).message_id != ARRIVAL_QUESTION_ID
