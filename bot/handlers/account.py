"""The parent's controls: /help, /settings, /pause, /resume, /stop, /mydata, /delete."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_object_session
from telegram import Update
from telegram.error import TelegramError

from bot import lifecycle, mydata
from bot.coaching.onboarding import FIELDS, awaiting, split_awaiting
from bot.db import repository
from bot.db.models import Parent
from bot.enrollment import question
from bot.handlers.common import Answer, Context, guess_language
from bot.lifecycle import ParentStatus
from bot.services import services
from bot.texts import text
from bot.texts.formats import spoken_day
from bot.views import Say, command_name, confirm_buttons, settings_buttons, when_phrase

log = logging.getLogger(__name__)

MAX_PAUSE_DAYS = 90
# A /stop or /delete question can be answered for this long, once.
CONFIRM_FOR = dt.timedelta(minutes=30)
CONFIRM_ACTIONS = ("stop", "delete")


@asynccontextmanager
async def enrolled_parent(
    update: Update, context: Context, answer: Answer
) -> AsyncIterator[Parent | None]:
    """The parent in a transaction, or None (with a pointer to /start) for someone who has
    not finished joining. The answer is sent after the transaction commits."""
    user = update.effective_user
    assert user is not None
    async with services(context).sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        if parent is not None and lifecycle.has_ended(parent):
            answer.say(Say(text(parent.language, "ended_controls")))
            yield None
        elif parent is None or not lifecycle.has_joined(parent):
            answer.say(
                Say(text(parent.language if parent else guess_language(update), "not_enrolled"))
            )
            yield None
        else:
            yield parent
    await answer.send(update, context)


def _session_of(parent: Parent) -> AsyncSession:
    """The transaction `enrolled_parent` opened for this parent."""
    session = async_object_session(parent)
    assert session is not None
    return session


async def show_help(update: Update, context: Context) -> None:
    """/help: what the parent can do now (while joining, only what works while joining)."""
    assert update.effective_user is not None
    svc = services(context)
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
    answer = Answer()
    if parent is None:
        answer.say(Say(text(guess_language(update), "help_new")))
    elif lifecycle.status_of(parent) is ParentStatus.ONBOARDING:
        answer.say(Say(text(parent.language, "help_onboarding")))
        found = split_awaiting(parent.awaiting)
        if found is not None:
            answer.say(question(parent, found[1], svc.clock.now().date(), found[0]))
    else:
        answer.say(Say(text(parent.language, "help")))
    await answer.send(update, context)


async def show_settings(update: Update, context: Context) -> None:
    """/settings: a menu of what can be changed."""
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is not None:
            buttons = settings_buttons(
                parent.language,
                send_time=parent.send_time,
                timezone=parent.timezone,
                cadence=parent.cadence,
                children=len(parent.enrolled_children),
            )
            answer.say(Say(text(parent.language, "settings"), buttons))


async def choose_setting(update: Update, context: Context) -> None:
    """A tap in the settings menu (set:<field>): ask for the new value."""
    query = update.callback_query
    assert query is not None
    field = (query.data or "").split(":", 1)[-1]
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is None:
            pass
        elif field not in FIELDS:
            answer.toast = text(parent.language, "button_expired")
        else:
            parent.awaiting = awaiting("set", field)
            answer.say(question(parent, field, services(context).clock.now().date()))


def pause_days(args: list[str]) -> int | None:
    """The days of `/pause N` (1-90); 0 for an open pause; None for anything else."""
    if not args:
        return 0
    day = args[0]
    if len(args) != 1 or not (day.isascii() and day.isdigit()) or len(day) > 3:
        return None
    days = int(day)
    return days if 1 <= days <= MAX_PAUSE_DAYS else None


async def pause(update: Update, context: Context) -> None:
    """/pause [days]: no messages until /resume, or for that many days."""
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is None:
            return
        days = pause_days(context.args or [])
        if lifecycle.status_of(parent) is ParentStatus.STOPPED:
            answer.say(Say(text(parent.language, "pause_stopped")))
            return
        if days is None:
            answer.say(Say(text(parent.language, "pause_bad")))
            return
        now = services(context).clock.now()
        await lifecycle.pause(_session_of(parent), parent, now, days or None)
        if parent.paused_until is not None:
            local = parent.paused_until.astimezone(ZoneInfo(parent.timezone))
            day = spoken_day(parent.language, local.date())
            answer.say(Say(text(parent.language, "paused", date=day)))
        else:
            answer.say(Say(text(parent.language, "paused_open")))


async def resume(update: Update, context: Context) -> None:
    """/resume: messages start again from the next chosen time."""
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is None:
            return
        now = services(context).clock.now()
        key = "not_paused"
        if lifecycle.status_of(parent) in (ParentStatus.PAUSED, ParentStatus.STOPPED):
            lifecycle.resume(parent, now)
            key = "resumed"
        when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
        answer.say(Say(text(parent.language, key, when=when)))


async def ask_stop(update: Update, context: Context) -> None:
    """/stop (or STOP, PARAR): confirm before stopping."""
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is not None:
            answer.say(stop_question(parent, services(context).clock.now()))


def stop_question(parent: Parent, now: dt.datetime) -> Say:
    """ "Stop all messages?", bound to this one request."""
    token = open_confirmation(parent, "stop", now)
    return Say(
        text(parent.language, "stop_confirm"), confirm_buttons(parent.language, "stop", token)
    )


async def ask_delete(update: Update, context: Context) -> None:
    """/delete: confirm before erasing everything."""
    assert update.effective_user is not None
    svc = services(context)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None:
            answer.say(Say(text(guess_language(update), "deleted")))
        else:
            token = open_confirmation(parent, "delete", svc.clock.now())
            buttons = confirm_buttons(parent.language, "delete", token)
            answer.say(Say(text(parent.language, "delete_confirm"), buttons))
    await answer.send(update, context)


def open_confirmation(parent: Parent, action: str, now: dt.datetime) -> str:
    """A fresh request: its token goes in the buttons; an older question stops working."""
    token = secrets.token_urlsafe(6)
    parent.confirming = f"{action}:{token}"
    parent.confirm_expires_at = now + CONFIRM_FOR
    return token


async def confirm(update: Update, context: Context) -> None:
    """<stop|delete>:<token>:<yes|no>, answered once: the first answer spends the request,
    and the question is edited to say what happened."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    action, token, choice = [*(query.data or "").split(":"), "", "", ""][:3]
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    outcome: str | None = None
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        language = parent.language if parent else guess_language(update)
        live = (
            parent is not None
            and action in CONFIRM_ACTIONS
            and choice in ("yes", "no")
            and bool(token)
            and parent.confirming == f"{action}:{token}"
        )
        if parent is None or not live:
            answer.toast = text(language, "confirm_closed")
        else:
            expired = parent.confirm_expires_at is None or parent.confirm_expires_at <= now
            parent.confirming, parent.confirm_expires_at = None, None
            if expired:
                command = "/" + command_name(language, action)
                outcome = text(language, "confirm_expired", command=command)
            elif choice == "no":
                outcome = text(language, f"{action}_cancelled")
            elif action == "delete":
                await lifecycle.erase(session, parent)
                outcome = text(language, "deleted")
            else:
                await lifecycle.stop(session, parent)
                outcome = text(language, "stopped")
    if outcome is not None:
        await _replace_question(update, outcome)
        answer.late.append(Say(outcome))
    await answer.send(update, context)


async def _replace_question(update: Update, outcome: str) -> None:
    """The question's text becomes what happened, and its buttons go."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_text(outcome)
    except TelegramError:
        log.info("could not edit an answered confirmation")


async def export_data(update: Update, context: Context) -> None:
    """/mydata: everything we keep about the parent, as a JSON file in their language, with a
    summary of what it holds."""
    assert update.effective_user is not None and update.effective_chat is not None
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        data = await repository.export_parent(session, parent) if parent else None
    if parent is None or data is None:
        answer = Answer()
        answer.say(Say(text(guess_language(update), "not_enrolled")))
        await answer.send(update, context)
        return
    shown = mydata.readable(data, parent.language, parent.timezone)
    payload = json.dumps(shown, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        update.effective_chat.id,
        document=io.BytesIO(payload),
        filename="tend-my-data.json",
        caption=mydata.summary(data, parent.language),
    )
