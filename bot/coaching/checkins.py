"""The short check-in (how you feel 1-5, what is hardest, how connected 1-5) and the pause
question: their texts and buttons, and what each answer means for the messages that follow.

Pure. A check-in button is `ck:<row>:<question>:<value>`; a pause-question button is
`cd:<row>:<pause|keep>` (the row id is filled in when the row is sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from messages.library import LIBRARY_ROOT

Buttons = tuple[tuple[tuple[str, str], ...], ...]
# Filled with the row's own id when it is sent (scheduler.outbox.ROW_ID).
ROW_ID = "{id}"

QUICK_CHECKIN_ID = "checkin-quick"
PAUSE_QUESTION_ID = "pause-question"
ARRIVAL_QUESTION_ID = "arrival-question"
QUESTIONS = ("feeling", "hardest", "connection")
HARDEST = ("sleep", "crying", "feeding", "tantrums", "stress", "nothing")
SCALE = ("1", "2", "3", "4", "5")
PAUSE_DAYS = 14
# What "hardest" points at, as the library's topic tags.
HARDEST_TOPICS = {
    "sleep": "topic:sleep",
    "crying": "topic:crying",
    "feeding": "topic:feeding",
    "tantrums": "topic:tantrums",
    "stress": "topic:stress",
}


@lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = yaml.safe_load(
        (LIBRARY_ROOT / "checkins.yaml").read_text(encoding="utf-8")
    )
    return loaded


def words(language: str, key: str) -> Any:
    found = _texts()
    return (found.get(language) or found["en"])[key]


def is_answer(question: str, value: str) -> bool:
    if question in ("feeling", "connection"):
        return value in SCALE
    return question == "hardest" and value in HARDEST


def question_buttons(language: str, question: str) -> Buttons:
    """One button per answer, on rows that fit a phone."""
    if question == "hardest":
        labels = words(language, "hardest_labels")
        pairs = [(labels[v], f"ck:{ROW_ID}:hardest:{v}") for v in HARDEST]
        return tuple(tuple(pairs[i : i + 2]) for i in range(0, len(pairs), 2))
    labels = words(language, f"{question}_labels")
    pairs = [(labels[i], f"ck:{ROW_ID}:{question}:{v}") for i, v in enumerate(SCALE)]
    return (tuple(pairs[:3]), tuple(pairs[3:]))


def question_text(language: str, question: str, child: str) -> str:
    return str(words(language, question)).replace("{child}", child)


def next_question(question: str) -> str | None:
    index = QUESTIONS.index(question)
    return QUESTIONS[index + 1] if index + 1 < len(QUESTIONS) else None


@dataclass(frozen=True, slots=True)
class Meaning:
    """What an answer changes: the next scheduled message's need, topics to favour for a week,
    what a calm or repair message should fit, and whether it was a low answer."""

    pending_need: str | None = None
    focus_topics: frozenset[str] = frozenset()
    reported_topics: frozenset[str] = frozenset()
    low: bool = False


def meaning(question: str, value: str) -> Meaning:
    if question == "feeling" and value in ("1", "2"):
        return Meaning("calm", reported_topics=frozenset({"topic:stress"}), low=True)
    if question == "hardest" and value == "stress":
        return Meaning("calm", reported_topics=frozenset({"topic:stress"}), low=True)
    if question == "hardest" and value in HARDEST_TOPICS:
        topic = frozenset({HARDEST_TOPICS[value]})
        return Meaning(focus_topics=topic, reported_topics=topic)
    if question == "connection" and value in ("1", "2"):
        return Meaning(focus_topics=frozenset({"topic:bonding"}), low=True)
    return Meaning()


def arrival_buttons(language: str) -> Buttons:
    return (
        ((words(language, "arrival_yes"), f"ar:{ROW_ID}:born"),),
        ((words(language, "arrival_no"), f"ar:{ROW_ID}:not_yet"),),
    )


def pause_buttons(language: str) -> Buttons:
    return (
        ((words(language, "pause_yes"), f"cd:{ROW_ID}:pause"),),
        ((words(language, "pause_no"), f"cd:{ROW_ID}:keep"),),
    )
