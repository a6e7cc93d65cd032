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
from bot.handlers.common import Answer, Context, guess_language
from bot.services import services
from bot.texts import text
from bot.views import Say

log = logging.getLogger(__name__)


async def route_text(update: Update, context: Context) -> None:
    """Typed text: a crisis answer first, then the open question, STOP words, or a reply."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    svc = services(context)
    crisis = screen_for_crisis(message.text)
    answer = Answer()
    parent_id = None
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        parent_id = parent.id if parent else None
        if parent is None or parent.status == "blocked":
            if crisis is not None:
                daily.crisis_answer(svc, guess_language(update), crisis, answer)
            else:
                answer.say(Say(text(guess_language(update), "not_enrolled")))
        elif is_stop_word(message.text):
            answer.say(account.stop_question(parent.language))
        elif parent.awaiting and crisis is None:
            onboarding.answer_text(parent, message.text, svc.clock.now(), answer)
        elif parent.status == "onboarding" and crisis is None:
            answer.say(Say(text(parent.language, "not_enrolled")))
        else:
            await daily.record_text_reply(session, svc, parent, update, answer)
    await answer.send(update, context)
    if crisis is not None:
        await daily.alert_staff(context, crisis, parent_id)


async def route_media(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes: kept as 'something was sent', answered kindly."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        language = parent.language if parent else guess_language(update)
        if parent is None:
            answer.say(Say(text(language, "not_enrolled")))
        else:
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
                daily.note_reply(parent, svc.clock.now())
            answer.say(Say(text(language, "not_text")))
    await answer.send(update, context)


async def unknown_command(update: Update, context: Context) -> None:
    """Any command we do not know points to /help."""
    user = update.effective_user
    assert user is not None
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, user.id)
    answer = Answer()
    answer.say(Say(text(parent.language if parent else guess_language(update), "unknown_command")))
    await answer.send(update, context)


async def create_invite(update: Update, context: Context) -> None:
    """/invite [label] (staff only): a fresh invite code and its deep link."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    answer = Answer()
    if user.id not in svc.settings.admin_ids:
        answer.say(Say(text(guess_language(update), "not_admin")))
    else:
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
        answer.say(Say(text(guess_language(update), "invite_created", code=code, link=link)))
    await answer.send(update, context)


async def chat_member_changed(update: Update, context: Context) -> None:
    """A parent blocked (or unblocked) the bot: stop sending at once, or welcome them back."""
    change = update.my_chat_member
    if change is None:
        return
    async with services(context).sessions.begin() as session:
        parent = await repository.find_parent(session, change.from_user.id)
        if parent is None:
            return
        if change.new_chat_member.status in ("kicked", "left"):
            parent.status, parent.next_send_at = "blocked", None
            log.info("parent %s blocked the bot", parent.id)
        elif parent.status == "blocked":
            parent.status = "stopped"


async def report_error(update: object, context: Context) -> None:
    """Log a failed update by its type only (parents' words never reach the logs), and tell
    the parent kindly that it did not go through, so they can try again."""
    log.error("update failed: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(
            update.effective_chat.id, text(guess_language(update), "fault")
        )
    except Exception:  # the apology is best effort; the failure is already logged
        log.warning("could not tell chat about a failed update")
