"""The parent's controls: /help, /settings, /pause, /resume, /stop, /mydata, /delete."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from telegram import Update

from bot.coaching.onboarding import FIELDS, awaiting
from bot.db import repository
from bot.db.models import Parent
from bot.enrollment import question, reschedule
from bot.handlers.common import Answer, Context, guess_language
from bot.services import services
from bot.texts import text
from bot.texts.formats import spoken_day
from bot.views import Say, confirm_buttons, settings_buttons, when_phrase

MAX_PAUSE_DAYS = 90


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
        if parent is None or parent.status in ("onboarding", "blocked"):
            answer.say(Say(text(guess_language(update), "not_enrolled")))
            yield None
        else:
            yield parent
    await answer.send(update, context)


async def show_help(update: Update, context: Context) -> None:
    """/help: what the bot can do."""
    assert update.effective_user is not None
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
    language = parent.language if parent else guess_language(update)
    answer = Answer()
    answer.say(Say(text(language, "help")))
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
            )
            answer.say(Say(text(parent.language, "settings"), buttons))


async def choose_setting(update: Update, context: Context) -> None:
    """A tap in the settings menu (set:<field>): ask for the new value."""
    query = update.callback_query
    assert query is not None and query.data is not None
    field = query.data.split(":", 1)[1]
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is None:
            pass
        elif field not in FIELDS:
            answer.toast = text(parent.language, "button_expired")
        else:
            parent.awaiting = awaiting("set", field)
            answer.say(question(parent, field, services(context).clock.now().date()))


async def pause(update: Update, context: Context) -> None:
    """/pause [days]: no messages until /resume, or for that many days."""
    args = context.args or []
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is None:
            return
        valid = not args or (
            len(args) == 1 and args[0].isdigit() and 1 <= int(args[0]) <= MAX_PAUSE_DAYS
        )
        if not valid:
            answer.say(Say(text(parent.language, "pause_bad")))
            return
        now = services(context).clock.now()
        parent.status, parent.next_send_at = "paused", None
        if args:
            parent.paused_until = now + dt.timedelta(days=int(args[0]))
            local = parent.paused_until.astimezone(ZoneInfo(parent.timezone))
            day = spoken_day(parent.language, local.date())
            answer.say(Say(text(parent.language, "paused", date=day)))
        else:
            parent.paused_until = None
            answer.say(Say(text(parent.language, "paused_open")))


async def resume(update: Update, context: Context) -> None:
    """/resume: messages start again from the next chosen time."""
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is None:
            return
        now = services(context).clock.now()
        key = "not_paused"
        if parent.status in ("paused", "stopped"):
            parent.status, parent.paused_until, parent.unanswered_count = "active", None, 0
            reschedule(parent, now)
            key = "resumed"
        when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
        answer.say(Say(text(parent.language, key, when=when)))


async def ask_stop(update: Update, context: Context) -> None:
    """/stop (or STOP, PARAR): confirm before stopping."""
    answer = Answer()
    async with enrolled_parent(update, context, answer) as parent:
        if parent is not None:
            answer.say(stop_question(parent.language))


def stop_question(language: str) -> Say:
    return Say(text(language, "stop_confirm"), confirm_buttons(language, "stop"))


async def ask_delete(update: Update, context: Context) -> None:
    """/delete: confirm before erasing everything."""
    assert update.effective_user is not None
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
    answer = Answer()
    if parent is None:
        answer.say(Say(text(guess_language(update), "deleted")))
    else:
        answer.say(
            Say(text(parent.language, "delete_confirm"), confirm_buttons(parent.language, "delete"))
        )
    await answer.send(update, context)


async def confirm(update: Update, context: Context) -> None:
    """stop:yes|no and delete:yes|no."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    action, choice = query.data.split(":", 1)
    answer = Answer()
    async with services(context).sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or choice not in ("yes", "no"):
            answer.toast = text(guess_language(update), "button_expired")
        elif choice == "no":
            answer.say(Say(text(parent.language, f"{action}_cancelled")))
        elif action == "delete":
            await repository.erase_parent(session, parent)
            answer.say(Say(text(parent.language, "deleted")))
        else:
            parent.status, parent.next_send_at, parent.awaiting = "stopped", None, None
            answer.say(Say(text(parent.language, "stopped")))
    await answer.send(update, context)


async def export_data(update: Update, context: Context) -> None:
    """/mydata: everything we keep about the parent, as a JSON file."""
    assert update.effective_user is not None and update.effective_chat is not None
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        data = await repository.export_parent(session, parent) if parent else None
    if parent is None or data is None:
        answer = Answer()
        answer.say(Say(text(guess_language(update), "not_enrolled")))
        await answer.send(update, context)
        return
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        update.effective_chat.id,
        document=io.BytesIO(payload),
        filename="tend-my-data.json",
        caption=text(parent.language, "mydata"),
    )
