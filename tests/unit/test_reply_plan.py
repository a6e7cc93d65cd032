"""The reply side as one pure decision: what to say, what to send now, what to remember."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bot.coaching import fit
from bot.coaching.acknowledgements import MIN_VERSIONS, choose_ack, load_acknowledgements
from bot.coaching.policy_v2 import Snapshot
from bot.coaching.reply_plan import Answered, ReplyContext, ReplyPlan, plan_reply
from bot.coaching.signals import read_signals
from messages.library import Library, load_library

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def snap(**overrides: object) -> Snapshot:
    values: dict[str, object] = {
        "parent_id": 7,
        "language": "en",
        "age_months": 9,
        "today": TODAY,
        "local_hour": 19,
    }
    return Snapshot(**(values | overrides))  # type: ignore[arg-type]


def nudge(library: Library, message_id: str) -> Answered:
    message = library.get(message_id, "en")
    assert message is not None
    return Answered("nudge", message.id, message.tags, delivery_id=1)


def plan(
    library: Library, *, words: str | None = None, key: str | None = None, **kw: object
) -> ReplyPlan:
    answered = kw.pop("answered", None)
    ctx = ReplyContext(
        snap(**kw),
        key=key,
        signals=read_signals(words) if words is not None else None,
        answered=answered,  # type: ignore[arg-type]
    )
    return plan_reply(ctx, library)


def test_every_acknowledgement_has_ten_versions_in_each_language() -> None:
    for key, by_language in load_acknowledgements().items():
        for language in ("en", "es"):
            versions = by_language[language]
            assert len(versions) >= MIN_VERSIONS, (key, language)
            assert len(set(versions)) == len(versions), (key, language)


def test_acknowledgements_rotate_so_a_week_has_no_repeat() -> None:
    seen: dict[str, dt.date] = {}
    shown = []
    for day in range(7):
        for _ in range(1):
            ack = choose_ack("tried", "es", seen)
            seen[ack.message_id] = TODAY + dt.timedelta(days=day)
            shown.append(ack.text)
    assert len(set(shown)) == 7
    # Over six weeks of one a day, no version comes more than five times.
    for day in range(7, 42):
        ack = choose_ack("tried", "es", seen)
        seen[ack.message_id] = TODAY + dt.timedelta(days=day)
        shown.append(ack.text)
    assert max(Counter(shown).values()) <= 4


def test_a_question_is_answered_as_a_question_not_with_thanks(library: Library) -> None:
    result = plan(library, words="what do I do now?")
    assert [a.key for a in result.say] == ["question"] and result.follow_up is None


def test_a_request_for_a_person_is_answered_honestly(library: Library) -> None:
    result = plan(library, words="can I talk to my home visitor?")
    (ack,) = result.say
    assert ack.key == "person" and "can't" in ack.text
    assert "told" not in ack.text.lower()


def test_a_negated_complaint_gets_no_repair_tip(library: Library) -> None:
    result = plan(library, words="no estuvo mal, le gustó mucho", language="es")
    assert result.follow_up is None and result.positive
    assert [a.key for a in result.say] == ["delight"]


def test_not_feeling_well_is_stress_not_a_heart(library: Library) -> None:
    result = plan(library, words="no me siento bien", language="es")
    assert [a.key for a in result.say] == ["stressed"] and result.pending_need == "calm"


def test_a_hard_moment_gets_a_tip_that_fits_what_was_said(library: Library) -> None:
    result = plan(library, words="he had a tantrum because of my phone", age_months=30)
    assert result.follow_up is not None and result.follow_up.kind == "repair"
    allowed = {"topic:tantrums", "topic:distraction"}
    assert fit.situations_of(result.follow_up) <= allowed
    assert result.say[0].key == "hard_intro"


def test_it_was_hard_on_a_pretend_play_nudge_never_assumes_a_trip(library: Library) -> None:
    for day in range(20):
        result = plan(
            library,
            key="hard",
            today=TODAY + dt.timedelta(days=day),
            answered=nudge(library, "nudge-m06-watch-what-they-watch"),
        )
        assert result.follow_up is not None
        assert fit.situations_of(result.follow_up) <= {"moment:outdoors"}


def test_hard_right_after_a_repair_tip_brings_no_second_tip(library: Library) -> None:
    tip = next(m for m in library.messages if m.kind == "repair" and m.language == "en")
    result = plan(library, key="hard", answered=Answered("repair", tip.id, tip.tags, 2))
    assert result.follow_up is None and [a.key for a in result.say] == ["hard_again"]
    result = plan(library, words="it was hard again", recent_kinds=("repair", "nudge"))
    assert result.follow_up is None


def test_a_celebration_names_only_what_happened(library: Library) -> None:
    result = plan(library, key="tried", tries_this_week=3)
    assert result.follow_up is not None and result.follow_up.kind == "celebration"
    claims = result.follow_up.tags & fit.CELEBRATION_CLAIMS.keys()
    assert not claims, claims  # only trying happened this week
    for day in range(30):
        chosen = plan(
            library, key="tried", tries_this_week=3, today=TODAY + dt.timedelta(days=day)
        ).follow_up
        assert chosen is not None
        assert "practice:calm-body" not in chosen.tags and "topic:stress" not in chosen.tags


def test_a_stressed_week_may_be_celebrated_for_the_effort_through_it(library: Library) -> None:
    facts = frozenset({"stressed", "hard", "tired"})
    ids = {
        plan(
            library, key="tried", tries_this_week=3, facts_this_week=facts,
            today=TODAY + dt.timedelta(days=d),
        ).follow_up.id  # type: ignore[union-attr]
        for d in range(40)
    }  # fmt: skip
    assert "celebrate-even-on-hard-days" in ids


def test_no_celebration_twice_in_a_week(library: Library) -> None:
    result = plan(library, key="tried", tries_this_week=5, celebrated_this_week=True)
    assert result.follow_up is None and result.say[0].key == "tried"


def test_a_reported_topic_is_remembered_for_a_week(library: Library) -> None:
    result = plan(library, words="she won't nap, bedtime is a fight")
    assert "topic:sleep" in result.focus_topics
    assert result.focus_until == TODAY + dt.timedelta(days=7)


def test_positive_words_and_taps_are_rewards_hard_ones_are_not(library: Library) -> None:
    assert plan(library, key="tried").positive
    assert plan(library, words="she laughed so much").positive
    assert not plan(library, key="hard").positive
    assert not plan(library, words="not good, he cried").positive


def test_the_toast_rotates_and_every_version_shown_is_logged(library: Library) -> None:
    from bot.coaching.reply_plan import ack_decisions

    seen: dict[str, dt.date] = {}
    toasts = set()
    for n in range(10):
        result = plan(library, key="okay", last_sent=dict(seen))
        assert result.toast is not None
        toasts.add(result.toast.text)
        logged = ack_decisions(result)
        assert [d.message_id for d in logged] == [result.toast.message_id, result.say[0].message_id]
        for decision in logged:
            seen[decision.message_id] = TODAY + dt.timedelta(days=n)
    assert len(toasts) == 10


def test_a_tired_parent_gets_calm_that_fits_tiredness_next(library: Library) -> None:
    from bot.coaching.policy_v2 import AdaptivePolicy

    result = plan(library, words="I'm exhausted, no sleep at all")
    assert result.pending_need == "calm" and "topic:fatigue" in (result.reported_topics or ())
    decision = AdaptivePolicy().choose(
        snap(pending_need="calm", reported_topics=result.reported_topics, local_hour=8), library
    )
    assert decision.kind == "calm" and decision.message is not None
    assert decision.message.tags & {"topic:fatigue", "topic:sleep"}
