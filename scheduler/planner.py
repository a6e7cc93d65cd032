"""Planner tick: turns parents whose next_send_at has come into outbox rows, once each.

The schedule of record is `parents.next_send_at` (indexed with status), so the cost of a tick
follows the parents due now, not the parents enrolled. The outbox's unique (parent, local date,
slot) key makes a repeated or concurrent tick harmless: the second insert does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.coaching.policy import choose_scheduled_message
from bot.coaching.schedule import local_date_of, next_send_at
from bot.db import repository
from bot.db.models import Delivery, Parent
from bot.db.session import SessionFactory
from bot.db.snapshots import snapshot_of
from bot.enrollment import child_name
from bot.views import compose
from messages.library import Library
from scheduler.clock import Clock

log = logging.getLogger(__name__)

DAILY_SLOT = "daily"
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
            for parent in due:
                planned += await _plan_one(session, library, parent, now)
        if len(due) < BATCH:
            return planned


async def _plan_one(
    session: AsyncSession, library: Library, parent: Parent, now: dt.datetime
) -> int:
    assert parent.next_send_at is not None
    local_date = local_date_of(parent.next_send_at, parent.timezone)
    previous = await session.scalar(
        select(Delivery)
        .where(Delivery.parent_id == parent.id, Delivery.slot == DAILY_SLOT)
        .order_by(Delivery.local_date.desc())
        .limit(1)
    )
    answered = previous is None or await repository.has_replies(session, previous.id)
    if previous is not None and previous.local_date != local_date and not answered:
        parent.unanswered_count += 1
    snapshot = await snapshot_of(session, parent, local_date)
    message = choose_scheduled_message(snapshot, library)
    age = snapshot.age_months
    inserted = await _insert_once(
        session,
        parent_id=parent.id,
        message_id=message.id,
        kind=message.kind,
        local_date=local_date,
        slot=DAILY_SLOT,
        status="pending",
        text=compose(parent.language, message.kind, age, message.render(child_name(parent), age)),
        due_at=parent.next_send_at,
        created_at=now,
        attempts=0,
    )
    if inserted and message.kind == parent.pending_need:
        parent.pending_need = None
    parent.next_send_at = next_send_at(
        max(now, parent.next_send_at),
        timezone=parent.timezone,
        send_time=parent.send_time,
        cadence=parent.cadence,
        unanswered=parent.unanswered_count,
        last_sent_local_date=local_date,
    )
    return inserted


async def _insert_once(session: AsyncSession, **values: object) -> int:
    """INSERT ... ON CONFLICT DO NOTHING on the (parent, local date, slot) key."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Delivery)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["parent_id", "local_date", "slot"])
    )
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
