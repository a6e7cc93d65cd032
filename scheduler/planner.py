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
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot import lifecycle
from bot.coaching.policy import HISTORY_DAYS, choose_scheduled_message
from bot.coaching.schedule import local_date_of, next_send_at
from bot.db.models import Parent, SafetyFlag
from bot.db.session import SessionFactory
from bot.db.snapshots import DAILY_SLOT, histories_of, snapshot_from
from bot.enrollment import child_name
from bot.lifecycle import SAFETY_CHECKIN
from bot.texts import text
from bot.views import compose, reply_buttons, safety_checkin_buttons
from messages.library import Library
from scheduler import outbox
from scheduler.clock import Clock
from scheduler.outbox import Outgoing, Priority

log = logging.getLogger(__name__)

BATCH = 500


async def resume_finished_pauses(sessions: SessionFactory, clock: Clock) -> int:
    """Parents whose /pause N ran out are active again from their next chosen time."""
    now = clock.now()
    async with sessions.begin() as session:
        parents = (
            await session.scalars(
                select(Parent).where(
                    Parent.status == lifecycle.ParentStatus.PAUSED.value,
                    Parent.paused_until <= now,
                )
            )
        ).all()
        for parent in parents:
            # The same transition as /resume, so the two behave alike.
            lifecycle.resume(parent, now)
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
    rows: list[Outgoing] = []
    for parent in due:
        assert parent.next_send_at is not None
        local_date, history = local_dates[parent.id], histories[parent.id]
        if parent.pending_need == SAFETY_CHECKIN:
            rows.append(await _safety_checkin(session, parent, local_date))
            parent.pending_need = None
        else:
            if history.last_daily is not None:
                last_day, answered = history.last_daily
                if last_day != local_date and not answered:
                    parent.unanswered_count += 1
            snapshot = snapshot_from(parent, local_date, history)
            message = choose_scheduled_message(snapshot, library)
            age = snapshot.age_months
            body = message.render(child_name(parent), age)
            rows.append(
                Outgoing(
                    chat_id=parent.chat_id,
                    parent_id=parent.id,
                    text=compose(parent.language, message.kind, age, body, message.title),
                    buttons=reply_buttons(parent.language, outbox.ROW_ID, message, message.kind),
                    kind=message.kind,
                    message_id=message.id,
                    priority=Priority.DAILY,
                    local_date=local_date,
                    slot=DAILY_SLOT,
                    due_at=parent.next_send_at,
                )
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
    # The (parent, local date, slot) key makes a repeated or concurrent tick add nothing.
    return len(await outbox.enqueue(session, rows, now))


async def _safety_checkin(session: AsyncSession, parent: Parent, local_date: dt.date) -> Outgoing:
    """The day after a safety flag: a gentle question instead of a cheerful nudge."""
    assert parent.next_send_at is not None
    flag = await session.scalar(
        select(SafetyFlag)
        .where(SafetyFlag.parent_id == parent.id, SafetyFlag.checkin_at.is_(None))
        .order_by(SafetyFlag.id.desc())
        .limit(1)
    )
    if flag is not None:
        flag.checkin_at = parent.next_send_at
    return Outgoing(
        chat_id=parent.chat_id,
        parent_id=parent.id,
        text=text(parent.language, "safety_checkin"),
        buttons=safety_checkin_buttons(parent.language, flag.id if flag else 0),
        kind="safety",
        message_id="safety-checkin",
        priority=Priority.DAILY,
        local_date=local_date,
        slot=DAILY_SLOT,
        due_at=parent.next_send_at,
    )
