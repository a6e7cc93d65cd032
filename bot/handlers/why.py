"""The "Why it helps" button under a nudge (w:<delivery>): the nudge's why, in a small pop-up."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from bot.db import repository
from bot.handlers.common import Context, guess_language
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
    parts = query.data.split(":")
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        language = parent.language if parent is not None else guess_language(update)
        delivery = None
        if parent is not None and len(parts) == 2 and parts[1].isdigit():
            delivery = await repository.delivery_of(session, parent.id, int(parts[1]))
        message = svc.library.get(delivery.message_id, language) if delivery is not None else None
    why = message.why if message is not None else None
    try:
        if why:
            await query.answer(why[:MAX_ALERT], show_alert=True)
        else:
            await query.answer(text(language, "button_expired"))
    except BadRequest:
        log.info("callback query could not be answered (too old)")
