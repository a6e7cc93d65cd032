"""A parent's profile as the bot talks about it: questions, answers, summary.

(When messages go, and whether they go at all, is `bot.lifecycle`'s.)
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from bot.coaching.age import age_in_months
from bot.coaching.parsing import (
    parse_child_date,
    parse_child_name,
    parse_send_time,
    parse_timezone,
)
from bot.db.models import Child, Parent
from bot.texts import text
from bot.texts.formats import spoken_date, spoken_time, zone_name
from bot.views import (
    Say,
    cadence_buttons,
    consent_buttons,
    language_buttons,
    skip_buttons,
    summary_buttons,
    time_buttons,
    timezone_buttons,
)
from messages.vocabulary import MAX_AGE_MONTHS, MIN_AGE_MONTHS, child_fallback


class ChildFacts(Protocol):
    """What the messages need to know about a child: a `Child`, or a row read in bulk."""

    @property
    def name(self) -> str | None: ...
    @property
    def birth_date(self) -> dt.date | None: ...
    @property
    def due_date(self) -> dt.date | None: ...


class WithChild(Protocol):
    """A parent (a `Parent`, or a row read in bulk) and the child they enrolled."""

    @property
    def child(self) -> ChildFacts | None: ...


def child_age(parent: WithChild, today: dt.date) -> int:
    """The child's age in months, kept within what the library serves (a child past five keeps
    getting messages for the oldest band until the program graduates them)."""
    child = parent.child
    if child is None:
        return 0
    age = age_in_months(today, birth_date=child.birth_date, due_date=child.due_date)
    return max(MIN_AGE_MONTHS, min(MAX_AGE_MONTHS, age))


def child_name(parent: WithChild) -> str | None:
    return parent.child.name if parent.child else None


def question(parent: Parent, field: str, today: dt.date) -> Say:
    """The prompt for one onboarding or settings field, in the parent's language."""
    lang = parent.language
    if field == "language":
        return Say(text(lang, "ask_language"), language_buttons())
    if field == "consent":
        return Say(text(lang, "consent"), consent_buttons(lang))
    if field == "child_name":
        return Say(text(lang, "ask_child_name"), skip_buttons(lang))
    if field == "child_date":
        name = child_name(parent) or child_fallback(lang, 0)
        return Say(text(lang, "ask_child_date", child=name))
    if field == "send_time":
        return Say(text(lang, "ask_send_time"), time_buttons(lang))
    if field == "timezone":
        return Say(text(lang, "ask_timezone"), timezone_buttons(lang))
    if field == "cadence":
        return Say(text(lang, "ask_cadence"), cadence_buttons(lang))
    if field == "summary":
        return summary(parent)
    raise ValueError(f"no question for {field}")


def summary(parent: Parent) -> Say:
    lang = parent.language
    child = parent.child
    born = child is not None and child.birth_date is not None
    date = (child.birth_date if born else child.due_date) if child else None
    return Say(
        text(
            lang,
            "summary",
            child_name=child_name(parent) or text(lang, "no_name"),
            date_label=text(lang, "summary_born" if born else "summary_due"),
            date=spoken_date(lang, date) if date else "—",
            time=spoken_time(lang, parent.send_time),
            timezone=zone_name(lang, parent.timezone),
            cadence=text(lang, f"cadence_{parent.cadence}"),
        ),
        summary_buttons(lang),
    )


def apply_typed_answer(parent: Parent, field: str, answer: str, today: dt.date) -> None:
    """Store a typed answer; raises NotUnderstood with the reason to re-ask kindly."""
    if field == "child_name":
        _child(parent).name = parse_child_name(answer)
    elif field == "child_date":
        found = parse_child_date(answer, today, day_first=parent.language != "en")
        child = _child(parent)
        child.birth_date, child.due_date = found.birth_date, found.due_date
    elif field == "send_time":
        parent.send_time = parse_send_time(answer)
    elif field == "timezone":
        parent.timezone = parse_timezone(answer)
    else:
        raise ValueError(f"{field} is answered with a button")


def _child(parent: Parent) -> Child:
    if parent.child is None:
        parent.child = Child()
    return parent.child


# A settings answer is a few words at most: a time, a date, a city, a name.
_ANSWER_WORDS = {"send_time": 4, "timezone": 3, "child_date": 5, "child_name": 4}


def looks_like_a_reply(field: str, typed: str) -> bool:
    """Words that did not read as an answer to `field` and are clearly something else: a
    sentence about the day ("We read a book together"), not a misspelt city or time."""
    words = typed.split()
    if field in ("language", "cadence"):
        return len(words) >= 2
    has_digit = any(ch.isdigit() for ch in typed)
    return len(words) > _ANSWER_WORDS.get(field, 3) and not (has_digit and field != "timezone")
