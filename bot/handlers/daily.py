"""The daily loop, parent side: quick replies, their own words, a repair tip on request."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.coaching.policy import ParentSnapshot, pick, should_celebrate
from bot.coaching.replies import ALL_CHOICES, Reading, read_choice, read_text, topics_in_text
from bot.coaching.safety import screen_for_crisis
from bot.coaching.schedule import local_date_of
from bot.db import repository
from bot.db.models import Delivery, Parent, Reply, SafetyFlag
from bot.enrollment import child_age, child_name
from bot.handlers.common import Context, acknowledge, guess_language, say
from bot.services import Services, services
from bot.texts import text
from bot.views import Say, compose, reply_buttons
from messages.library import Message

log = logging.getLogger(__name__)

MAX_STORED_TEXT = 4096


async def answer_reply_button(update: Update, context: Context) -> None:
    """A tap on a quick reply (r:<delivery>:<key>): stored with the delivery it answers."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    svc = services(context)
    now = svc.clock.now()
    parts = query.data.split(":")
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
            lang = parent.language if parent else guess_language(update)
            await acknowledge(update, text(lang, "button_expired"))
            return
        if await repository.reply_seen(session, update.update_id):
            await acknowledge(update)
            return
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
        _note_reply(parent, now)
        reading = read_choice(key)
        await acknowledge(update, text(parent.language, "saved"))
        answers = await _respond(session, svc, parent, reading, key=key)
        if key == "skip":
            parent.cadence = "three_a_week"
        await _send_answers(update, context, session, parent, answers)


async def record_text_reply(
    update: Update, context: Context, session: AsyncSession, parent: Parent
) -> None:
    """A parent's own words: stored with their latest delivery, screened, answered in kind."""
    message = update.effective_message
    assert message is not None and message.text is not None
    svc = services(context)
    now = svc.clock.now()
    if True:
        latest = await repository.latest_delivery(session, parent.id)
        reply = Reply(
            parent_id=parent.id,
            delivery_id=latest.id if latest else None,
            update_id=update.update_id,
            received_at=now,
            kind="text",
            text=message.text[:MAX_STORED_TEXT],
        )
        session.add(reply)
        _note_reply(parent, now)
        crisis = screen_for_crisis(message.text)
        if crisis is not None:
            await session.flush()
            session.add(
                SafetyFlag(parent_id=parent.id, reply_id=reply.id, category=crisis, created_at=now)
            )
            await send_crisis_answer(update, context, parent.language, crisis, parent_id=parent.id)
            return
        reading = read_text(message.text)
        answers = await _respond(session, svc, parent, reading, topics=topics_in_text(message.text))
        await _send_answers(update, context, session, parent, answers)


async def send_repair_now(update: Update, context: Context) -> None:
    """/repair: a repair tip right away, fitted to the child's age."""
    assert update.effective_user is not None
    svc = services(context)
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or parent.status == "onboarding":
            await say(update, context, Say(text(guess_language(update), "not_enrolled")))
            return
        tip = await _choose(session, svc, parent, "repair")
        if tip is None:
            await say(update, context, Say(text(parent.language, "no_repair")))
            return
        await _send_answers(update, context, session, parent, [tip])


async def send_crisis_answer(
    update: Update, context: Context, language: str, category: str, *, parent_id: int | None
) -> None:
    """A caring answer with the program's numbers, and an alert to the people who can help."""
    settings = services(context).settings
    hotlines = "\n".join(f"• {line}" for line in settings.hotlines)
    key = "crisis_baby" if category == "baby_unwell" else "crisis"
    await say(
        update,
        context,
        Say(text(language, key, emergency=settings.emergency_number, hotlines=hotlines)),
    )
    log.warning("safety flag raised: category=%s parent=%s", category, parent_id)
    for admin in settings.admin_ids:
        try:
            await context.bot.send_message(
                admin, text("en", "alert_staff", parent_id=parent_id or "?", category=category)
            )
        except Exception:  # an unreachable admin must not cost the parent their answer
            log.exception("could not alert staff member %s", admin)


async def _respond(
    session: AsyncSession,
    svc: Services,
    parent: Parent,
    reading: Reading,
    *,
    key: str | None = None,
    topics: frozenset[str] = frozenset(),
) -> list[Say | Message]:
    """What to say back to a reply, and what the next scheduled message should answer."""
    lang = parent.language
    if reading.next_need is not None:
        parent.pending_need = reading.next_need
    if reading.repair_now:
        tip = await _choose(session, svc, parent, "repair", topics)
        intro = Say(text(lang, "hard_intro"))
        return [intro, tip] if tip is not None else [intro]
    if key == "skip":
        return [Say(text(lang, "thanks_skip"))]
    if reading.signal in ("stressed", "tired"):
        return [Say(text(lang, "thanks_stressed"))]
    if key == "tried":
        week_ago = svc.clock.now() - dt.timedelta(days=7)
        tries = await repository.count_choices_since(session, parent.id, "tried", week_ago)
        last = await repository.last_kind_date(session, parent.id, "celebration")
        today = local_date_of(svc.clock.now(), parent.timezone)
        recent = last is not None and (today - last).days < 7
        if should_celebrate(tries + 1, recent):
            cheer = await _choose(session, svc, parent, "celebration")
            if cheer is not None:
                return [cheer]
        return [Say(text(lang, "thanks_tried"))]
    if key in ("not_today", "helped"):
        return [Say(text(lang, f"thanks_{key}"))]
    if key is None:
        return [Say(text(lang, "got_it"))]
    return [Say(text(lang, "thanks_good" if reading.signal == "good" else "thanks_neutral"))]


async def _choose(
    session: AsyncSession,
    svc: Services,
    parent: Parent,
    kind: str,
    topics: frozenset[str] = frozenset(),
) -> Message | None:
    now = svc.clock.now()
    today = local_date_of(now, parent.timezone)
    snapshot = ParentSnapshot(
        parent_id=parent.id,
        language=parent.language,
        age_months=child_age(parent, today),
        today=today,
        last_sent=await repository.last_sent_dates(
            session, parent.id, today - dt.timedelta(days=31)
        ),
    )
    return pick(svc.library, snapshot, kind=kind, tags=topics)


async def _send_answers(
    update: Update,
    context: Context,
    session: AsyncSession,
    parent: Parent,
    answers: list[Say | Message],
) -> None:
    """Send plain answers as they are; library messages go out as recorded deliveries."""
    svc = services(context)
    for answer in answers:
        if isinstance(answer, Say):
            await say(update, context, answer)
            continue
        now = svc.clock.now()
        today = local_date_of(now, parent.timezone)
        age = child_age(parent, today)
        delivery = Delivery(
            parent_id=parent.id,
            message_id=answer.id,
            kind=answer.kind,
            local_date=today,
            slot=None,
            status="sent",
            text=compose(parent.language, answer.kind, age, answer.render(child_name(parent), age)),
            due_at=now,
            created_at=now,
            sent_at=now,
            attempts=1,
        )
        session.add(delivery)
        await session.flush()
        markup = Say(
            delivery.text, reply_buttons(parent.language, delivery.id, answer, answer.kind)
        )
        sent = await say(update, context, markup)
        delivery.telegram_message_id = sent[0].message_id


def _note_reply(parent: Parent, now: dt.datetime) -> None:
    parent.last_reply_at = now
    parent.unanswered_count = 0
