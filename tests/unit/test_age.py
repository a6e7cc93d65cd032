"""A child's age in whole months, from a birth date or counting down to a due date."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bot.coaching.age import age_in_months, months_between
from bot.coaching.parsing import NotUnderstood, parse_child_date
from messages import vocabulary as vocab

D = dt.date


def born(birth: dt.date, today: dt.date) -> int:
    return age_in_months(today, birth_date=birth, due_date=None)


def due(due_date: dt.date, today: dt.date) -> int:
    return age_in_months(today, birth_date=None, due_date=due_date)


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (D(2026, 3, 14), 0),
        (D(2026, 4, 13), 0),
        (D(2026, 4, 14), 1),
        (D(2026, 12, 31), 9),
        (D(2027, 3, 13), 11),
        (D(2027, 3, 14), 12),
        (D(2029, 3, 14), 36),
    ],
)
def test_age_counts_whole_months_on_the_day_of_the_month_of_birth(
    today: dt.date, months: int
) -> None:
    assert born(D(2026, 3, 14), today) == months


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (D(2026, 2, 27), 0),
        (D(2026, 2, 28), 0),  # February has no 31st: still under a month
        (D(2026, 3, 1), 1),
        (D(2026, 3, 30), 1),
        (D(2026, 3, 31), 2),
        (D(2026, 4, 30), 2),
        (D(2026, 5, 1), 3),
    ],
)
def test_a_child_born_on_the_31st_turns_a_month_older_once_the_day_is_reached_or_passed(
    today: dt.date, months: int
) -> None:
    assert born(D(2026, 1, 31), today) == months


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (D(2024, 3, 28), 0),
        (D(2024, 3, 29), 1),
        (D(2025, 2, 28), 11),
        (D(2025, 3, 1), 12),
        (D(2028, 2, 29), 48),
    ],
)
def test_a_leap_day_baby_turns_a_year_old_on_the_first_of_march(
    today: dt.date, months: int
) -> None:
    assert born(D(2024, 2, 29), today) == months


def test_a_birth_date_after_today_counts_as_a_newborn() -> None:
    assert born(D(2026, 3, 1), D(2026, 1, 1)) == 0


def test_a_birth_date_wins_over_a_due_date_once_the_baby_is_born() -> None:
    # Born a month early: the age counts from the birth, not from the due date.
    assert age_in_months(D(2026, 6, 1), birth_date=D(2026, 5, 1), due_date=D(2026, 9, 1)) == 1


def test_no_dates_at_all_means_age_zero() -> None:
    assert age_in_months(D(2026, 6, 1), birth_date=None, due_date=None) == 0


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (D(2026, 6, 14), -1),  # the day before the due date
        (D(2026, 5, 16), -1),  # still in the last month
        (D(2026, 5, 15), -2),  # a whole month to go
        (D(2026, 4, 16), -2),
        (D(2025, 9, 16), -9),  # the first day of the ninth month before
    ],
)
def test_before_the_due_date_the_age_counts_down_and_is_minus_one_in_the_last_month(
    today: dt.date, months: int
) -> None:
    assert due(D(2026, 6, 15), today) == months


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (D(2026, 6, 15), 0),
        (D(2026, 7, 14), 0),
        (D(2026, 7, 15), 1),
        (D(2027, 6, 15), 12),
    ],
)
def test_after_the_due_date_without_a_birth_date_the_age_counts_up_from_the_due_date(
    today: dt.date, months: int
) -> None:
    assert due(D(2026, 6, 15), today) == months


def test_a_due_date_on_the_31st_counts_down_through_a_short_february() -> None:
    assert due(D(2026, 3, 31), D(2026, 3, 1)) == -1
    assert due(D(2026, 3, 31), D(2026, 2, 28)) == -2
    assert due(D(2026, 3, 31), D(2026, 1, 31)) == -3


def test_the_countdown_never_skips_or_repeats_a_month_day_by_day() -> None:
    due_date = D(2026, 6, 15)
    day = D(2025, 9, 16)
    ages = []
    while day < D(2026, 9, 1):
        ages.append(due(due_date, day))
        day += dt.timedelta(days=1)
    steps = {b - a for a, b in itertools.pairwise(ages)}
    assert steps == {0, 1}
    # -1 is followed by 0 on the due date: no month is left out.
    assert sorted(set(ages)) == list(range(-9, 3))


def test_months_between_is_negative_when_the_end_is_earlier() -> None:
    assert months_between(D(2026, 6, 15), D(2026, 3, 15)) == -3
    assert months_between(D(2026, 6, 15), D(2026, 3, 16)) == -2


def test_every_due_date_parsing_accepts_has_an_age_the_library_serves() -> None:
    today = D(2026, 1, 15)
    accepted = []
    for days in range(1, 400):
        day = today + dt.timedelta(days=days)
        try:
            parse_child_date(day.isoformat(), today, day_first=False)
        except NotUnderstood:
            continue
        accepted.append(day)
        assert due(day, today) >= vocab.MIN_AGE_MONTHS
    # Every due date up to nine months away is taken; nothing further.
    assert accepted[0] == today + dt.timedelta(days=1)
    assert max(accepted) == D(2026, 10, 14)
