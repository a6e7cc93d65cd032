"""Pieces every handler shares: the caller's language, and the answer sent after commit."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import services
from bot.views import Say
from scheduler.sender import send_delivery

Context = ContextTypes.DEFAULT_TYPE


def guess_language(update: Update) -> str:
    """Spanish for Telegram users whose app is in Spanish, English otherwise."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "es" if code.lower().startswith("es") else "en"


@dataclass
class Answer:
    """What a handler will send, collected while it decides and sent once its data is committed.

    Committing first means a parent's reply is never lost to a failed send, and nothing is said
    about a change that did not happen. Library messages are outbox rows (`deliver`), sent by the
    one sender, so a failed send is retried like any other delivery.
    """

    items: list[Say | int] = field(default_factory=list)
    toast: str | None = None

    def say(self, *answers: Say) -> None:
        self.items.extend(answers)

    def deliver(self, delivery_id: int) -> None:
        self.items.append(delivery_id)

    async def send(self, update: Update, context: Context) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer(self.toast)
        chat = update.effective_chat
        assert chat is not None
        svc = services(context)
        for item in self.items:
            if isinstance(item, Say):
                await context.bot.send_message(chat.id, item.text, reply_markup=item.markup())
            else:
                await send_delivery(context.bot, svc.sessions, svc.library, svc.clock, item)
