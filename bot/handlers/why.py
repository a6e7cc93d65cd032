"""The "Why it helps" button under a nudge (w:<delivery>): the nudge's why, in a small pop-up."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from bot.handlers.common import Context
from bot.handlers.taps import Tap, nothing, read_tap
from bot.services import services
from bot.texts import text

log = logging.getLogger(__name__)

# Telegram shows at most 200 characters in a callback answer; a why has at most 160.
MAX_ALERT = 200


async def answer_why_button(update: Update, context: Context) -> None:
    """Answer with the why of the message this parent was sent, as an alert they dismiss.

    A pop-up, not a new message: the why belongs to the nudge above it, and the chat stays a
    conversation. Only the parent's own delivery is looked up, so a forged or foreign button
    learns nothing about anyone else's messages. Nothing is stored: it is a reading aid, not
    a reply."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    svc = services(context)
    async with svc.sessions.begin() as session:
        tap = await read_tap(session, update, nothing, once=False, joined=False)
        language = tap.language
        message = (
            svc.library.get(tap.delivery.message_id, language) if isinstance(tap, Tap) else None
        )
    why = message.why if message is not None else None
    try:
        if why:
            await query.answer(why[:MAX_ALERT], show_alert=True)
        else:
            await query.answer(text(language, "button_expired"))
    except BadRequest:
        log.info("callback query could not be answered (too old)")
