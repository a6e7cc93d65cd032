"""How often a parent hears from us: their chosen rhythm, slowed step by step by silence.

Daily (or three days a week, as chosen) while they reply; after three unanswered messages in a
row every other day, after five twice a week, after seven one message asking whether to pause,
then once a week until they answer. Any reply sets the count back to zero, and the parent's own
rhythm returns with it. Pure arithmetic over local dates, DST-safe through `local_instant`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.coaching.schedule import THREE_A_WEEK_DAYS, local_instant


class Step(StrEnum):
    CHOSEN = "chosen"
    EVERY_OTHER_DAY = "every_other_day"
    TWICE_A_WEEK = "twice_a_week"
    ASK_PAUSE = "ask_pause"
    WEEKLY = "weekly"


EVERY_OTHER_DAY_AFTER = 3
TWICE_A_WEEK_AFTER = 5
ASK_PAUSE_AFTER = 7
# Monday and Thursday.
TWICE_A_WEEK_DAYS = frozenset({0, 3})
_GAP_DAYS = {Step.EVERY_OTHER_DAY: 2, Step.TWICE_A_WEEK: 3, Step.ASK_PAUSE: 3, Step.WEEKLY: 7}


def step_of(unanswered: int, *, asked_pause: bool = False) -> Step:
    """Where silence has brought a parent who has not answered `unanswered` messages in a row."""
    if unanswered >= ASK_PAUSE_AFTER:
        return Step.WEEKLY if asked_pause else Step.ASK_PAUSE
    if unanswered >= TWICE_A_WEEK_AFTER:
        return Step.TWICE_A_WEEK
    if unanswered >= EVERY_OTHER_DAY_AFTER:
        return Step.EVERY_OTHER_DAY
    return Step.CHOSEN


def next_daily_send(
    after: dt.datetime,
    *,
    timezone: str,
    send_time: dt.time,
    cadence: str,
    unanswered: int,
    last_sent_local_date: dt.date | None,
    asked_pause: bool = False,
) -> dt.datetime:
    """The first moment strictly after `after` for this parent's next message."""
    zone = ZoneInfo(timezone)
    step = step_of(unanswered, asked_pause=asked_pause)
    day = after.astimezone(zone).date()
    for offset in range(0, 22):
        candidate_day = day + dt.timedelta(days=offset)
        if step is Step.CHOSEN:
            if cadence == "three_a_week" and candidate_day.weekday() not in THREE_A_WEEK_DAYS:
                continue
        elif last_sent_local_date is not None:
            if (candidate_day - last_sent_local_date).days < _GAP_DAYS[step]:
                continue
            if step is Step.TWICE_A_WEEK and candidate_day.weekday() not in TWICE_A_WEEK_DAYS:
                continue
        candidate = local_instant(candidate_day, send_time, zone)
        if candidate > after:
            return candidate
    raise AssertionError("every step has a day within three weeks")


def restored(
    next_at: dt.datetime, now: dt.datetime, *, timezone: str, send_time: dt.time, cadence: str
) -> dt.datetime:
    """After any reply: the parent's own rhythm again, if silence had pushed the next message
    further out."""
    chosen = next_daily_send(
        now,
        timezone=timezone,
        send_time=send_time,
        cadence=cadence,
        unanswered=0,
        last_sent_local_date=None,
    )
    return min(next_at, chosen)


def per_week(step: Step, cadence: str) -> float:
    """Messages a week at this step (for reports)."""
    if step is Step.CHOSEN:
        return 3.0 if cadence == "three_a_week" else 7.0
    return {Step.EVERY_OTHER_DAY: 3.5, Step.TWICE_A_WEEK: 2.0}.get(step, 1.0)
