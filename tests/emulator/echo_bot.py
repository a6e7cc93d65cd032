"""The tiny PTB echo bot the emulator tests drive, and small test helpers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import BotApiEmulator

TOKEN = "123456:TEST-TOKEN"
PARENT = 1001


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Seen:
    """What the echo bot's handlers observed, for tests to await without sleeping."""

    events: asyncio.Queue[tuple[str, Any]]

    async def next(self, timeout: float = 5.0) -> tuple[str, Any]:  # noqa: ASYNC109
        return await asyncio.wait_for(self.events.get(), timeout)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the deep-link payload."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"start:{' '.join(context.args or [])}")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer two choices and a link."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="choice:yes"),
                InlineKeyboardButton("No", callback_data="choice:no"),
            ],
            [InlineKeyboardButton("Read more", url="https://example.org/tend")],
        ]
    )
    await update.effective_message.reply_text("Pick one", reply_markup=keyboard)


async def keyboard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a reply keyboard."""
    assert update.effective_message is not None
    markup = ReplyKeyboardMarkup([["Good", "Hard"], ["Skip"]], one_time_keyboard=True)
    await update.effective_message.reply_text("How was today?", reply_markup=markup)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a small CSV export."""
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        document=b"day,mood\nmon,good\n",
        filename="export.csv",
        caption="Your export",
    )


async def choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and show the choice in place of the question."""
    query = update.callback_query
    assert query is not None
    context.bot_data["seen"].events.put_nowait(("callback", query.data))
    await query.answer(text=f"Noted: {query.data}")
    if query.message is not None and query.message.is_accessible:  # forged: maybe no message
        await query.edit_message_text(f"You chose {query.data}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo text back."""
    assert update.effective_message is not None and update.effective_message.text
    await update.effective_message.reply_text(update.effective_message.text)


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what kind of media arrived."""
    message = update.effective_message
    assert message is not None
    kind = "photo" if message.photo else "sticker" if message.sticker else "voice"
    await message.reply_text(f"got {kind}")


async def member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Report block/unblock to the test."""
    change = update.my_chat_member
    assert change is not None
    context.bot_data["seen"].events.put_nowait(
        (
            "member",
            (change.from_user.id, change.old_chat_member.status, change.new_chat_member.status),
        )
    )


def build_echo_app(emulator: BotApiEmulator) -> Application[Any, Any, Any, Any, Any, Any]:
    """The tiny echo bot the emulator tests drive."""
    app = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .job_queue(None)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CommandHandler("keyboard", keyboard))
    app.add_handler(CommandHandler("doc", document))
    app.add_handler(CallbackQueryHandler(choice, pattern=r"^choice:"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.PHOTO | filters.Sticker.ALL | filters.VOICE, media))
    app.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    return app
