"""The outbox: the one owner of delivery rows. Enqueue, claim with a lease, mark the outcome.

Every message the bot sends goes through here: the planner's daily messages, handlers'
answers, safety answers and staff alerts, broadcasts. A row carries all it needs to be sent
(chat, text, buttons), so the sender knows nothing of the content library or the views.

Delivery promise, stated by the code: a row is delivered, or ends `failed` with a reason. A
send that may have reached Telegram without an answer (a timeout, a dropped connection, a
crash mid-send) is an *unconfirmed* attempt; a row is retried after at most
`MAX_UNCONFIRMED[priority]` of them, so no row reaches a chat more than
`1 + MAX_UNCONFIRMED[priority]` times.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import bulk
from bot.db.models import Delivery
from scheduler import leader

Buttons = tuple[tuple[tuple[str, str], ...], ...]
# Written into a button's callback data, replaced by the row's own id when it is sent.
ROW_ID = "{id}"


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Priority(IntEnum):
    """Lower goes first: a parent chatting now and safety, then daily messages, then bulk."""

    NOW = 0
    DAILY = 1
    BULK = 2


# Unconfirmed attempts a row may have before it stops being retried (see the module doc).
MAX_UNCONFIRMED = {Priority.NOW: 3, Priority.DAILY: 1, Priority.BULK: 1}
# Attempts of any kind before a row fails for good.
MAX_ATTEMPTS = {Priority.NOW: 12, Priority.DAILY: 6, Priority.BULK: 6}


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to enqueue."""

    chat_id: int
    text: str
    kind: str
    priority: Priority
    message_id: str = "answer"
    parent_id: int | None = None
    buttons: Buttons = ()
    local_date: dt.date | None = None
    slot: str | None = None
    due_at: dt.datetime | None = None
    # A photo (Telegram's file id) sent with `text` as its caption (broadcasts).
    photo: str | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row this sender holds a lease on: everything needed to send it."""

    id: int
    chat_id: int
    parent_id: int | None
    kind: str
    text: str
    buttons: Buttons
    priority: Priority
    attempts: int
    unconfirmed_attempts: int
    photo: str | None = None


def encode_buttons(buttons: Buttons) -> str | None:
    try:
        return _encoded_buttons(buttons)
    except TypeError:  # a keyboard of lists (not hashable): encoded each time
        return _encoded_buttons.__wrapped__(buttons)


@functools.lru_cache(maxsize=4096)  # the planner's rows share a few keyboards ({id} in them)
def _encoded_buttons(buttons: Buttons) -> str | None:
    return json.dumps([[list(button) for button in row] for row in buttons]) if buttons else None


def decode_buttons(raw: str | None, row_id: int) -> Buttons:
    if not raw:
        return ()
    rows: list[list[list[str]]] = json.loads(raw)
    return tuple(
        tuple((label, data.replace(ROW_ID, str(row_id))) for label, data in row) for row in rows
    )


_TABLE = cast(Table, Delivery.__table__)  # Core: the ORM's bulk insert costs more per row
# A daily row's key: a repeated or concurrent enqueue of the same slot adds nothing.
_SLOT_KEY = ("parent_id", "local_date", "slot")
# An outbox row's columns, in the order `_values` gives them.
_COLUMNS = (
    "parent_id", "chat_id", "message_id", "kind", "priority", "local_date", "slot", "status",
    "text", "buttons", "photo", "due_at", "created_at", "attempts", "unconfirmed_attempts",
)  # fmt: skip
_PENDING = Status.PENDING.value


def _values(message: Outgoing, now: dt.datetime) -> tuple[object, ...]:
    due = message.due_at or now
    return (
        message.parent_id, message.chat_id, message.message_id, message.kind,
        int(message.priority), message.local_date or due.date(), message.slot, _PENDING,
        message.text, encode_buttons(message.buttons), message.photo, due, now, 0, 0,
    )  # fmt: skip


@functools.cache
def _insert(dialect: str) -> Any:
    """The enqueue statement, built once (every handler answer used to build it anew)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(_TABLE)
        .on_conflict_do_nothing(index_elements=list(_SLOT_KEY))
        .returning(_TABLE.c.id, sort_by_parameter_order=True)
    )


# Up to this many rows, `enqueue` returns ids in the order given.
ORDERED_UP_TO = 16


async def enqueue(
    session: AsyncSession, messages: Sequence[Outgoing], now: dt.datetime
) -> list[int]:
    """Add rows in this transaction; their ids. A slot row already there is skipped.

    A handler's few rows come back in the order given (callers tie a decision to the last);
    a bulk insert's (the planner, a broadcast) in no promised order: its rows go in one
    statement with their values handed to the driver as they are (`bot.db.bulk`), which costs
    a fraction of SQLAlchemy's work per value. The sender learns of new rows when the caller
    wakes it after commit (on PostgreSQL, a NOTIFY at commit).
    """
    if not messages:
        return []
    dialect = session.get_bind().dialect.name
    rows = [_values(m, now) for m in messages]
    if len(messages) <= ORDERED_UP_TO:
        statement = _insert(dialect)
        named = [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
        result = await session.execute(statement, named)
        ids = [row.id for row in result]
    else:
        ids = await bulk.insert(
            session, _TABLE, _COLUMNS, rows, on_conflict=_SLOT_KEY, returning="id"
        )
    if dialect == "postgresql":
        # Delivered at commit: wakes the sender in whichever worker holds the lease.
        await session.execute(text(f"NOTIFY {leader.CHANNEL}"))
    return ids


_CLAIMED_COLUMNS = (
    "id",
    "chat_id",
    "parent_id",
    "kind",
    "text",
    "buttons",
    "priority",
    "due_at",
    "attempts",
    "unconfirmed_attempts",
    "photo",
)


@functools.cache
def _claim_statement(dialect: str) -> Any:
    """The claim, built once with bound parameters (building and keying it on every claim
    cost more than running it)."""
    table = cast(Table, Delivery.__table__)  # Core: no ORM bookkeeping for an UPDATE
    due = (
        select(table.c.id)
        .where(
            table.c.status == Status.PENDING.value,
            table.c.due_at <= bindparam("now"),
            table.c.retry_at.is_(None) | (table.c.retry_at <= bindparam("wall_now")),
            table.c.chat_id.not_in(bindparam("busy", expanding=True)),
        )
        .order_by(table.c.priority, table.c.due_at, table.c.id)
        .limit(bindparam("limit"))
    )
    if dialect == "postgresql":
        # PostgreSQL may re-run a LIMIT subquery inside UPDATE ... IN (...) and take more rows
        # than asked: the ids are locked (SKIP LOCKED) in a materialized CTE, evaluated once.
        picked: Any = select(
            due.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED").c.id
        ).scalar_subquery()
    else:
        picked = due.scalar_subquery()
    return (
        update(table)
        .where(table.c.id.in_(picked), table.c.status == Status.PENDING.value)
        .values(
            status=Status.SENDING.value,
            lease_until=bindparam("lease_until"),
            attempts=table.c.attempts + 1,
        )
        .returning(*(table.c[name] for name in _CLAIMED_COLUMNS))
    )


async def claim(
    session: AsyncSession,
    *,
    now: dt.datetime,
    wall_now: dt.datetime,
    lease_until: dt.datetime,
    limit: int,
    busy_chats: Sequence[int] = (),
) -> list[Claimed]:
    """Lease up to `limit` due rows, most urgent first, skipping chats this sender is busy with.

    One statement, a write from its first step: on SQLite a transaction that reads first and
    writes second fails at once ("database is locked") when another connection committed in
    between; on PostgreSQL the rows are locked with SKIP LOCKED, so senders never wait (and
    one round trip, not two).
    """
    parameters = {
        "now": now,
        "wall_now": wall_now,
        "busy": list(busy_chats),
        "limit": limit,
        "lease_until": lease_until,
    }
    statement = _claim_statement(session.get_bind().dialect.name)
    rows = (await session.execute(statement, parameters)).all()
    rows = sorted(rows, key=lambda row: (row.priority, row.due_at, row.id))
    return [
        Claimed(
            id=row.id,
            chat_id=row.chat_id,
            parent_id=row.parent_id,
            kind=row.kind,
            text=row.text,
            buttons=decode_buttons(row.buttons, row.id),
            priority=Priority(row.priority),
            attempts=row.attempts,
            unconfirmed_attempts=row.unconfirmed_attempts,
            photo=row.photo,
        )
        for row in rows
    ]


# The bot's short conversational answers are not kept once delivered (they may repeat what a
# parent told us, like a child's name in a summary); library messages and safety rows are.
TRANSIENT_KINDS = frozenset({"answer"})
# Rows addressed to staff about a family: erased with the family, never block the family.
STAFF_KINDS = frozenset({"alert"})


async def mark_sent(
    session: AsyncSession,
    row_id: int,
    telegram_message_id: int,
    sent_at: dt.datetime,
    *,
    kind: str = "",
) -> None:
    # Only while this sender holds the row: SQLite may have given an erased row's id to a
    # new one, which must not be touched.
    held = (Delivery.id == row_id) & (Delivery.status == Status.SENDING.value)
    if kind in TRANSIENT_KINDS:
        await session.execute(delete(Delivery).where(held))
        return
    await session.execute(
        update(Delivery)
        .where(held)
        .values(
            status=Status.SENT.value,
            sent_at=sent_at,
            telegram_message_id=telegram_message_id,
            lease_until=None,
            retry_at=None,
        )
    )


@dataclass(frozen=True, slots=True)
class Sent:
    """A send Telegram confirmed, waiting to be recorded with others in one statement."""

    row_id: int
    telegram_message_id: int
    kind: str


async def mark_sent_many(session: AsyncSession, sent: Sequence[Sent], sent_at: dt.datetime) -> None:
    """Record many confirmed sends at once (one executemany per statement, not a transaction
    per message). Guarded like `mark_sent`: only rows still held by this sender."""
    table = cast(Table, Delivery.__table__)  # Core: one executemany, no ORM bulk-by-key rules
    held = (table.c.id == bindparam("row")) & (table.c.status == Status.SENDING.value)
    kept = [
        {"row": s.row_id, "tg": s.telegram_message_id}
        for s in sent
        if s.kind not in TRANSIENT_KINDS
    ]
    dropped = [{"row": s.row_id} for s in sent if s.kind in TRANSIENT_KINDS]
    if kept:
        await session.execute(
            update(table)
            .where(held)
            .values(
                status=Status.SENT.value,
                sent_at=sent_at,
                telegram_message_id=bindparam("tg"),
                lease_until=None,
                retry_at=None,
            ),
            kept,
        )
    if dropped:
        await session.execute(delete(table).where(held), dropped)


async def mark_failed(session: AsyncSession, row_id: int, reason: str) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == row_id, Delivery.status == Status.SENDING.value)
        .values(status=Status.FAILED.value, last_error=reason[:200], lease_until=None)
    )


async def mark_retry(
    session: AsyncSession,
    row: Claimed,
    *,
    retry_at: dt.datetime,
    reason: str,
    unconfirmed: bool,
    counts_as_attempt: bool = True,
) -> Status:
    """Back to pending after a failed attempt, or failed for good once the bounds are reached."""
    unconfirmed_attempts = row.unconfirmed_attempts + unconfirmed
    attempts = row.attempts if counts_as_attempt else row.attempts - 1
    if unconfirmed_attempts > MAX_UNCONFIRMED[row.priority]:
        await mark_failed(session, row.id, f"unconfirmed, may have arrived: {reason}")
        return Status.FAILED
    if attempts >= MAX_ATTEMPTS[row.priority]:
        await mark_failed(session, row.id, f"gave up after {attempts} attempts: {reason}")
        return Status.FAILED
    await session.execute(
        update(Delivery)
        .where(Delivery.id == row.id, Delivery.status == Status.SENDING.value)
        .values(
            status=Status.PENDING.value,
            retry_at=retry_at,
            last_error=reason[:200],
            lease_until=None,
            attempts=attempts,
            unconfirmed_attempts=unconfirmed_attempts,
        )
    )
    return Status.PENDING


async def release_expired_leases(session: AsyncSession, wall_now: dt.datetime) -> int:
    """Rows left "sending" past their lease (their sender died mid-send) go back to pending.

    The send may have reached Telegram, so it counts as an unconfirmed attempt; a row past its
    bound fails visibly instead of being sent again.
    """
    expired = (Delivery.status == Status.SENDING.value) & (Delivery.lease_until < wall_now)
    released = 0
    for priority, bound in MAX_UNCONFIRMED.items():
        in_priority = expired & (Delivery.priority == int(priority))
        await session.execute(
            update(Delivery)
            .where(in_priority, Delivery.unconfirmed_attempts >= bound)
            .values(
                status=Status.FAILED.value,
                last_error="unconfirmed, may have arrived: sender stopped mid-send",
                lease_until=None,
            )
        )
        result = await session.execute(
            update(Delivery)
            .where(in_priority)
            .values(
                status=Status.PENDING.value,
                unconfirmed_attempts=Delivery.unconfirmed_attempts + 1,
                last_error="sender stopped mid-send",
                lease_until=None,
            )
        )
        released += int(getattr(result, "rowcount", 0) or 0)
    return released


async def cancel_pending(
    session: AsyncSession,
    parent_id: int,
    *,
    below_priority: Priority | None = None,
    keep_kinds: tuple[str, ...] = (),
) -> int:
    """Rows for a parent that should no longer go (a pause, a stop, an erase).

    Rows a sender holds are cancelled too: one already on the wire may still arrive (and is
    then left recorded as cancelled), but a failed attempt can no longer put it back in the
    queue, since every mark is guarded by the sender's hold.
    `below_priority`: cancel only rows less urgent than this (a pause keeps safety answers);
    `keep_kinds`: rows of these kinds stay too.
    """
    condition = (
        (Delivery.parent_id == parent_id)
        & Delivery.status.in_((Status.PENDING.value, Status.SENDING.value))
        & Delivery.kind.not_in(STAFF_KINDS)  # staff still hear about a family that left
    )
    if below_priority is not None:
        condition = condition & (Delivery.priority > int(below_priority))
    if keep_kinds:
        condition = condition & Delivery.kind.not_in(keep_kinds)
    result = await session.execute(
        update(Delivery).where(condition).values(status=Status.CANCELLED.value)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def next_wakeup(
    session: AsyncSession, *, now: dt.datetime, wall_now: dt.datetime
) -> float | None:
    """Seconds of wall time until a waiting retry comes due (None: nothing waits on a retry)."""
    soonest: dt.datetime | None = await session.scalar(
        select(func.min(Delivery.retry_at)).where(
            Delivery.status == Status.PENDING.value,
            Delivery.due_at <= now,
            Delivery.retry_at > wall_now,
        )
    )
    if soonest is None:
        return None
    return max(0.0, (soonest - wall_now).total_seconds())


async def depth_by_priority(session: AsyncSession) -> dict[Priority, int]:
    """Pending rows per priority (for metrics)."""
    rows = (
        await session.execute(
            select(Delivery.priority, func.count())
            .where(Delivery.status == Status.PENDING.value)
            .group_by(Delivery.priority)
        )
    ).all()
    return {Priority(priority): count for priority, count in rows}
