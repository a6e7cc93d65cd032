"""The daily loop, parent side: quick replies, their own words, a repair tip on request."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message as TelegramMessage
from telegram import Update
from telegram.error import TelegramError

from bot.coaching.cadence import restored
from bot.coaching.replies import ALL_CHOICES
from bot.coaching.reply_plan import ack_decisions, plan_reply, reply_decision
from bot.coaching.schedule import local_date_of
from bot.coaching.signals import read_signals
from bot.db import adaptation, repository
from bot.db.models import Parent, Reply
from bot.enrollment import child_age, child_name
from bot.handlers.common import Answer, Context, guess_language, readable
from bot.handlers.taps import Refused, one_of, read_tap
from bot.lifecycle import ParentStatus, has_joined, lift_hush
from bot.markup import markup_of
from bot.services import Services, services
from bot.texts import text
from bot.views import Say, answered_buttons, compose, reply_buttons
from messages.library import Message
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority

log = logging.getLogger(__name__)

MAX_STORED_TEXT = 4096


async def answer_reply_button(update: Update, context: Context) -> None:
    """A tap on a quick reply (r:<delivery>:<key>): stored with the delivery it answers, once.

    The first tap is the answer: the keyboard turns into it ("✓ We tried it"), and any later
    tap on that message (or a redelivered update) changes nothing."""
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    answered = False
    async with svc.sessions.begin() as session:
        tap = await read_tap(session, update, one_of(*ALL_CHOICES))
        if isinstance(tap, Refused):
            answer.toast = text(tap.language, tap.toast)
        else:
            parent, delivery, (key,) = tap.parent, tap.delivery, tap.choice
            repository.add_button_reply(
                session,
                parent.id,
                delivery.id,
                update_id=update.update_id,
                received_at=now,
                choice=key,
            )
            await session.flush()  # the snapshot reads it; the parent's changes come later
            note_reply(parent, now)
            if key == "skip":
                parent.cadence = "three_a_week"
            answer.toast = text(parent.language, "saved")
            answered = True
            await respond(session, svc, parent, answer, key=key)
    if answered:
        await _show_answer(update)
    await answer.send(update, context)


async def _show_answer(update: Update) -> None:
    """The tapped message's quick replies become the one chosen."""
    query = update.callback_query
    assert query is not None
    markup = query.message.reply_markup if isinstance(query.message, TelegramMessage) else None
    if markup is None or query.data is None:
        return
    keyboard = [
        [(b.text, b.callback_data) for b in row if isinstance(b.callback_data, str)]
        for row in markup.inline_keyboard
    ]
    try:
        await query.edit_message_reply_markup(markup_of(answered_buttons(keyboard, query.data)))
    except TelegramError:  # the toast and the answer still say it was saved
        log.info("could not show the chosen quick reply")


async def store_reply(
    session: AsyncSession,
    svc: Services,
    parent: Parent,
    update: Update,
    *,
    text: str | None,
    file_id: str | None = None,
) -> Reply:
    """Keep what a parent sent, tied to the latest message they received (once per update)."""
    now = svc.clock.now()
    seen = await session.scalar(select(Reply).where(Reply.update_id == update.update_id))
    if seen is not None:
        return seen
    latest = await repository.latest_delivery(session, parent.id)
    reply = Reply(
        parent_id=parent.id,
        delivery_id=latest.id if latest else None,
        update_id=update.update_id,
        received_at=now,
        kind="media" if file_id else "text",
        text=readable(text)[:MAX_STORED_TEXT] if text else None,
        file_id=file_id,
    )
    session.add(reply)
    await session.flush()
    note_reply(parent, now)
    return reply


async def record_text_reply(
    session: AsyncSession, svc: Services, parent: Parent, update: Update, answer: Answer
) -> None:
    """A parent's own words (already screened): stored with their latest delivery, answered
    in kind (nothing again for a redelivered update)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    now = svc.clock.now()
    reply_id = await repository.insert_reply(
        session,
        parent.id,
        update.update_id,
        now,
        kind="text",
        text=readable(message.text)[:MAX_STORED_TEXT],
    )
    if reply_id is None:
        return
    note_reply(parent, now)
    lift_hush(parent)
    await respond(session, svc, parent, answer, words=message.text, reply_id=reply_id)


async def send_repair_now(update: Update, context: Context) -> None:
    """/repair: a repair tip right away, fitted to the child's age."""
    assert update.effective_user is not None
    svc = services(context)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or not has_joined(parent):
            language = parent.language if parent else guess_language(update)
            answer.say(Say(text(language, "not_enrolled")))
        elif parent.status == ParentStatus.STOPPED:
            answer.say(Say(text(parent.language, "repair_stopped")))
        else:
            await respond(session, svc, parent, answer, requested="repair")
    await answer.send(update, context)


async def respond(
    session: AsyncSession,
    svc: Services,
    parent: Parent,
    answer: Answer,
    *,
    key: str | None = None,
    words: str | None = None,
    requested: str | None = None,
    reply_id: int | None = None,
) -> None:
    """What to say back to a reply: one snapshot of the parent, one pure decision, applied.

    The plan reads the tapped key or the typed words itself; `reply_id` is the stored reply of
    those words."""
    if key == "skip":
        answer.say(Say(text(parent.language, "thanks_skip")))
        return
    now = svc.clock.now()
    signals = read_signals(words) if words is not None else None
    context = await adaptation.reply_context(
        session,
        svc.library,
        parent,
        now,
        key=key,
        signals=signals,
        requested=requested,
        reply_id=reply_id,
    )
    plan = plan_reply(context, svc.library)
    today = context.snapshot.today
    adaptation.apply_memory(parent, plan, today)
    if requested is None:
        # The parent's changes first: they are flushed once, by the next statement.
        _restore_cadence(parent, now)
        await adaptation.link_outcome(session, context.answered, plan, now)
    if plan.toast is not None:
        answer.toast = plan.toast.text
    rows = [
        Outgoing(
            chat_id=parent.chat_id,
            parent_id=parent.id,
            text=ack.text,
            kind="answer",
            message_id=ack.message_id,
            priority=Priority.NOW,
            local_date=today,
        )
        for ack in plan.say
    ]
    if plan.follow_up is not None:
        # The library row is built as every answer's is; it is queued here, with its decision.
        built = Answer()
        await deliver_now(session, svc, parent, plan.follow_up, built)
        rows.extend(item for item in built.items if isinstance(item, Outgoing))
    elif requested == "repair":
        answer.say(Say(text(parent.language, "no_repair")))
    ids = await outbox.enqueue(session, rows, now)
    if plan.follow_up is not None and ids:
        await adaptation.record_decision(
            session,
            parent.id,
            reply_decision(plan, context),
            delivery_id=ids[-1],
            now=now,
            local_date=today,
            slot="reply",
            child_ids=str(parent.child.id) if parent.child is not None else None,
        )
    for shown in ack_decisions(plan):
        await adaptation.record_decision(
            session, parent.id, shown, delivery_id=None, now=now, local_date=today, slot="reply"
        )


def _restore_cadence(parent: Parent, now: dt.datetime) -> None:
    """Any reply brings back the parent's own rhythm when silence had slowed it."""
    if parent.next_send_at is None or parent.status != "active":
        return
    parent.next_send_at = restored(
        parent.next_send_at,
        now,
        timezone=parent.timezone,
        send_time=parent.send_time,
        cadence=parent.cadence,
    )


async def deliver_now(
    session: AsyncSession, svc: Services, parent: Parent, message: Message, answer: Answer
) -> None:
    """A library message as an answer: queued with the handler's other answers, in order."""
    today = local_date_of(svc.clock.now(), parent.timezone)
    age = child_age(parent, today)
    body = message.render(child_name(parent), age)
    answer.deliver(
        Outgoing(
            chat_id=parent.chat_id,
            parent_id=parent.id,
            text=compose(parent.language, message.kind, age, body, message.title),
            buttons=reply_buttons(parent.language, outbox.ROW_ID, message, message.kind),
            kind=message.kind,
            message_id=message.id,
            priority=Priority.NOW,
            local_date=today,
        )
    )


def note_reply(parent: Parent, now: dt.datetime) -> None:
    parent.last_reply_at = now
    parent.unanswered_count = 0
