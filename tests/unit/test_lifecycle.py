"""The parent lifecycle's pure transitions, and the small readers at the edge of input."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import lifecycle
from bot.db.models import Parent
from bot.enrollment import looks_like_a_reply
from bot.handlers.account import pause_days
from bot.handlers.common import readable
from bot.lifecycle import ParentStatus
from bot.views import answered_buttons, callback_id

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # 07:00 in New York


def parent(status: ParentStatus, **values: object) -> Parent:
    found = lifecycle.new_parent(
        telegram_user_id=1, chat_id=1, language="en", timezone="America/New_York", now=NOW
    )
    found.status, found.send_time = status.value, dt.time(8, 0)
    for name, value in values.items():
        setattr(found, name, value)
    return found


def test_a_new_parent_is_onboarding_with_nothing_scheduled() -> None:
    found = parent(ParentStatus.ONBOARDING)
    assert lifecycle.status_of(found) is ParentStatus.ONBOARDING
    assert found.next_send_at is None and not lifecycle.has_joined(found)


def test_enroll_schedules_the_first_message() -> None:
    found = parent(ParentStatus.ONBOARDING, awaiting="ob:summary")
    lifecycle.enroll(found, NOW)
    assert found.status == "active" and found.awaiting is None
    assert found.next_send_at == dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("status", [ParentStatus.PAUSED, ParentStatus.STOPPED])
def test_resume_is_a_fresh_start(status: ParentStatus) -> None:
    found = parent(status, unanswered_count=4, paused_until=NOW)
    lifecycle.resume(found, NOW)
    assert found.status == "active" and found.unanswered_count == 0
    assert found.paused_until is None and found.next_send_at is not None


@pytest.mark.parametrize(
    ("awaiting", "after"),
    [("ob:child_name", "onboarding"), ("fix:timezone", "onboarding"), (None, "stopped")],
)
def test_unblocking_goes_back_to_joining_or_to_stopped(awaiting: str | None, after: str) -> None:
    found = parent(ParentStatus.BLOCKED, awaiting=awaiting)
    lifecycle.reachable_again(found)
    assert found.status == after


def test_unblocking_changes_nothing_for_someone_not_blocked() -> None:
    found = parent(ParentStatus.PAUSED)
    lifecycle.reachable_again(found)
    assert found.status == "paused"


def test_joined_statuses() -> None:
    assert {s for s in ParentStatus if lifecycle.has_joined(parent(s))} == {
        ParentStatus.ACTIVE,
        ParentStatus.PAUSED,
        ParentStatus.STOPPED,
    }


@pytest.mark.parametrize(
    ("args", "days"),
    [
        ([], 0),
        (["7"], 7),
        (["90"], 90),
        (["91"], None),
        (["0"], None),
        (["²"], None),
        (["٣"], None),
        (["1" * 30], None),
        (["-2"], None),
        (["2", "3"], None),
    ],
)
def test_pause_days(args: list[str], days: int | None) -> None:
    assert pause_days(args) == days


@pytest.mark.parametrize(
    ("part", "found"),
    [("12", 12), ("²", None), ("", None), ("-1", None), ("1" * 10, None), ("0012", 12)],
)
def test_callback_ids_are_short_ascii_digits(part: str, found: int | None) -> None:
    assert callback_id(part) == found


def test_a_tapped_keyboard_shows_the_answer_and_keeps_other_rows() -> None:
    keyboard = [
        [("We tried it", "r:5:tried"), ("Not today", "r:5:not_today"), ("It was hard", "r:5:hard")],
        [("Why it helps", "w:5")],
    ]
    assert answered_buttons(keyboard, "r:5:hard") == (
        (("✓ It was hard", "r:5:hard"),),
        (("Why it helps", "w:5"),),
    )


def test_check_in_choices_over_two_rows_become_one_answer() -> None:
    keyboard = [[("Great", "r:9:good"), ("Okay", "r:9:neutral")], [("Hard", "r:9:stressed")]]
    assert answered_buttons(keyboard, "r:9:stressed") == ((("✓ Hard", "r:9:stressed"),),)


@pytest.mark.parametrize(
    ("field", "typed", "reply"),
    [
        ("timezone", "We read a book together", True),
        ("timezone", "Los Angles", False),
        ("timezone", "Salt Lake City", False),
        ("send_time", "We had a hard morning today", True),
        ("send_time", "7:30 de la noche", False),
        ("child_date", "we went to the park with grandma", True),
        ("child_date", "el 5 de marzo de 2026", False),
        ("child_name", "Ana Sofía", False),
        ("child_name", "she loved the song we sang", True),
    ],
)
def test_what_is_clearly_not_a_settings_answer(field: str, typed: str, reply: bool) -> None:
    assert looks_like_a_reply(field, typed) is reply


def test_readable_drops_control_characters_but_keeps_lines_and_emoji() -> None:
    assert readable("Ma\x00ya\x07") == "Maya"
    assert readable("one\ntwo\tthree 👨‍👩‍👧") == "one\ntwo\tthree 👨‍👩‍👧"
