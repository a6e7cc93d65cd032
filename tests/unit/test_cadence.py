"""Silence slows the rhythm step by step; a reply restores the parent's own."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coaching.cadence import Step, next_daily_send, step_of

ZONE = "America/New_York"
EIGHT = dt.time(8, 0)


def local(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, EIGHT, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("unanswered", "asked", "step"),
    [(0, False, Step.CHOSEN), (2, False, Step.CHOSEN), (3, False, Step.EVERY_OTHER_DAY),
     (4, False, Step.EVERY_OTHER_DAY), (5, False, Step.TWICE_A_WEEK), (6, False, Step.TWICE_A_WEEK),
     (7, False, Step.ASK_PAUSE), (9, True, Step.WEEKLY)],
)  # fmt: skip
def test_each_unanswered_message_moves_one_step(unanswered: int, asked: bool, step: Step) -> None:
    assert step_of(unanswered, asked_pause=asked) is step


def days_between_sends(unanswered: int, *, asked: bool = False, cadence: str = "daily") -> int:
    sent = dt.date(2026, 12, 2)  # a Wednesday
    after = dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC)  # 08:00 in New York
    nxt = next_daily_send(
        after,
        timezone=ZONE,
        send_time=EIGHT,
        cadence=cadence,
        unanswered=unanswered,
        last_sent_local_date=sent,
        asked_pause=asked,
    )
    assert nxt.astimezone(dt.UTC).hour == 13  # still 08:00 local
    return (nxt.date() - sent).days


def test_a_replying_parent_hears_daily() -> None:
    assert days_between_sends(0) == 1


def test_three_in_a_row_unanswered_slows_to_every_other_day() -> None:
    assert days_between_sends(3) == 2


def test_five_unanswered_slows_to_twice_a_week_on_monday_and_thursday() -> None:
    assert days_between_sends(5) == 5  # Wednesday -> Monday (Thursday is too soon)


def test_after_the_pause_question_only_weekly() -> None:
    assert days_between_sends(8, asked=True) == 7


def test_a_parent_who_chose_three_days_keeps_them_while_replying() -> None:
    assert days_between_sends(0, cadence="three_a_week") == 2  # Wednesday -> Friday


def test_the_pace_never_passes_a_week_on_the_way_down() -> None:
    for unanswered in range(0, 20):
        assert days_between_sends(unanswered, asked=unanswered > 7) <= 7


def test_any_reply_brings_the_chosen_rhythm_back() -> None:
    from bot.coaching.cadence import restored

    week_away = dt.datetime(2026, 12, 9, 13, 0, tzinfo=dt.UTC)
    now = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
    back = restored(week_away, now, timezone=ZONE, send_time=EIGHT, cadence="daily")
    assert back == dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC)
    soon = dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC)
    assert restored(soon, now, timezone=ZONE, send_time=EIGHT, cadence="daily") == soon
