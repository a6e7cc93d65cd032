"""What the bot says around the library: every language has every sentence, same blanks."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from bot.texts import keys, text
from bot.texts.formats import spoken_day, spoken_time
from messages import vocabulary as vocab


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


ENGLISH_KEYS = sorted(keys("en"))


def test_english_and_spanish_have_exactly_the_same_keys() -> None:
    assert keys("en") - keys("es") == set(), "missing in es.yaml"
    assert keys("es") - keys("en") == set(), "missing in en.yaml"


@pytest.mark.parametrize("key", ENGLISH_KEYS)
def test_every_sentence_has_the_same_placeholders_in_every_language(key: str) -> None:
    found = {language: placeholders(text(language, key)) for language in vocab.LANGUAGES}
    assert found["es"] == found["en"]


@pytest.mark.parametrize("language", vocab.LANGUAGES)
@pytest.mark.parametrize("key", ENGLISH_KEYS)
def test_every_sentence_fills_in_without_stray_braces(language: str, key: str) -> None:
    template = text(language, key)
    values = {name: f"<{name}>" for name in placeholders(template)}
    filled = template.format(**values)
    assert filled.strip()
    for name in values:
        assert f"<{name}>" in filled


def test_text_fills_in_the_values_given() -> None:
    assert text("en", "when_today", time="8:00") == "today at 8:00"
    assert text("es", "when_today", time="8:00") == "hoy a las 8:00"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert text("fr", "saved") == text("en", "saved")


def test_an_unknown_key_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(KeyError):
        text("en", "no_such_sentence")


def test_a_spanish_time_at_the_end_of_a_sentence_ends_it_once() -> None:
    said = text("es", "resumed", when=f"mañana a las {spoken_time('es', dt.time(8, 0))}")
    assert said.endswith("a.m.") and ".." not in said


def test_dates_and_times_are_written_the_way_each_language_writes_them() -> None:
    assert spoken_time("en", dt.time(20, 30)) == "8:30\u202fPM"
    assert spoken_time("es", dt.time(8, 5)) == "8:05\u202fa.m."
    assert spoken_day("en", dt.date(2026, 11, 28)) == "Saturday, November 28"
    assert spoken_day("es", dt.date(2026, 11, 28)) == "sábado 28 de noviembre"
