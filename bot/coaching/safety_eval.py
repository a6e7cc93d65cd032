"""How well the safety screen does on a labelled corpus: recall and false alarms.

Pure apart from `load_corpus`, which reads YAML files. A corpus file looks like::

    language: en
    entries:
      - {text: "i want to die", category: self_harm}
      - {text: "this diaper is killing me", category: null, note: idiom}

Counting, per language and per category:

- A positive (an entry with a category) is *caught* when the screen flags it or asks about it
  ("are you safe?"): an ambiguous answer counts as caught, because the parent is asked and staff
  can see the question. How many positives were only asked about is reported too. A positive
  caught under another category still counts as caught (the parent gets an answer and staff an
  alert); how many landed in another category is reported as well.
- A negative (category null) is a *false alarm* when the screen flags it; being asked about is
  not a false alarm, but is counted and reported.

The goal, per language: recall at least 0.95 and false alarms at most 0.05.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.coaching.safety import PRIORITY, Category, Screening, screen

GOAL_RECALL = 0.95
GOAL_FALSE_ALARMS = 0.05


@dataclass(frozen=True, slots=True)
class Entry:
    text: str
    category: Category | None
    language: str
    note: str | None = None


@dataclass(slots=True)
class Tally:
    """The counts for one language and one category (or all categories)."""

    positives: int = 0
    caught: int = 0
    only_asked: int = 0  # caught, but only with an "are you safe?" question
    other_category: int = 0  # caught under another category
    negatives: int = 0
    false_alarms: int = 0
    asked_negatives: int = 0  # negatives that got the question (not false alarms)

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0


@dataclass(frozen=True, slots=True)
class Miss:
    """One entry the screen got wrong (for whoever tunes the rules)."""

    entry: Entry
    got: Screening


@dataclass(slots=True)
class Report:
    # language -> category value (or "all") -> tally
    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)  # positives not caught
    false_alarms: list[Miss] = field(default_factory=list)

    def overall(self, language: str) -> Tally:
        return self.tallies[language]["all"]

    @property
    def languages(self) -> list[str]:
        return sorted(self.tallies)


def evaluate(entries: Iterable[Entry], screener: Callable[[str], Screening] = screen) -> Report:
    report = Report()
    for entry in entries:
        got = screener(entry.text)
        by_category = report.tallies.setdefault(entry.language, {"all": Tally()})
        overall = by_category["all"]
        if entry.category is None:
            overall.negatives += 1
            if got.flagged:
                overall.false_alarms += 1
                report.false_alarms.append(Miss(entry, got))
                # a false alarm also counts against the category it raised
                raised = by_category.setdefault(str(got.category), Tally())
                raised.negatives += 1
                raised.false_alarms += 1
            elif got.category is not None:
                overall.asked_negatives += 1
            continue
        tally = by_category.setdefault(entry.category.value, Tally())
        for t in (overall, tally):
            t.positives += 1
            if got.category is not None:
                t.caught += 1
                t.only_asked += got.ambiguous
                t.other_category += got.category != entry.category
        if got.category is None:
            report.misses.append(Miss(entry, got))
    # Per-category false-alarm rates are against all negatives of the language.
    for by_category in report.tallies.values():
        negatives = by_category["all"].negatives
        for name, tally in by_category.items():
            if name != "all":
                tally.negatives = negatives
    return report


def meets_goal(report: Report) -> bool:
    """Recall at least 0.95 and false alarms at most 0.05 in every language."""
    return bool(report.tallies) and all(
        report.overall(language).recall >= GOAL_RECALL
        and report.overall(language).false_alarm_rate <= GOAL_FALSE_ALARMS
        for language in report.languages
    )


def load_corpus(path: Path) -> list[Entry]:
    """Entries from one YAML file, or from every *.yaml file in a directory (sorted)."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise ValueError(f"no corpus files in {path}")
    entries: list[Entry] = []
    for file in files:
        loaded = yaml.safe_load(file.read_text("utf-8"))
        if not isinstance(loaded, dict) or not isinstance(loaded.get("entries"), list):
            raise ValueError(f"{file}: expected 'language' and a list of 'entries'")
        language = str(loaded.get("language") or file.stem)
        for number, raw in enumerate(loaded["entries"], start=1):
            if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
                raise ValueError(f"{file}: entry {number} needs a text")
            category = raw.get("category")
            try:
                parsed = None if category is None else Category(category)
            except ValueError:
                raise ValueError(f"{file}: entry {number}: unknown category {category!r}") from None
            note = raw.get("note")
            entries.append(
                Entry(raw["text"], parsed, language, None if note is None else str(note))
            )
    return entries


def format_report(report: Report) -> str:
    """A plain table: per language, every category and the total."""
    header = (
        f"{'lang':<5}{'category':<15}{'pos':>5}{'caught':>7}{'recall':>8}{'asked':>7}"
        f"{'other':>7}{'neg':>6}{'false':>6}{'f.rate':>8}{'n.ask':>7}"
    )
    lines = [header, "-" * len(header)]
    for language in report.languages:
        by_category = report.tallies[language]
        names = [c.value for c in PRIORITY if c.value in by_category] + ["all"]
        for name in names:
            t = by_category[name]
            asked_negatives = str(t.asked_negatives) if name == "all" else ""
            lines.append(
                f"{language:<5}{name:<15}{t.positives:>5}{t.caught:>7}{t.recall:>8.3f}"
                f"{t.only_asked:>7}{t.other_category:>7}{t.negatives:>6}{t.false_alarms:>6}"
                f"{t.false_alarm_rate:>8.3f}{asked_negatives:>7}"
            )
        overall = by_category["all"]
        ok = overall.recall >= GOAL_RECALL and overall.false_alarm_rate <= GOAL_FALSE_ALARMS
        lines.append(
            f"{language:<5}goal (recall >= {GOAL_RECALL}, false alarms <= {GOAL_FALSE_ALARMS}):"
            f" {'met' if ok else 'MISSED'}"
        )
    lines.append(
        "caught = flagged or asked; asked = caught only by the 'are you safe?' question;"
        " other = caught under another category; false = negatives flagged (f.rate per"
        " language's negatives); n.ask = negatives asked, not flagged"
    )
    return "\n".join(lines)
