"""The inbox: every update is stored before Telegram is told it arrived, then handled from there.

Long polling confirms updates by asking for the next offset, so the offset moves past an update
only once it is committed here. A process killed at any moment loses nothing: stored updates
not yet handled are handled when the bot starts again, and updates never stored are delivered
again by Telegram. While the database is down nothing is stored and nothing is confirmed.
Handling is idempotent on `update_id`: a redelivered update that was handled is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy import Update as UpdateStatement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ContextTypes

from bot.db.models import InboxUpdate
from bot.db.session import SessionFactory
from scheduler import metrics
from scheduler.clock import Clock

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


async def store(sessions: SessionFactory, clock: Clock, updates: Sequence[Update]) -> list[Update]:
    """Commit these updates; those not handled before (new, or stored but unhandled).

    One statement for the whole getUpdates batch: new rows are inserted, and a row already
    there comes back only while it is unhandled (its no-op update is what returns it)."""
    if not updates:
        return []
    now = clock.now()
    table = cast(Table, InboxUpdate.__table__)
    async with sessions.begin() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(table)
        rows = await session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.update_id],
                set_={"received_at": table.c.received_at},
                where=table.c.handled_at.is_(None),
            ).returning(table.c.update_id),
            [
                {
                    "update_id": u.update_id,
                    "payload": json.dumps(u.to_dict()),
                    "received_at": now,
                    "handled_at": None,
                }
                for u in updates
            ],
        )
        fresh = set(rows.scalars().all())
    return [u for u in updates if u.update_id in fresh]


# Built once: an update marked handled costs no statement building.
_HANDLED: UpdateStatement = (
    update(cast(Table, InboxUpdate.__table__))
    .where(InboxUpdate.__table__.c.update_id == bindparam("handled_update"))
    .values(handled_at=bindparam("handled_now"), payload=None)
)


async def _mark(session: AsyncSession, update_id: int, now: dt.datetime) -> None:
    await session.execute(_HANDLED, {"handled_update": update_id, "handled_now": now})


async def mark_handled(sessions: SessionFactory, clock: Clock, update_id: int) -> None:
    """Handled: the payload (a parent's words, maybe) is dropped, the id kept for dedup."""
    async with sessions.begin() as session:
        await _mark(session, update_id, clock.now())


# Set on an update's CallbackContext (one per update, shared by every handler group) once
# its handler marked it handled in its own transaction.
_HANDLED_IN_TRANSACTION = "tend_handled_in_transaction"


async def mark_handled_in(session: AsyncSession, update_id: int, now: dt.datetime) -> None:
    """Handled in the handler's own transaction, with what it wrote: committed together, so
    a crash leaves the update either handled with its reply, or unhandled without it. Once
    that transaction commits, `note_committed` tells `mark_update_handled` it is done."""
    await _mark(session, update_id, now)


def note_committed(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The handler's transaction, with the update marked handled, has committed."""
    setattr(context, _HANDLED_IN_TRANSACTION, True)


async def unhandled(
    sessions: SessionFactory, application: Application[Any, Any, Any, Any, Any, Any]
) -> list[Update]:
    """Updates stored by an earlier run that it did not get to handle, oldest first."""
    async with sessions() as session:
        rows = (
            await session.scalars(
                select(InboxUpdate)
                .where(InboxUpdate.handled_at.is_(None), InboxUpdate.payload.is_not(None))
                .order_by(InboxUpdate.update_id)
            )
        ).all()
    found = []
    for row in rows:
        assert row.payload is not None
        parsed = Update.de_json(json.loads(row.payload), application.bot)
        if parsed is not None:
            found.append(parsed)
    return found


class InboxPoller:
    """Long polling that confirms an update only once it is stored (replaces PTB's Updater)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        sessions: SessionFactory,
        clock: Clock,
        *,
        timeout: int = 10,
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> None:
        self._application, self._sessions, self._clock = application, sessions, clock
        self._timeout, self._allowed = timeout, list(allowed_updates)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.failed: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Hand over what an earlier run stored but did not handle, then poll."""
        await self._application.bot.delete_webhook()
        for pending in await unhandled(self._sessions, self._application):
            await self._application.update_queue.put(pending)
        self._stopping = False
        self._task = asyncio.create_task(self._poll(), name="tend-inbox")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _poll(self) -> None:
        offset: int | None = None
        pause = 0.5
        while not self._stopping:
            try:
                updates = await self._application.bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=self._allowed
                )
            except InvalidToken as error:
                self.failed = error
                log.error("Telegram refused the bot token; polling stopped")
                return
            except TelegramError as error:
                log.warning("getUpdates failed (%s); trying again", type(error).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)
                continue
            if not updates:
                pause = 0.5
                continue
            try:
                fresh = await store(self._sessions, self._clock, updates)
            except Exception as error:  # the database is down: confirm nothing, ask again
                log.warning(
                    "could not store updates (%s); not confirming them", type(error).__name__
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)
                continue
            pause = 0.5
            offset = updates[-1].update_id + 1
            for item in fresh:
                await self._application.update_queue.put(item)


async def mark_update_handled(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Registered after every other handler group: this update is done."""
    from bot.services import services

    if not isinstance(update, Update):
        return
    metrics.UPDATES_HANDLED.inc()
    if getattr(context, _HANDLED_IN_TRANSACTION, False):
        return  # marked in the handler's own transaction
    svc = services(context)
    try:
        await mark_handled(svc.sessions, svc.clock, update.update_id)
    except Exception as error:  # it stays unhandled and is handled again on the next start
        log.warning("could not mark update handled (%s)", type(error).__name__)
