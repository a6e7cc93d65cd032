"""Planner tick: turns parents whose next_send_at has come into outbox rows, once each.

The schedule of record is `parents.next_send_at` (indexed with status), so the cost of a tick
follows the parents due now, not the parents enrolled. The outbox's unique (parent, local date,
slot) key makes a repeated or concurrent tick harmless: the second insert does nothing.

A batch is read as plain rows (the due parents, locked; their children) and written with one
statement per table (outbox rows, decision log, the parents' next state), their values handed to
the driver as they are (`bot.db.bulk`), so what a tick costs is the policy's work, not the
ORM's or SQLAlchemy's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot import lifecycle
from bot.coaching import checkins
from bot.coaching.bandit import ArmStats
from bot.coaching.cadence import next_daily_send
from bot.coaching.children import Graduation, Turn, current_child, enrolled, plan_day
from bot.coaching.policy import HISTORY_DAYS
from bot.coaching.policy_v2 import (
    ARRIVAL_QUESTION,
    PAUSE_QUESTION,
    AdaptivePolicy,
    Decision,
    Policy,
)
from bot.coaching.schedule import local_date_of
from bot.db import adaptation, bulk
from bot.db.models import Child, Delivery, Parent, SafetyFlag
from bot.db.session import SessionFactory
from bot.db.snapshots import DAILY_SLOT, histories_of
from bot.enrollment import child_facts, child_name, turn_line
from bot.life_events import GRADUATION_ID, graduate
from bot.lifecycle import SAFETY_CHECKIN
from bot.texts import text
from bot.views import compose, reply_buttons, safety_checkin_buttons
from messages.library import Library
from scheduler import outbox
from scheduler.clock import Clock
from scheduler.outbox import Outgoing, Priority

log = logging.getLogger(__name__)

BATCH = 500
# Scheduled messages that are about the parent's week, not one child's turn.
NOT_FOR_A_CHILD = ("checkin", ARRIVAL_QUESTION, PAUSE_QUESTION)
# Allocations between two young-generation collections while a tick plans (Python's default is
# 700): a batch's rows, snapshots and decisions live until its commit, so at the default the
# collector would scan them again and again (about a fifth of a tick's CPU) and free nothing.
PLANNING_GC_THRESHOLD = 100_000


@dataclass(frozen=True, slots=True)
class DueChild:
    id: int
    name: str | None
    birth_date: dt.date | None
    due_date: dt.date | None
    ended: str | None


@dataclass(slots=True)
class DueParent:
    """A due parent as plain data: what the policy, the outbox row and the next send need (a
    tick changes it as it goes, and writes the `_SAVED` changes back)."""

    id: int
    chat_id: int
    language: str
    timezone: str
    send_time: dt.time
    cadence: str
    next_send_at: dt.datetime
    unanswered_count: int
    pending_need: str | None
    awaiting: str | None
    asked_pause_at: dt.datetime | None
    focus_topics: str | None
    focus_until: dt.date | None
    reported_topics: str | None
    last_child_id: int | None
    status: str
    children: list[DueChild] = field(default_factory=list)

    @property
    def enrolled_children(self) -> list[DueChild]:
        return enrolled(self.children)

    @property
    def child(self) -> DueChild | None:
        return current_child(self.children, self.last_child_id)


# The columns DueParent is read from (in the order of its fields), and what a tick writes back.
_DUE_COLUMNS = (
    Parent.id, Parent.chat_id, Parent.language, Parent.timezone, Parent.send_time,
    Parent.cadence, Parent.next_send_at, Parent.unanswered_count, Parent.pending_need,
    Parent.awaiting, Parent.asked_pause_at, Parent.focus_topics, Parent.focus_until,
    Parent.reported_topics, Parent.last_child_id, Parent.status,
)  # fmt: skip
_PARENTS = cast(Table, Parent.__table__)
# What a tick writes back about a parent (`_next_state`), by id in one statement.
_SAVED = (
    "next_send_at", "unanswered_count", "pending_need", "asked_pause_at", "awaiting",
    "last_child_id",
)  # fmt: skip


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


async def plan_due_deliveries(
    sessions: SessionFactory,
    library: Library,
    clock: Clock,
    policy: Policy | None = None,
    *,
    on_commit: Callable[[], None] | None = None,
) -> int:
    """Enqueue today's message for every parent who is due; returns how many rows were added.
    `on_commit` runs after each batch is committed (the sender's wake: sending starts while
    later batches are still being planned)."""
    now = clock.now()
    chosen = policy or AdaptivePolicy()
    planned = 0
    pooled: dict[str, ArmStats] | None = None
    while True:
        with fewer_collections():
            async with sessions.begin() as session:
                due = await _lock_due(session, now)
                if due and pooled is None:
                    # The bandit's shared prior, read once a tick: the decisions this tick
                    # writes have no outcome yet, so a later batch would read the same.
                    pooled = await adaptation.pooled_arm_stats(session, now)
                planned += await _plan_batch(session, library, due, now, chosen, pooled)
        if due and on_commit is not None:
            on_commit()
        if len(due) < BATCH:
            return planned


_planning = 0  # planners inside `fewer_collections` now (ticks of two sessions may overlap)
_saved_thresholds: tuple[int, int, int] | None = None


@contextlib.contextmanager
def fewer_collections(threshold: int = PLANNING_GC_THRESHOLD) -> Iterator[None]:
    """The young generation collected every `threshold` allocations while inside (never less
    often than it was), and the thresholds as they were once the last planner inside leaves,
    whatever happened in between."""
    global _planning, _saved_thresholds
    if _planning == 0:
        _saved_thresholds = gc.get_threshold()
        young, *older = _saved_thresholds
        gc.set_threshold(max(young, threshold), *older)
    _planning += 1
    try:
        yield
    finally:
        _planning -= 1
        if _planning == 0 and _saved_thresholds is not None:
            gc.set_threshold(*_saved_thresholds)
            _saved_thresholds = None


async def _lock_due(session: AsyncSession, now: dt.datetime) -> list[DueParent]:
    """The next batch of due parents with their children, locked until commit (on PostgreSQL,
    SKIP LOCKED: a planner in another worker takes the next batch instead of waiting)."""
    found: Sequence[Any] = (  # rows in the order of DueParent's fields
        await session.execute(
            select(*_DUE_COLUMNS)
            .where(Parent.status == "active", Parent.next_send_at <= now)
            .order_by(Parent.next_send_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True, of=Parent)
        )
    ).all()
    if not found:
        return []
    children = await session.execute(
        select(Child.parent_id, Child.id, Child.name, Child.birth_date, Child.due_date, Child.ended)
        .where(bulk.among(session, Child.parent_id, [row.id for row in found]))
        .order_by(Child.id)
    )
    due = [DueParent(*row) for row in found]
    by_id = {parent.id: parent for parent in due}
    for parent_id, child_id, name, born, due_date, ended in children:
        by_id[parent_id].children.append(DueChild(child_id, name, born, due_date, ended))
    return due


async def _plan_batch(
    session: AsyncSession,
    library: Library,
    due: Sequence[DueParent],
    now: dt.datetime,
    policy: Policy,
    pooled: Mapping[str, ArmStats] | None,
) -> int:
    """Choose each due parent's message, insert the rows at once, advance next_send_at."""
    if not due:
        return 0
    local_dates = {parent.id: local_date_of(parent.next_send_at, parent.timezone) for parent in due}
    since = min(local_dates.values()) - dt.timedelta(days=HISTORY_DAYS)
    histories = await histories_of(session, [parent.id for parent in due], since)
    for parent in due:
        # An unanswered daily message counts before the next is chosen (silence slows the rhythm).
        last_daily = histories[parent.id].last_daily
        if parent.pending_need != SAFETY_CHECKIN and last_daily is not None:
            last_day, answered = last_daily
            if last_day != local_dates[parent.id] and not answered:
                parent.unanswered_count += 1
    snapshots = await adaptation.snapshots_for(
        session,
        [parent for parent in due if parent.pending_need != SAFETY_CHECKIN],
        now,
        {parent.id: parent.next_send_at for parent in due},
        histories=histories,
        pooled=pooled,
    )
    decisions: dict[int, tuple[Decision, dt.date, str | None]] = {}
    rows: list[Outgoing] = []
    for parent in due:
        local_date = local_dates[parent.id]
        if parent.pending_need == SAFETY_CHECKIN:
            rows.append(await _safety_checkin(session, parent, local_date))
            parent.pending_need = None
            decisions[parent.id] = (_safety_decision(policy), local_date, None)
        else:
            # Whose turn it is (several children), or a goodbye to a child who turned five.
            day = plan_day(child_facts(parent), local_date, parent.last_child_id)
            if isinstance(day, Graduation):
                rows.append(await _graduation(session, parent, day, local_date, now))
                decisions[parent.id] = (_graduation_decision(policy), local_date, day.child_ids)
            else:
                snapshot = snapshots[parent.id]
                if day is not None and day.age_months != snapshot.age_months:
                    snapshot = replace(snapshot, age_months=day.age_months)
                decision = policy.choose(snapshot, library)
                rows.append(_scheduled_row(parent, decision, snapshot.age_months, local_date, day))
                if day is not None and decision.kind not in NOT_FOR_A_CHILD:
                    parent.last_child_id = day.children[0].id
                decisions[parent.id] = (decision, local_date, _child_ids(parent, decision, day))
                if decision.kind in (parent.pending_need, "nudge"):
                    parent.pending_need = None
                if decision.kind == PAUSE_QUESTION:
                    parent.asked_pause_at = now
        if parent.awaiting and parent.awaiting.startswith("set:"):
            # A settings question left open is stale once a new message arrives: the parent's
            # next words answer the message, not the old question.
            parent.awaiting = None
        if parent.status != lifecycle.ParentStatus.ACTIVE.value:
            continue  # a graduation finished the parent's messages: nothing is scheduled
        # Silence slows the rhythm step by step (bot/coaching/cadence.py); a reply restores it.
        parent.next_send_at = next_daily_send(
            max(now, parent.next_send_at),
            timezone=parent.timezone,
            send_time=parent.send_time,
            cadence=parent.cadence,
            unanswered=parent.unanswered_count,
            last_sent_local_date=local_date,
            asked_pause=parent.asked_pause_at is not None,
        )
    # The (parent, local date, slot) key makes a repeated or concurrent tick add nothing.
    ids = await outbox.enqueue(session, rows, now)
    await _log_decisions(session, decisions, ids, now)
    # A parent whose messages a graduation finished was written through the ORM (lifecycle).
    active = [p for p in due if p.status == lifecycle.ParentStatus.ACTIVE.value]
    await bulk.update(session, _PARENTS, "id", _SAVED, [_next_state(p) for p in active])
    return len(ids)


def _next_state(parent: DueParent) -> tuple[object, ...]:
    """What a tick changes about a parent: its id, then the `_SAVED` columns."""
    return (
        parent.id, parent.next_send_at, parent.unanswered_count, parent.pending_need,
        parent.asked_pause_at, parent.awaiting, parent.last_child_id,
    )  # fmt: skip


async def _graduation(
    session: AsyncSession, parent: DueParent, day: Graduation, local_date: dt.date, now: dt.datetime
) -> Outgoing:
    """A child turned five (rare): the goodbye goes through the ORM parent, which
    `life_events.graduate` and the lifecycle change; the row read in bulk follows it."""
    record = await session.get(Parent, parent.id, options=[selectinload(Parent.children)])
    assert record is not None  # locked by this transaction
    row = await graduate(
        session, record, day, local_date=local_date, due_at=parent.next_send_at, now=now,
        slot=DAILY_SLOT,
    )  # fmt: skip
    parent.status, parent.last_child_id = record.status, record.last_child_id
    return row


def _scheduled_row(
    parent: DueParent,
    decision: Decision,
    age: int,
    local_date: dt.date,
    turn: Turn | None = None,
) -> Outgoing:
    """The outbox row for a decision: a library message, the short check-in or the pause
    question. A library message is for the child whose turn it is (a check-in asks about the
    child the last one was for), and says so when the parent has several children."""
    language = parent.language
    message = decision.message
    if message is not None:
        for_turn = turn is not None and message.kind not in NOT_FOR_A_CHILD
        name = turn.children[0].name if turn is not None and for_turn else child_name(parent)
        body = message.render(name, age)
        if turn is not None and for_turn and len(parent.enrolled_children) > 1:
            body += "\n\n" + turn_line(language, turn, local_date)
        text_, buttons = (
            compose(language, message.kind, age, body, message.title),
            reply_buttons(language, outbox.ROW_ID, message, message.kind),
        )
    elif decision.kind == ARRIVAL_QUESTION:
        text_ = checkins.words(language, "arrival_question")
        buttons = checkins.arrival_buttons(language)
    elif decision.kind == PAUSE_QUESTION:
        text_, buttons = (
            checkins.words(language, "pause_question"),
            checkins.pause_buttons(language),
        )
    else:
        child = message_child(parent, age)
        body = checkins.question_text(language, "feeling", child)
        text_ = compose(language, "checkin", age, body)
        buttons = checkins.question_buttons(language, "feeling")
    return Outgoing(
        chat_id=parent.chat_id,
        parent_id=parent.id,
        text=text_,
        buttons=buttons,
        kind=decision.kind,
        message_id=decision.message_id,
        priority=Priority.DAILY,
        local_date=local_date,
        slot=DAILY_SLOT,
        due_at=parent.next_send_at,
    )


def _child_ids(parent: DueParent, decision: Decision, turn: Turn | None) -> str | None:
    """Which child the decision was for: the turn's, or for a check-in the last one's."""
    if turn is not None and decision.kind not in NOT_FOR_A_CHILD:
        return turn.child_ids
    return str(parent.child.id) if parent.child is not None else None


def _graduation_decision(policy: Policy) -> Decision:
    """A child past 59 months: a goodbye, logged as a rule with no draw."""
    return Decision(
        "graduation", None, "graduation", 1.0, 0.0,
        policy_version=policy.version, fixed_id=GRADUATION_ID,
    )  # fmt: skip


def _safety_decision(policy: Policy) -> Decision:
    """Safety comes before the policy: logged as a rule with no draw."""
    return Decision(
        "safety", None, "safety_checkin", 1.0, 0.0,
        policy_version=policy.version, fixed_id="safety-checkin",
    )  # fmt: skip


def message_child(parent: DueParent, age: int) -> str:
    """The child's name, or the library's gentle fallback for their age."""
    from messages.vocabulary import child_fallback

    return child_name(parent) or child_fallback(parent.language, age)


async def _log_decisions(
    session: AsyncSession,
    decisions: dict[int, tuple[Decision, dt.date, str | None]],
    inserted: Sequence[int],
    now: dt.datetime,
) -> None:
    """Each decision whose row this tick inserted, in the same transaction as the row."""
    if not decisions or not inserted:
        return
    rows = await session.execute(
        select(Delivery.id, Delivery.parent_id).where(bulk.among(session, Delivery.id, inserted))
    )
    logged = []
    for delivery_id, parent_id in rows.all():
        if parent_id in decisions:
            decision, local_date, child_ids = decisions[parent_id]
            logged.append(
                adaptation.decision_values(
                    parent_id,
                    decision,
                    delivery_id=delivery_id,
                    now=now,
                    local_date=local_date,
                    slot=DAILY_SLOT,
                    child_ids=child_ids,
                )
            )
    await adaptation.record_decisions(session, logged)


async def _safety_checkin(
    session: AsyncSession, parent: DueParent, local_date: dt.date
) -> Outgoing:
    """The day after a safety flag: a gentle question instead of a cheerful nudge."""
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
