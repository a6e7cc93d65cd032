"""Reading what parents type during onboarding and settings: dates, times of day, places."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from dateutil import parser as dateparser

from bot.coaching.age import age_in_months
from messages.vocabulary import MAX_AGE_MONTHS, MAX_CHILD_NAME_LENGTH, MIN_AGE_MONTHS

# Nudges go out between these hours; anything else is re-asked kindly.
EARLIEST_SEND = dt.time(6, 0)
LATEST_SEND = dt.time(21, 59)

_SPANISH_MONTHS = {
    "enero": "January", "febrero": "February", "marzo": "March", "abril": "April",
    "mayo": "May", "junio": "June", "julio": "July", "agosto": "August",
    "septiembre": "September", "setiembre": "September", "octubre": "October",
    "noviembre": "November", "diciembre": "December",
}  # fmt: skip

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


@dataclass(frozen=True, slots=True)
class ChildDate:
    """What a parent told us: a birth date, or a due date for a baby on the way."""

    birth_date: dt.date | None = None
    due_date: dt.date | None = None


class NotUnderstood(ValueError):
    """The answer could not be read; `reason` names the kind reply to give."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_child_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or name.startswith("/"):
        raise NotUnderstood("name_empty")
    if len(name) > MAX_CHILD_NAME_LENGTH:
        raise NotUnderstood("name_long")
    if not any(ch.isalpha() for ch in name):
        raise NotUnderstood("name_letters")
    return name


def parse_child_date(text: str, today: dt.date, *, day_first: bool) -> ChildDate:
    """A birth date (today or earlier) or a due date (later), in the formats people type."""
    cleaned = _normalise(text)
    for spanish, english in _SPANISH_MONTHS.items():
        cleaned = re.sub(rf"\b{spanish}\b", english, cleaned)
    cleaned = re.sub(r"\b(el|del|de)\b", " ", cleaned)
    if not re.search(r"\d", cleaned) or len(cleaned) > 40:
        raise NotUnderstood("date_format")
    iso = re.fullmatch(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*", cleaned) is not None
    try:
        parsed = dateparser.parse(
            cleaned,
            dayfirst=day_first and not iso,
            yearfirst=iso,
            default=dt.datetime(today.year, 1, 1),
        ).date()
    except (ValueError, OverflowError, dateparser.ParserError) as exc:
        raise NotUnderstood("date_format") from exc
    if not _has_year(cleaned):
        raise NotUnderstood("date_year")
    if parsed <= today:
        if age_in_months(today, birth_date=parsed, due_date=None) > MAX_AGE_MONTHS:
            raise NotUnderstood("date_too_old")
        return ChildDate(birth_date=parsed)
    if age_in_months(today, birth_date=None, due_date=parsed) < MIN_AGE_MONTHS:
        raise NotUnderstood("date_too_far")
    return ChildDate(due_date=parsed)


def _has_year(cleaned: str) -> bool:
    """A four-digit year, or a third number (14/03/26), or a second one beside a month name."""
    numbers = re.findall(r"\d+", cleaned)
    if any(len(n) == 4 for n in numbers):
        return True
    has_month_name = re.search(r"[a-z]{3,}", re.sub(r"\d+(st|nd|rd|th)\b", "", cleaned))
    return len(numbers) >= (2 if has_month_name else 3)


_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<half>a\.?m\.?|p\.?m\.?|h|hrs)?$"
)


def parse_send_time(text: str) -> dt.time:
    """'8', '8:30', '08:30', '8am', '8:30 pm', '20:15', '20h' -> a time between 06:00 and 21:59."""
    match = _TIME.match(_normalise(text).replace(" ", "") if text else "")
    if not match:
        raise NotUnderstood("time_format")
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "")
    if half in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise NotUnderstood("time_format")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise NotUnderstood("time_format")
    chosen = dt.time(hour, minute)
    if not EARLIEST_SEND <= chosen <= LATEST_SEND:
        raise NotUnderstood("time_quiet")
    return chosen


def parse_timezone(text: str) -> str:
    """An IANA zone name or a city: 'Europe/Madrid', 'madrid', 'Houston', 'Bogotá'."""
    wanted = _normalise(text).replace("_", " ")
    if not wanted or len(wanted) > 60:
        raise NotUnderstood("timezone_unknown")
    zones = _zones_by_name()
    if wanted in _CITY_ZONES:
        return _CITY_ZONES[wanted]
    if wanted in zones:
        return zones[wanted]
    raise NotUnderstood("timezone_unknown")


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


def _normalise(text: str) -> str:
    """Lower-case, accents removed, spaces folded: 'Bogotá ' -> 'bogota'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
