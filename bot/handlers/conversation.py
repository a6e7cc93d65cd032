"""Everything a parent sends that is not a command or a button: answers, replies, media."""

from __future__ import annotations

import logging
import secrets

from telegram import Update

from bot.coaching.replies import is_stop_word
from bot.coaching.safety import screen_for_crisis
from bot.db import repository
from bot.db.models import Invite, Reply
from bot.handlers import account, daily, onboarding
from bot.handlers.common import Context, guess_language, say
from bot.services import services
from bot.texts import text
from bot.views import Say

log = logging.getLogger(__name__)


async def route_text(update: Update, context: Context) -> None:
    """Typed text: a crisis answer first, then the open question, STOP words, or a reply."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    svc = services(context)
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        if parent is None or parent.status == "blocked":
            crisis = screen_for_crisis(message.text)
            if crisis is not None:
                await daily.send_crisis_answer(
                    update, context, guess_language(update), crisis, parent_id=None
                )
            else:
                await say(update, context, Say(text(guess_language(update), "not_enrolled")))
            return
        if is_stop_word(message.text):
            await account.ask_stop(update, context)
            return
        if parent.awaiting and screen_for_crisis(message.text) is None:
            await onboarding.answer_text(update, context, parent)
            return
        if parent.status == "onboarding" and screen_for_crisis(message.text) is None:
            await say(update, context, Say(text(parent.language, "not_enrolled")))
            return
        await daily.record_text_reply(update, context, session, parent)


async def route_media(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes: kept as 'something was sent', answered kindly."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        if parent is None:
            await say(update, context, Say(text(guess_language(update), "not_enrolled")))
            return
        if parent.status != "onboarding" and not parent.awaiting:
            latest = await repository.latest_delivery(session, parent.id)
            session.add(
                Reply(
                    parent_id=parent.id,
                    delivery_id=latest.id if latest else None,
                    update_id=update.update_id,
                    received_at=svc.clock.now(),
                    kind="media",
                )
            )
            parent.unanswered_count = 0
        await say(update, context, Say(text(parent.language, "not_text")))


async def unknown_command(update: Update, context: Context) -> None:
    """Any command we do not know points to /help."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, user.id)
    await say(
        update,
        context,
        Say(text(parent.language if parent else guess_language(update), "unknown_command")),
    )


async def create_invite(update: Update, context: Context) -> None:
    """/invite [label] (staff only): a fresh invite code and its deep link."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    if user.id not in svc.settings.admin_ids:
        await say(update, context, Say(text(guess_language(update), "not_admin")))
        return
    code = secrets.token_urlsafe(9)
    async with svc.sessions.begin() as session:
        session.add(
            Invite(
                code=code,
                label=" ".join(context.args or []) or None,
                created_by=user.id,
                created_at=svc.clock.now(),
                uses=0,
            )
        )
    link = f"https://t.me/{context.bot.username}?start={code}"
    await say(
        update, context, Say(text(guess_language(update), "invite_created", code=code, link=link))
    )


async def chat_member_changed(update: Update, context: Context) -> None:
    """A parent blocked (or unblocked) the bot: stop sending at once, or welcome them back."""
    change = update.my_chat_member
    if change is None:
        return
    svc = services(context)
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, change.from_user.id)
        if parent is None:
            return
        if change.new_chat_member.status in ("kicked", "left"):
            parent.status, parent.next_send_at = "blocked", None
            log.info("parent %s blocked the bot", parent.id)
        elif parent.status == "blocked":
            parent.status = "stopped"


async def report_error(update: object, context: Context) -> None:
    """Log a failed update (never the parent's words) and tell the parent something went wrong."""
    log.error("update failed: %s", type(context.error).__name__, exc_info=context.error)
