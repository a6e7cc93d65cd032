"""When a parent's next message is due: local wall time, cadence, quiet parents, DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.schedule import local_date_of, local_instant, next_send_at

UTC = dt.UTC
EIGHT = dt.time(8, 0)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local_wall(instant: dt.datetime, zone: str) -> dt.datetime:
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


# --- daily, in zones other than UTC -------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "after", "expected"),
    [
        # 06:00 in New York (EST, UTC-5) is before 08:00: the same day, 13:00 UTC.
        ("America/New_York", utc(2026, 1, 15, 11, 0), utc(2026, 1, 15, 13, 0)),
        # 09:00 in Madrid (CET, UTC+1) is past 08:00: the next day, 07:00 UTC.
        ("Europe/Madrid", utc(2026, 1, 15, 8, 0), utc(2026, 1, 16, 7, 0)),
        # Mexico City has kept UTC-6 all year since 2022.
        ("America/Mexico_City", utc(2026, 7, 1, 12, 0), utc(2026, 7, 1, 14, 0)),
    ],
)
def test_daily_message_goes_at_the_parents_local_time(
    zone: str, after: dt.datetime, expected: dt.datetime
) -> None:
    assert next_send_at(after, timezone=zone, send_time=EIGHT) == expected


def test_a_utc_date_that_differs_from_the_local_date_uses_the_local_date() -> None:
    # 03:00 UTC on the 16th is still 21:00 on the 15th in Mexico City: 21:30 is still to come
    # that evening, not on the evening of the 16th.
    after = utc(2026, 1, 16, 3, 0)
    result = next_send_at(after, timezone="America/Mexico_City", send_time=dt.time(21, 30))
    assert result == utc(2026, 1, 16, 3, 30)
    assert local_wall(result, "America/Mexico_City") == dt.datetime(2026, 1, 15, 21, 30)


def test_a_message_due_exactly_now_is_not_due_again_until_tomorrow() -> None:
    due = utc(2026, 1, 15, 13, 0)  # 08:00 in New York
    assert next_send_at(due, timezone="America/New_York", send_time=EIGHT) == utc(
        2026, 1, 16, 13, 0
    )


def test_one_microsecond_before_the_send_time_is_still_today() -> None:
    just_before = utc(2026, 1, 15, 12, 59, 59, 999_999)
    assert next_send_at(just_before, timezone="America/New_York", send_time=EIGHT) == utc(
        2026, 1, 15, 13, 0
    )


def test_the_answer_is_an_aware_utc_instant() -> None:
    result = next_send_at(utc(2026, 1, 15), timezone="Europe/Madrid", send_time=EIGHT)
    assert result.utcoffset() == dt.timedelta(0)


def test_an_after_given_in_another_zone_means_the_same_instant() -> None:
    in_tokyo = utc(2026, 1, 15, 11, 0).astimezone(ZoneInfo("Asia/Tokyo"))
    assert next_send_at(in_tokyo, timezone="America/New_York", send_time=EIGHT) == utc(
        2026, 1, 15, 13, 0
    )


# --- daylight saving changes -----------------------------------------------------------------


def test_us_spring_forward_keeps_eight_local_while_the_utc_hour_moves() -> None:
    zone = "America/New_York"
    after = utc(2026, 3, 6, 20, 0)
    seen = []
    for _ in range(3):
        after = next_send_at(after, timezone=zone, send_time=EIGHT)
        seen.append(after)
        assert local_wall(after, zone).time() == EIGHT
    # EST (UTC-5) on Saturday the 7th, EDT (UTC-4) from Sunday 8 March.
    assert seen == [utc(2026, 3, 7, 13), utc(2026, 3, 8, 12), utc(2026, 3, 9, 12)]


def test_us_fall_back_keeps_eight_local_while_the_utc_hour_moves() -> None:
    zone = "America/New_York"
    after = utc(2026, 10, 30, 20, 0)
    seen = []
    for _ in range(3):
        after = next_send_at(after, timezone=zone, send_time=EIGHT)
        seen.append(after)
        assert local_wall(after, zone).time() == EIGHT
    # EDT (UTC-4) on the 31st, EST (UTC-5) from Sunday 1 November.
    assert seen == [utc(2026, 10, 31, 12), utc(2026, 11, 1, 13), utc(2026, 11, 2, 13)]


def test_europe_spring_forward_keeps_eight_local_while_the_utc_hour_moves() -> None:
    zone = "Europe/Madrid"
    after = utc(2026, 3, 27, 20, 0)
    seen = []
    for _ in range(3):
        after = next_send_at(after, timezone=zone, send_time=EIGHT)
        seen.append(after)
        assert local_wall(after, zone).time() == EIGHT
    # CET (UTC+1) on the 28th, CEST (UTC+2) from Sunday 29 March.
    assert seen == [utc(2026, 3, 28, 7), utc(2026, 3, 29, 6), utc(2026, 3, 30, 6)]


def test_europe_fall_back_keeps_eight_local_while_the_utc_hour_moves() -> None:
    zone = "Europe/Madrid"
    after = utc(2026, 10, 23, 20, 0)
    seen = []
    for _ in range(3):
        after = next_send_at(after, timezone=zone, send_time=EIGHT)
        seen.append(after)
        assert local_wall(after, zone).time() == EIGHT
    assert seen == [utc(2026, 10, 24, 6), utc(2026, 10, 25, 7), utc(2026, 10, 26, 7)]


def test_mexico_city_does_not_follow_the_us_clock_changes() -> None:
    zone = "America/Mexico_City"
    for day in (dt.date(2026, 3, 7), dt.date(2026, 3, 9), dt.date(2026, 11, 2)):
        assert local_instant(day, EIGHT, ZoneInfo(zone)) == dt.datetime.combine(
            day, dt.time(14, 0), tzinfo=UTC
        )


def test_a_send_time_skipped_by_spring_forward_goes_out_just_after_the_gap() -> None:
    # 02:30 does not exist in New York on 2026-03-08; it goes out at 03:30 EDT (07:30 UTC).
    result = local_instant(dt.date(2026, 3, 8), dt.time(2, 30), ZoneInfo("America/New_York"))
    assert result == utc(2026, 3, 8, 7, 30)
    assert local_wall(result, "America/New_York") == dt.datetime(2026, 3, 8, 3, 30)


def test_a_send_time_skipped_by_europes_spring_forward_goes_out_just_after_the_gap() -> None:
    result = local_instant(dt.date(2026, 3, 29), dt.time(2, 30), ZoneInfo("Europe/Madrid"))
    assert local_wall(result, "Europe/Madrid") == dt.datetime(2026, 3, 29, 3, 30)


def test_next_send_at_moves_a_skipped_time_past_the_gap_and_keeps_it_the_day_after() -> None:
    zone = "America/New_York"
    on_the_day = next_send_at(utc(2026, 3, 8, 5, 0), timezone=zone, send_time=dt.time(2, 30))
    assert local_wall(on_the_day, zone) == dt.datetime(2026, 3, 8, 3, 30)
    day_after = next_send_at(on_the_day, timezone=zone, send_time=dt.time(2, 30))
    assert local_wall(day_after, zone) == dt.datetime(2026, 3, 9, 2, 30)


def test_a_send_time_that_happens_twice_at_fall_back_means_the_first() -> None:
    # 01:30 happens twice in New York on 2026-11-01: first in EDT (05:30 UTC), then in EST.
    result = local_instant(dt.date(2026, 11, 1), dt.time(1, 30), ZoneInfo("America/New_York"))
    assert result == utc(2026, 11, 1, 5, 30)


def test_a_send_time_that_happens_twice_in_europe_means_the_first() -> None:
    # 02:30 happens twice in Madrid on 2026-10-25: first in CEST (00:30 UTC).
    result = local_instant(dt.date(2026, 10, 25), dt.time(2, 30), ZoneInfo("Europe/Madrid"))
    assert result == utc(2026, 10, 25, 0, 30)


def test_the_repeated_hour_does_not_send_twice_on_the_fall_back_day() -> None:
    zone = "America/New_York"
    first = next_send_at(utc(2026, 11, 1, 4, 0), timezone=zone, send_time=dt.time(1, 30))
    assert first == utc(2026, 11, 1, 5, 30)
    # After the first 01:30 has gone, the second 01:30 (06:30 UTC) is not another send.
    assert next_send_at(first, timezone=zone, send_time=dt.time(1, 30)) == utc(2026, 11, 2, 6, 30)


# --- cadence ---------------------------------------------------------------------------------


def test_three_a_week_sends_only_on_monday_wednesday_and_friday() -> None:
    zone = "America/New_York"
    after = utc(2026, 1, 4, 0, 0)  # Saturday evening in New York
    weekdays = []
    for _ in range(9):
        after = next_send_at(after, timezone=zone, send_time=EIGHT, cadence="three_a_week")
        weekdays.append(after.astimezone(ZoneInfo(zone)).strftime("%a %d"))
    assert weekdays == [
        "Mon 05", "Wed 07", "Fri 09", "Mon 12", "Wed 14", "Fri 16", "Mon 19", "Wed 21", "Fri 23",
    ]  # fmt: skip


def test_three_a_week_after_fridays_send_waits_for_monday() -> None:
    friday_send = utc(2026, 1, 9, 7, 0)  # 08:00 in Madrid
    assert next_send_at(
        friday_send, timezone="Europe/Madrid", send_time=EIGHT, cadence="three_a_week"
    ) == utc(2026, 1, 12, 7, 0)


def test_three_a_week_on_a_send_day_before_the_time_is_that_day() -> None:
    wednesday_morning = utc(2026, 1, 7, 6, 0)  # 07:00 in Madrid
    assert next_send_at(
        wednesday_morning, timezone="Europe/Madrid", send_time=EIGHT, cadence="three_a_week"
    ) == utc(2026, 1, 7, 7, 0)


def test_three_a_week_uses_the_local_weekday_not_the_utc_one() -> None:
    # Saturday 02:00 UTC is still Friday 20:00 in Mexico City: 21:00 that Friday is a send day.
    result = next_send_at(
        utc(2026, 1, 10, 2, 0),
        timezone="America/Mexico_City",
        send_time=dt.time(21, 0),
        cadence="three_a_week",
    )
    assert local_wall(result, "America/Mexico_City") == dt.datetime(2026, 1, 9, 21, 0)


# --- quiet parents ---------------------------------------------------------------------------


def test_a_parent_with_three_unanswered_hears_from_us_three_days_after_the_last_send() -> None:
    zone = "America/New_York"
    last_sent = dt.date(2026, 1, 15)
    result = next_send_at(
        utc(2026, 1, 15, 13, 0),
        timezone=zone,
        send_time=EIGHT,
        unanswered=3,
        last_sent_local_date=last_sent,
    )
    assert local_wall(result, zone) == dt.datetime(2026, 1, 18, 8, 0)


def test_two_unanswered_is_not_yet_quiet() -> None:
    result = next_send_at(
        utc(2026, 1, 15, 13, 0),
        timezone="America/New_York",
        send_time=EIGHT,
        unanswered=2,
        last_sent_local_date=dt.date(2026, 1, 15),
    )
    assert result == utc(2026, 1, 16, 13, 0)


def test_many_unanswered_still_means_every_third_day() -> None:
    result = next_send_at(
        utc(2026, 1, 15, 13, 0),
        timezone="America/New_York",
        send_time=EIGHT,
        unanswered=12,
        last_sent_local_date=dt.date(2026, 1, 15),
    )
    assert result == utc(2026, 1, 18, 13, 0)


def test_a_quiet_parent_whose_last_send_was_long_ago_gets_the_next_slot() -> None:
    result = next_send_at(
        utc(2026, 1, 15, 12, 0),
        timezone="America/New_York",
        send_time=EIGHT,
        unanswered=5,
        last_sent_local_date=dt.date(2026, 1, 1),
    )
    assert result == utc(2026, 1, 15, 13, 0)


def test_quiet_and_three_a_week_together_wait_three_days_then_for_a_send_day() -> None:
    # Last send Monday the 12th; three days later is Thursday, the next send day Friday.
    result = next_send_at(
        utc(2026, 1, 12, 13, 0),
        timezone="America/New_York",
        send_time=EIGHT,
        cadence="three_a_week",
        unanswered=3,
        last_sent_local_date=dt.date(2026, 1, 12),
    )
    assert local_wall(result, "America/New_York") == dt.datetime(2026, 1, 16, 8, 0)


def test_local_date_of_is_the_date_on_the_parents_wall_calendar() -> None:
    assert local_date_of(utc(2026, 1, 16, 3, 0), "America/Mexico_City") == dt.date(2026, 1, 15)
    assert local_date_of(utc(2026, 1, 15, 23, 30), "Europe/Madrid") == dt.date(2026, 1, 16)


# --- property ------------------------------------------------------------------------------

ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Bogota",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Havana",
    "Europe/Madrid",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
)


def in_dst_gap(day: dt.date, at: dt.time, zone: ZoneInfo) -> bool:
    """A wall time that does not exist on that day (it does not survive a round trip)."""
    naive = dt.datetime.combine(day, at)
    round_trip = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return round_trip != naive


@settings(max_examples=400, deadline=None, database=None)
@given(
    zone_name=st.sampled_from(ZONES),
    after=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2037, 12, 31),
        timezones=st.just(UTC),
    ),
    send_time=st.times(min_value=dt.time(6, 0), max_value=dt.time(21, 59)).map(
        lambda t: t.replace(second=0, microsecond=0)
    ),
    cadence=st.sampled_from(("daily", "three_a_week")),
    unanswered=st.integers(min_value=0, max_value=6),
    days_since_last=st.none() | st.integers(min_value=0, max_value=6),
)
def test_next_send_is_soon_after_and_at_the_chosen_wall_time(
    zone_name: str,
    after: dt.datetime,
    send_time: dt.time,
    cadence: str,
    unanswered: int,
    days_since_last: int | None,
) -> None:
    zone = ZoneInfo(zone_name)
    last_sent = (
        None
        if days_since_last is None
        else after.astimezone(zone).date() - dt.timedelta(days=days_since_last)
    )
    result = next_send_at(
        after,
        timezone=zone_name,
        send_time=send_time,
        cadence=cadence,
        unanswered=unanswered,
        last_sent_local_date=last_sent,
    )
    assert result > after
    assert result - after <= dt.timedelta(days=8)
    local = result.astimezone(zone)
    if not in_dst_gap(local.date(), send_time, zone):
        assert local.time() == send_time
    if cadence == "three_a_week":
        assert local.weekday() in (0, 2, 4)
    if unanswered >= 3 and last_sent is not None:
        assert (local.date() - last_sent).days >= 3
    if cadence == "daily" and (unanswered < 3 or last_sent is None):
        assert result - after <= dt.timedelta(hours=25)
