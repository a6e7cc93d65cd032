"""A parent's lifecycle: the statuses, and transitions that decide what happens to queued rows.

This module owns `parents.status`. A transition changes the status and the schedule together,
and says what becomes of messages already in the outbox (a blocked parent's queue is cancelled;
a hush after a safety flag holds cheerful messages back but never a safety answer).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.schedule import next_send_at
from bot.db.models import Parent
from scheduler import outbox


class ParentStatus(StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    BLOCKED = "blocked"


# After a safety flag, no cheerful message for this long unless the parent writes again.
HUSH = dt.timedelta(hours=24)


async def mark_unreachable(session: AsyncSession, parent_id: int) -> None:
    """Telegram says the chat is gone or the bot is blocked: stop at once, never retry."""
    await session.execute(
        update(Parent)
        .where(Parent.id == parent_id)
        .values(status=ParentStatus.BLOCKED.value, next_send_at=None)
    )
    await outbox.cancel_pending(session, parent_id)


# The safety check-in comes at the parent's first usual time at least this long after a flag.
CHECKIN_AFTER = dt.timedelta(hours=12)
SAFETY_CHECKIN = "safety_checkin"


async def hush_after_flag(session: AsyncSession, parent: Parent, now: dt.datetime) -> None:
    """No cheerful message for a day: queued everyday rows are cancelled, and the parent's next
    usual slot (at least 12 hours away, so the next day) carries a gentle check-in instead."""
    parent.hushed_until = now + HUSH
    await outbox.cancel_pending(session, parent.id, below_priority=outbox.Priority.NOW)
    if parent.status != ParentStatus.ACTIVE.value:
        return
    parent.pending_need = SAFETY_CHECKIN
    parent.next_send_at = next_send_at(
        now + CHECKIN_AFTER,
        timezone=parent.timezone,
        send_time=parent.send_time,
        cadence="daily",
    )


def lift_hush(parent: Parent) -> None:
    """The parent wrote again (not a crisis): everyday messages may come back."""
    parent.hushed_until = None
