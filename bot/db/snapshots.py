"""What the coaching policy needs to know about one parent, read from the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.policy import HISTORY_DAYS, ParentSnapshot
from bot.db import repository
from bot.db.models import Parent
from bot.enrollment import child_age


async def snapshot_of(session: AsyncSession, parent: Parent, today: dt.date) -> ParentSnapshot:
    """The parent's state and recent history as plain data, for a decision made `today`."""
    last_checkin = await repository.last_kind_date(session, parent.id, "checkin")
    return ParentSnapshot(
        parent_id=parent.id,
        language=parent.language,
        age_months=child_age(parent, today),
        today=today,
        pending_need=parent.pending_need,
        unanswered_count=parent.unanswered_count,
        last_sent=await repository.last_sent_dates(
            session, parent.id, today - dt.timedelta(days=HISTORY_DAYS)
        ),
        days_since_checkin=(today - last_checkin).days if last_checkin else None,
        scheduled_count=await repository.count_scheduled(session, parent.id),
    )
