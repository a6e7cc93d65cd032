"""Reading what parents type during onboarding and settings: dates, times of day, places.

Each reader returns what it read, or raises `NotUnderstood` naming the kind reply to give. Two
answers need the parent's help rather than a re-ask, and carry what the bot should offer:
`AmbiguousDate` (05/03/2026 is March 5 or May 3) and `DidYouMean` ("Los Angles").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from dateutil import parser as dateparser
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.coaching.age import age_in_months
from messages.vocabulary import MAX_AGE_MONTHS, MAX_CHILD_NAME_LENGTH, MIN_AGE_MONTHS

# Nudges go out between these hours; anything else is re-asked kindly.
EARLIEST_SEND = dt.time(6, 0)
LATEST_SEND = dt.time(21, 59)

_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_SPANISH_MONTHS = {
    "enero": "January", "febrero": "February", "marzo": "March", "abril": "April",
    "mayo": "May", "junio": "June", "julio": "July", "agosto": "August",
    "septiembre": "September", "setiembre": "September", "octubre": "October",
    "noviembre": "November", "diciembre": "December",
}  # fmt: skip
# Every spelling of a month a parent might mean, to the English name dateutil reads.
_MONTH_WORDS = {name: name.capitalize() for name in _ENGLISH_MONTHS} | _SPANISH_MONTHS
_MONTH_ABBREVIATIONS = frozenset(
    ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
)

# Places people type that are not the last part of an IANA zone name.
_CITY_ZONES = {
    "houston": "America/Chicago", "dallas": "America/Chicago", "san antonio": "America/Chicago",
    "austin": "America/Chicago", "miami": "America/New_York", "atlanta": "America/New_York",
    "boston": "America/New_York", "washington": "America/New_York",
    "philadelphia": "America/New_York", "orlando": "America/New_York",
    "seattle": "America/Los_Angeles", "san francisco": "America/Los_Angeles",
    "san diego": "America/Los_Angeles", "san jose": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles", "portland": "America/Los_Angeles",
    "albuquerque": "America/Denver", "salt lake city": "America/Denver",
    "minneapolis": "America/Chicago", "nashville": "America/Chicago",
    "new orleans": "America/Chicago", "anchorage": "America/Anchorage",
    "honolulu": "Pacific/Honolulu", "cdmx": "America/Mexico_City",
    "ciudad de mexico": "America/Mexico_City", "mexico": "America/Mexico_City",
    "guadalajara": "America/Mexico_City", "puebla": "America/Mexico_City",
    "san juan": "America/Puerto_Rico", "puerto rico": "America/Puerto_Rico",
    "san salvador": "America/El_Salvador", "guatemala": "America/Guatemala",
    "quito": "America/Guayaquil", "buenos aires": "America/Argentina/Buenos_Aires",
    "barcelona": "Europe/Madrid", "sevilla": "Europe/Madrid", "valencia": "Europe/Madrid",
    "nueva york": "America/New_York", "los angeles": "America/Los_Angeles",
    "eastern": "America/New_York", "central": "America/Chicago",
    "mountain": "America/Denver", "pacific": "America/Los_Angeles",
}  # fmt: skip
# How a suggested place is written when title case would get it wrong.
_PLACE_NAMES = {
    "cdmx": "CDMX", "ciudad de mexico": "Ciudad de México", "mexico": "México",
    "san jose": "San José", "quito": "Quito",
}  # fmt: skip
# Regions whose zones are named after a city people might type.
_PLACE_REGIONS = (
    "Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/",
)  # fmt: skip
# How close a misspelt place must be (rapidfuzz ratio, 0-100) to be offered as a guess.
SUGGEST_SCORE = 82


@dataclass(frozen=True, slots=True)
class ChildDate:
    """What a parent told us: a birth date, or a due date for a baby on the way."""

    birth_date: dt.date | None = None
    due_date: dt.date | None = None


class NotUnderstood(ValueError):
    """The answer could not be read; `reason` names the kind reply to give (a text key)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AmbiguousDate(NotUnderstood):
    """A date that reads two ways (05/03/2026), both possible: the parent picks one by name.

    `readings` holds the way the parent's language writes dates first (month-first in English).
    """

    def __init__(self, readings: tuple[dt.date, dt.date]) -> None:
        super().__init__("date_which")
        self.readings = readings


class DidYouMean(NotUnderstood):
    """A place we do not know, close to one we do ("Los Angles"): offered as a guess."""

    def __init__(self, place: str, zone: str) -> None:
        super().__init__("timezone_guess")
        self.place, self.zone = place, zone


def parse_child_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or name.startswith("/"):
        raise NotUnderstood("name_empty")
    if len(name) > MAX_CHILD_NAME_LENGTH:
        raise NotUnderstood("name_long")
    if not any(ch.isalpha() for ch in name):
        raise NotUnderstood("name_letters")
    return name


# --- child dates ------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"\s*(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.]\d{2,4}\s*")


def parse_child_date(text: str, today: dt.date, *, day_first: bool) -> ChildDate:
    """A birth date (today or earlier) or a due date (later), in the formats people type.

    Numbers are read the way the parent's language writes them (`day_first` for Spanish); a
    date that reads both ways, like 05/03/2026, raises `AmbiguousDate` when both readings are
    possible, and is the possible one otherwise. Misspelt months ("Marhc") are read too.
    """
    cleaned = _month_words(_normalise(text))
    cleaned = re.sub(r"\b(el|del|de)\b", " ", cleaned)
    if not re.search(r"\d", cleaned) or len(cleaned) > 40:
        raise NotUnderstood("date_format")
    readings = _date_readings(cleaned, today, day_first=day_first)
    if not _has_year(cleaned):
        raise NotUnderstood("date_year")
    possible: list[tuple[dt.date, ChildDate]] = []
    problems: list[NotUnderstood] = []
    for day in readings:
        try:
            possible.append((day, _child_date(day, today)))
        except NotUnderstood as problem:
            problems.append(problem)
    if not possible:
        raise problems[0]
    if len(possible) > 1:
        raise AmbiguousDate((possible[0][0], possible[1][0]))
    return possible[0][1]


def _date_readings(cleaned: str, today: dt.date, *, day_first: bool) -> list[dt.date]:
    """Every way the text reads as a date, the parent's usual order first."""
    iso = re.fullmatch(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*", cleaned) is not None
    numeric = _NUMERIC_DATE.fullmatch(cleaned)
    orders = [day_first and not iso]
    if numeric and numeric["a"] != numeric["b"] and max(int(numeric["a"]), int(numeric["b"])) <= 12:
        orders.append(not day_first)
    readings: list[dt.date] = []
    for order in orders:
        try:
            readings.append(
                dateparser.parse(
                    cleaned,
                    dayfirst=order,
                    yearfirst=iso,
                    default=dt.datetime(today.year, 1, 1),
                ).date()
            )
        except (ValueError, OverflowError, dateparser.ParserError) as exc:
            raise NotUnderstood("date_format") from exc
    return readings


def _child_date(day: dt.date, today: dt.date) -> ChildDate:
    if day <= today:
        if age_in_months(today, birth_date=day, due_date=None) > MAX_AGE_MONTHS:
            raise NotUnderstood("date_too_old")
        return ChildDate(birth_date=day)
    if age_in_months(today, birth_date=None, due_date=day) < MIN_AGE_MONTHS:
        raise NotUnderstood("date_too_far")
    return ChildDate(due_date=day)


def _month_words(cleaned: str) -> str:
    """Month names in English for dateutil: 'marzo' -> 'March', and a misspelt 'marhc' too."""
    return re.sub(r"\b[a-z]{3,}\b", lambda word: _month_word(word[0]), cleaned)


def _month_word(word: str) -> str:
    if word in _MONTH_WORDS:
        return _MONTH_WORDS[word]
    if word in _MONTH_ABBREVIATIONS or len(word) < 4:
        return word
    # One slip (a letter missing, extra, wrong or swapped), two in a long name; only when every
    # near name is the same month ('marz' is March in both languages, 'juio' could be either).
    near = {
        month
        for spelling, month in _MONTH_WORDS.items()
        if DamerauLevenshtein.distance(word, spelling) <= (2 if len(spelling) >= 7 else 1)
    }
    return near.pop() if len(near) == 1 else word


def _has_year(cleaned: str) -> bool:
    """A four-digit year, or a third number (14/03/26), or a second one beside a month name."""
    numbers = re.findall(r"\d+", cleaned)
    if any(len(n) == 4 for n in numbers):
        return True
    has_month_name = re.search(r"[a-z]{3,}", re.sub(r"\d+(st|nd|rd|th)\b", "", cleaned))
    return len(numbers) >= (2 if has_month_name else 3)


# --- send times -------------------------------------------------------------------------------

# Words around a time, matched with the spaces taken out: "a las 7:30 de la noche" -> "7:30".
_LEAD = re.compile(r"^(?:around|about|at|comoalas|alas|ala|las|la)")
_DAY_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("am", ("am", "a.m.", "a.m", "delamanana", "enlamanana", "porlamanana", "inthemorning",
            "delamadrugada", "demadrugada", "enlamadrugada")),
    ("pm", ("pm", "p.m.", "p.m", "delatarde", "enlatarde", "porlatarde", "intheafternoon",
            "intheevening", "delmediodia")),
    ("night", ("delanoche", "enlanoche", "porlanoche", "atnight")),
)  # fmt: skip
_MINUTE_WORDS = (("ymedia", 30), ("ycuarto", 15), ("enpunto", 0), ("oclock", 0))
_NOON = frozenset(("noon", "midday", "mediodia", "elmediodia", "almediodia"))
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?(?:h|hs|hrs|horas)?"
    r"|(?P<compact_hour>\d{1,2})(?P<compact_minute>\d{2})"
)


def parse_send_time(text: str) -> dt.time:
    """A time between 06:00 and 21:59, the ways people type it: '8', '8:30', '730pm', '20h',
    '8:30 p. m.', '7:30 de la noche', 'a las 8 y media', 'noon'."""
    typed = _normalise(text).replace(" ", "")
    typed = _LEAD.sub("", typed, count=1)
    part = None
    for name, words in _DAY_PARTS:
        found = next((word for word in words if typed.endswith(word)), None)
        if found:
            part, typed = name, typed[: -len(found)]
            break
    if typed in _NOON and part is None:
        return dt.time(12, 0)
    extra = 0
    for word, minutes in _MINUTE_WORDS:
        if typed.endswith(word):
            extra, typed = minutes, typed[: -len(word)]
            break
    match = _CLOCK.fullmatch(typed)
    if not match or (extra and (match["minute"] or match["compact_minute"])):
        raise NotUnderstood("time_format")
    hour = int(match["hour"] or match["compact_hour"])
    minute = int(match["minute"] or match["compact_minute"] or extra)
    if part is not None:
        if not 1 <= hour <= 12:
            raise NotUnderstood("time_format")
        hour %= 12
        if part == "pm" or (part == "night" and hour >= 6):
            hour += 12
    if hour > 23 or minute > 59:
        raise NotUnderstood("time_format")
    chosen = dt.time(hour, minute)
    if not EARLIEST_SEND <= chosen <= LATEST_SEND:
        raise NotUnderstood("time_quiet")
    return chosen


# --- places -----------------------------------------------------------------------------------


def parse_timezone(text: str) -> str:
    """An IANA zone name or a city: 'Europe/Madrid', 'madrid', 'Houston', 'Bogotá'.

    A place close to one we know ('Los Angles') raises `DidYouMean` with that place and zone.
    """
    wanted = _normalise(text).replace("_", " ")
    if not wanted or len(wanted) > 60:
        raise NotUnderstood("timezone_unknown")
    tries = dict.fromkeys((wanted, wanted.split(",", 1)[0].strip()))
    for typed in tries:
        zone = _CITY_ZONES.get(typed) or _zones_by_name().get(typed)
        if zone:
            return zone
    for typed in tries:
        if len(typed) >= 4:
            guess = process.extractOne(
                typed, _places(), scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE
            )
            if guess is not None:
                place: str = guess[0]
                zone = _CITY_ZONES.get(place) or _zones_by_name()[place]
                raise DidYouMean(_PLACE_NAMES.get(place) or _title(place), zone)
    raise NotUnderstood("timezone_unknown")


def _title(place: str) -> str:
    """'san antonio' -> 'San Antonio', 'salt lake city' -> 'Salt Lake City'."""
    words = place.split()
    return " ".join(
        w if (i and w in ("de", "del", "la", "las", "los", "es", "au")) else w.capitalize()
        for i, w in enumerate(words)
    )


@lru_cache(maxsize=1)
def _zones_by_name() -> dict[str, str]:
    """Every IANA zone under its full name and its city part, lower-case, spaces for underscores."""
    names: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if not zone.startswith(("Etc/", "SystemV/", "US/")) and "/" in zone:
            city = zone.rsplit("/", 1)[1].replace("_", " ").lower()
            names.setdefault(city, zone)
        names[zone.replace("_", " ").lower()] = zone
    return names


@lru_cache(maxsize=1)
def _places() -> tuple[str, ...]:
    """The places a misspelling is compared with: the aliases, and the cities zones are named by
    (not legacy names like Canada/Atlantic, nor whole zone names)."""
    cities = {
        zone.rsplit("/", 1)[1].replace("_", " ").lower()
        for zone in available_timezones()
        if zone.startswith(_PLACE_REGIONS)
    }
    return tuple(sorted(set(_CITY_ZONES) | (cities & set(_zones_by_name()))))


def _normalise(text: str) -> str:
    """Lower-case, accents removed, spaces folded: 'Bogotá ' -> 'bogota'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
