"""The safety screen on the labelled corpus: the goal per language, and every category."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from bot.coaching.safety import Category, Screening
from bot.coaching.safety_eval import (
    Entry,
    Report,
    evaluate,
    format_report,
    load_corpus,
    meets_goal,
)

SAFETY = Path(__file__).resolve().parents[1] / "safety"
CORPUS = SAFETY / "corpus"
HOLDOUT = SAFETY / "holdout"
FRESH = SAFETY / "fresh"
LANGUAGES = ("en", "es")
MIN_CATEGORY_RECALL = 0.90


@cache
def report_of(folder: Path) -> Report:
    return evaluate(load_corpus(folder))


@pytest.mark.parametrize("folder", [CORPUS, HOLDOUT, FRESH], ids=["corpus", "holdout", "fresh"])
def test_the_corpus_meets_the_goal_in_every_language(folder: Path) -> None:
    report = report_of(folder)
    assert report.languages == list(LANGUAGES)
    assert meets_goal(report), format_report(report)


@pytest.mark.parametrize("folder", [CORPUS, HOLDOUT], ids=["corpus", "holdout"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("category", [c.value for c in Category])
def test_every_category_is_caught_in_every_language(
    folder: Path, language: str, category: str
) -> None:
    report = report_of(folder)
    tally = report.tallies[language][category]
    assert tally.positives > 0
    assert tally.recall >= MIN_CATEGORY_RECALL, format_report(report)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_corpus_is_big_enough_and_spread_over_categories(language: str) -> None:
    entries = [e for e in load_corpus(CORPUS) if e.language == language]
    positives = [e for e in entries if e.category is not None]
    negatives = [e for e in entries if e.category is None]
    assert len(positives) >= 120 and len(negatives) >= 120
    for category in Category:
        assert sum(e.category == category for e in positives) >= 20


@pytest.mark.parametrize("folder", [HOLDOUT, FRESH], ids=["holdout", "fresh"])
def test_the_held_out_sets_are_apart_from_the_corpus_and_each_other(folder: Path) -> None:
    others = {
        (e.language, e.text)
        for other in (CORPUS, HOLDOUT, FRESH)
        if other != folder
        for e in load_corpus(other)
    }
    held = load_corpus(folder)
    assert len(held) >= 60
    assert others.isdisjoint((e.language, e.text) for e in held)


def fake(answers: dict[str, Screening]) -> Callable[[str], Screening]:
    return lambda text: answers.get(text, Screening(None, None))


def test_evaluate_counts_recall_false_alarms_and_questions() -> None:
    entries = [
        Entry("a", Category.SELF_HARM, "en"),
        Entry("b", Category.SELF_HARM, "en"),
        Entry("c", Category.DISTRESS, "en"),
        Entry("d", None, "en"),
        Entry("e", None, "en"),
        Entry("f", None, "en"),
        Entry("g", None, "en"),
    ]
    screener = fake(
        {
            "a": Screening(Category.SELF_HARM, "r1"),
            "b": Screening(Category.SELF_HARM, "r2", ambiguous=True),  # asked: caught
            "c": Screening(Category.SELF_HARM, "r1"),  # another category: caught
            "d": Screening(Category.DISTRESS, "r3"),  # false alarm
            "e": Screening(Category.DISTRESS, "r3", ambiguous=True),  # asked, not false
        }
    )
    report = evaluate(entries, screener)
    overall = report.overall("en")
    assert (overall.positives, overall.caught, overall.only_asked) == (3, 3, 1)
    assert overall.other_category == 1
    assert (overall.negatives, overall.false_alarms, overall.asked_negatives) == (4, 1, 1)
    assert overall.recall == 1.0 and overall.false_alarm_rate == 0.25
    assert report.tallies["en"]["distress"].false_alarms == 1
    assert not meets_goal(report)
    assert len(report.false_alarms) == 1 and report.misses == []


def test_a_missed_positive_lowers_recall_and_fails_the_goal() -> None:
    entries = [Entry(str(i), Category.BABY_UNWELL, "es") for i in range(20)]
    entries += [Entry(f"n{i}", None, "es") for i in range(20)]
    report = evaluate(
        entries, fake({str(i): Screening(Category.BABY_UNWELL, "r") for i in range(19)})
    )
    assert report.overall("es").recall == 0.95
    assert meets_goal(report)
    report = evaluate(
        entries, fake({str(i): Screening(Category.BABY_UNWELL, "r") for i in range(18)})
    )
    assert not meets_goal(report)
    assert [m.entry.text for m in report.misses] == ["18", "19"]


def test_an_empty_report_does_not_meet_the_goal() -> None:
    assert not meets_goal(evaluate([]))


def test_the_report_is_a_table_per_language_and_category() -> None:
    table = format_report(report_of(CORPUS))
    for word in ("en", "es", "baby_unwell", "distress", "all", "recall", "goal"):
        assert word in table


def test_load_corpus_reads_a_file_and_rejects_unknown_categories(tmp_path: Path) -> None:
    good = tmp_path / "xx.yaml"
    good.write_text(
        "language: xx\nentries:\n  - {text: hola, category: distress, note: n}\n"
        "  - {text: adios, category: null}\n",
        "utf-8",
    )
    assert load_corpus(good) == [
        Entry("hola", Category.DISTRESS, "xx", "n"),
        Entry("adios", None, "xx"),
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - {text: hola, category: sad}\n", "utf-8")
    with pytest.raises(ValueError, match="unknown category 'sad'"):
        load_corpus(bad)
    with pytest.raises(ValueError, match="no corpus files"):
        load_corpus(_empty_folder(tmp_path))


def _empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder
