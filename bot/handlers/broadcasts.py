"""Staff broadcasts in chat: compose (/broadcast), preview as a family sees it with the number
of recipients, send now or schedule (/schedule), watch one message edited with progress, and
list or cancel (/broadcasts). Every copy goes through the outbox at bulk priority, so a
broadcast never holds up an answer to a family that is chatting."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from bot.audience import Audience, AudienceError, describe, parse_filters
from bot.db.models import Broadcast, StaffRole
from bot.handlers.access import permitted
from bot.handlers.common import Answer, Context, guess_language, wake_sender
from bot.roles import Action
from bot.services import SENDER_KEY, SERVICES_KEY, Services, services
from bot.texts import text
from bot.views import Say, callback_id
from scheduler import broadcasts
from scheduler.sender import Sender

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
PROGRESS_SECONDS = 2.0
MAX_TEXT = 4000
MAX_CAPTION = 1024


def _control(language: str, broadcast: Broadcast, count: int) -> Say:
    audience = describe(Audience.from_json(broadcast.audience))
    return Say(
        text(
            language,
            "broadcast_preview",
            id=broadcast.id,
            audience=audience,
            count=count,
        ),
        (
            ((text(language, "broadcast_send_now"), f"bc:send:{broadcast.id}"),),
            ((text(language, "broadcast_cancel"), f"bc:cancel:{broadcast.id}"),),
        ),
    )


async def compose(update: Update, context: Context) -> None:
    """/broadcast [lang:es age:12-23 visitor:ID status:quiet after:DATE before:DATE] text, or a
    photo whose caption is that: a draft, its preview, and the number of families."""
    if await permitted(update, context, Action.BROADCAST) is None:
        return
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    svc = services(context)
    language = guess_language(update)
    photo = message.photo[-1].file_id if message.photo else None
    body = (message.text or message.caption or "").split(maxsplit=1)
    words = body[1].split(" ") if len(body) > 1 else []
    answer = Answer()
    try:
        audience, rest = parse_filters(words)
    except AudienceError as error:
        answer.say(Say(text(language, "broadcast_bad_filter", problem=str(error))))
        await answer.send(update, context)
        return
    words_text = " ".join(rest).strip()
    if not words_text:
        answer.say(Say(text(language, "broadcast_usage")))
        await answer.send(update, context)
        return
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        broadcast = Broadcast(
            created_by=user.id,
            created_at=now,
            text=words_text[: MAX_CAPTION if photo else MAX_TEXT],
            photo_file_id=photo,
            audience=audience.to_json(),
            status="draft",
            mode="now",
            total=0,
            progress_chat_id=chat.id,
        )
        session.add(broadcast)
        await session.flush()
        count = await broadcasts.audience_size(
            session, audience, now, quiet_days=svc.settings.quiet_days
        )
    # The preview is the very message every family will get, then the choice: in order, and
    # straight to the staff member's own chat (one-offs to staff).
    try:
        await context.bot.send_message(chat.id, text(language, "broadcast_preview_intro"))
        if photo:
            await context.bot.send_photo(chat.id, photo, caption=broadcast.text)
        else:
            await context.bot.send_message(chat.id, broadcast.text)
    except TelegramError:
        log.warning("could not show a broadcast preview")
    answer.say(_control(language, broadcast, count))
    await answer.send(update, context)


async def schedule(update: Update, context: Context) -> None:
    """/schedule <id> YYYY-MM-DD HH:MM [local]: at that UTC time, or that time in each
    family's own timezone."""
    if await permitted(update, context, Action.BROADCAST) is None:
        return
    svc = services(context)
    language = guess_language(update)
    args = list(context.args or [])
    answer = Answer()
    moment: dt.datetime | None = None
    broadcast_id = callback_id(args[0]) if args else None
    local = len(args) == 4 and args[3].lower() == "local"
    try:
        if broadcast_id is not None and len(args) in (3, 4):
            day, clock_time = dt.date.fromisoformat(args[1]), dt.time.fromisoformat(args[2])
            moment = dt.datetime.combine(day, clock_time, dt.UTC)
    except ValueError:
        moment = None
    if broadcast_id is None or moment is None:
        answer.say(Say(text(language, "schedule_usage")))
        await answer.send(update, context)
        return
    async with svc.sessions.begin() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.status != "draft":
            answer.say(Say(text(language, "broadcast_not_draft")))
        else:
            broadcast.status = "scheduled"
            if local:
                broadcast.mode, broadcast.local_date = "local", moment.date()
                broadcast.local_time = moment.time()
            else:
                broadcast.mode, broadcast.send_at = "at", moment
            key = "broadcast_scheduled_local" if local else "broadcast_scheduled"
            answer.say(
                Say(
                    text(
                        language,
                        key,
                        id=broadcast.id,
                        date=moment.date().isoformat(),
                        time=moment.strftime("%H:%M"),
                    )
                )
            )
    await answer.send(update, context)


async def answer_button(update: Update, context: Context) -> None:
    """bc:send:<id> sends a draft now; bc:cancel:<id> cancels a draft, a scheduled or a
    running broadcast. A replayed tap does nothing twice."""
    query = update.callback_query
    if query is None:
        return
    if await permitted(update, context, Action.BROADCAST) is None:
        return
    svc = services(context)
    language = guess_language(update)
    parts = (query.data or "").split(":")
    broadcast_id = callback_id(parts[2]) if len(parts) == 3 else None
    answer = Answer()
    now = svc.clock.now()
    fired = False
    async with svc.sessions.begin() as session:
        broadcast = (
            await session.get(Broadcast, broadcast_id, with_for_update=True)
            if broadcast_id is not None
            else None
        )
        if broadcast is None or parts[1] not in ("send", "cancel"):
            answer.toast = text(language, "button_expired")
        elif parts[1] == "send":
            if broadcast.status != "draft":
                answer.toast = text(language, "broadcast_already", id=broadcast.id)
            else:
                broadcast.send_at = now
                count = await broadcasts.fire(
                    session, broadcast, now, quiet_days=svc.settings.quiet_days
                )
                answer.toast = text(language, "broadcast_started", id=broadcast.id, count=count)
                fired = True
        elif broadcast.status in ("done", "cancelled"):
            answer.toast = text(language, "broadcast_already", id=broadcast.id)
        else:
            stopped = await broadcasts.cancel(session, broadcast, now)
            answer.toast = text(language, "broadcast_cancelled", id=broadcast.id)
            answer.say(
                Say(text(language, "broadcast_cancelled_rows", id=broadcast.id, count=stopped))
            )
    await answer.send(update, context)
    if fired and broadcast is not None:
        watch(context.application, broadcast.id)
        wake_sender(context)


async def list_broadcasts(update: Update, context: Context) -> None:
    """/broadcasts: drafts, scheduled and running broadcasts, each with a cancel button."""
    if await permitted(update, context, Action.BROADCAST) is None:
        return
    svc = services(context)
    language = guess_language(update)
    async with svc.sessions() as session:
        found = (
            await session.scalars(
                select(Broadcast)
                .where(Broadcast.status.in_(("draft", "scheduled", "sending")))
                .order_by(Broadcast.id)
            )
        ).all()
        lines = [text(language, "broadcasts_header")] if found else []
        for broadcast in found:
            moment = broadcasts.fire_moment(broadcast)
            done = await broadcasts.progress(session, broadcast)
            when = (
                f"{broadcast.local_date} {broadcast.local_time:%H:%M} local"
                if broadcast.mode == "local" and broadcast.local_time
                else (f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "—")
            )
            lines.append(
                text(
                    language,
                    "broadcasts_line",
                    id=broadcast.id,
                    status=text(language, f"broadcast_status_{broadcast.status}"),
                    when=when,
                    sent=done.sent,
                    total=broadcast.total,
                    preview=broadcast.text[:40],
                )
            )
    answer = Answer()
    if not found:
        answer.say(Say(text(language, "broadcasts_none")))
    else:
        answer.say(
            Say(
                "\n".join(lines),
                tuple(
                    ((text(language, "broadcast_cancel_id", id=b.id), f"bc:cancel:{b.id}"),)
                    for b in found
                ),
            )
        )
    await answer.send(update, context)


# --- progress, and what each tick does ---


def _job_name(broadcast_id: int) -> str:
    return f"tend-broadcast-{broadcast_id}"


def watch(application: AnyApplication, broadcast_id: int) -> None:
    """Edit the staff message with progress until the broadcast is done (a PTB job)."""
    queue = application.job_queue
    if queue is None or queue.get_jobs_by_name(_job_name(broadcast_id)):
        return
    queue.run_repeating(
        _report_progress,
        interval=PROGRESS_SECONDS,
        first=0.2,
        data=broadcast_id,
        name=_job_name(broadcast_id),
    )


async def _report_progress(context: CallbackContext[Any, Any, Any, Any]) -> None:
    job = context.job
    assert job is not None and isinstance(job.data, int)
    svc: Services = context.application.bot_data[SERVICES_KEY]
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        broadcast = await session.get(Broadcast, job.data)
        if broadcast is None or broadcast.status not in ("sending", "done", "cancelled"):
            job.schedule_removal()
            return
        done = await broadcasts.progress(session, broadcast)
        finished = done.finished or broadcast.status == "cancelled"
        if finished and broadcast.status == "sending":
            broadcast.status, broadcast.finished_at = "done", now
        chat, message_id = broadcast.progress_chat_id, broadcast.progress_message_id
        language = await _staff_language(session, broadcast.created_by)
        body = _progress_text(language, broadcast, done, finished, now)
    if finished:
        job.schedule_removal()
    if chat is None:
        return
    sender = context.application.bot_data.get(SENDER_KEY)
    if isinstance(sender, Sender):
        await sender.limiter.acquire(chat)  # edits share the token's budget
    try:
        if message_id is None:
            sent = await context.bot.send_message(chat, body)
            async with svc.sessions.begin() as session:
                broadcast = await session.get(Broadcast, job.data)
                if broadcast is not None:
                    broadcast.progress_message_id = sent.message_id
        else:
            await context.bot.edit_message_text(body, chat_id=chat, message_id=message_id)
    except TelegramError as error:  # "message is not modified" and the like
        log.info("broadcast progress not shown: %s", type(error).__name__)


async def _staff_language(session: AsyncSession, telegram_user_id: int | None) -> str:
    row = await session.get(StaffRole, telegram_user_id) if telegram_user_id else None
    return row.language if row is not None else "en"


def _progress_text(
    language: str,
    broadcast: Broadcast,
    done: broadcasts.Progress,
    finished: bool,
    now: dt.datetime,
) -> str:
    if finished:
        return text(
            language,
            "broadcast_done",
            id=broadcast.id,
            sent=done.sent,
            failed=done.failed,
            cancelled=done.cancelled,
            total=broadcast.total,
        )
    started = broadcast.started_at or now
    elapsed = max(0.001, (now - started).total_seconds())
    rate = done.sent / elapsed if done.sent else 0.0
    eta = f"{done.left / rate:.0f}" if rate > 0 else "?"
    return text(
        language,
        "broadcast_progress",
        id=broadcast.id,
        sent=done.sent,
        failed=done.failed,
        left=done.left,
        total=broadcast.total,
        eta=eta,
    )


async def tick(application: AnyApplication) -> int:
    """Each tick: fire scheduled broadcasts that are due, and (after a restart) watch those
    still going out."""
    svc: Services = application.bot_data[SERVICES_KEY]
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        due = await broadcasts.due_broadcasts(session, now)
        for broadcast in due:
            await broadcasts.fire(session, broadcast, now, quiet_days=svc.settings.quiet_days)
        running = (
            await session.scalars(select(Broadcast.id).where(Broadcast.status == "sending"))
        ).all()
    for broadcast_id in running:
        watch(application, broadcast_id)
    return len(due)
