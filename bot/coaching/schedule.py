"""When a parent's next message is due: local time of day, cadence, pauses, DST-safe."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CADENCES = ("daily", "three_a_week")
# Monday, Wednesday, Friday for parents who chose fewer days (Ready4K's dose).
THREE_A_WEEK_DAYS = frozenset({0, 2, 4})
# A parent who has not answered three messages in a row hears from us every third day.
QUIET_INTERVAL_DAYS = 3
QUIET_AFTER_UNANSWERED = 3


def local_instant(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """`at` on `day` in `zone`, as an aware UTC instant.

    A wall time skipped by a spring-forward change lands after the gap (02:30 becomes 03:30);
    one that happens twice in a fall-back change means the first. Both come from fold=0.
    """
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def next_send_at(
    after: dt.datetime,
    *,
    timezone: str,
    send_time: dt.time,
    cadence: str = "daily",
    unanswered: int = 0,
    last_sent_local_date: dt.date | None = None,
) -> dt.datetime:
    """The first moment strictly after `after` when this parent should get a message."""
    zone = ZoneInfo(timezone)
    day = after.astimezone(zone).date()
    quiet = unanswered >= QUIET_AFTER_UNANSWERED
    for offset in range(0, 15):
        candidate_day = day + dt.timedelta(days=offset)
        if cadence == "three_a_week" and candidate_day.weekday() not in THREE_A_WEEK_DAYS:
            continue
        if (
            quiet
            and last_sent_local_date is not None
            and (candidate_day - last_sent_local_date).days < QUIET_INTERVAL_DAYS
        ):
            continue
        candidate = local_instant(candidate_day, send_time, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a cadence always has a day within two weeks")


def local_date_of(instant: dt.datetime, timezone: str) -> dt.date:
    return instant.astimezone(ZoneInfo(timezone)).date()
