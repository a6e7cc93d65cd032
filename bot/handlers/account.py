"""The parent's controls: /help, /settings, /pause, /resume, /stop, /mydata, /delete."""

from __future__ import annotations

import datetime as dt
import io
import json

from telegram import Update

from bot.coaching.onboarding import FIELDS, awaiting
from bot.db import repository
from bot.db.models import Parent
from bot.enrollment import question, reschedule
from bot.handlers.common import Context, acknowledge, guess_language, say
from bot.services import services
from bot.texts import text
from bot.views import Say, confirm_buttons, settings_buttons, when_phrase

MAX_PAUSE_DAYS = 90


async def show_help(update: Update, context: Context) -> None:
    """/help: what the bot can do."""
    assert update.effective_user is not None
    svc = services(context)
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
    await say(
        update, context, Say(text(parent.language if parent else guess_language(update), "help"))
    )


async def show_settings(update: Update, context: Context) -> None:
    """/settings: a menu of what can be changed."""
    async with _enrolled(update, context) as parent:
        if parent is None:
            return
        buttons = settings_buttons(
            parent.language,
            send_time=parent.send_time.strftime("%H:%M"),
            timezone=parent.timezone,
            cadence=parent.cadence,
        )
        await say(update, context, Say(text(parent.language, "settings"), buttons))


async def choose_setting(update: Update, context: Context) -> None:
    """A tap in the settings menu (set:<field>): ask for the new value."""
    query = update.callback_query
    assert query is not None and query.data is not None
    field = query.data.split(":", 1)[1]
    async with _enrolled(update, context) as parent:
        if parent is None:
            await acknowledge(update)
            return
        if field not in FIELDS:
            await acknowledge(update, text(parent.language, "button_expired"))
            return
        parent.awaiting = awaiting("set", field)
        await acknowledge(update)
        await say(update, context, question(parent, field, services(context).clock.now().date()))


async def pause(update: Update, context: Context) -> None:
    """/pause [days]: no messages until /resume, or for that many days."""
    args = context.args or []
    async with _enrolled(update, context) as parent:
        if parent is None:
            return
        if len(args) > 1 or (
            args and not (args[0].isdigit() and 1 <= int(args[0]) <= MAX_PAUSE_DAYS)
        ):
            await say(update, context, Say(text(parent.language, "pause_bad")))
            return
        now = services(context).clock.now()
        parent.status, parent.next_send_at = "paused", None
        if args:
            parent.paused_until = now + dt.timedelta(days=int(args[0]))
            day = parent.paused_until.date().isoformat()
            await say(update, context, Say(text(parent.language, "paused", date=day)))
        else:
            parent.paused_until = None
            await say(update, context, Say(text(parent.language, "paused_open")))


async def resume(update: Update, context: Context) -> None:
    """/resume: messages start again from the next chosen time."""
    async with _enrolled(update, context) as parent:
        if parent is None:
            return
        now = services(context).clock.now()
        key = "not_paused"
        if parent.status in ("paused", "stopped"):
            parent.status, parent.paused_until, parent.unanswered_count = "active", None, 0
            reschedule(parent, now)
            key = "resumed"
        when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
        await say(update, context, Say(text(parent.language, key, when=when)))


async def ask_stop(update: Update, context: Context) -> None:
    """/stop (or STOP, PARAR): confirm before stopping."""
    async with _enrolled(update, context) as parent:
        if parent is None:
            return
        await say(
            update,
            context,
            Say(text(parent.language, "stop_confirm"), confirm_buttons(parent.language, "stop")),
        )


async def ask_delete(update: Update, context: Context) -> None:
    """/delete: confirm before erasing everything."""
    assert update.effective_user is not None
    svc = services(context)
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
    if parent is None:
        await say(update, context, Say(text(guess_language(update), "deleted")))
        return
    await say(
        update,
        context,
        Say(text(parent.language, "delete_confirm"), confirm_buttons(parent.language, "delete")),
    )


async def confirm(update: Update, context: Context) -> None:
    """stop:yes|no and delete:yes|no."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    action, answer = query.data.split(":", 1)
    svc = services(context)
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or answer not in ("yes", "no"):
            await acknowledge(update, text(guess_language(update), "button_expired"))
            return
        await acknowledge(update)
        language = parent.language
        if answer == "no":
            await say(update, context, Say(text(language, f"{action}_cancelled")))
            return
        if action == "delete":
            await repository.erase_parent(session, parent)
        else:
            parent.status, parent.next_send_at, parent.awaiting = "stopped", None, None
    if answer == "yes":
        await say(
            update, context, Say(text(language, "deleted" if action == "delete" else "stopped"))
        )


async def export_data(update: Update, context: Context) -> None:
    """/mydata: everything we keep about the parent, as a JSON file."""
    assert update.effective_user is not None and update.effective_chat is not None
    svc = services(context)
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None:
            await say(update, context, Say(text(guess_language(update), "not_enrolled")))
            return
        data = await repository.export_parent(session, parent)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        update.effective_chat.id,
        document=io.BytesIO(payload),
        filename="tend-my-data.json",
        caption=text(parent.language, "mydata"),
    )


class _enrolled:
    """`async with _enrolled(update, context) as parent`: the parent in a transaction, or a
    kind pointer to /start (and None) for someone who has not finished joining."""

    def __init__(self, update: Update, context: Context) -> None:
        self._update, self._context = update, context
        self._transaction = services(context).sessions.begin()

    async def __aenter__(self) -> Parent | None:
        session = await self._transaction.__aenter__()
        user = self._update.effective_user
        assert user is not None
        parent = await repository.find_parent(session, user.id)
        if parent is None or parent.status in ("onboarding", "blocked"):
            await say(
                self._update, self._context, Say(text(guess_language(self._update), "not_enrolled"))
            )
            return None
        return parent

    async def __aexit__(self, *exc: object) -> None:
        await self._transaction.__aexit__(*exc)
