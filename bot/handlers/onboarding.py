"""Joining: /start (with or without an invite code), the questions, the summary, and edits."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update

from bot.coaching.onboarding import FIELDS, after_answer, awaiting, split_awaiting
from bot.coaching.parsing import NotUnderstood
from bot.db import repository
from bot.db.models import Parent
from bot.enrollment import apply_typed_answer, question, reschedule
from bot.handlers.common import Context, acknowledge, guess_language, say
from bot.services import services
from bot.texts import text
from bot.views import Say, when_phrase

log = logging.getLogger(__name__)

MAX_ANSWER_LENGTH = 200


async def start(update: Update, context: Context) -> None:
    """Welcome a new parent (invite code or self-signup), or welcome one back."""
    svc = services(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    now = svc.clock.now()
    code = context.args[0] if context.args else None
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        if parent is not None and parent.status != "onboarding":
            await _welcome_back(update, context, parent)
            return
        invite = await repository.find_invite(session, code) if code else None
        if code and (
            invite is None
            or invite.revoked_at is not None
            or (invite.max_uses is not None and invite.uses >= invite.max_uses)
        ):
            await say(update, context, Say(text(guess_language(update), "invite_invalid")))
            return
        if invite is None and parent is None and not svc.settings.self_signup:
            await say(update, context, Say(text(guess_language(update), "signup_closed")))
            return
        if parent is None:
            parent = Parent(
                telegram_user_id=user.id,
                chat_id=chat.id,
                language=guess_language(update),
                timezone=svc.settings.default_timezone,
                created_at=now,
                status="onboarding",
                cadence="daily",
                unanswered_count=0,
            )
            session.add(parent)
        if invite is not None and parent.invite_id != invite.id:
            parent.invite_id = invite.id
            invite.uses += 1
        parent.awaiting = awaiting("ob", "language")
        first = f", {user.first_name}" if user.first_name else ""
        welcome = question(parent, "language", now.date())
        await say(
            update, context, Say(text(parent.language, "welcome", name_part=first), welcome.buttons)
        )


async def _welcome_back(update: Update, context: Context, parent: Parent) -> None:
    svc = services(context)
    now = svc.clock.now()
    if parent.status in ("stopped", "blocked", "paused"):
        parent.status = "active"
        parent.paused_until = None
        parent.unanswered_count = 0
        reschedule(parent, now)
        await say(update, context, Say(text(parent.language, "welcome_back")))
        return
    when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
    await say(update, context, Say(text(parent.language, "already_active", time=when)))


async def answer_button(update: Update, context: Context) -> None:
    """A tap on an onboarding or settings button: ob:<field>:<value>."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    _, field, value = query.data.split(":", 2)
    svc = services(context)
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        expected = split_awaiting(parent.awaiting if parent else None)
        if (
            field == "fix"
            and parent is not None
            and parent.awaiting == "ob:summary"
            and value in FIELDS
        ):
            parent.awaiting = awaiting("fix", value)
            await acknowledge(update)
            await say(update, context, question(parent, value, now.date()))
            return
        if parent is None or expected is None or expected[1] != field:
            await acknowledge(update, text(parent.language if parent else "en", "button_expired"))
            return
        mode = expected[0]
        if field == "consent" and value == "no":
            await repository.erase_parent(session, parent)
            await acknowledge(update)
            await say(update, context, Say(text(parent.language, "consent_declined")))
            return
        if field == "summary":
            parent.status, parent.awaiting = "active", None
            reschedule(parent, now)
            await acknowledge(update, text(parent.language, "saved"))
            when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
            await say(update, context, Say(text(parent.language, "enrolled", when=when)))
            return
        if field == "timezone" and value == "other":
            await acknowledge(update)
            await say(update, context, Say(text(parent.language, "type_city")))
            return
        if not _apply_button(parent, field, value, now):
            await acknowledge(update, text(parent.language, "button_expired"))
            return
        await acknowledge(update, text(parent.language, "saved"))
        await _next_question(update, context, parent, mode, field)


def _apply_button(parent: Parent, field: str, value: str, now: dt.datetime) -> bool:
    """Store a button answer; False when the button does not fit (old or forged)."""
    if field == "language" and value in ("en", "es"):
        parent.language = value
    elif field == "consent" and value == "yes":
        parent.consented_at = now
    elif field == "child_name" and value == "skip":
        if parent.child is not None:
            parent.child.name = None
    elif field in ("send_time", "timezone"):
        try:
            apply_typed_answer(parent, field, value, now.date())
        except NotUnderstood:
            return False
    elif field == "cadence" and value in ("daily", "three_a_week"):
        parent.cadence = value
    else:
        return False
    return True


async def answer_text(update: Update, context: Context, parent: Parent) -> None:
    """A typed answer to the question the parent is on; re-asked kindly when unreadable."""
    svc = services(context)
    now = svc.clock.now()
    message = update.effective_message
    assert message is not None and message.text is not None
    found = split_awaiting(parent.awaiting)
    assert found is not None
    mode, field = found
    if field in ("language", "consent", "summary", "cadence"):
        await say(update, context, Say(text(parent.language, "use_buttons")))
        return
    if len(message.text) > MAX_ANSWER_LENGTH:
        await say(update, context, Say(text(parent.language, "too_long", limit=MAX_ANSWER_LENGTH)))
        return
    try:
        apply_typed_answer(parent, field, message.text, now.date())
    except NotUnderstood as problem:
        await say(update, context, Say(text(parent.language, problem.reason)))
        return
    await _next_question(update, context, parent, mode, field)


async def _next_question(
    update: Update, context: Context, parent: Parent, mode: str, field: str
) -> None:
    now = services(context).clock.now()
    parent.awaiting = after_answer(mode, field)
    if parent.awaiting is None:
        if parent.status == "active":
            reschedule(parent, now)
        when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
        await say(update, context, Say(text(parent.language, "settings_saved", when=when)))
        return
    next_field = parent.awaiting.split(":", 1)[1]
    await say(update, context, question(parent, next_field, now.date()))
