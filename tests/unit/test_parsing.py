"""Reading what parents type during onboarding: child dates, send times, places, names."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coaching.parsing import (
    AmbiguousDate,
    ChildDate,
    DidYouMean,
    NotUnderstood,
    parse_child_date,
    parse_child_name,
    parse_send_time,
    parse_timezone,
)
from bot.texts import keys

TODAY = dt.date(2026, 6, 15)
D = dt.date


def reason_of(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(NotUnderstood) as caught:
        call(*args, **kwargs)
    reason = caught.value.reason
    # Every reason is a re-ask the bot can say, in both languages.
    assert reason in keys("en")
    assert reason in keys("es")
    return reason


# --- child dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("day_first", [True, False])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-03-14", D(2026, 3, 14)),
        ("March 14, 2026", D(2026, 3, 14)),
        ("march 14 2026", D(2026, 3, 14)),
        ("14 March 2026", D(2026, 3, 14)),
        ("14 de marzo de 2026", D(2026, 3, 14)),
        ("14 de Marzo del 2026", D(2026, 3, 14)),
        ("3 de septiembre de 2025", D(2025, 9, 3)),
        ("3 de setiembre de 2025", D(2025, 9, 3)),
        ("1 de enero de 2026", D(2026, 1, 1)),
        ("  14   de   marzo   de 2026 ", D(2026, 3, 14)),
        ("Feb 29 2024", D(2024, 2, 29)),
        # A day over 12 can only be a day, whichever order the parent usually writes.
        ("14/03/2026", D(2026, 3, 14)),
        ("03/14/2026", D(2026, 3, 14)),
    ],
)
def test_unambiguous_birth_dates_read_the_same_in_every_language(
    typed: str, expected: dt.date, day_first: bool
) -> None:
    assert parse_child_date(typed, TODAY, day_first=day_first) == ChildDate(birth_date=expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14/03/2026", D(2026, 3, 14)),
        ("14-03-2026", D(2026, 3, 14)),
        ("14.03.2026", D(2026, 3, 14)),
        ("14/03/26", D(2026, 3, 14)),
        ("29/02/2024", D(2024, 2, 29)),
    ],
)
def test_numeric_dates_are_day_first_for_day_first_parents(typed: str, expected: dt.date) -> None:
    assert parse_child_date(typed, TODAY, day_first=True).birth_date == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("03/14/2026", D(2026, 3, 14)),
        ("3/14/26", D(2026, 3, 14)),
        ("04-30-2026", D(2026, 4, 30)),
    ],
)
def test_numeric_dates_are_month_first_otherwise(typed: str, expected: dt.date) -> None:
    assert parse_child_date(typed, TODAY, day_first=False).birth_date == expected


def ambiguity(typed: str, today: dt.date = TODAY, *, day_first: bool) -> tuple[dt.date, dt.date]:
    with pytest.raises(AmbiguousDate) as caught:
        parse_child_date(typed, today, day_first=day_first)
    assert caught.value.reason in keys("en") and caught.value.reason in keys("es")
    return caught.value.readings


@pytest.mark.parametrize("typed", ["05/03/2026", "5/3/2026", "05-03-2026", "05.03.2026", "5/3/26"])
def test_a_date_that_reads_both_ways_asks_month_first_in_english(typed: str) -> None:
    assert ambiguity(typed, day_first=False) == (D(2026, 5, 3), D(2026, 3, 5))


@pytest.mark.parametrize("typed", ["05/03/2026", "5/3/2026", "05-03-2026", "05.03.2026", "5/3/26"])
def test_a_date_that_reads_both_ways_asks_day_first_in_spanish(typed: str) -> None:
    assert ambiguity(typed, day_first=True) == (D(2026, 3, 5), D(2026, 5, 3))


def test_a_birth_date_and_a_due_date_can_be_the_two_readings() -> None:
    # Today is June 15: 06/12 is June 12 (born) or December 6 (due).
    assert ambiguity("06/12/2026", day_first=False) == (D(2026, 6, 12), D(2026, 12, 6))


@pytest.mark.parametrize("day_first", [True, False])
def test_when_only_one_reading_is_possible_it_is_the_answer(day_first: bool) -> None:
    # March 5, 2027 is a due date under nine months away; May 3, 2027 is too far.
    assert parse_child_date("03/05/2027", TODAY, day_first=day_first) == ChildDate(
        due_date=D(2027, 3, 5)
    )
    assert parse_child_date("05/03/2027", TODAY, day_first=day_first) == ChildDate(
        due_date=D(2027, 3, 5)
    )


def test_when_neither_reading_is_possible_the_parents_usual_reading_says_why() -> None:
    assert reason_of(parse_child_date, "05/06/2030", TODAY, day_first=False) == "date_too_far"
    assert reason_of(parse_child_date, "05/06/2019", TODAY, day_first=True) == "date_too_old"


@pytest.mark.parametrize("day_first", [True, False])
def test_the_same_day_and_month_reads_one_way(day_first: bool) -> None:
    assert parse_child_date("05/05/2026", TODAY, day_first=day_first) == ChildDate(
        birth_date=D(2026, 5, 5)
    )


@pytest.mark.parametrize("day_first", [True, False])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Marhc 2 2026", D(2026, 3, 2)),
        ("Febuary 3, 2026", D(2026, 2, 3)),
        ("Januray 3rd 2026", D(2026, 1, 3)),
        ("sept 3 2025", D(2025, 9, 3)),
        ("2 de marzp de 2026", D(2026, 3, 2)),
        ("3 de setembre de 2025", D(2025, 9, 3)),
        ("14 de febero de 2026", D(2026, 2, 14)),
        ("14 de marz de 2026", D(2026, 3, 14)),
    ],
)
def test_a_misspelt_month_is_read_when_only_one_month_is_that_close(
    typed: str, expected: dt.date, day_first: bool
) -> None:
    assert parse_child_date(typed, TODAY, day_first=day_first) == ChildDate(birth_date=expected)


@pytest.mark.parametrize("typed", ["3 de juio de 2026", "Mxyzpt 3 2026", "3 zzz 2026"])
def test_a_word_near_no_month_or_two_months_is_not_guessed(typed: str) -> None:
    assert reason_of(parse_child_date, typed, TODAY, day_first=True) == "date_format"


@pytest.mark.parametrize("typed", ["2026-03-04", "2026/03/04"])
def test_iso_dates_are_year_month_day_even_for_day_first_parents(typed: str) -> None:
    assert parse_child_date(typed, TODAY, day_first=True).birth_date == D(2026, 3, 4)


def test_today_is_a_birth_date_and_tomorrow_a_due_date() -> None:
    assert parse_child_date("2026-06-15", TODAY, day_first=False) == ChildDate(birth_date=TODAY)
    assert parse_child_date("2026-06-16", TODAY, day_first=False) == ChildDate(
        due_date=D(2026, 6, 16)
    )


def test_a_due_date_just_under_nine_months_ahead_is_accepted() -> None:
    # Today is 2026-06-15: a baby due on 2027-03-14 is in the ninth month before birth (-9).
    assert parse_child_date("2027-03-14", TODAY, day_first=False) == ChildDate(
        due_date=D(2027, 3, 14)
    )


def test_a_due_date_nine_months_or_more_ahead_is_too_far() -> None:
    assert reason_of(parse_child_date, "2027-03-15", TODAY, day_first=False) == "date_too_far"


def test_a_due_date_years_ahead_is_too_far() -> None:
    assert reason_of(parse_child_date, "14/03/2030", TODAY, day_first=True) == "date_too_far"


def test_a_child_just_under_five_is_accepted() -> None:
    assert parse_child_date("2021-07-15", TODAY, day_first=False) == ChildDate(
        birth_date=D(2021, 7, 15)
    )


@pytest.mark.parametrize("typed", ["01/01/2020", "2019-06-15", "14 de marzo de 1990"])
def test_a_birth_date_more_than_five_years_ago_is_too_old(typed: str) -> None:
    assert reason_of(parse_child_date, typed, TODAY, day_first=True) == "date_too_old"


def test_a_birth_date_five_years_and_a_day_ago_is_too_old() -> None:
    assert reason_of(parse_child_date, "2021-06-14", TODAY, day_first=False) == "date_too_old"


@pytest.mark.parametrize(
    ("typed", "day_first"),
    [("31/02/2026", True), ("02/31/2026", False), ("29/02/2025", True), ("0/0/2026", True)],
)
def test_impossible_dates_are_not_understood(typed: str, day_first: bool) -> None:
    assert reason_of(parse_child_date, typed, TODAY, day_first=day_first) == "date_format"


@pytest.mark.parametrize(
    "typed", ["14 de marzo", "1 de junio", "14 March", "June 1", "March 14th", "14th March"]
)
def test_a_date_without_a_year_asks_for_the_year(typed: str) -> None:
    assert reason_of(parse_child_date, typed, TODAY, day_first=True) == "date_year"


@pytest.mark.parametrize(
    ("typed", "day_first"),
    [("March 14", False), ("marzo 14", True), ("3/14", False), ("14/03", True)],
)
def test_a_date_ending_in_a_two_digit_day_without_a_year_asks_for_the_year(
    typed: str, day_first: bool
) -> None:
    assert reason_of(parse_child_date, typed, TODAY, day_first=day_first) == "date_year"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "garbage",
        "tomorrow",
        "five years ago",
        "🎉",
        "👶🍼",
        "🎉 14/03/2026",
        "1" * 4000,
        "14 de marzo de 2026 " * 200,
        "el 14 de marzo de 2026 y pesó 3 kilos con 200 gramos",
    ],
)
def test_text_that_is_not_a_date_is_not_understood(typed: str) -> None:
    assert reason_of(parse_child_date, typed, TODAY, day_first=True) == "date_format"


# --- send times -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8", dt.time(8, 0)),
        ("6", dt.time(6, 0)),
        ("8:30", dt.time(8, 30)),
        ("08:30", dt.time(8, 30)),
        ("8.30", dt.time(8, 30)),
        ("  8:30  ", dt.time(8, 30)),
        ("8am", dt.time(8, 0)),
        ("8 am", dt.time(8, 0)),
        ("8 a.m.", dt.time(8, 0)),
        ("8:30 pm", dt.time(20, 30)),
        ("8:30PM", dt.time(20, 30)),
        ("8 P.M.", dt.time(20, 0)),
        ("12pm", dt.time(12, 0)),
        ("20:15", dt.time(20, 15)),
        ("20h", dt.time(20, 0)),
        ("20h30", dt.time(20, 30)),
        ("20 hrs", dt.time(20, 0)),
        ("6:00", dt.time(6, 0)),
        ("21:59", dt.time(21, 59)),
        ("８:３０", dt.time(8, 30)),  # full-width digits from some phone keyboards
        # the ways people type on a phone
        ("730pm", dt.time(19, 30)),
        ("730 pm", dt.time(19, 30)),
        ("730", dt.time(7, 30)),
        ("0800", dt.time(8, 0)),
        ("1930", dt.time(19, 30)),
        ("7:30 p. m.", dt.time(19, 30)),
        ("at 7pm", dt.time(19, 0)),
        ("7:30 in the evening", dt.time(19, 30)),
        ("8 in the morning", dt.time(8, 0)),
        ("noon", dt.time(12, 0)),
        # and in Spanish
        ("7:30 de la noche", dt.time(19, 30)),
        ("7:30 de la Noche", dt.time(19, 30)),
        ("8 de la noche", dt.time(20, 0)),
        ("7 de la mañana", dt.time(7, 0)),
        ("7 en la mañana", dt.time(7, 0)),
        ("5 de la tarde", dt.time(17, 0)),
        ("12 de la tarde", dt.time(12, 0)),
        ("1 del mediodía", dt.time(13, 0)),
        ("a las 8", dt.time(8, 0)),
        ("a la 1 de la tarde", dt.time(13, 0)),
        ("a las 8 y media", dt.time(8, 30)),
        ("8 y cuarto", dt.time(8, 15)),
        ("a las 9 en punto", dt.time(9, 0)),
        ("mediodía", dt.time(12, 0)),
        ("20 horas", dt.time(20, 0)),
    ],
)
def test_send_times_in_the_ways_people_type_them(typed: str, expected: dt.time) -> None:
    assert parse_send_time(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "25:99",
        "12:75",
        "24:00",
        "13pm",
        "0am",
        "8:5",
        "⏰",
        "",
        "   ",
        "eight",
        "08000",
        "775pm",
        "13 de la tarde",
        "8:15 y media",
        "noon pm",
        "we read a book at 7",
    ],
)
def test_unreadable_send_times_are_not_understood(typed: str) -> None:
    assert reason_of(parse_send_time, typed) == "time_format"


@pytest.mark.parametrize(
    "typed",
    [
        "3:00",
        "5:59",
        "22:00",
        "23:00",
        "12am",
        "11 pm",
        "0:30",
        "10 de la noche",
        "12 de la noche",
        "2 de la madrugada",
        "530am",
    ],
)
def test_send_times_in_quiet_hours_are_re_asked(typed: str) -> None:
    assert reason_of(parse_send_time, typed) == "time_quiet"


# --- timezones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Madrid", "Europe/Madrid"),
        ("europe/madrid", "Europe/Madrid"),
        ("EUROPE/MADRID", "Europe/Madrid"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_iana_zone_names_are_read_in_any_case(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Madrid", "Europe/Madrid"),
        ("madrid ", "Europe/Madrid"),
        ("Bogotá", "America/Bogota"),
        ("bogota", "America/Bogota"),
        ("BOGOTÁ", "America/Bogota"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("Mexico City", "America/Mexico_City"),
        ("Ciudad de México", "America/Mexico_City"),
        ("Los Ángeles", "America/Los_Angeles"),
        ("Lima", "America/Lima"),
        ("New  York", "America/New_York"),
    ],
)
def test_cities_are_read_with_or_without_accents(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Houston", "America/Chicago"),
        ("houston", "America/Chicago"),
        ("San Antonio", "America/Chicago"),
        ("Miami", "America/New_York"),
        ("Barcelona", "Europe/Madrid"),
        ("CDMX", "America/Mexico_City"),
        ("Nueva York", "America/New_York"),
        ("Pacific", "America/Los_Angeles"),
    ],
)
def test_cities_without_their_own_zone_name_use_the_alias_list(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize(
    "typed",
    ["Atlantis", "", "   ", "🌍", "x" * 70, "Europe", "/", "garbage", "We read a book together"],
)
def test_unknown_places_are_not_understood(typed: str) -> None:
    assert reason_of(parse_timezone, typed) == "timezone_unknown"


@pytest.mark.parametrize(
    ("typed", "zone"), [("Houston, TX", "America/Chicago"), ("Madrid, España", "Europe/Madrid")]
)
def test_a_city_followed_by_its_state_or_country_is_the_city(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "place", "zone"),
    [
        ("Los Angles", "Los Angeles", "America/Los_Angeles"),
        ("los angels", "Los Angeles", "America/Los_Angeles"),
        ("Chicgo", "Chicago", "America/Chicago"),
        ("San Antono", "San Antonio", "America/Chicago"),
        ("Nueva Yrok", "Nueva York", "America/New_York"),
        ("Ciudad de Mexco", "Ciudad de México", "America/Mexico_City"),
        ("Phonix", "Phoenix", "America/Phoenix"),
        ("Bogta", "Bogota", "America/Bogota"),
        ("Madird", "Madrid", "Europe/Madrid"),
    ],
)
def test_a_misspelt_place_is_offered_as_a_guess_not_taken(
    typed: str, place: str, zone: str
) -> None:
    with pytest.raises(DidYouMean) as caught:
        parse_timezone(typed)
    assert (caught.value.place, caught.value.zone) == (place, zone)
    assert caught.value.reason in keys("en") and caught.value.reason in keys("es")


# --- child names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Ana", "Ana"),
        ("  Ana  ", "Ana"),
        ("  Ana   María ", "Ana María"),
        ("Zoë", "Zoë"),
        ("Ana-Lucía", "Ana-Lucía"),
        ("李", "李"),
        ("A" * 20, "A" * 20),
        ("R2", "R2"),
    ],
)
def test_names_are_trimmed_and_kept_as_typed(typed: str, name: str) -> None:
    assert parse_child_name(typed) == name


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", "/start", "/skip"])
def test_an_empty_name_or_a_command_is_not_a_name(typed: str) -> None:
    assert reason_of(parse_child_name, typed) == "name_empty"


def test_a_name_over_twenty_characters_is_too_long() -> None:
    assert reason_of(parse_child_name, "A" * 21) == "name_long"


def test_inner_spaces_are_folded_before_the_length_is_counted() -> None:
    assert parse_child_name("Ana" + " " * 30 + "Sol") == "Ana Sol"


@pytest.mark.parametrize("typed", ["12345", "😀", "👶🍼", "!!!", "- -"])
def test_a_name_needs_some_letters(typed: str) -> None:
    assert reason_of(parse_child_name, typed) == "name_letters"
