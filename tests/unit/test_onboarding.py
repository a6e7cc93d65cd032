"""Where an onboarding or settings answer leads, in each mode."""

from __future__ import annotations

import datetime as dt
from zoneinfo import available_timezones

import pytest

from bot.coaching.onboarding import (
    FIELDS,
    QUESTIONS,
    after_answer,
    awaiting,
    date_button_value,
    split_awaiting,
)
from bot.coaching.parsing import parse_timezone
from bot.texts.formats import zone_name
from bot.views import (
    date_choice,
    place_guess,
    settings_buttons,
    timezone_buttons,
    when_phrase,
)


@pytest.mark.parametrize(
    ("field", "next_question"),
    [
        ("language", "ob:consent"),
        ("consent", "ob:child_name"),
        ("child_name", "ob:child_date"),
        ("child_date", "ob:send_time"),
        ("send_time", "ob:timezone"),
        ("timezone", "ob:summary"),
    ],
)
def test_while_joining_each_answer_leads_to_the_next_question(
    field: str, next_question: str
) -> None:
    assert after_answer("ob", field) == next_question


def test_joining_walks_every_question_in_order_and_ends_at_the_summary() -> None:
    walked = ["ob:language"]
    while walked[-1] != "ob:summary":
        found = split_awaiting(walked[-1])
        assert found is not None
        following = after_answer(*found)
        assert following is not None
        walked.append(following)
    assert walked == [f"ob:{question}" for question in QUESTIONS]


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_correction_from_the_summary_goes_back_to_the_summary(field: str) -> None:
    assert after_answer("fix", field) == "ob:summary"


def test_changing_the_name_in_settings_goes_on_to_the_date() -> None:
    assert after_answer("set", "child_name") == "set:child_date"


@pytest.mark.parametrize("field", sorted(FIELDS - {"child_name"}))
def test_any_other_settings_answer_is_the_last(field: str) -> None:
    assert after_answer("set", field) is None


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("ob:timezone", ("ob", "timezone")),
        ("fix:child_date", ("fix", "child_date")),
        ("set:send_time", ("set", "send_time")),
    ],
)
def test_a_stored_awaiting_value_splits_into_mode_and_field(
    stored: str, expected: tuple[str, str]
) -> None:
    assert split_awaiting(stored) == expected


@pytest.mark.parametrize("stored", [None, "", "summary"])
def test_nothing_awaited_or_a_malformed_value_splits_to_none(stored: str | None) -> None:
    assert split_awaiting(stored) is None


@pytest.mark.parametrize("mode", ["ob", "fix", "set"])
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_awaiting_and_split_awaiting_round_trip(mode: str, field: str) -> None:
    assert split_awaiting(awaiting(mode, field)) == (mode, field)


# --- the buttons that confirm what a parent typed --------------------------------------------


def test_a_date_button_carries_the_date_exactly_as_the_bot_wrote_it() -> None:
    assert date_button_value("2026-03-05") == dt.date(2026, 3, 5)


@pytest.mark.parametrize("value", ["", "x", "2026-3-5", "20260305", "2026-02-30", "2026-03-05 "])
def test_any_other_date_button_value_is_refused(value: str) -> None:
    assert date_button_value(value) is None


def test_an_ambiguous_date_is_asked_by_name_with_a_button_for_each_reading() -> None:
    said = date_choice("en", (dt.date(2026, 5, 3), dt.date(2026, 3, 5)))
    assert said.text == "Did you mean May 3 or March 5?"
    assert said.buttons == (
        (("May 3, 2026", "ob:child_date:2026-05-03"),),
        (("March 5, 2026", "ob:child_date:2026-03-05"),),
    )
    spanish = date_choice("es", (dt.date(2026, 3, 5), dt.date(2026, 5, 3)))
    assert spanish.text == "¿Quisiste decir 5 de marzo o 3 de mayo?"
    assert spanish.buttons[0][0] == ("5 de marzo de 2026", "ob:child_date:2026-03-05")


def test_a_place_guess_is_one_button_that_names_the_place() -> None:
    said = place_guess("en", "Los Angeles", "America/Los_Angeles")
    assert said.buttons == ((("Did you mean Los Angeles?", "ob:timezone:America/Los_Angeles"),),)
    assert place_guess("es", "Los Angeles", "America/Los_Angeles").buttons[0][0][0] == (
        "¿Quisiste decir Los Angeles?"
    )


def test_every_zone_fits_in_a_button_s_callback_data() -> None:
    longest = max(available_timezones(), key=len)
    data = place_guess("es", "x", longest).buttons[0][0][1]
    assert len(data.encode()) <= 64


@pytest.mark.parametrize("language", ["en", "es"])
def test_timezone_buttons_name_zones_in_the_parents_language_and_lead_to_real_zones(
    language: str,
) -> None:
    pairs = [pair for row in timezone_buttons(language) for pair in row]
    for label, data in pairs[:-1]:
        zone = data.removeprefix("ob:timezone:")
        assert parse_timezone(zone) == zone
        assert label == zone_name(language, zone) and "/" not in label
        assert len(data.encode()) <= 64
    assert pairs[-1][1] == "ob:timezone:other"


def test_spanish_timezone_buttons_are_in_spanish() -> None:
    labels = [label for row in timezone_buttons("es") for label, _ in row]
    assert labels[:4] == [
        "Este de EE. UU.",
        "Centro de EE. UU.",
        "Montaña de EE. UU.",
        "Pacífico de EE. UU.",
    ]


@pytest.mark.parametrize(
    ("language", "zone", "name"),
    [
        ("en", "America/Chicago", "US Central"),
        ("es", "America/Chicago", "Centro de EE. UU."),
        ("es", "Pacific/Honolulu", "Hawái"),
        ("es", "Europe/Madrid", "España"),
        ("en", "America/Bogota", "Bogotá"),
        ("es", "Europe/London", "Londres"),
        ("es", "Asia/Kolkata", "Calcuta"),
        ("en", "UTC", "UTC"),
        ("es", "Etc/GMT+5", "Etc/GMT+5"),
    ],
)
def test_zones_are_named_the_way_people_know_them(language: str, zone: str, name: str) -> None:
    assert zone_name(language, zone) == name


def test_the_settings_menu_names_the_zone_in_the_parents_language() -> None:
    buttons = settings_buttons(
        "es", send_time=dt.time(8, 0), timezone="America/Chicago", cadence="daily"
    )
    labels = [label for row in buttons for label, _ in row]
    assert "Zona (Centro de EE. UU.)" in labels


NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # 06:00 in Chicago


@pytest.mark.parametrize(
    ("hour", "language", "said"),
    [
        (13, "es", "hoy a la 1:15\u202fp.m."),
        (8, "es", "hoy a las 8:15\u202fa.m."),
        (13, "en", "today at 1:15\u202fPM"),
    ],
)
def test_one_o_clock_takes_the_singular_in_spanish(hour: int, language: str, said: str) -> None:
    moment = dt.datetime(2026, 11, 25, hour + 6, 15, tzinfo=dt.UTC)
    assert when_phrase(language, moment, "America/Chicago", NOW) == said


def test_one_o_clock_tomorrow_and_on_a_later_day_take_the_singular_too() -> None:
    tomorrow = dt.datetime(2026, 11, 26, 7, 5, tzinfo=dt.UTC)  # 01:05 in Chicago
    later = dt.datetime(2026, 11, 28, 19, 5, tzinfo=dt.UTC)  # 13:05 in Chicago
    assert when_phrase("es", tomorrow, "America/Chicago", NOW) == "mañana a la 1:05\u202fa.m."
    assert when_phrase("es", later, "America/Chicago", NOW).endswith(" a la 1:05\u202fp.m.")
