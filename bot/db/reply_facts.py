"""What answering one parent's reply reads from the database, in one statement.

A reply is answered from a snapshot of the parent (`bot.db.adaptation.reply_context`). For the
planner's batches that snapshot takes a fixed number of queries over many parents; for one reply
the same facts come back from a single UNION ALL, one tagged row set, so a reply costs one round
trip to the database instead of ten. Each branch reads what the batch query of the same name
reads (see `bot.db.snapshots.histories_of` and `bot.db.adaptation`), for one parent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import ColumnElement, CompoundSelect

from bot.db.models import CheckinAnswer, Delivery, Reply
from bot.db.models import Decision as DecisionRow
from messages.vocabulary import KINDS

DAILY_SLOT = "daily"

_deliveries = cast(Table, Delivery.__table__)
_replies = cast(Table, Reply.__table__)
_decisions = cast(Table, DecisionRow.__table__)
_checkins = cast(Table, CheckinAnswer.__table__)


Column = ColumnElement[Any]


def _row(
    tag: str,
    *,
    name: Column | None = None,
    day: Column | None = None,
    number: Column | None = None,
    row_id: Column | None = None,
    words: Column | None = None,
) -> list[Column]:
    """One branch's columns: (tag, name, day, number, row_id, words); unused ones NULL, typed so
    PostgreSQL can match the branches."""
    columns: list[Column] = [literal(tag, String).label("tag")]
    for value, type_ in (
        (name, String()),
        (day, Date()),
        (number, BigInteger()),
        (row_id, BigInteger()),
        (words, Text()),
    ):
        columns.append(sa.cast(null(), type_) if value is None else value)
    return columns


def _statement() -> CompoundSelect[Any]:
    parent = bindparam("parent_id", type_=Integer)
    d = _deliveries.c
    mine = d.parent_id == parent
    # Scalar subqueries never correlate: each reads its own table whole, for this parent.
    latest_daily = (
        select(func.max(d.local_date))
        .where(mine, d.slot == DAILY_SLOT)
        .correlate(None)
        .scalar_subquery()
    )
    daily = _deliveries.alias("daily")
    daily_answered = exists().where(
        daily.c.parent_id == parent,
        daily.c.slot == DAILY_SLOT,
        daily.c.local_date == latest_daily,
        _replies.c.delivery_id == daily.c.id,
    )
    last_reply = (
        select(func.max(_replies.c.id))
        .where(_replies.c.parent_id == parent)
        .correlate(None)
        .scalar_subquery()
    )
    answered_id = (
        select(_replies.c.delivery_id)
        .where(_replies.c.id == last_reply)
        .correlate(None)
        .scalar_subquery()
    )
    latest_kind_id = (
        select(func.max(d.id))
        .where(mine, d.kind.in_(KINDS), d.status == "sent")
        .correlate(None)
        .scalar_subquery()
    )
    branches = [
        # histories_of: each message's last date in the history window ...
        select(*_row("sent", name=d.message_id, day=func.max(d.local_date)))
        .where(mine, d.local_date >= bindparam("history_since", type_=Date))
        .group_by(d.message_id),
        # ... the last check-in, the scheduled count and last date, and whether it was answered
        select(
            *_row(
                "totals",
                day=func.max(case((d.kind == "checkin", d.local_date))),
                number=func.count(case((d.slot == DAILY_SLOT, d.id))),
            )
        ).where(mine),
        select(
            *_row(
                "daily",
                day=latest_daily,
                number=case((daily_answered, 1), else_=0),
            )
        ),
        # _recent_kinds: library messages lately, with their slot
        select(*_row("recent", name=d.kind, day=d.local_date, row_id=d.id, words=d.slot)).where(
            mine,
            d.kind.in_(KINDS),
            d.created_at >= bindparam("recent_since"),
            d.status != "cancelled",
        ),
        # _week_of_replies
        select(
            *_row(
                "week",
                name=_replies.c.choice,
                row_id=_replies.c.id,
                words=_replies.c.text,
            )
        ).where(
            _replies.c.parent_id == parent,
            _replies.c.received_at >= bindparam("week_since"),
        ),
        # _last_feelings
        select(
            *_row("feeling", name=_checkins.c.value, row_id=_checkins.c.id),
        ).where(_checkins.c.parent_id == parent, _checkins.c.question == "feeling"),
        # _acks_seen
        select(*_row("ack", name=_decisions.c.message_id, day=func.max(_decisions.c.local_date)))
        .where(
            _decisions.c.parent_id == parent,
            _decisions.c.kind == "ack",
            _decisions.c.local_date >= bindparam("ack_since", type_=Date),
        )
        .group_by(_decisions.c.message_id),
        # _answered: the delivery the latest reply answers, and the latest library message sent
        select(
            *_row("answered", name=d.kind, row_id=d.id, words=d.message_id),
        ).where(d.id == answered_id),
        select(
            *_row("latest", name=d.kind, row_id=d.id, words=d.message_id),
        ).where(d.id == latest_kind_id),
    ]
    return union_all(*branches)


_FACTS = _statement()


@dataclass(slots=True)
class ReplyFacts:
    """Everything a reply's snapshot reads about one parent, as plain data."""

    last_sent: dict[str, dt.date] = field(default_factory=dict)
    last_checkin: dt.date | None = None
    scheduled_count: int = 0
    last_daily: tuple[dt.date, bool] | None = None
    # (kind, slot) of library messages since `recent_since`, newest first
    recent: list[tuple[str, str | None]] = field(default_factory=list)
    # (reply id, choice, text) since `week_since`, oldest first
    week: list[tuple[int, str | None, str | None]] = field(default_factory=list)
    last_feeling: int | None = None
    acks: dict[str, dt.date] = field(default_factory=dict)
    # (kind, message id, delivery id) the latest reply answers, and of the latest library message
    answered: tuple[str, str, int] | None = None
    latest_library: tuple[str, str, int] | None = None


async def reply_facts(
    session: AsyncSession,
    parent_id: int,
    *,
    history_since: dt.date,
    recent_since: dt.datetime,
    week_since: dt.datetime,
    ack_since: dt.date,
) -> ReplyFacts:
    rows = await session.execute(
        _FACTS,
        {
            "parent_id": parent_id,
            "history_since": history_since,
            "recent_since": recent_since,
            "week_since": week_since,
            "ack_since": ack_since,
        },
    )
    facts = ReplyFacts()
    recent: list[tuple[dt.date, int, str, str | None]] = []
    feelings: list[tuple[int, str]] = []
    for tag, name, day, number, row_id, words in rows.all():
        if tag == "sent":
            facts.last_sent[name] = day
        elif tag == "totals":
            facts.last_checkin = day
            facts.scheduled_count = int(number or 0)
        elif tag == "daily":
            if day is not None:
                facts.last_daily = (day, bool(number))
        elif tag == "recent":
            recent.append((day, row_id, name, words))
        elif tag == "week":
            facts.week.append((row_id, name, words))
        elif tag == "feeling":
            feelings.append((row_id, name))
        elif tag == "ack":
            facts.acks[name] = day
        elif tag == "answered":
            facts.answered = (name, words, row_id)
        elif tag == "latest":
            facts.latest_library = (name, words, row_id)
    recent.sort(key=lambda item: (item[0], item[1]), reverse=True)
    facts.recent = [(kind, slot) for _, _, kind, slot in recent]
    facts.week.sort(key=lambda item: item[0])
    digits = [value for _, value in sorted(feelings) if value.isdigit()]
    facts.last_feeling = int(digits[-1]) if digits else None
    return facts
