"""Dates and times the way each language writes them (Babel): "Saturday, November 28, 8:30 PM"."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time

LOCALES = {"en": "en_US", "es": "es_US"}
_DAY = {"en": "EEEE, MMMM d", "es": "EEEE d 'de' MMMM"}
_DATE = {"en": "MMMM d, y", "es": "d 'de' MMMM 'de' y"}


def spoken_time(language: str, at: dt.time) -> str:
    """8:30 PM / 8:30 p.m."""
    return format_time(at, format="short", locale=_locale(language))


def spoken_day(language: str, day: dt.date) -> str:
    """Saturday, November 28 / sábado 28 de noviembre."""
    return format_date(day, format=_DAY.get(language, _DAY["en"]), locale=_locale(language))


def spoken_date(language: str, day: dt.date) -> str:
    """May 10, 2026 / 10 de mayo de 2026."""
    return format_date(day, format=_DATE.get(language, _DATE["en"]), locale=_locale(language))


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["en"])
