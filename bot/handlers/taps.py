"""A tap on a button under a message the bot delivered (`<prefix>:<row>[:<choice>...]`): whose
delivery it is and what was chosen, or why the button no longer does anything.

Every such handler asks the same questions first: is the data well formed, is the row this
parent's own delivery (a forged or foreign button finds nothing), has the parent joined, was
this message already answered. They are asked here once, so each handler starts from a tap
that is known to be good."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot import lifecycle
from bot.db import repository
from bot.db.models import Delivery, Parent
from bot.handlers.common import guess_language
from bot.views import callback_id

Fits = Callable[[Sequence[str]], bool]


@dataclass(frozen=True)
class Tap:
    """A good tap: the parent, their delivery, and the parts after the row id."""

    parent: Parent
    delivery: Delivery
    choice: tuple[str, ...]

    @property
    def language(self) -> str:
        return self.parent.language


@dataclass(frozen=True)
class Refused:
    """A tap that changes nothing, and the toast (a text key) that says so."""

    language: str
    toast: str


def one_of(*choices: str) -> Fits:
    """The tap carries exactly one choice, one of these."""
    allowed = frozenset(choices)
    return lambda parts: len(parts) == 1 and parts[0] in allowed


def nothing(parts: Sequence[str]) -> bool:
    """The tap carries no choice, only the row (`w:<row>`)."""
    return not parts


async def read_tap(
    session: AsyncSession,
    update: Update,
    fits: Fits,
    *,
    once: bool = True,
    joined: bool = True,
    kind: str | None = None,
) -> Tap | Refused:
    """The tap's parent and delivery, checked; or why nothing happens.

    `fits` judges the choice parts. `once`: the message takes one answer (a later tap, or the
    same update redelivered, is "already answered"); the delivery row is then held until
    commit (PostgreSQL), so two taps handled at once by two workers are answered in turn.
    `joined`: only a parent who has joined may answer. `kind`: only a delivery of this kind."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parent = await repository.find_parent(session, user.id)
    language = parent.language if parent is not None else guess_language(update)
    expired = Refused(language, "button_expired")
    parts = (query.data or "").split(":")
    row = callback_id(parts[1]) if len(parts) >= 2 else None
    choice = tuple(parts[2:])
    if parent is None or row is None or not fits(choice):
        return expired
    if joined and not lifecycle.has_joined(parent):
        return expired
    delivery = await repository.delivery_of(session, parent.id, row, lock=once)
    if delivery is None or (kind is not None and delivery.kind != kind):
        return expired
    if once and await repository.button_reply_to(session, delivery.id) is not None:
        return Refused(language, "already_answered")
    return Tap(parent, delivery, choice)
