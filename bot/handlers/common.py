"""Pieces every handler shares: the caller's language, and the answer sent after commit."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import inbox
from bot.db.models import Parent
from bot.services import SENDER_KEY, services
from bot.views import Say
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority
from scheduler.sender import Sender

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def readable(words: str) -> str:
    """What a person could have typed: no NUL or other control characters (PostgreSQL
    refuses NUL in text, and no keyboard makes them); line breaks and tabs stay."""
    return _CONTROL.sub("", words)


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
    A message handler queues its answers in its own transaction (`queue_in`), with the update
    marked handled; a tap's answers are queued by `send`, after the toast.
    """

    items: list[Say | Outgoing] = field(default_factory=list)
    toast: str | None = None
    # Said first in a new message when the tap is too old for a toast (the bot was busy or
    # down): what was done, so the parent is not left guessing. Without it, the toast is.
    late: list[Say] = field(default_factory=list)
    # The context of the update whose answers `queue_in` queued (and marked handled).
    _handled_in: Context | None = field(default=None, repr=False)

    def say(self, *answers: Say) -> None:
        self.items.extend(answers)

    def deliver(self, message: Outgoing) -> None:
        self.items.append(message)

    async def queue_in(
        self, session: AsyncSession, update: Update, context: Context, *, parent_id: int | None
    ) -> None:
        """Queue these answers in the handler's own transaction and mark the update handled
        there too: the update, what it changed and what is said back commit together (one
        commit instead of three). A tap's answers wait for `send`, which may have to say the
        toast as a message when Telegram refuses it; its update is marked after that."""
        if update.callback_query is not None:
            return
        chat = update.effective_chat
        assert chat is not None
        now = services(context).clock.now()
        if self.items:
            await outbox.enqueue(
                session, [_outgoing(item, chat.id, parent_id) for item in self.items], now
            )
            self.items.clear()
        await inbox.mark_handled_in(session, update.update_id, now)
        self._handled_in = context

    async def send(self, update: Update, context: Context) -> None:
        """After the handler's commit: the toast, answers not queued yet, the sender woken."""
        if self._handled_in is context:
            inbox.note_committed(context)
        if update.callback_query is not None and not await _answer_query(update, self.toast):
            if not self.late and self.toast and not self.items:
                self.late.append(Say(self.toast))
            self.items[:0] = self.late
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


async def _answer_query(update: Update, toast: str | None) -> bool:
    """The little toast under a tap; False when Telegram refuses it for a tap it deems too
    old (the answer then goes out as messages)."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer(toast)
    except BadRequest:
        log.info("callback query could not be answered (too old)")
        return False
    return True


def wake_sender(context: Context) -> None:
    sender = context.bot_data.get(SENDER_KEY)
    if isinstance(sender, Sender):
        sender.wake()
