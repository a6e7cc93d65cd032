"""How well `signals.read_signals` reads a labelled corpus: accuracy per signal and language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.coaching.signals import SIGNALS, read_signals

# The corpus goal `tend coaching report` holds each signal to, per language.
GOAL = 0.9


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    language: str
    signals: frozenset[str]
    topics: frozenset[str]


@dataclass(slots=True)
class Score:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


Report = dict[str, dict[str, Score]]  # language -> signal -> score


def load_corpus(folder: Path) -> list[Labelled]:
    """Every `<language>.yaml` in the folder: a list of {text, signals, topics}."""
    found: list[Labelled] = []
    for path in sorted(folder.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append(
                Labelled(
                    text=str(entry["text"]),
                    language=path.stem,
                    signals=frozenset(entry.get("signals") or ()),
                    topics=frozenset(f"topic:{t}" for t in entry.get("topics") or ()),
                )
            )
    return found


def evaluate(corpus: list[Labelled]) -> Report:
    """A reply is right for a signal when presence matches; for `topic`, the whole set must."""
    report: Report = {}
    for item in corpus:
        read = read_signals(item.text)
        flags = read.flags()
        scores = report.setdefault(item.language, {name: Score() for name in SIGNALS})
        for name in SIGNALS:
            if name == "topic":
                right = read.topics == item.topics
                detail = f"{sorted(read.topics)} vs {sorted(item.topics)}"
            else:
                right = (name in flags) == (name in item.signals)
                detail = "read" if name in flags else "missed"
            score = scores[name]
            score.total += 1
            if right:
                score.right += 1
            else:
                score.misses.append(f"{item.text!r}: {detail}")
    return report


def meets_goal(report: Report, goal: float = GOAL) -> bool:
    return all(s.accuracy >= goal for scores in report.values() for s in scores.values())


def format_report(report: Report, *, show_misses: bool = False) -> str:
    lines = [f"{'language':<9}{'signal':<10}{'accuracy':>9}{'replies':>9}"]
    for language in sorted(report):
        for name in SIGNALS:
            score = report[language][name]
            lines.append(f"{language:<9}{name:<10}{score.accuracy:>9.1%}{score.total:>9}")
            if show_misses:
                lines.extend(f"    {miss}" for miss in score.misses)
    return "\n".join(lines)
