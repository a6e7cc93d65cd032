"""Pieces every handler shares: the caller's language, and the answer sent after commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.db.models import Parent
from bot.services import SENDER_KEY, services
from bot.views import Say
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority
from scheduler.sender import Sender

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


def guess_language(update: Update) -> str:
    """Spanish for Telegram users whose app is in Spanish, English otherwise."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "es" if code.lower().startswith("es") else "en"


@dataclass
class Answer:
    """What a handler will send, collected while it decides and queued once its data is committed.

    Committing first means a parent's reply is never lost to a failed send, and nothing is said
    about a change that did not happen. Every message goes through the outbox, in order, at the
    highest priority, so the one sender retries it through faults and keeps the rate budget.
    """

    items: list[Say | Outgoing] = field(default_factory=list)
    toast: str | None = None

    def say(self, *answers: Say) -> None:
        self.items.extend(answers)

    def deliver(self, message: Outgoing) -> None:
        self.items.append(message)

    async def send(self, update: Update, context: Context) -> None:
        if update.callback_query is not None:
            await _answer_query(update, self.toast)
        svc = services(context)
        if self.items:
            chat, user = update.effective_chat, update.effective_user
            assert chat is not None
            now = svc.clock.now()
            async with svc.sessions.begin() as session:
                parent_id = (
                    await session.scalar(
                        select(Parent.id).where(Parent.telegram_user_id == user.id)
                    )
                    if user is not None
                    else None
                )
                await outbox.enqueue(
                    session, [_outgoing(item, chat.id, parent_id) for item in self.items], now
                )
        wake_sender(context)


def _outgoing(item: Say | Outgoing, chat_id: int, parent_id: int | None) -> Outgoing:
    if isinstance(item, Outgoing):
        return item
    return Outgoing(
        chat_id=chat_id,
        parent_id=parent_id,
        text=item.text,
        buttons=item.buttons,
        kind="answer",
        priority=Priority.NOW,
    )


async def _answer_query(update: Update, toast: str | None) -> None:
    """The little toast under a tap. Telegram refuses it for a tap it deems too old; the answer
    itself still goes out as messages."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer(toast)
    except BadRequest:
        log.info("callback query could not be answered (too old)")


def wake_sender(context: Context) -> None:
    sender = context.bot_data.get(SENDER_KEY)
    if isinstance(sender, Sender):
        sender.wake()
