"""Planner tick: turns parents whose next_send_at has come into outbox rows, once each.

The schedule of record is `parents.next_send_at` (indexed with status), so the cost of a tick
follows the parents due now, not the parents enrolled. The outbox's unique (parent, local date,
slot) key makes a repeated or concurrent tick harmless: the second insert does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.coaching.policy import HISTORY_DAYS, choose_scheduled_message
from bot.coaching.schedule import local_date_of, next_send_at
from bot.db.models import Delivery, Parent
from bot.db.session import SessionFactory
from bot.db.snapshots import DAILY_SLOT, histories_of, snapshot_from
from bot.enrollment import child_name
from bot.views import compose
from messages.library import Library
from scheduler.clock import Clock

log = logging.getLogger(__name__)

BATCH = 500


async def resume_finished_pauses(sessions: SessionFactory, clock: Clock) -> int:
    """Parents whose /pause N ran out are active again from their next chosen time."""
    now = clock.now()
    async with sessions.begin() as session:
        parents = (
            await session.scalars(
                select(Parent).where(Parent.status == "paused", Parent.paused_until <= now)
            )
        ).all()
        for parent in parents:
            parent.status, parent.paused_until = "active", None
            parent.next_send_at = next_send_at(
                now, timezone=parent.timezone, send_time=parent.send_time, cadence=parent.cadence
            )
    return len(parents)


async def plan_due_deliveries(sessions: SessionFactory, library: Library, clock: Clock) -> int:
    """Enqueue today's message for every parent who is due; returns how many rows were added."""
    now = clock.now()
    planned = 0
    while True:
        async with sessions.begin() as session:
            due = (
                await session.scalars(
                    select(Parent)
                    .where(Parent.status == "active", Parent.next_send_at <= now)
                    .order_by(Parent.next_send_at)
                    .limit(BATCH)
                    .options(selectinload(Parent.child))
                    .with_for_update(skip_locked=True, of=Parent)
                )
            ).all()
            planned += await _plan_batch(session, library, due, now)
        if len(due) < BATCH:
            return planned


async def _plan_batch(
    session: AsyncSession, library: Library, due: Sequence[Parent], now: dt.datetime
) -> int:
    """Choose each due parent's message, insert the rows at once, advance next_send_at."""
    if not due:
        return 0
    local_dates = {
        parent.id: local_date_of(parent.next_send_at or now, parent.timezone) for parent in due
    }
    since = min(local_dates.values()) - dt.timedelta(days=HISTORY_DAYS)
    histories = await histories_of(session, [parent.id for parent in due], since)
    rows = []
    for parent in due:
        assert parent.next_send_at is not None
        local_date, history = local_dates[parent.id], histories[parent.id]
        if history.last_daily is not None:
            last_day, answered = history.last_daily
            if last_day != local_date and not answered:
                parent.unanswered_count += 1
        snapshot = snapshot_from(parent, local_date, history)
        message = choose_scheduled_message(snapshot, library)
        age = snapshot.age_months
        rows.append(
            {
                "parent_id": parent.id,
                "message_id": message.id,
                "kind": message.kind,
                "local_date": local_date,
                "slot": DAILY_SLOT,
                "status": "pending",
                "text": compose(
                    parent.language, message.kind, age, message.render(child_name(parent), age)
                ),
                "due_at": parent.next_send_at,
                "created_at": now,
                "attempts": 0,
            }
        )
        if message.kind == parent.pending_need:
            parent.pending_need = None
        if parent.awaiting and parent.awaiting.startswith("set:"):
            # A settings question left open is stale once a new message arrives: the parent's
            # next words answer the message, not the old question.
            parent.awaiting = None
        parent.next_send_at = next_send_at(
            max(now, parent.next_send_at),
            timezone=parent.timezone,
            send_time=parent.send_time,
            cadence=parent.cadence,
            unanswered=parent.unanswered_count,
            last_sent_local_date=local_date,
        )
    return await _insert_once(session, rows)


async def _insert_once(session: AsyncSession, rows: list[dict[str, object]]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING on the (parent, local date, slot) key; rows added."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Delivery)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["parent_id", "local_date", "slot"])
        .returning(Delivery.id)
    )
    return len((await session.execute(statement)).all())
