"""Joining: /start (with or without an invite code), the questions, the summary, and edits."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot import invites, lifecycle
from bot.coaching.onboarding import (
    FIELDS,
    after_answer,
    awaiting,
    date_button_value,
    split_awaiting,
)
from bot.coaching.parsing import AmbiguousDate, DidYouMean, NotUnderstood
from bot.db import repository
from bot.db.models import Parent
from bot.enrollment import apply_typed_answer, editing_child, looks_like_a_reply, question
from bot.handlers import life
from bot.handlers.common import Answer, Context, guess_language
from bot.lifecycle import ParentStatus
from bot.services import services
from bot.texts import text
from bot.views import Say, date_choice, place_guess, when_phrase

MAX_ANSWER_LENGTH = 200


async def start(update: Update, context: Context) -> None:
    """Welcome a new parent (invite code or self-signup), or welcome one back."""
    svc = services(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    now = svc.clock.now()
    code = context.args[0] if context.args else None
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        locked = bool(code) and await invites.locked_out(session, user.id, now)
        invite = await repository.find_invite(session, code) if code and not locked else None
        if parent is not None and lifecycle.has_ended(parent):
            answer.say(*life.welcome_back_after_end(parent, now))
        elif parent is not None and lifecycle.status_of(parent) is not ParentStatus.ONBOARDING:
            welcome_back(parent, now, answer)
        elif locked:
            answer.say(Say(text(guess_language(update), "invite_locked")))
        elif code and not invites.usable(invite, now):
            if invite is None:
                await invites.record_wrong_code(session, user.id, now)
            answer.say(Say(text(guess_language(update), "invite_invalid")))
        elif invite is None and parent is None and not svc.settings.self_signup:
            answer.say(Say(text(guess_language(update), "signup_closed")))
        else:
            if parent is None:
                parent = lifecycle.new_parent(
                    telegram_user_id=user.id,
                    chat_id=chat.id,
                    language=guess_language(update),
                    timezone=svc.settings.default_timezone,
                    now=now,
                )
                session.add(parent)
            if invite is not None:
                parent.invite_id = invite.id  # the use is spent at consent (bot.invites)
            parent.awaiting = awaiting("ob", "language")
            first = f", {user.first_name}" if user.first_name else ""
            buttons = question(parent, "language", now.date()).buttons
            answer.say(Say(text(parent.language, "welcome", name_part=first), buttons))
    await answer.send(update, context)


def welcome_back(parent: Parent, now: dt.datetime, answer: Answer) -> None:
    """/start from someone who joined before: restart what was stopped, or say when's next."""
    if lifecycle.status_of(parent) is not ParentStatus.ACTIVE:
        lifecycle.resume(parent, now)
        answer.say(Say(text(parent.language, "welcome_back")))
        return
    when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
    answer.say(Say(text(parent.language, "already_active", when=when)))


async def answer_button(update: Update, context: Context) -> None:
    """A tap on an onboarding or settings button: ob:<field>:<value>."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    _, field, value = [*(query.data or "").split(":", 2), "", ""][:3]
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        expected = split_awaiting(parent.awaiting if parent else None)
        language = parent.language if parent else guess_language(update)
        if parent is None or expected is None:
            answer.toast = text(language, "button_expired")
        elif field == "fix" and parent.awaiting == "ob:summary" and value in FIELDS:
            parent.awaiting = awaiting("fix", value)
            answer.say(question(parent, value, now.date()))
        elif expected[1] != field:
            answer.toast = text(language, "button_expired")
        elif field == "consent" and value == "no":
            await lifecycle.erase(session, parent)
            answer.say(Say(text(language, "consent_declined")))
        elif (
            field == "consent"
            and value == "yes"
            and not await invites.consent_allowed(
                session,
                parent,
                now,
                first_name=update.effective_user.first_name,
                self_signup=svc.settings.self_signup,
            )
        ):
            await lifecycle.erase(session, parent)
            answer.say(Say(text(language, "invite_invalid")))
        elif field == "summary":
            lifecycle.enroll(parent, now)
            answer.toast = text(language, "saved")
            when = when_phrase(language, parent.next_send_at, parent.timezone, now)
            answer.say(Say(text(language, "enrolled", when=when)))
        elif field == "timezone" and value == "other":
            answer.say(Say(text(language, "type_city")))
        elif _apply_button(parent, field, value, now, expected[0]):
            answer.toast = text(parent.language, "saved")
            next_question(parent, expected[0], field, now, answer)
        else:
            answer.toast = text(language, "button_expired")
    await answer.send(update, context)


def _apply_button(parent: Parent, field: str, value: str, now: dt.datetime, mode: str) -> bool:
    """Store a button answer; False when the button does not fit (old or forged)."""
    if field == "language" and value in ("en", "es"):
        parent.language = value
    elif field == "consent" and value == "yes":
        parent.consented_at = now
    elif field == "child_name" and value == "skip":
        child = editing_child(parent, mode)
        if child is not None:
            child.name = None
    elif field in ("send_time", "timezone") or (field == "child_date" and date_button_value(value)):
        try:
            apply_typed_answer(parent, field, value, now.date(), mode)
        except NotUnderstood:
            return False
    elif field == "cadence" and value in ("daily", "three_a_week"):
        parent.cadence = value
    else:
        return False
    return True


def answer_text(parent: Parent, typed: str, now: dt.datetime, answer: Answer) -> bool:
    """A typed answer to the question the parent is on; re-asked kindly when unreadable.

    False, with nothing said, when a joined parent's words are clearly not an answer to a
    settings question ("We read a book together" for a timezone): the caller keeps them as
    a reply and asks the question again."""
    found = split_awaiting(parent.awaiting)
    assert found is not None
    mode, field = found
    settings_question = mode in ("set", "add") and lifecycle.has_joined(parent)
    if field in ("language", "consent", "summary", "cadence"):
        if settings_question and looks_like_a_reply(field, typed):
            return False
        answer.say(Say(text(parent.language, "use_buttons")))
        return True
    # Any few words make a name, so a sentence is caught before it is taken for one.
    if settings_question and field == "child_name" and looks_like_a_reply(field, typed):
        return False
    if len(typed) > MAX_ANSWER_LENGTH:
        if settings_question:
            return False
        answer.say(Say(text(parent.language, "too_long", limit=MAX_ANSWER_LENGTH)))
        return True
    try:
        apply_typed_answer(parent, field, typed, now.date(), mode)
    except AmbiguousDate as unsure:
        answer.say(date_choice(parent.language, unsure.readings))
        return True
    except DidYouMean as guess:
        answer.say(place_guess(parent.language, guess.place, guess.zone))
        return True
    except NotUnderstood as problem:
        if settings_question and looks_like_a_reply(field, typed):
            return False
        answer.say(Say(text(parent.language, problem.reason)))
        return True
    next_question(parent, mode, field, now, answer)
    return True


def next_question(parent: Parent, mode: str, field: str, now: dt.datetime, answer: Answer) -> None:
    """After an answer: the next question, the summary again, or 'saved' from /settings."""
    parent.awaiting = after_answer(mode, field)
    if parent.awaiting is None and mode == "add":
        life.child_added(parent, now, answer)
        return
    if parent.awaiting is None:
        if lifecycle.status_of(parent) is ParentStatus.ACTIVE:
            lifecycle.reschedule(parent, now)
        when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
        # A new language is confirmed in that language, so the parent sees it took.
        saved = "language_saved" if field == "language" else "settings_saved"
        answer.say(Say(text(parent.language, saved, when=when)))
        return
    next_field = parent.awaiting.split(":", 1)[1]
    answer.say(question(parent, next_field, now.date(), mode))
