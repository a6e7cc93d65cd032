"""Which message a parent gets next, from what they have told us and what they have had."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bot.coaching.schedule import QUIET_AFTER_UNANSWERED
from messages.library import Library, Message

NO_REPEAT_DAYS = 30
# Messages that share an `idea` (two bedtime rituals, say) are kept this many days apart.
IDEA_APART_DAYS = 14
# How far back a parent's history is read to keep messages from coming round too soon.
HISTORY_DAYS = 365
CHECKIN_EVERY_DAYS = 7
# A parent who went quiet gets a check-in that asks whether this is still a good time: one that
# offers the "skip" (fewer messages) choice. Weekly check-ins are the others.
QUIET_CHOICE = "skip"
# "We tried it" counts within a week that earn a celebration instead of a plain thanks.
CELEBRATE_AT_TRIES = frozenset({3, 5, 7})


@dataclass(frozen=True, slots=True)
class ParentSnapshot:
    """Everything the policy needs to know about one parent, as plain data."""

    parent_id: int
    language: str
    age_months: int
    today: dt.date
    pending_need: str | None = None
    unanswered_count: int = 0
    # message id -> the last local date it was sent (a year back is plenty)
    last_sent: Mapping[str, dt.date] = field(default_factory=dict)
    days_since_checkin: int | None = None
    scheduled_count: int = 0


def choose_scheduled_message(snapshot: ParentSnapshot, library: Library) -> Message:
    """The next daily message: an answer to what they reported, a check-in, or today's nudge."""
    if snapshot.pending_need in ("repair", "calm"):
        chosen = pick(library, snapshot, kind=snapshot.pending_need)
        if chosen is not None:
            return chosen
    if snapshot.unanswered_count >= QUIET_AFTER_UNANSWERED:
        chosen = pick(library, snapshot, kind="checkin", where=offers_skip)
        if chosen is not None:
            return chosen
    checkin_due = snapshot.days_since_checkin is None or (
        snapshot.days_since_checkin >= CHECKIN_EVERY_DAYS
    )
    if checkin_due and snapshot.scheduled_count >= CHECKIN_EVERY_DAYS - 1:
        chosen = pick(library, snapshot, kind="checkin", where=lambda m: not offers_skip(m))
        if chosen is not None:
            return chosen
    chosen = pick(library, snapshot, kind="nudge")
    if chosen is None:
        raise LookupError(
            f"the library has no nudge for age {snapshot.age_months} in {snapshot.language}"
        )
    return chosen


def pick(
    library: Library,
    snapshot: ParentSnapshot,
    *,
    kind: str,
    tags: Iterable[str] = (),
    where: Callable[[Message], bool] | None = None,
) -> Message | None:
    """A message of `kind` that fits, not sent in the last 30 days while the pool allows, and
    whose idea no message sent in the last 14 days shared, while the fresh ones allow.

    Among those, the ones matching the most wanted tags win; ties are broken by a draw
    seeded with the parent and the day, so it is varied across parents yet repeatable in tests.
    """
    wanted = frozenset(tags)
    pool = [
        m
        for m in library.candidates(
            language=snapshot.language, kind=kind, age_months=snapshot.age_months
        )
        if where is None or where(m)
    ]
    if not pool:
        return None
    fresh = [m for m in pool if _days_since(snapshot, m) >= NO_REPEAT_DAYS]
    if not fresh:
        oldest = max(_days_since(snapshot, m) for m in pool)
        fresh = [m for m in pool if _days_since(snapshot, m) == oldest]
    fresh = spaced_ideas(fresh, ideas_sent(library, snapshot), snapshot.today)
    # Best tag match first; then never sent, then sent longest ago, so a parent meets the whole
    # pool before anything comes round again.
    best = max((len(m.tags & wanted), _days_since(snapshot, m)) for m in fresh)
    finalists = sorted(
        (m for m in fresh if (len(m.tags & wanted), _days_since(snapshot, m)) == best),
        key=lambda m: m.id,
    )
    draw = random.Random(f"{snapshot.parent_id}:{snapshot.today.isoformat()}:{kind}")
    return draw.choice(finalists)


def ideas_sent(library: Library, snapshot: ParentSnapshot) -> dict[str, dt.date]:
    """Idea key -> the last local date a message with that idea was sent to this parent.

    Ids (and so ideas) are the same in every language; a sent id the library no longer has
    (a retired message, the bot's own texts) has no idea to keep apart."""
    found: dict[str, dt.date] = {}
    for message_id, day in snapshot.last_sent.items():
        message = library.get(message_id, snapshot.language)
        if message is not None and day > found.get(message.idea_key, dt.date.min):
            found[message.idea_key] = day
    return found


def spaced_ideas(
    pool: list[Message], ideas: Mapping[str, dt.date], today: dt.date
) -> list[Message]:
    """The messages whose idea was last sent 14 or more days ago (or never); when none is,
    those whose idea was sent longest ago, so a small pool still has something to send."""

    def days(message: Message) -> int:
        sent = ideas.get(message.idea_key)
        return 10_000 if sent is None else (today - sent).days

    spaced = [m for m in pool if days(m) >= IDEA_APART_DAYS]
    if spaced or not pool:
        return spaced
    longest = max(days(m) for m in pool)
    return [m for m in pool if days(m) == longest]


def offers_skip(message: Message) -> bool:
    return any(choice.key == QUIET_CHOICE for choice in message.choices)


def should_celebrate(tries_this_week: int, celebrated_this_week: bool) -> bool:
    """Celebrate effort at a few points in a week, never more than once a week."""
    return not celebrated_this_week and tries_this_week in CELEBRATE_AT_TRIES


def _days_since(snapshot: ParentSnapshot, message: Message) -> int:
    sent = snapshot.last_sent.get(message.id)
    return 10_000 if sent is None else (snapshot.today - sent).days
