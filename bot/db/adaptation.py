"""What the adaptive policy reads and writes: snapshots in bulk, the decision log, outcomes.

Snapshots are read in a fixed number of queries for a whole batch of parents. A decision is
written in the transaction that enqueues the row it explains; its outcome is linked when the
parent answers that row (a positive reply within 24 hours is the reward).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.bandit import ArmStats
from bot.coaching.children import unborn
from bot.coaching.policy_v2 import Decision, Snapshot
from bot.coaching.reply_plan import Answered, ReplyContext, ReplyPlan, facts_of
from bot.coaching.signals import Signals, read_signals
from bot.db import bulk
from bot.db.models import CheckinAnswer, Delivery, Parent, Reply
from bot.db.models import Decision as DecisionRow
from bot.db.reply_facts import reply_facts
from bot.db.snapshots import DAILY_SLOT, History, histories_of
from bot.enrollment import WithChild, child_age, child_facts
from messages.library import Library
from messages.vocabulary import KINDS

HISTORY_DAYS = 365
REWARD_WINDOW = dt.timedelta(hours=24)
WEEK = dt.timedelta(days=7)
RECENT_KINDS = 7
ACK_MEMORY = dt.timedelta(days=21)


def tags_from(raw: str | None) -> frozenset[str]:
    return frozenset(raw.split()) if raw else frozenset()


def tags_to(tags: frozenset[str]) -> str | None:
    return " ".join(sorted(tags))[:200] or None


def pseudonym(parent_id: int, created_at: dt.datetime) -> str:
    """A stable id for research exports that is not the database or Telegram id."""
    seed = f"tend-decisions:{parent_id}:{created_at.astimezone(dt.UTC).isoformat()}"
    return hashlib.blake2b(seed.encode(), digest_size=8).hexdigest()


class ParentFacts(WithChild, Protocol):
    """What a snapshot reads about a parent: a `Parent`, or the planner's row read in bulk."""

    @property
    def id(self) -> int: ...
    @property
    def language(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def cadence(self) -> str: ...
    @property
    def pending_need(self) -> str | None: ...
    @property
    def unanswered_count(self) -> int: ...
    @property
    def asked_pause_at(self) -> dt.datetime | None: ...
    @property
    def focus_topics(self) -> str | None: ...
    @property
    def focus_until(self) -> dt.date | None: ...
    @property
    def reported_topics(self) -> str | None: ...


async def snapshots_for(
    session: AsyncSession,
    parents: Sequence[ParentFacts],
    now: dt.datetime,
    moments: Mapping[int, dt.datetime],
    *,
    histories: Mapping[int, History] | None = None,
    pooled: Mapping[str, ArmStats] | None = None,
) -> dict[int, Snapshot]:
    """Each parent's snapshot for a decision at `moments[parent.id]` (their due time); the
    planner passes the histories it already read, and the pooled arm statistics it reads once
    a tick."""
    if not parents:
        return {}
    ids = [p.id for p in parents]
    local = {p.id: moments[p.id].astimezone(ZoneInfo(p.timezone)) for p in parents}
    since = min(m.date() for m in local.values()) - dt.timedelta(days=HISTORY_DAYS)
    if histories is None or not all(i in histories for i in ids):
        histories = await histories_of(session, ids, since)
    recent = await _recent_kinds(session, ids, now - dt.timedelta(days=14))
    weekly = await _week_of_replies(session, ids, now - WEEK)
    own = await _arm_stats(session, now, ids)
    shared = pooled if pooled is not None else await pooled_arm_stats(session, now)
    feelings = await _last_feelings(session, ids)
    acks = await _acks_seen(session, ids, min(m.date() for m in local.values()) - ACK_MEMORY)
    found: dict[int, Snapshot] = {}
    for parent in parents:
        when = local[parent.id]
        found[parent.id] = _snapshot(
            parent,
            when,
            histories[parent.id],
            recent.get(parent.id, ((), ())),
            weekly.get(parent.id, _Week()),
            own.get(parent.id, {}),
            shared,
            feelings.get(parent.id),
            acks.get(parent.id, {}),
        )
    return found


async def pooled_arm_stats(session: AsyncSession, now: dt.datetime) -> dict[str, ArmStats]:
    """Every parent's rewards and misses by arm: the bandit's shared prior."""
    return (await _arm_stats(session, now, None)).get(None, {})


async def reply_context(
    session: AsyncSession,
    library: Library,
    parent: Parent,
    now: dt.datetime,
    *,
    key: str | None = None,
    signals: Signals | None = None,
    requested: str | None = None,
    reply_id: int | None = None,
) -> ReplyContext:
    """One snapshot of the parent for answering what they just said (their reply is stored),
    read in one statement (`bot.db.reply_facts`). It is the planner's snapshot but for the
    bandit's arm statistics, which no reply decision reads. `signals` are those of reply
    `reply_id`, so its words are not read twice."""
    when = now.astimezone(ZoneInfo(parent.timezone))
    with session.no_autoflush:  # the parent's changes are written once, at the end
        facts = await reply_facts(
            session,
            parent.id,
            history_since=when.date() - dt.timedelta(days=HISTORY_DAYS),
            recent_since=now - dt.timedelta(days=14),
            week_since=now - WEEK,
            ack_since=when.date() - ACK_MEMORY,
        )
    history = History(
        last_sent=facts.last_sent,
        last_checkin=facts.last_checkin,
        scheduled_count=facts.scheduled_count,
        last_daily=facts.last_daily,
    )
    every = tuple(kind for kind, _ in facts.recent)
    scheduled = tuple(kind for kind, slot in facts.recent if slot == DAILY_SLOT)
    known = {reply_id: signals} if reply_id is not None and signals is not None else {}
    snapshot = _snapshot(
        parent,
        when,
        history,
        (every[:RECENT_KINDS], scheduled[:RECENT_KINDS]),
        _week_of(facts.week, known),
        {},
        {},
        facts.last_feeling,
        facts.acks,
    )
    answered = facts.answered
    if answered is None or answered[0] not in KINDS:
        answered = facts.latest_library
    found = None
    if answered is not None:
        kind, message_id, delivery_id = answered
        message = library.get(message_id, parent.language)
        tags = message.tags if message is not None else frozenset()
        found = Answered(kind, message_id, tags, delivery_id)
    return ReplyContext(snapshot, key=key, signals=signals, answered=found, requested=requested)


async def record_decision(
    session: AsyncSession,
    parent_id: int,
    decision: Decision,
    *,
    delivery_id: int | None,
    now: dt.datetime,
    local_date: dt.date,
    slot: str,
    child_ids: str | None = None,
) -> None:
    """The decision's row; `child_ids` says which child it was for ("12", "12+13")."""
    values = decision_values(
        parent_id,
        decision,
        delivery_id=delivery_id,
        now=now,
        local_date=local_date,
        slot=slot,
        child_ids=child_ids,
    )
    session.add(DecisionRow(**values))


async def record_decisions(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Many decisions (`decision_values` each) in one statement: the planner's batch."""
    if rows:
        values = operator.itemgetter(*_DECISION_COLUMNS)
        await bulk.insert(session, _DECISIONS, _DECISION_COLUMNS, [values(row) for row in rows])


def decision_values(
    parent_id: int,
    decision: Decision,
    *,
    delivery_id: int | None,
    now: dt.datetime,
    local_date: dt.date,
    slot: str,
    child_ids: str | None = None,
) -> dict[str, Any]:
    """A decision log row: what was chosen, its probability and draw, the options, the context,
    and which child it was for."""
    return {
        "parent_id": parent_id,
        "delivery_id": delivery_id,
        "decided_at": now,
        "local_date": local_date,
        "slot": slot,
        "policy_version": decision.policy_version,
        "rule": decision.rule,
        "kind": decision.kind,
        "message_id": decision.message_id,
        "arm": decision.arm,
        "probability": decision.probability,
        "draw": decision.draw,
        "pool_size": decision.pool_size,
        "candidates": _encoded(decision.candidates),
        "context": _encoded(decision.context),
        "child_ids": child_ids,
    }


_DECISIONS = cast(Table, DecisionRow.__table__)
# The columns `decision_values` gives.
_DECISION_COLUMNS = (
    "parent_id", "delivery_id", "decided_at", "local_date", "slot", "policy_version", "rule",
    "kind", "message_id", "arm", "probability", "draw", "pool_size", "candidates", "context",
    "child_ids",
)  # fmt: skip
# As json.dumps(..., sort_keys=True, default=str), without building an encoder per call.
_JSON = json.JSONEncoder(sort_keys=True, default=str)


def _encoded(values: Mapping[str, object]) -> str:
    """`values` as JSON. A tick's decisions repeat a few contexts and candidate odds, so the
    text is kept by value (with each value's type: 1, 1.0 and True are equal keys but not the
    same JSON; a list is keyed as a tuple, which encodes alike)."""
    key = tuple(
        (name, type(value), tuple(value) if type(value) is list else value)
        for name, value in values.items()
    )
    try:
        return _encoded_key(key)
    except TypeError:  # a value that cannot be a key (a dict, a list in a list)
        return _JSON.encode(dict(values))


@functools.lru_cache(maxsize=16_384)
def _encoded_key(key: tuple[tuple[str, type, object], ...]) -> str:
    return _JSON.encode({name: value for name, _, value in key})


async def link_outcome(
    session: AsyncSession, answered: Answered | None, plan: ReplyPlan, now: dt.datetime
) -> None:
    """The reply just stored answers a delivery: its decision gets its outcome, once, if the
    reply came within 24 hours of the decision."""
    if answered is None or answered.delivery_id is None:
        return
    outcome = "positive" if plan.positive else "negative" if plan.signal == "hard" else "neutral"
    await session.execute(
        update(DecisionRow)
        .where(
            DecisionRow.delivery_id == answered.delivery_id,
            DecisionRow.outcome.is_(None),
            DecisionRow.decided_at >= now - REWARD_WINDOW,
        )
        .values(outcome=outcome, reward=1 if plan.positive else 0, outcome_at=now)
    )


async def checkin_answered(session: AsyncSession, delivery_id: int, question: str) -> bool:
    """Each check-in question is answered once."""
    found = await session.scalar(
        select(CheckinAnswer.id).where(
            CheckinAnswer.delivery_id == delivery_id, CheckinAnswer.question == question
        )
    )
    return found is not None


def apply_memory(parent: Parent, plan: ReplyPlan, today: dt.date) -> None:
    """What the plan asks to remember about the parent."""
    if plan.pending_need != "keep":
        parent.pending_need = plan.pending_need
    if plan.focus_topics and plan.focus_until is not None:
        current = tags_from(parent.focus_topics) if (parent.focus_until or today) >= today else None
        parent.focus_topics = tags_to((current or frozenset()) | plan.focus_topics)
        parent.focus_until = plan.focus_until
    if plan.reported_topics is not None:
        parent.reported_topics = tags_to(plan.reported_topics)
    parent.asked_pause_at = None


# --- reading --------------------------------------------------------------------------------


class _Week:
    """A parent's replies in the last seven days, as the celebration and context need them."""

    def __init__(self) -> None:
        self.tries = 0
        self.replies = 0
        self.facts: set[str] = set()
        self.last_signal: str | None = None


def _snapshot(
    parent: ParentFacts,
    when: dt.datetime,
    history: History,
    kinds: tuple[tuple[str, ...], tuple[str, ...]],
    week: _Week,
    own: Mapping[str, ArmStats],
    pooled: Mapping[str, ArmStats],
    feeling: int | None,
    acks: dict[str, dt.date],
) -> Snapshot:
    today = when.date()
    focus = tags_from(parent.focus_topics)
    if parent.focus_until is None or parent.focus_until < today:
        focus = frozenset()
    last_celebration = max(
        (day for mid, day in history.last_sent.items() if mid.startswith("celebrate")),
        default=None,
    )
    facts = set(week.facts)
    if "hard" in facts and "repair" in kinds[0][:RECENT_KINDS]:
        facts.add("repaired")
    return Snapshot(
        parent_id=parent.id,
        language=parent.language,
        age_months=child_age(parent, today),
        today=today,
        local_hour=when.hour,
        cadence=parent.cadence,
        pending_need=parent.pending_need,
        unanswered_count=parent.unanswered_count,
        asked_pause=parent.asked_pause_at is not None,
        last_sent={**history.last_sent, **acks},
        recent_kinds=kinds[0],
        recent_scheduled_kinds=kinds[1],
        days_since_checkin=(today - history.last_checkin).days if history.last_checkin else None,
        scheduled_count=history.scheduled_count,
        focus_topics=focus,
        reported_topics=tags_from(parent.reported_topics),
        tries_this_week=week.tries,
        replies_this_week=week.replies,
        celebrated_this_week=last_celebration is not None and (today - last_celebration).days < 7,
        facts_this_week=frozenset(facts),
        own=own,
        pooled=pooled,
        last_feeling=feeling,
        last_reply_signal=week.last_signal,
        days_to_due=_days_to_due(parent, today),
    )


def _days_to_due(parent: ParentFacts, today: dt.date) -> int | None:
    """Days until the soonest due date of a child not yet born (any of the parent's)."""
    expected = unborn(child_facts(parent))
    if not expected or expected[0].due_date is None:
        return None
    return (expected[0].due_date - today).days


async def _recent_kinds(
    session: AsyncSession, ids: Sequence[int], since: dt.datetime
) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    rows = await session.execute(
        select(Delivery.parent_id, Delivery.kind, Delivery.slot)
        .where(
            bulk.among(session, Delivery.parent_id, ids),
            Delivery.kind.in_(KINDS),
            Delivery.created_at >= since,
            Delivery.status != "cancelled",
        )
        .order_by(Delivery.parent_id, Delivery.local_date.desc(), Delivery.id.desc())
    )
    every: dict[int, list[str]] = defaultdict(list)
    scheduled: dict[int, list[str]] = defaultdict(list)
    for parent_id, kind, slot in rows.all():
        assert parent_id is not None
        every[parent_id].append(kind)
        if slot == DAILY_SLOT:
            scheduled[parent_id].append(kind)
    return {
        pid: (tuple(every[pid][:RECENT_KINDS]), tuple(scheduled[pid][:RECENT_KINDS]))
        for pid in every
    }


async def _week_of_replies(
    session: AsyncSession, ids: Sequence[int], since: dt.datetime
) -> dict[int, _Week]:
    rows = await session.execute(
        select(Reply.parent_id, Reply.id, Reply.choice, Reply.text)
        .where(bulk.among(session, Reply.parent_id, ids), Reply.received_at >= since)
        .order_by(Reply.id)
    )
    by_parent: dict[int, list[tuple[int, str | None, str | None]]] = defaultdict(list)
    for parent_id, reply_id, choice, words in rows.all():
        by_parent[parent_id].append((reply_id, choice, words))
    return {parent_id: _week_of(replies) for parent_id, replies in by_parent.items()}


def _week_of(
    replies: Sequence[tuple[int, str | None, str | None]],
    known: Mapping[int, Signals] | None = None,
) -> _Week:
    """A week of one parent's replies (id, choice, words), oldest first; `known` signals are
    not read again."""
    week = _Week()
    for reply_id, choice, words in replies:
        week.replies += 1
        if words and choice is None:
            signals = (known or {}).get(reply_id) or read_signals(words)
        else:
            signals = Signals()
        if choice == "tried" or (choice is None and signals.tried and not signals.hard):
            week.tries += 1
        week.facts |= facts_of(choice, signals)
        week.last_signal = choice or ",".join(sorted(signals.flags())) or "words"
    return week


async def _arm_stats(
    session: AsyncSession, now: dt.datetime, ids: Sequence[int] | None
) -> dict[int | None, dict[str, ArmStats]]:
    """Per parent (or pooled, under None): rewards and misses by arm. A decision with no
    outcome counts as a miss once its 24 hours have passed."""
    success = func.sum(case((DecisionRow.reward == 1, 1), else_=0))
    failure = func.sum(
        case(
            (DecisionRow.reward == 0, 1),
            ((DecisionRow.reward.is_(None)) & (DecisionRow.decided_at < now - REWARD_WINDOW), 1),
            else_=0,
        )
    )
    query = select(DecisionRow.arm, success, failure).where(DecisionRow.arm.is_not(None))
    if ids is not None:
        query = query.add_columns(DecisionRow.parent_id).where(
            bulk.among(session, DecisionRow.parent_id, ids)
        )
        query = query.group_by(DecisionRow.parent_id, DecisionRow.arm)
    else:
        query = query.group_by(DecisionRow.arm)
    found: dict[int | None, dict[str, ArmStats]] = defaultdict(dict)
    for row in (await session.execute(query)).all():
        owner = row[3] if ids is not None else None
        found[owner][row[0]] = ArmStats(int(row[1] or 0), int(row[2] or 0))
    return found


async def _acks_seen(
    session: AsyncSession, ids: Sequence[int], since: dt.date
) -> dict[int, dict[str, dt.date]]:
    """Which acknowledgement versions each parent saw lately, and when."""
    rows = await session.execute(
        select(DecisionRow.parent_id, DecisionRow.message_id, func.max(DecisionRow.local_date))
        .where(
            bulk.among(session, DecisionRow.parent_id, ids),
            DecisionRow.kind == "ack",
            DecisionRow.local_date >= since,
        )
        .group_by(DecisionRow.parent_id, DecisionRow.message_id)
    )
    found: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for parent_id, message_id, day in rows.all():
        found[parent_id][message_id] = day
    return found


async def _last_feelings(session: AsyncSession, ids: Sequence[int]) -> dict[int, int]:
    rows = await session.execute(
        select(CheckinAnswer.parent_id, CheckinAnswer.value)
        .where(
            bulk.among(session, CheckinAnswer.parent_id, ids), CheckinAnswer.question == "feeling"
        )
        .order_by(CheckinAnswer.id)
    )
    return {pid: int(value) for pid, value in rows.all() if value.isdigit()}
