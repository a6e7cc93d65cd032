"""Dates, times and places the way each language writes them (Babel): "Saturday, November 28,
8:30 PM", "US Central", "Centro de EE. UU."."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_timezone_location

LOCALES = {"en": "en_US", "es": "es_US"}
_DAY = {"en": "EEEE, MMMM d", "es": "EEEE d 'de' MMMM"}
_DATE = {"en": "MMMM d, y", "es": "d 'de' MMMM 'de' y"}
_MONTH_DAY = {"en": "MMMM d", "es": "d 'de' MMMM"}

# The zones most families choose, by the name they know them by (the timezone buttons offer these).
# Mexico and Spain keep their own names in every language, the way people from there say them.
ZONE_NAMES: dict[str, dict[str, str]] = {
    "America/New_York": {"en": "US Eastern", "es": "Este de EE. UU."},
    "America/Chicago": {"en": "US Central", "es": "Centro de EE. UU."},
    "America/Denver": {"en": "US Mountain", "es": "Montaña de EE. UU."},
    "America/Phoenix": {"en": "Arizona", "es": "Arizona"},
    "America/Los_Angeles": {"en": "US Pacific", "es": "Pacífico de EE. UU."},
    "America/Anchorage": {"en": "Alaska", "es": "Alaska"},
    "Pacific/Honolulu": {"en": "Hawaii", "es": "Hawái"},
    "America/Puerto_Rico": {"en": "Puerto Rico", "es": "Puerto Rico"},
    "America/Mexico_City": {"en": "México", "es": "México"},
    "Europe/Madrid": {"en": "España", "es": "España"},
}


def spoken_time(language: str, at: dt.time) -> str:
    """8:30 PM / 8:30 p.m."""
    return format_time(at, format="short", locale=_locale(language))


def spoken_day(language: str, day: dt.date) -> str:
    """Saturday, November 28 / sábado 28 de noviembre."""
    return format_date(day, format=_DAY.get(language, _DAY["en"]), locale=_locale(language))


def spoken_date(language: str, day: dt.date) -> str:
    """May 10, 2026 / 10 de mayo de 2026."""
    return format_date(day, format=_DATE.get(language, _DATE["en"]), locale=_locale(language))


def spoken_month_day(language: str, day: dt.date) -> str:
    """March 5 / 5 de marzo."""
    return format_date(
        day, format=_MONTH_DAY.get(language, _MONTH_DAY["en"]), locale=_locale(language)
    )


def zone_name(language: str, zone: str) -> str:
    """A timezone by a name people know, in their language: 'US Central' / 'Centro de EE. UU.'
    for the common ones, else the zone's city as the language writes it ('Bogotá', 'Calcuta')."""
    known = ZONE_NAMES.get(zone)
    if known is not None:
        return known.get(language, known["en"])
    if zone.startswith("Etc/") or "/" not in zone:
        return zone  # UTC, Etc/GMT+5: no city to name, and no name clearer than this one
    try:
        city = get_timezone_location(ZoneInfo(zone), locale=_locale(language), return_city=True)
    except (ZoneInfoNotFoundError, ValueError, LookupError):
        city = None
    return city or zone.rsplit("/", 1)[-1].replace("_", " ")


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["en"])
