"""A parent's lifecycle: the statuses, and transitions that decide what happens to queued rows.

This module owns `parents.status`. A transition changes the status and the schedule together,
and says what becomes of messages already in the outbox:

| transition          | from                       | to         | queued rows                      |
| ------------------- | -------------------------- | ---------- | -------------------------------- |
| `begin_onboarding`  | (new)                      | onboarding | none exist                       |
| `enroll`            | onboarding                 | active     | none exist; first send scheduled |
| `pause`             | active, paused             | paused     | daily and bulk rows cancelled    |
| `resume`            | paused, stopped, blocked   | active     | none; unanswered count reset     |
| `stop`              | active, paused             | stopped    | daily and bulk rows cancelled    |
| `mark_unreachable`  | any                        | blocked    | every row cancelled              |
| `reachable_again`   | blocked                    | stopped*   | none                             |
| `erase`             | any                        | deleted    | every row cancelled, then erased |
| `record_loss`       | active, paused, stopped    | loss       | every row but safety cancelled   |
| `finish`            | active                     | finished   | daily and bulk rows cancelled    |

(*) or back to onboarding for someone who blocked the bot before they finished joining.
`resume` also brings back a parent in `loss` or `finished`, but only when they ask for it (a
button after /start, or a child added): nothing restarts by itself. A loss cancels even the
answers queued a moment ago (a tip or a thank-you must not follow the news); the goodbye is
queued after it.
Answers a parent is reading now and safety answers (priority NOW) survive a pause or a stop:
they answer what the parent just said. Staff alerts about a family are never cancelled here
(`outbox.cancel_pending` keeps them). A hush after a safety flag holds cheerful messages back
but never a safety answer.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.schedule import next_send_at
from bot.db import repository
from bot.db.models import Child, Parent
from scheduler import outbox


class ParentStatus(StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    BLOCKED = "blocked"
    # The parent told us their baby or pregnancy was lost: no messages; their data is kept.
    LOSS = "loss"
    # Every child graduated (past 59 months) and no sibling is enrolled: messages finished.
    FINISHED = "finished"
    # Never stored: an erased parent has no row. It names where `erase` leads.
    DELETED = "deleted"


# Statuses in which a parent has joined and can use the controls (/settings, /pause, ...).
JOINED = frozenset({ParentStatus.ACTIVE, ParentStatus.PAUSED, ParentStatus.STOPPED})
# Statuses in which a parent's messages have ended (their data is kept): /start is gentle, and
# nothing a message asked (a quick reply, a check-in) is answered any more.
ENDED = frozenset({ParentStatus.LOSS, ParentStatus.FINISHED})


def status_of(parent: Parent) -> ParentStatus:
    return ParentStatus(parent.status)


def has_joined(parent: Parent) -> bool:
    return status_of(parent) in JOINED


def has_ended(parent: Parent) -> bool:
    return status_of(parent) in ENDED


def new_parent(
    *,
    telegram_user_id: int,
    chat_id: int,
    language: str,
    timezone: str,
    now: dt.datetime,
) -> Parent:
    """`begin_onboarding`: someone new, on the first question; nothing is scheduled."""
    return Parent(
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        language=language,
        timezone=timezone,
        created_at=now,
        status=ParentStatus.ONBOARDING.value,
        cadence="daily",
        unanswered_count=0,
    )


def reschedule(parent: Parent, now: dt.datetime) -> None:
    """The next send time from the parent's choices (after joining or a settings change)."""
    parent.next_send_at = next_send_at(
        now, timezone=parent.timezone, send_time=parent.send_time, cadence=parent.cadence
    )


def enroll(parent: Parent, now: dt.datetime) -> None:
    """The summary is confirmed: messages start at the next chosen time."""
    parent.status, parent.awaiting = ParentStatus.ACTIVE.value, None
    reschedule(parent, now)


async def pause(session: AsyncSession, parent: Parent, now: dt.datetime, days: int | None) -> None:
    """No messages until `resume` (or for `days`); rows already queued for the day go too."""
    parent.status, parent.next_send_at = ParentStatus.PAUSED.value, None
    parent.paused_until = now + dt.timedelta(days=days) if days is not None else None
    await outbox.cancel_pending(session, parent.id, below_priority=outbox.Priority.NOW)


def resume(parent: Parent, now: dt.datetime) -> None:
    """Messages again from the next chosen time: /resume, /start after a stop, and the end of
    /pause N all come here, so they behave the same (a fresh start: no unanswered streak)."""
    parent.status = ParentStatus.ACTIVE.value
    parent.paused_until, parent.unanswered_count = None, 0
    reschedule(parent, now)


async def stop(session: AsyncSession, parent: Parent) -> None:
    """No more messages until the parent comes back with /start; their data stays."""
    parent.status, parent.next_send_at = ParentStatus.STOPPED.value, None
    parent.paused_until, parent.awaiting = None, None
    await outbox.cancel_pending(session, parent.id, below_priority=outbox.Priority.NOW)


async def mark_unreachable(session: AsyncSession, parent_id: int) -> None:
    """Telegram says the chat is gone or the bot is blocked: stop at once, never retry."""
    await session.execute(
        update(Parent)
        .where(Parent.id == parent_id)
        .values(status=ParentStatus.BLOCKED.value, next_send_at=None)
    )
    await outbox.cancel_pending(session, parent_id)


def reachable_again(parent: Parent) -> None:
    """The parent unblocked the bot: nothing starts by itself; /start brings them back, or
    takes them on with joining where they left it."""
    if status_of(parent) is not ParentStatus.BLOCKED:
        return
    joining = parent.awaiting is not None and parent.awaiting.startswith(("ob:", "fix:"))
    parent.status = (ParentStatus.ONBOARDING if joining else ParentStatus.STOPPED).value


async def record_loss(
    session: AsyncSession, parent: Parent, now: dt.datetime, *, child: Child | None
) -> None:
    """The parent confirmed a loss: nothing more goes out, not even an answer queued a moment
    ago (staff alerts and safety answers stay); `child`, when known, is marked as the one
    lost."""
    parent.status, parent.next_send_at = ParentStatus.LOSS.value, None
    parent.paused_until, parent.awaiting, parent.pending_need = None, None, None
    if child is not None:
        child.ended, child.ended_at = "loss", now
    await outbox.cancel_pending(session, parent.id, keep_kinds=("safety",))


async def finish(session: AsyncSession, parent: Parent) -> None:
    """Every child graduated: messages are finished, gently; the data stays, and a child
    added later (/addchild) brings them back."""
    parent.status, parent.next_send_at = ParentStatus.FINISHED.value, None
    parent.paused_until, parent.awaiting = None, None
    await outbox.cancel_pending(session, parent.id, below_priority=outbox.Priority.NOW)


async def erase(session: AsyncSession, parent: Parent) -> None:
    """/delete, or consent declined: nothing queued goes out, then every row about them goes."""
    await outbox.cancel_pending(session, parent.id)
    await repository.erase_parent(session, parent)


# After a safety flag, no cheerful message for this long unless the parent writes again.
HUSH = dt.timedelta(hours=24)
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
