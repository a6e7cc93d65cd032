"""Sender: takes pending outbox rows and delivers them through the Bot API, in order.

A 403 (the parent blocked the bot) marks the parent inactive at once and never retries.
Other failures leave the row pending with a retry time; after MAX_ATTEMPTS it fails visibly.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.db.models import Delivery, Parent
from bot.db.session import SessionFactory
from bot.views import Say, reply_buttons
from messages.library import Library
from scheduler.clock import Clock

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 200


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after a failed send: 30 s, 1 min, 2 min, 4 min..."""
    return dt.timedelta(seconds=30 * 2 ** max(0, attempts - 1))


async def send_pending(bot: Bot, sessions: SessionFactory, library: Library, clock: Clock) -> int:
    """Send every pending row that is due; returns how many went out.

    Each row is claimed, sent and marked in its own short transaction, so a crash can repeat at
    most the one message that was in flight.
    """
    async with sessions() as session:
        due_ids = (
            await session.scalars(
                select(Delivery.id)
                .where(Delivery.status == "pending", Delivery.due_at <= clock.now())
                .order_by(Delivery.due_at, Delivery.id)
                .limit(BATCH)
            )
        ).all()
    sent = 0
    for delivery_id in due_ids:
        outcome = await _send_one(bot, sessions, library, clock, delivery_id)
        if outcome == "rate_limited":
            break
        sent += outcome == "sent"
    return sent


async def _send_one(
    bot: Bot, sessions: SessionFactory, library: Library, clock: Clock, delivery_id: int
) -> str:
    async with sessions.begin() as session:
        row = (
            await session.execute(
                select(Delivery, Parent)
                .join(Parent, Parent.id == Delivery.parent_id)
                .where(Delivery.id == delivery_id, Delivery.status == "pending")
                .with_for_update(skip_locked=True, of=Delivery)
            )
        ).first()
        if row is None:
            return "taken"
        delivery, parent = row
        if parent.status in ("blocked", "stopped"):
            delivery.status, delivery.last_error = "failed", f"parent {parent.status}"
            return "failed"
        message = library.get(delivery.message_id, parent.language)
        answer = Say(
            delivery.text, reply_buttons(parent.language, delivery.id, message, delivery.kind)
        )
        delivery.attempts += 1
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
            delivery.attempts -= 1
            delivery.due_at = clock.now() + dt.timedelta(seconds=seconds)
            delivery.last_error = "rate limited"
            return "rate_limited"
        except TelegramError as exc:
            delivery.last_error = type(exc).__name__
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = "failed"
                log.warning("delivery %s failed after %s attempts", delivery.id, delivery.attempts)
            else:
                delivery.due_at = clock.now() + retry_delay(delivery.attempts)
            return "retry"
        delivery.status, delivery.sent_at = "sent", clock.now()
        delivery.telegram_message_id = result.message_id
        return "sent"
