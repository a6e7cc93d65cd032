"""A home visitor's caseload: their families, each one's state at a glance, and one family's
last two weeks. Queries only; a home visitor's families are those who joined by their invites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.coaching.age import age_in_months
from bot.db.models import Delivery, Invite, Parent, Reply, SafetyFlag

# A flag this recent marks the family "flagged" in the caseload.
FLAG_SHOWN = dt.timedelta(days=14)
HISTORY = dt.timedelta(days=14)
# Age bands staff choose broadcasts by (months, inclusive); prenatal is below zero.
AGE_BANDS: dict[str, tuple[int, int]] = {
    "prenatal": (-12, -1),
    "0-5": (0, 5),
    "6-11": (6, 11),
    "12-23": (12, 23),
    "24-35": (24, 35),
    "36-59": (36, 120),
}


def age_band(months: int | None) -> str:
    if months is None:
        return "unknown"
    for band, (low, high) in AGE_BANDS.items():
        if low <= months <= high:
            return band
    return "unknown"


@dataclass(frozen=True, slots=True)
class FamilyRow:
    parent_id: int
    who: str
    age_months: int | None
    status: str  # onboarding | active | quiet | paused | stopped | blocked
    flagged: bool
    last_reply_at: dt.datetime | None
    replies_7d: int
    visitor_id: int | None


def who(parent: Parent, label: str | None) -> str:
    """The family as their visitor knows them: the invite's label, else the first name."""
    return label or parent.first_name or f"Family #{parent.id}"


def child_months(parent: Parent, today: dt.date) -> int | None:
    child = parent.child
    if child is None or (child.birth_date is None and child.due_date is None):
        return None
    return age_in_months(today, birth_date=child.birth_date, due_date=child.due_date)


def shown_status(parent: Parent, now: dt.datetime, quiet_days: float) -> str:
    if parent.status != "active":
        return parent.status
    last = parent.last_reply_at or parent.consented_at or parent.created_at
    return "quiet" if now - last >= dt.timedelta(days=quiet_days) else "active"


def _families_query(visitor_id: int | None) -> Select[Parent, str | None, int | None]:
    query = (
        select(Parent, Invite.label, Invite.created_by)
        .outerjoin(Invite, Parent.invite_id == Invite.id)
        .options(selectinload(Parent.children))
        .order_by(Invite.label, Parent.id)
    )
    if visitor_id is not None:
        query = query.where(Invite.created_by == visitor_id)
    return query


async def families(
    session: AsyncSession, now: dt.datetime, *, visitor_id: int | None, quiet_days: float
) -> list[FamilyRow]:
    """A visitor's families (everyone's when `visitor_id` is None), by label."""
    rows = (await session.execute(_families_query(visitor_id))).all()
    ids = [parent.id for parent, _, _ in rows]
    if not ids:
        return []
    counted = await session.execute(
        select(Reply.parent_id, func.count(Reply.id))
        .where(Reply.parent_id.in_(ids), Reply.received_at >= now - dt.timedelta(days=7))
        .group_by(Reply.parent_id)
    )
    week = {parent_id: int(count) for parent_id, count in counted.all()}
    flagged = set(
        (
            await session.scalars(
                select(SafetyFlag.parent_id).where(
                    SafetyFlag.parent_id.in_(ids), SafetyFlag.created_at >= now - FLAG_SHOWN
                )
            )
        ).all()
    )
    return [
        FamilyRow(
            parent_id=parent.id,
            who=who(parent, label),
            age_months=child_months(parent, now.date()),
            status=shown_status(parent, now, quiet_days),
            flagged=parent.id in flagged,
            last_reply_at=parent.last_reply_at,
            replies_7d=int(week.get(parent.id, 0)),
            visitor_id=visitor,
        )
        for parent, label, visitor in rows
    ]


async def family(
    session: AsyncSession, parent_id: int, *, visitor_id: int | None
) -> tuple[Parent, str | None] | None:
    """One family, only if it is this visitor's (any family when `visitor_id` is None)."""
    row = (await session.execute(_families_query(visitor_id).where(Parent.id == parent_id))).first()
    return (row[0], row[1]) if row is not None else None


async def find_by_name(
    session: AsyncSession, name: str, *, visitor_id: int | None
) -> list[tuple[Parent, str | None]]:
    """Families whose label or first name matches (exact first, then starting with it)."""
    wanted = name.strip().casefold()
    rows = [
        (p, label) for p, label, _ in (await session.execute(_families_query(visitor_id))).all()
    ]
    exact = [
        (p, label)
        for p, label in rows
        if wanted in {(label or "").casefold(), (p.first_name or "").casefold()}
    ]
    if exact:
        return exact
    return [
        (p, label)
        for p, label in rows
        if (label or "").casefold().startswith(wanted)
        or (p.first_name or "").casefold().startswith(wanted)
    ]


@dataclass(frozen=True, slots=True)
class Event:
    at: dt.datetime
    kind: str  # sent | reply | flag
    detail: str


async def history(
    session: AsyncSession, parent_id: int, now: dt.datetime, *, include_words: bool
) -> list[Event]:
    """What the family was sent, what they answered and their flags, over two weeks."""
    since = now - HISTORY
    events: list[Event] = []
    for sent_at, kind, message_id in (
        await session.execute(
            select(Delivery.sent_at, Delivery.kind, Delivery.message_id).where(
                Delivery.parent_id == parent_id,
                Delivery.status == "sent",
                Delivery.sent_at >= since,
                Delivery.kind.not_in(("answer", "alert", "relay")),
            )
        )
    ).all():
        if sent_at is not None:
            events.append(Event(sent_at, "sent", f"{kind} {message_id}"))
    for received_at, kind, choice, words in (
        await session.execute(
            select(Reply.received_at, Reply.kind, Reply.choice, Reply.text).where(
                Reply.parent_id == parent_id, Reply.received_at >= since
            )
        )
    ).all():
        if kind == "text":
            detail = words if include_words and words else "(their own words)"
        else:
            detail = choice or kind
        events.append(Event(received_at, "reply", detail))
    for created_at, category in (
        await session.execute(
            select(SafetyFlag.created_at, SafetyFlag.category).where(
                SafetyFlag.parent_id == parent_id, SafetyFlag.created_at >= since
            )
        )
    ).all():
        events.append(Event(created_at, "flag", category))
    return sorted(events, key=lambda event: event.at)
