"""A parent's profile as the bot talks about it: questions, answers, summary.

(When messages go, and whether they go at all, is `bot.lifecycle`'s.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from bot.coaching.age import age_in_months
from bot.coaching.children import ChildFacts, ChildRecord, Turn, library_age
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


class WithChild(Protocol):
    """A parent (a `Parent`, or a row read in bulk): the child the bot talks about now, and
    every child messages are for."""

    @property
    def child(self) -> ChildRecord | None: ...
    @property
    def enrolled_children(self) -> Sequence[ChildRecord]: ...


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


def child_facts(parent: WithChild) -> tuple[ChildFacts, ...]:
    """The enrolled children as the pure decisions take them."""
    return tuple(
        ChildFacts(c.id, c.name, c.birth_date, c.due_date) for c in parent.enrolled_children
    )


def spoken_child(language: str, child: ChildFacts, today: dt.date) -> str:
    """A child as a message names them: their name, or the gentle fallback for their age."""
    return child.name or child_fallback(language, library_age(child, today))


def spoken_children(language: str, children: tuple[ChildFacts, ...], today: dt.date) -> str:
    """ "Sofía and Leo"; "both of your children" when one has no name."""
    if len(children) == 1:
        return spoken_child(language, children[0], today)
    if any(child.name is None for child in children):
        return text(language, "children_both")
    *first, last = [spoken_child(language, child, today) for child in children]
    return text(language, "children_and", first=", ".join(first), second=last)


def turn_line(language: str, turn: Turn, today: dt.date) -> str:
    """The line under a message for a parent with several children: whom it is for."""
    if turn.shared:
        return text(
            language, "nudge_for_shared", children=spoken_children(language, turn.children, today)
        )
    return text(language, "nudge_for", child=spoken_child(language, turn.children[0], today))


def editing_child(parent: Parent, mode: str | None = None) -> Child | None:
    """The child a typed name or date is for: while adding one (/addchild), the new child
    with no date yet; otherwise the child the bot talks about now (joining: the only one)."""
    if mode == "add":
        return next(
            (
                c
                for c in reversed(parent.children)
                if c.ended is None and c.birth_date is None and c.due_date is None
            ),
            None,
        )
    return parent.child or next((c for c in parent.children if c.ended is None), None)


def question(parent: Parent, field: str, today: dt.date, mode: str | None = None) -> Say:
    """The prompt for one onboarding or settings field, in the parent's language."""
    lang = parent.language
    if mode == "add" and field == "child_name":
        return Say(text(lang, "ask_new_child_name"), skip_buttons(lang))
    if field == "child_date":
        editing = editing_child(parent, mode)
        name = (editing.name if editing else None) or child_fallback(lang, 0)
        return Say(text(lang, "ask_child_date", child=name))
    if field == "language":
        return Say(text(lang, "ask_language"), language_buttons())
    if field == "consent":
        return Say(text(lang, "consent"), consent_buttons(lang))
    if field == "child_name":
        return Say(text(lang, "ask_child_name"), skip_buttons(lang))
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


def apply_typed_answer(
    parent: Parent, field: str, answer: str, today: dt.date, mode: str | None = None
) -> None:
    """Store a typed answer; raises NotUnderstood with the reason to re-ask kindly."""
    if field == "child_name":
        _child(parent, mode).name = parse_child_name(answer)
    elif field == "child_date":
        found = parse_child_date(answer, today, day_first=parent.language != "en")
        child = _child(parent, mode)
        child.birth_date, child.due_date = found.birth_date, found.due_date
    elif field == "send_time":
        parent.send_time = parse_send_time(answer)
    elif field == "timezone":
        parent.timezone = parse_timezone(answer)
    else:
        raise ValueError(f"{field} is answered with a button")


def _child(parent: Parent, mode: str | None = None) -> Child:
    found = editing_child(parent, mode)
    if found is None:
        found = Child()
        parent.children.append(found)
    return found


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
