"""The library we ship: it passes its own checks, and selection always fits the child."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from bot.coaching.policy import IDEA_APART_DAYS, ParentSnapshot, choose_scheduled_message, pick
from bot.texts import text
from bot.views import compose, reply_buttons
from messages import vocabulary as vocab
from messages.checks import (
    MIN_NUDGES_PER_MONTH,
    check_bot_texts,
    check_everything,
    coverage_matrix,
    reading_per_month,
)
from messages.library import Library, load_library


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def test_the_shipped_library_passes_every_check(library: Library) -> None:
    problems = check_everything(library)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(map(str, problems[:20]))


def test_the_bots_own_texts_pass_their_checks() -> None:
    problems = check_bot_texts()
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_every_nudge_has_a_title_a_why_an_idea_and_a_practice(
    library: Library, language: str
) -> None:
    lacking = [
        m.id
        for m in library.in_language(language)
        if m.kind == "nudge" and None in (m.title, m.why, m.idea, m.practice)
    ]
    assert lacking == [], f"{len(lacking)} nudges lack a field, e.g. {lacking[:5]}"


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_every_age_month_has_eight_shared_reading_nudges(library: Library, language: str) -> None:
    counts = reading_per_month(library, language)
    thin = {month: n for month, n in enumerate(counts) if n < vocab.MIN_READING_PER_MONTH}
    assert thin == {}


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_every_month_from_birth_to_five_has_six_weeks_of_nudges(
    library: Library, language: str
) -> None:
    nudges = coverage_matrix(library, language)["nudge"]
    thinnest = min(range(0, vocab.MAX_AGE_MONTHS + 1), key=lambda month: nudges[month])
    assert nudges[thinnest] >= MIN_NUDGES_PER_MONTH


@pytest.mark.parametrize("language", vocab.LANGUAGES)
@pytest.mark.parametrize("kind", vocab.KINDS)
def test_selection_never_offers_a_message_outside_the_childs_age_or_language(
    library: Library, language: str, kind: str
) -> None:
    for age in range(vocab.MIN_AGE_MONTHS, vocab.MAX_AGE_MONTHS + 1):
        for m in library.candidates(language=language, kind=kind, age_months=age):
            assert m.language == language and m.kind == kind and m.age_min <= age <= m.age_max


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_a_daily_parent_goes_six_weeks_without_a_repeat_at_every_age(
    library: Library, language: str
) -> None:
    start = dt.date(2026, 1, 1)
    for age in range(0, vocab.MAX_AGE_MONTHS + 1, 7):
        last_sent: dict[str, dt.date] = {}
        for day in range(42):
            today = start + dt.timedelta(days=day)
            snapshot = ParentSnapshot(
                parent_id=age, language=language, age_months=age, today=today, last_sent=last_sent
            )
            chosen = pick(library, snapshot, kind="nudge")
            assert chosen is not None and chosen.fits_age(age)
            assert chosen.id not in last_sent, f"age {age}, day {day}: {chosen.id} repeated"
            last_sent[chosen.id] = today


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_a_daily_parent_never_gets_one_idea_twice_within_14_days(
    library: Library, language: str
) -> None:
    # From birth every month has 45 nudges or more; the early prenatal pool (17 nudges) runs
    # out of fresh ideas within six weeks, and then a same-idea message beats a repeat.
    start = dt.date(2026, 1, 1)
    for age in (-3, *range(0, vocab.MAX_AGE_MONTHS + 1, 4)):
        last_sent: dict[str, dt.date] = {}
        idea_sent: dict[str, dt.date] = {}
        for day in range(42):
            today = start + dt.timedelta(days=day)
            snapshot = ParentSnapshot(
                parent_id=age, language=language, age_months=age, today=today, last_sent=last_sent
            )
            chosen = pick(library, snapshot, kind="nudge")
            assert chosen is not None
            before = idea_sent.get(chosen.idea_key)
            assert before is None or (today - before).days >= IDEA_APART_DAYS, (
                f"age {age}, day {day}: {chosen.id} repeats the idea {chosen.idea_key}"
            )
            last_sent[chosen.id] = idea_sent[chosen.idea_key] = today


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_every_nudge_shows_its_title_and_its_why_fits_a_telegram_pop_up(
    library: Library, language: str
) -> None:
    for m in library.in_language(language):
        if m.kind != "nudge":
            continue
        assert m.why is not None and len(m.why) <= 200, m.id  # answerCallbackQuery's limit
        composed = compose(language, m.kind, m.age_min, m.render("Maya", m.age_min), m.title)
        assert composed.splitlines()[1] == m.title, m.id
        *_, why_row = reply_buttons(language, 9_223_372_036_854_775_807, m, m.kind)
        ((label, data),) = why_row
        assert label == text(language, "btn_why") and len(data.encode()) < 64


def test_an_expecting_parent_gets_prenatal_messages(library: Library) -> None:
    snapshot = ParentSnapshot(parent_id=1, language="es", age_months=-3, today=dt.date(2026, 1, 1))
    chosen = choose_scheduled_message(snapshot, library)
    assert chosen.kind == "nudge" and "topic:prenatal" in chosen.tags


def test_content_check_command_reports_json_and_exits_zero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["messages"] > 1000 and report["problems"] == []
