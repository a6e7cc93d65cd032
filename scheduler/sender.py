"""Sender: takes pending outbox rows and delivers them through the Bot API, in order.

A 403 (the parent blocked the bot) marks the parent inactive at once and never retries.
Other failures leave the row pending with a retry time; after MAX_ATTEMPTS it fails visibly.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, update
from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.db.models import Delivery, Parent
from bot.db.session import SessionFactory
from bot.views import Say, reply_buttons
from messages.library import Library
from scheduler.clock import Clock

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A send that has not finished in this long was cut off by a crash.
STALE_CLAIM = dt.timedelta(minutes=5)
BATCH = 200


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after a failed send: 30 s, 1 min, 2 min, 4 min..."""
    return dt.timedelta(seconds=30 * 2 ** max(0, attempts - 1))


async def send_pending(bot: Bot, sessions: SessionFactory, library: Library, clock: Clock) -> int:
    """Send every pending row that is due; returns how many went out.

    Each row is claimed, sent and marked in its own short transaction, so a crash can repeat at
    most the one message that was in flight.
    """
    sent = 0
    while True:
        async with sessions() as session:
            due_ids = (
                await session.scalars(
                    select(Delivery.id)
                    .where(Delivery.status == "pending", Delivery.due_at <= clock.now())
                    .order_by(Delivery.due_at, Delivery.id)
                    .limit(BATCH)
                )
            ).all()
        for delivery_id in due_ids:
            outcome = await send_delivery(bot, sessions, library, clock, delivery_id)
            if outcome == "rate_limited":
                return sent
            sent += outcome == "sent"
        # Rows that failed and wait for a retry are no longer due, so this loop ends.
        if len(due_ids) < BATCH:
            return sent


async def send_delivery(
    bot: Bot, sessions: SessionFactory, library: Library, clock: Clock, delivery_id: int
) -> str:
    """Send one pending row: "sent", "failed" (for good), "retry", "rate_limited" or "taken".

    The row is claimed first (pending -> sending, in its own commit), so two senders never both
    send it; a crash while it is in flight leaves it "sending" until `release_stale_claims`
    hands it back: the one message that may, rarely, arrive twice.
    """
    now = clock.now()
    async with sessions.begin() as session:
        claimed = await session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == "pending")
            .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            return "taken"
    async with sessions.begin() as session:
        row = (
            await session.execute(
                select(Delivery, Parent)
                .join(Parent, Parent.id == Delivery.parent_id)
                .where(Delivery.id == delivery_id)
            )
        ).one()
        delivery, parent = row
        if parent.status in ("blocked", "stopped"):
            delivery.status, delivery.last_error = "failed", f"parent {parent.status}"
            return "failed"
        message = library.get(delivery.message_id, parent.language)
        buttons = reply_buttons(parent.language, delivery.id, message, delivery.kind)
        answer = Say(delivery.text, buttons)
        try:
            result = await bot.send_message(
                parent.chat_id, answer.text, reply_markup=answer.markup()
            )
        except Forbidden:
            delivery.status, delivery.last_error = "failed", "blocked by the parent"
            parent.status, parent.next_send_at = "blocked", None
            log.info("delivery %s: parent %s blocked the bot", delivery.id, parent.id)
            return "failed"
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
            delivery.status, delivery.attempts = "pending", delivery.attempts - 1
            delivery.due_at = clock.now() + dt.timedelta(seconds=seconds)
            delivery.last_error = "rate limited"
            return "rate_limited"
        except TelegramError as exc:
            delivery.last_error = type(exc).__name__
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = "failed"
                log.warning("delivery %s failed after %s attempts", delivery.id, delivery.attempts)
                return "failed"
            delivery.status = "pending"
            delivery.due_at = clock.now() + retry_delay(delivery.attempts)
            return "retry"
        delivery.status, delivery.sent_at = "sent", clock.now()
        delivery.telegram_message_id = result.message_id
        return "sent"


async def release_stale_claims(sessions: SessionFactory, clock: Clock) -> int:
    """Rows left "sending" by a process that died mid-send go back to pending."""
    async with sessions.begin() as session:
        released = await session.execute(
            update(Delivery)
            .where(
                Delivery.status == "sending",
                Delivery.claimed_at <= clock.now() - STALE_CLAIM,
            )
            .values(status="pending")
        )
    return int(getattr(released, "rowcount", 0) or 0)
