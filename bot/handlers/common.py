"""Small pieces every handler shares: sending a Say, the caller's language, sessions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.views import Say

Context = ContextTypes.DEFAULT_TYPE


def guess_language(update: Update) -> str:
    """Spanish for Telegram users whose app is in Spanish, English otherwise."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "es" if code.lower().startswith("es") else "en"


async def say(update: Update, context: Context, *answers: Say) -> list[Message]:
    """Send each answer to the chat the update came from."""
    chat = update.effective_chat
    assert chat is not None
    return await say_to(context, chat.id, answers)


async def say_to(context: Context, chat_id: int, answers: Sequence[Say]) -> list[Message]:
    sent = []
    for answer in answers:
        sent.append(
            await context.bot.send_message(chat_id, answer.text, reply_markup=answer.markup())
        )
    return sent


async def acknowledge(update: Update, note: str | None = None, **kwargs: Any) -> None:
    """Answer a button press so the spinner stops; Telegram expects this for every tap."""
    if update.callback_query is not None:
        await update.callback_query.answer(note, **kwargs)
