"""What the coaching policy needs to know about parents, read from the database in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.policy import HISTORY_DAYS, ParentSnapshot
from bot.db import bulk
from bot.db.models import Delivery, Parent, Reply
from bot.enrollment import child_age

DAILY_SLOT = "daily"


@dataclass(slots=True)
class History:
    """One parent's recent deliveries, as the policy and the planner use them."""

    last_sent: dict[str, dt.date] = field(default_factory=dict)
    last_checkin: dt.date | None = None
    scheduled_count: int = 0
    # The latest scheduled message: its local date, and whether the parent answered it.
    last_daily: tuple[dt.date, bool] | None = None


async def histories_of(
    session: AsyncSession, parent_ids: Sequence[int], since: dt.date
) -> dict[int, History]:
    """Histories for many parents in four queries, whatever their number."""
    found = {parent_id: History() for parent_id in parent_ids}
    if not parent_ids:
        return found
    sent = await session.execute(
        select(Delivery.parent_id, Delivery.message_id, func.max(Delivery.local_date))
        .where(bulk.among(session, Delivery.parent_id, parent_ids), Delivery.local_date >= since)
        .group_by(Delivery.parent_id, Delivery.message_id)
    )
    for parent_id, message_id, day in sent.all():
        if parent_id is not None:
            found[parent_id].last_sent[message_id] = day
    checkins = await session.execute(
        select(Delivery.parent_id, func.max(Delivery.local_date))
        .where(bulk.among(session, Delivery.parent_id, parent_ids), Delivery.kind == "checkin")
        .group_by(Delivery.parent_id)
    )
    for parent_id, day in checkins.all():
        if parent_id is not None:
            found[parent_id].last_checkin = day
    counts = await session.execute(
        select(Delivery.parent_id, func.count(Delivery.id), func.max(Delivery.local_date))
        .where(bulk.among(session, Delivery.parent_id, parent_ids), Delivery.slot == DAILY_SLOT)
        .group_by(Delivery.parent_id)
    )
    latest: dict[int, dt.date] = {}
    for parent_id, count, day in counts.all():
        if parent_id is not None:
            found[parent_id].scheduled_count = count
            latest[parent_id] = day
    if latest:
        answered = await session.execute(
            select(
                Delivery.parent_id,
                Delivery.local_date,
                exists().where(Reply.delivery_id == Delivery.id),
            ).where(
                bulk.among(session, Delivery.parent_id, list(latest)),
                Delivery.slot == DAILY_SLOT,
                Delivery.local_date.in_(set(latest.values())),
            )
        )
        for parent_id, day, replied in answered.all():
            if parent_id is not None and latest.get(parent_id) == day:
                found[parent_id].last_daily = (day, bool(replied))
    return found


def snapshot_from(parent: Parent, today: dt.date, history: History) -> ParentSnapshot:
    """The parent's state and history as plain data, for a decision made `today`."""
    return ParentSnapshot(
        parent_id=parent.id,
        language=parent.language,
        age_months=child_age(parent, today),
        today=today,
        pending_need=parent.pending_need,
        unanswered_count=parent.unanswered_count,
        last_sent=history.last_sent,
        days_since_checkin=(today - history.last_checkin).days if history.last_checkin else None,
        scheduled_count=history.scheduled_count,
    )


async def snapshot_of(session: AsyncSession, parent: Parent, today: dt.date) -> ParentSnapshot:
    """One parent's snapshot (the reply handlers' case)."""
    histories = await histories_of(session, [parent.id], today - dt.timedelta(days=HISTORY_DAYS))
    return snapshot_from(parent, today, histories[parent.id])
