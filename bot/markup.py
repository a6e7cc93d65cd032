"""Our keyboards as Telegram's objects: the one place a (label, callback data) grid becomes an
InlineKeyboardMarkup. Everything else speaks plain tuples (`bot.views.Buttons`)."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from scheduler.outbox import Buttons


def markup_of(buttons: Buttons) -> InlineKeyboardMarkup | None:
    """None for no buttons (Telegram then shows no keyboard, or removes one on an edit)."""
    if not buttons:
        return None
    rows = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in buttons
    ]
    return InlineKeyboardMarkup(rows)


def markup_dict(buttons: Buttons) -> dict[str, list[list[dict[str, str]]]] | None:
    """The same keyboard as the Bot API's `reply_markup` object, built without PTB's objects:
    what the sender posts (building and serialising the objects cost more than the send)."""
    if not buttons:
        return None
    rows = [[{"text": label, "callback_data": data} for label, data in row] for row in buttons]
    return {"inline_keyboard": rows}


def markup_json(buttons: Buttons) -> str | None:
    """`markup_dict` as JSON text (a form field's value)."""
    keyboard = markup_dict(buttons)
    if keyboard is None:
        return None
    return json.dumps(keyboard, ensure_ascii=False, separators=(",", ":"))
