"""Several children: whose turn a scheduled message is, when two can share one, who graduates.

Pure over plain data. Children take turns message by message (alternating by day for a parent
with daily messages), starting after the child the last message was for. Two children share a
nudge when both are born, their ages fall in the same band of the library, and they are at
most `MAX_SHARED_GAP_MONTHS` apart (twins, or close in age): content is then chosen for the
younger one, which the older one can do too. A child past 59 months graduates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.coaching.age import age_in_months
from messages.vocabulary import MAX_AGE_MONTHS, MIN_AGE_MONTHS

# A child this old (in whole months) has graduated: the library serves up to 59 months.
GRADUATION_MONTHS = MAX_AGE_MONTHS + 1
# The library's nudge bands (months, inclusive): two children share content only within one.
SHARED_BANDS = ((0, 5), (6, 11), (12, 23), (24, 35), (36, 59))
MAX_SHARED_GAP_MONTHS = 6


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """One enrolled child, as the decision needs it."""

    id: int
    name: str | None = None
    birth_date: dt.date | None = None
    due_date: dt.date | None = None


def months_old(child: ChildFacts, today: dt.date) -> int:
    """Whole months since birth (negative before the due date), not clipped to the library."""
    return age_in_months(today, birth_date=child.birth_date, due_date=child.due_date)


def library_age(child: ChildFacts, today: dt.date) -> int:
    """The age the library serves this child at (past five: the oldest band, until graduated)."""
    return max(MIN_AGE_MONTHS, min(MAX_AGE_MONTHS, months_old(child, today)))


def has_graduated(child: ChildFacts, today: dt.date) -> bool:
    """Past 59 months (born, or due that long ago)."""
    if child.birth_date is None and child.due_date is None:
        return False
    return months_old(child, today) >= GRADUATION_MONTHS


def band_of(months: int) -> int | None:
    for index, (low, high) in enumerate(SHARED_BANDS):
        if low <= months <= high:
            return index
    return None


def can_share(first: ChildFacts, second: ChildFacts, today: dt.date) -> bool:
    """One nudge fits both: both born, in the same band, and close in age."""
    if first.birth_date is None or second.birth_date is None:
        return False
    a, b = months_old(first, today), months_old(second, today)
    band = band_of(a)
    return band is not None and band == band_of(b) and abs(a - b) <= MAX_SHARED_GAP_MONTHS


@dataclass(frozen=True, slots=True)
class Turn:
    """The child (or children) one scheduled message is for. The first is the youngest: the
    content is chosen for their age."""

    children: tuple[ChildFacts, ...]
    age_months: int

    @property
    def shared(self) -> bool:
        return len(self.children) > 1

    @property
    def child_ids(self) -> str:
        """For the decision log: "12", or "12+13" for a shared nudge."""
        return "+".join(str(child.id) for child in self.children)


@dataclass(frozen=True, slots=True)
class Graduation:
    """Today's message is a goodbye for these children; `staying` are the younger siblings
    still enrolled (empty: the parent's messages are finished)."""

    children: tuple[ChildFacts, ...]
    staying: tuple[ChildFacts, ...]

    @property
    def child_ids(self) -> str:
        return "+".join(str(child.id) for child in self.children)


def turns(children: Sequence[ChildFacts], today: dt.date) -> list[Turn]:
    """The children grouped into turns, in the order they were enrolled: a child joins the
    first earlier turn whose every child can share a nudge with them."""
    groups: list[list[ChildFacts]] = []
    for child in sorted(children, key=lambda c: c.id):
        for group in groups:
            if all(can_share(child, other, today) for other in group):
                group.append(child)
                break
        else:
            groups.append([child])
    found = []
    for group in groups:
        youngest_first = tuple(sorted(group, key=lambda c: (months_old(c, today), c.id)))
        found.append(Turn(youngest_first, library_age(youngest_first[0], today)))
    return found


def next_turn(
    children: Sequence[ChildFacts], today: dt.date, last_child_id: int | None
) -> Turn | None:
    """The turn after the one `last_child_id` was in; the first turn when there was none (or
    that child is gone); None for a parent with no enrolled child."""
    groups = turns(children, today)
    if not groups:
        return None
    for index, turn in enumerate(groups):
        if any(child.id == last_child_id for child in turn.children):
            return groups[(index + 1) % len(groups)]
    return groups[0]


def plan_day(
    children: Sequence[ChildFacts], today: dt.date, last_child_id: int | None
) -> Turn | Graduation | None:
    """What today's scheduled message is about: a goodbye to any child who graduated (one
    message, even for twins), else the next turn."""
    graduating = tuple(c for c in sorted(children, key=lambda c: c.id) if has_graduated(c, today))
    if graduating:
        staying = tuple(c for c in children if c not in graduating)
        return Graduation(graduating, tuple(sorted(staying, key=lambda c: c.id)))
    return next_turn(children, today, last_child_id)


def unborn(children: Sequence[ChildFacts]) -> tuple[ChildFacts, ...]:
    """Children not yet born (a due date, no birth date), nearest due date first."""
    waiting = [c for c in children if c.birth_date is None and c.due_date is not None]
    return tuple(sorted(waiting, key=lambda c: (c.due_date or dt.date.max, c.id)))


class ChildRecord(Protocol):
    """A child as stored: a `Child`, or the planner's row read in bulk."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str | None: ...
    @property
    def ended(self) -> str | None: ...
    @property
    def birth_date(self) -> dt.date | None: ...
    @property
    def due_date(self) -> dt.date | None: ...


Record = TypeVar("Record", bound=ChildRecord)


def enrolled(children: Sequence[Record]) -> list[Record]:
    """The children messages are for now, oldest record first: not graduated, not lost, and
    with a birth or due date (a child being added has none yet)."""
    return [
        child
        for child in children
        if child.ended is None and (child.birth_date is not None or child.due_date is not None)
    ]


def current_child(children: Sequence[Record], last_child_id: int | None) -> Record | None:
    """The child the bot talks about now: the one the latest scheduled message was for, else
    the first enrolled one (a parent with one child: that child); while joining, the child
    being told about (named, no date yet)."""
    now_enrolled = enrolled(children)
    for child in now_enrolled:
        if child.id == last_child_id:
            return child
    if now_enrolled:
        return now_enrolled[0]
    return next((child for child in children if child.ended is None), None)
