"""The daily loop, parent side: quick replies, their own words, a repair tip on request."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.coaching.policy import pick, should_celebrate
from bot.coaching.replies import (
    ALL_CHOICES,
    Reading,
    read_choice,
    read_text,
    reply_to,
    topics_in_text,
)
from bot.coaching.schedule import local_date_of
from bot.db import repository
from bot.db.models import Parent, Reply
from bot.db.snapshots import snapshot_of
from bot.enrollment import child_age, child_name
from bot.handlers.common import Answer, Context, guess_language
from bot.lifecycle import lift_hush
from bot.services import Services, services
from bot.texts import text
from bot.views import Say, compose, reply_buttons
from messages.library import Message
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority

log = logging.getLogger(__name__)

MAX_STORED_TEXT = 4096


async def answer_reply_button(update: Update, context: Context) -> None:
    """A tap on a quick reply (r:<delivery>:<key>): stored with the delivery it answers."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    svc = services(context)
    now = svc.clock.now()
    parts = query.data.split(":")
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        delivery = None
        if (
            parent is not None
            and len(parts) == 3
            and parts[1].isdigit()
            and parts[2] in ALL_CHOICES
        ):
            delivery = await repository.delivery_of(session, parent.id, int(parts[1]))
        if parent is None or delivery is None or parent.status == "onboarding":
            answer.toast = text(
                parent.language if parent else guess_language(update), "button_expired"
            )
        elif not await repository.reply_seen(session, update.update_id):
            key = parts[2]
            session.add(
                Reply(
                    parent_id=parent.id,
                    delivery_id=delivery.id,
                    update_id=update.update_id,
                    received_at=now,
                    kind="button",
                    choice=key,
                )
            )
            note_reply(parent, now)
            if key == "skip":
                parent.cadence = "three_a_week"
            answer.toast = text(parent.language, "saved")
            await respond(session, svc, parent, read_choice(key), answer, key=key)
    await answer.send(update, context)


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
        text=text[:MAX_STORED_TEXT] if text else None,
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
    in kind."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if await repository.reply_seen(session, update.update_id):
        return
    await store_reply(session, svc, parent, update, text=message.text)
    lift_hush(parent)
    reading = read_text(message.text)
    await respond(session, svc, parent, reading, answer, topics=topics_in_text(message.text))


async def send_repair_now(update: Update, context: Context) -> None:
    """/repair: a repair tip right away, fitted to the child's age."""
    assert update.effective_user is not None
    svc = services(context)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or parent.status == "onboarding":
            answer.say(Say(text(guess_language(update), "not_enrolled")))
        else:
            tip = await choose_repair(session, svc, parent)
            if tip is None:
                answer.say(Say(text(parent.language, "no_repair")))
            else:
                await deliver_now(session, svc, parent, tip, answer)
    await answer.send(update, context)


async def respond(
    session: AsyncSession,
    svc: Services,
    parent: Parent,
    reading: Reading,
    answer: Answer,
    *,
    key: str | None = None,
    topics: frozenset[str] = frozenset(),
) -> None:
    """What to say back to a reply, and what the next scheduled message should answer."""
    if reading.next_need is not None:
        parent.pending_need = reading.next_need
    response = reply_to(reading, key)
    follow_up: Message | None = None
    if response == "repair":
        answer.say(Say(text(parent.language, "hard_intro")))
        follow_up = await choose_repair(session, svc, parent, topics)
    elif response == "celebrate_or_thanks":
        follow_up = await _celebration_due(session, svc, parent)
        if follow_up is None:
            answer.say(Say(text(parent.language, "thanks_tried")))
    else:
        answer.say(Say(text(parent.language, response)))
    if follow_up is not None:
        await deliver_now(session, svc, parent, follow_up, answer)


async def _celebration_due(session: AsyncSession, svc: Services, parent: Parent) -> Message | None:
    now = svc.clock.now()
    tries = await repository.count_choices_since(
        session, parent.id, "tried", now - dt.timedelta(days=7)
    )
    last = await repository.last_kind_date(session, parent.id, "celebration")
    today = local_date_of(now, parent.timezone)
    celebrated = last is not None and (today - last).days < 7
    # The tap being answered is flushed with the session, so it is counted in `tries`.
    if not should_celebrate(tries, celebrated):
        return None
    return await choose(session, svc, parent, "celebration")


async def choose_repair(
    session: AsyncSession, svc: Services, parent: Parent, topics: frozenset[str] = frozenset()
) -> Message | None:
    """A repair tip that fits; before the baby is born, a calm message for the parent instead."""
    tip = await choose(session, svc, parent, "repair", topics)
    return tip if tip is not None else await choose(session, svc, parent, "calm", topics)


async def choose(
    session: AsyncSession,
    svc: Services,
    parent: Parent,
    kind: str,
    topics: frozenset[str] = frozenset(),
) -> Message | None:
    snapshot = await snapshot_of(session, parent, local_date_of(svc.clock.now(), parent.timezone))
    return pick(svc.library, snapshot, kind=kind, tags=topics)


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
