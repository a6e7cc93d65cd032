"""Which message a parent gets next, from what they told us and what they have had."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import pytest

from bot.coaching.policy import (
    IDEA_APART_DAYS,
    ParentSnapshot,
    choose_scheduled_message,
    ideas_sent,
    pick,
    should_celebrate,
    spaced_ideas,
)
from messages.library import Choice, Library, Message

TODAY = dt.date(2026, 5, 20)
CHOICES = (Choice("good", "Good"), Choice("hard", "Hard"))
# The check-in for a parent who went quiet: tagged topic:routines, offering fewer messages.
QUIET_CHOICES = (Choice("okay", "Still a good time"), Choice("skip", "Fewer, please"))


def msg(
    message_id: str,
    kind: str = "nudge",
    *,
    language: str = "en",
    ages: tuple[int, int] = (0, 59),
    tags: Iterable[str] = ("practice:look",),
    choices: tuple[Choice, ...] | None = None,
    idea: str | None = None,
) -> Message:
    return Message(
        id=message_id,
        language=language,
        kind=kind,
        age_min=ages[0],
        age_max=ages[1],
        tags=frozenset(tags),
        text=f"Text of {message_id}.",
        choices=choices if choices is not None else CHOICES if kind == "checkin" else (),
        idea=idea,
    )


def parent(**changes: object) -> ParentSnapshot:
    base = ParentSnapshot(parent_id=7, language="en", age_months=10, today=TODAY)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


LIBRARY = Library(
    (
        msg("nudge-a"),
        msg("nudge-b"),
        msg("repair-a", "repair"),
        msg("calm-a", "calm"),
        msg("checkin-feelings", "checkin", tags=("practice:reflect", "topic:stress")),
        msg(
            "checkin-still-good-time",
            "checkin",
            tags=("practice:reflect", "topic:routines"),
            choices=QUIET_CHOICES,
        ),
        msg("nudge-a", language="es"),
        msg("repair-a", "repair", language="es"),
    )
)


# --- what the parent told us comes first ------------------------------------------------------


@pytest.mark.parametrize(("need", "expected"), [("repair", "repair-a"), ("calm", "calm-a")])
def test_a_pending_need_wins_over_everything_else(need: str, expected: str) -> None:
    # Quiet and due a weekly check-in too: the parent's own report still comes first.
    snapshot = parent(pending_need=need, unanswered_count=5, scheduled_count=20)
    chosen = choose_scheduled_message(snapshot, LIBRARY)
    assert (chosen.id, chosen.kind) == (expected, need)


def test_a_pending_need_with_no_fitting_message_falls_back_to_a_nudge() -> None:
    snapshot = parent(pending_need="calm", language="es")
    assert choose_scheduled_message(snapshot, LIBRARY).kind == "nudge"


def test_an_unknown_pending_need_is_ignored() -> None:
    assert choose_scheduled_message(parent(pending_need="hug"), LIBRARY).kind == "nudge"


# --- quiet parents and weekly check-ins ---------------------------------------------------


def test_three_unanswered_brings_the_still_a_good_time_check_in() -> None:
    chosen = choose_scheduled_message(parent(unanswered_count=3), LIBRARY)
    assert chosen.id == "checkin-still-good-time"


def test_the_quiet_check_in_outranks_a_weekly_check_in_that_is_also_due() -> None:
    snapshot = parent(unanswered_count=4, scheduled_count=40, days_since_checkin=9)
    assert choose_scheduled_message(snapshot, LIBRARY).id == "checkin-still-good-time"


def test_two_unanswered_still_gets_a_nudge() -> None:
    assert choose_scheduled_message(parent(unanswered_count=2), LIBRARY).kind == "nudge"


def test_without_a_quiet_check_in_a_quiet_parent_does_not_get_an_ordinary_one() -> None:
    no_routines = Library(tuple(m for m in LIBRARY.messages if m.id != "checkin-still-good-time"))
    chosen = choose_scheduled_message(parent(unanswered_count=3), no_routines)
    assert chosen.kind == "nudge"


def test_the_weekly_check_in_comes_after_six_scheduled_messages() -> None:
    chosen = choose_scheduled_message(parent(scheduled_count=6), LIBRARY)
    assert chosen.id == "checkin-feelings"


def test_no_check_in_before_six_scheduled_messages() -> None:
    assert choose_scheduled_message(parent(scheduled_count=5), LIBRARY).kind == "nudge"


def test_no_check_in_within_a_week_of_the_last_one() -> None:
    snapshot = parent(scheduled_count=30, days_since_checkin=6)
    assert choose_scheduled_message(snapshot, LIBRARY).kind == "nudge"


def test_a_check_in_a_week_after_the_last_one() -> None:
    snapshot = parent(scheduled_count=30, days_since_checkin=7)
    assert choose_scheduled_message(snapshot, LIBRARY).id == "checkin-feelings"


def test_the_weekly_check_in_is_never_the_quiet_parent_check_in() -> None:
    only_routines = Library(
        (
            msg("nudge-a"),
            msg(
                "checkin-still-good-time",
                "checkin",
                tags=("practice:reflect", "topic:routines"),
                choices=QUIET_CHOICES,
            ),
        )
    )
    chosen = choose_scheduled_message(parent(scheduled_count=6), only_routines)
    assert chosen.id == "nudge-a"


# --- nudges fit the child and the language ------------------------------------------------


def test_a_nudge_fits_the_childs_age_and_the_parents_language() -> None:
    library = Library(
        (
            msg("nudge-newborn", ages=(0, 5)),
            msg("nudge-toddler", ages=(12, 23)),
            msg("nudge-prenatal", ages=(-9, -1)),
            msg("nudge-baby", ages=(6, 11), language="es"),
            msg("nudge-baby", ages=(6, 11)),
            msg("repair-baby", "repair", ages=(6, 11)),
        )
    )
    chosen = {
        (m.id, m.language)
        for parent_id in range(40)
        for m in [
            choose_scheduled_message(
                parent(parent_id=parent_id, age_months=8, language="en"), library
            )
        ]
    }
    assert chosen == {("nudge-baby", "en")}


@pytest.mark.parametrize(("age", "expected"), [(-1, "nudge-prenatal"), (0, "nudge-newborn")])
def test_the_age_bounds_are_inclusive(age: int, expected: str) -> None:
    library = Library((msg("nudge-prenatal", ages=(-9, -1)), msg("nudge-newborn", ages=(0, 5))))
    assert choose_scheduled_message(parent(age_months=age), library).id == expected


def test_no_nudge_for_the_age_and_language_is_a_lookup_error_naming_both() -> None:
    library = Library((msg("nudge-a", language="es"), msg("nudge-b", ages=(0, 5))))
    with pytest.raises(LookupError, match=r"age 10 in en"):
        choose_scheduled_message(parent(), library)


# --- no repeats -----------------------------------------------------------------------------


POOL = Library(tuple(msg(f"nudge-{letter}") for letter in "abc"))


def test_a_message_sent_in_the_last_30_days_is_not_sent_again_while_others_are_fresh() -> None:
    last_sent = {"nudge-a": TODAY - dt.timedelta(days=1), "nudge-b": TODAY - dt.timedelta(days=29)}
    for parent_id in range(30):
        chosen = choose_scheduled_message(parent(parent_id=parent_id, last_sent=last_sent), POOL)
        assert chosen.id == "nudge-c"


@pytest.mark.parametrize(("days_ago", "expected"), [(30, "nudge-sleep"), (29, "nudge-plain")])
def test_a_message_is_fresh_again_from_30_days_after_it_was_sent(
    days_ago: int, expected: str
) -> None:
    library = Library(
        (
            msg("nudge-sleep", tags=("practice:look", "topic:sleep")),
            msg("nudge-plain"),
        )
    )
    snapshot = parent(last_sent={"nudge-sleep": TODAY - dt.timedelta(days=days_ago)})
    chosen = pick(library, snapshot, kind="nudge", tags={"topic:sleep"})
    assert chosen is not None and chosen.id == expected


def test_when_everything_was_sent_recently_the_least_recent_one_goes_again() -> None:
    last_sent = {
        "nudge-a": TODAY - dt.timedelta(days=3),
        "nudge-b": TODAY - dt.timedelta(days=12),
        "nudge-c": TODAY - dt.timedelta(days=5),
    }
    for parent_id in range(30):
        chosen = choose_scheduled_message(parent(parent_id=parent_id, last_sent=last_sent), POOL)
        assert chosen.id == "nudge-b"


def test_sends_in_another_language_do_not_count_against_a_message_and_never_leak() -> None:
    library = Library((msg("nudge-a"), msg("nudge-a", language="es"), msg("nudge-b")))
    last_sent = {"nudge-b": TODAY - dt.timedelta(days=1)}
    chosen = choose_scheduled_message(parent(last_sent=last_sent), library)
    assert (chosen.id, chosen.language) == ("nudge-a", "en")


# --- one idea, 14 days apart -----------------------------------------------------------------


RITUALS = Library(
    (
        msg("nudge-bedtime-song", idea="bedtime-ritual"),
        msg("nudge-bedtime-story", idea="bedtime-ritual"),
        msg("nudge-bedtime-song", idea="bedtime-ritual", language="es"),
        msg("nudge-bedtime-story", idea="bedtime-ritual", language="es"),
        msg("nudge-mirror", idea="mirror-faces"),
        msg("nudge-mirror", idea="mirror-faces", language="es"),
    )
)


@pytest.mark.parametrize("days_ago", [0, 1, 13])
def test_a_message_sharing_an_idea_sent_within_14_days_waits(days_ago: int) -> None:
    last_sent = {"nudge-bedtime-song": TODAY - dt.timedelta(days=days_ago)}
    for parent_id in range(30):
        snapshot = parent(parent_id=parent_id, last_sent=last_sent)
        assert choose_scheduled_message(snapshot, RITUALS).id == "nudge-mirror"


def test_from_14_days_on_a_message_sharing_the_idea_may_come() -> None:
    last_sent = {"nudge-bedtime-song": TODAY - dt.timedelta(days=IDEA_APART_DAYS)}
    chosen = {
        choose_scheduled_message(parent(parent_id=p, last_sent=last_sent), RITUALS).id
        for p in range(40)
    }
    assert chosen == {"nudge-bedtime-story", "nudge-mirror"}


def test_the_idea_is_kept_apart_across_a_change_of_language() -> None:
    # Sent in English, then the parent switched to Spanish: the same ids, the same ideas.
    last_sent = {"nudge-bedtime-song": TODAY - dt.timedelta(days=2)}
    for parent_id in range(20):
        snapshot = parent(parent_id=parent_id, language="es", last_sent=last_sent)
        chosen = pick(RITUALS, snapshot, kind="nudge")
        assert chosen is not None and (chosen.id, chosen.language) == ("nudge-mirror", "es")


def test_spacing_outranks_a_tag_match() -> None:
    library = Library(
        (
            msg("nudge-sleep-a", tags=("practice:look", "topic:sleep"), idea="wind-down"),
            msg("nudge-sleep-b", tags=("practice:look", "topic:sleep"), idea="wind-down"),
            msg("nudge-plain"),
        )
    )
    snapshot = parent(last_sent={"nudge-sleep-a": TODAY - dt.timedelta(days=3)})
    chosen = pick(library, snapshot, kind="nudge", tags={"topic:sleep"})
    assert chosen is not None and chosen.id == "nudge-plain"


def test_when_every_fresh_message_shares_a_recent_idea_the_longest_ago_goes() -> None:
    library = Library(
        (
            msg("nudge-a", idea="one"),
            msg("nudge-b", idea="one"),
            msg("nudge-c", idea="two"),
            msg("nudge-d", idea="two"),
        )
    )
    last_sent = {"nudge-a": TODAY - dt.timedelta(days=2), "nudge-c": TODAY - dt.timedelta(days=9)}
    for parent_id in range(20):
        chosen = pick(library, parent(parent_id=parent_id, last_sent=last_sent), kind="nudge")
        assert chosen is not None and chosen.id == "nudge-d"


def test_ideas_sent_keeps_the_latest_day_per_idea_and_skips_unknown_ids() -> None:
    last_sent = {
        "nudge-bedtime-song": TODAY - dt.timedelta(days=20),
        "nudge-bedtime-story": TODAY - dt.timedelta(days=5),
        "safety-checkin": TODAY - dt.timedelta(days=1),
        "nudge-retired": TODAY - dt.timedelta(days=1),
    }
    found = ideas_sent(RITUALS, parent(last_sent=last_sent))
    assert found == {"bedtime-ritual": TODAY - dt.timedelta(days=5)}


def test_a_message_without_an_idea_is_its_own_idea() -> None:
    alone = msg("nudge-alone")
    assert alone.idea_key == "nudge-alone"
    assert spaced_ideas([alone], {"nudge-alone": TODAY}, TODAY) == [alone]  # the only one
    assert spaced_ideas([], {}, TODAY) == []


# --- tag preference -------------------------------------------------------------------------


def test_the_message_matching_the_most_wanted_tags_wins() -> None:
    library = Library(
        (
            msg("repair-general", "repair", tags=("practice:repair",)),
            msg("repair-tantrum", "repair", tags=("practice:repair", "topic:tantrums")),
            msg(
                "repair-tantrum-bedtime",
                "repair",
                tags=("practice:repair", "topic:tantrums", "topic:sleep"),
            ),
        )
    )
    for parent_id in range(20):
        chosen = pick(
            library,
            parent(parent_id=parent_id),
            kind="repair",
            tags={"topic:tantrums", "topic:sleep"},
        )
        assert chosen is not None and chosen.id == "repair-tantrum-bedtime"


def test_freshness_outranks_a_tag_match() -> None:
    library = Library(
        (
            msg("repair-general", "repair", tags=("practice:repair",)),
            msg("repair-tantrum", "repair", tags=("practice:repair", "topic:tantrums")),
        )
    )
    snapshot = parent(last_sent={"repair-tantrum": TODAY - dt.timedelta(days=4)})
    chosen = pick(library, snapshot, kind="repair", tags={"topic:tantrums"})
    assert chosen is not None and chosen.id == "repair-general"


def test_a_filter_that_no_message_passes_returns_nothing() -> None:
    assert pick(POOL, parent(), kind="nudge", where=lambda m: "topic:sleep" in m.tags) is None


def test_a_filter_keeps_only_the_messages_it_passes() -> None:
    for parent_id in range(20):
        chosen = pick(
            POOL, parent(parent_id=parent_id), kind="nudge", where=lambda m: m.id == "nudge-b"
        )
        assert chosen is not None and chosen.id == "nudge-b"


def test_pick_returns_none_for_a_kind_with_no_fitting_message() -> None:
    assert pick(POOL, parent(), kind="celebration") is None


# --- a repeatable draw -------------------------------------------------------------------------


def test_the_same_parent_on_the_same_day_gets_the_same_message() -> None:
    library = Library(tuple(msg(f"nudge-{n:02}") for n in range(20)))
    first = choose_scheduled_message(parent(parent_id=42), library)
    for _ in range(5):
        assert choose_scheduled_message(parent(parent_id=42), library) == first


def test_the_draw_does_not_depend_on_the_order_of_the_library() -> None:
    messages = tuple(msg(f"nudge-{n:02}") for n in range(20))
    forwards = choose_scheduled_message(parent(parent_id=42), Library(messages))
    backwards = choose_scheduled_message(parent(parent_id=42), Library(messages[::-1]))
    assert forwards == backwards


def test_different_parents_and_days_get_varied_messages() -> None:
    library = Library(tuple(msg(f"nudge-{n:02}") for n in range(20)))
    by_parent = {choose_scheduled_message(parent(parent_id=p), library).id for p in range(50)}
    by_day = {
        choose_scheduled_message(parent(today=TODAY + dt.timedelta(days=d)), library).id
        for d in range(50)
    }
    assert len(by_parent) > 5
    assert len(by_day) > 5


# --- celebrations -------------------------------------------------------------------------------


@pytest.mark.parametrize("tries", [3, 5, 7])
def test_a_celebration_at_three_five_and_seven_tries_in_a_week(tries: int) -> None:
    assert should_celebrate(tries, celebrated_this_week=False)


@pytest.mark.parametrize("tries", [0, 1, 2, 4, 6, 8, 14])
def test_no_celebration_at_other_counts(tries: int) -> None:
    assert not should_celebrate(tries, celebrated_this_week=False)


@pytest.mark.parametrize("tries", [3, 5, 7])
def test_never_more_than_one_celebration_a_week(tries: int) -> None:
    assert not should_celebrate(tries, celebrated_this_week=True)
