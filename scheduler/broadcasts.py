"""Broadcasts: from a confirmed draft to one outbox row per family, and how far they got.

A broadcast's schedule of record is its row (status and send time), so a scheduled broadcast
survives restarts: each tick fires the ones that are due. Firing writes every recipient's row
at bulk priority in one transaction, each with its own due time (now, the set time, or the
chosen local time in the family's own timezone), keyed so a repeated fire cannot queue a
family twice. Cancelling marks the rows not yet sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audience import Audience, recipients
from bot.db.models import Broadcast, Delivery
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority, Status

KIND = "broadcast"
# Local-time broadcasts are queued this long before the date begins anywhere (UTC+14).
EARLIEST_OFFSET = dt.timedelta(hours=14)


def message_id(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


def fire_moment(broadcast: Broadcast) -> dt.datetime | None:
    """When a scheduled broadcast's rows are written (None: a draft, or nothing to wait for)."""
    if broadcast.mode == "local" and broadcast.local_date and broadcast.local_time:
        return dt.datetime.combine(broadcast.local_date, broadcast.local_time, dt.UTC) - (
            EARLIEST_OFFSET
        )
    return broadcast.send_at


def due_for(broadcast: Broadcast, timezone: str, now: dt.datetime) -> dt.datetime:
    """When one family's copy goes: at the set time, or at that local time in their zone."""
    if broadcast.mode == "local" and broadcast.local_date and broadcast.local_time:
        local = dt.datetime.combine(broadcast.local_date, broadcast.local_time, ZoneInfo(timezone))
        return max(now, local.astimezone(dt.UTC))
    if broadcast.send_at is not None:
        return max(now, broadcast.send_at)
    return now


async def audience_size(
    session: AsyncSession, audience: Audience, now: dt.datetime, *, quiet_days: float
) -> int:
    return len(await recipients(session, audience, now, quiet_days=quiet_days))


async def fire(
    session: AsyncSession, broadcast: Broadcast, now: dt.datetime, *, quiet_days: float
) -> int:
    """Queue every recipient's copy; the broadcast is then "sending". How many were queued."""
    families = await recipients(
        session, Audience.from_json(broadcast.audience), now, quiet_days=quiet_days
    )
    rows = []
    for parent in families:
        due = due_for(broadcast, parent.timezone, now)
        rows.append(
            Outgoing(
                chat_id=parent.chat_id,
                parent_id=parent.id,
                text=broadcast.text,
                kind=KIND,
                message_id=message_id(broadcast.id),
                priority=Priority.BULK,
                local_date=due.astimezone(ZoneInfo(parent.timezone)).date(),
                slot=f"b{broadcast.id}",
                due_at=due,
                photo=broadcast.photo_file_id,
            )
        )
    for start in range(0, len(rows), 500):
        await outbox.enqueue(session, rows[start : start + 500], now)
    broadcast.status, broadcast.total, broadcast.started_at = "sending", len(rows), now
    return len(rows)


async def due_broadcasts(session: AsyncSession, now: dt.datetime) -> list[Broadcast]:
    scheduled = (
        await session.scalars(select(Broadcast).where(Broadcast.status == "scheduled"))
    ).all()
    return [b for b in scheduled if (moment := fire_moment(b)) is None or moment <= now]


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    sent: int
    failed: int
    cancelled: int
    left: int

    @property
    def finished(self) -> bool:
        return self.left == 0


async def progress(session: AsyncSession, broadcast: Broadcast) -> Progress:
    counts = dict(
        (
            await session.execute(
                select(Delivery.status, func.count(Delivery.id))
                .where(Delivery.message_id == message_id(broadcast.id))
                .group_by(Delivery.status)
            )
        ).all()
    )
    sent = int(counts.get(Status.SENT.value, 0))
    failed = int(counts.get(Status.FAILED.value, 0))
    cancelled = int(counts.get(Status.CANCELLED.value, 0))
    left = int(counts.get(Status.PENDING.value, 0)) + int(counts.get(Status.SENDING.value, 0))
    return Progress(broadcast.total, sent, failed, cancelled, left)


async def cancel(session: AsyncSession, broadcast: Broadcast, now: dt.datetime) -> int:
    """Stop what has not gone out; how many rows were cancelled."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.message_id == message_id(broadcast.id),
            Delivery.status == Status.PENDING.value,
        )
        .values(status=Status.CANCELLED.value)
    )
    broadcast.status, broadcast.finished_at = "cancelled", now
    return int(getattr(result, "rowcount", 0) or 0)
