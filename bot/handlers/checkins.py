"""Taps on the short check-in (ck:<row>:<question>:<value>) and the pause question
(cd:<row>:<pause|keep>): stored, answered, and remembered for the messages that follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from telegram import Update

from bot import lifecycle
from bot.coaching import checkins
from bot.coaching.cadence import next_daily_send, restored
from bot.coaching.children import unborn
from bot.coaching.onboarding import awaiting
from bot.coaching.schedule import local_date_of
from bot.db import adaptation, repository
from bot.db.adaptation import tags_from, tags_to
from bot.db.models import CheckinAnswer, Parent
from bot.enrollment import child_age, child_facts, child_name, question
from bot.handlers.common import Answer, Context
from bot.handlers.taps import Refused, one_of, read_tap
from bot.services import services
from bot.texts import text
from bot.views import Say, compose
from messages.vocabulary import child_fallback
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority

FOCUS = dt.timedelta(days=7)


async def answer_checkin_button(update: Update, context: Context) -> None:
    """One tap of the three-tap check-in: kept, and the next question (or thanks) sent."""
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        tap = await read_tap(session, update, _a_checkin_answer, once=False)
        if isinstance(tap, Refused):
            answer.toast = text(tap.language, tap.toast)
        else:
            parent, delivery, (question, value) = tap.parent, tap.delivery, tap.choice
            if await adaptation.checkin_answered(session, delivery.id, question):
                answer.toast = text(parent.language, "already_answered")
            else:
                _remember(parent, question, value, now)
                session.add(
                    CheckinAnswer(
                        parent_id=parent.id,
                        delivery_id=delivery.id,
                        question=question,
                        value=value,
                        answered_at=now,
                    )
                )
                repository.add_button_reply(
                    session,
                    parent.id,
                    delivery.id,
                    update_id=update.update_id,
                    received_at=now,
                    choice=f"{question}:{value}",
                )
                parent.last_reply_at, parent.unanswered_count = now, 0
                parent.asked_pause_at = None
                if parent.status == lifecycle.ParentStatus.ACTIVE and parent.next_send_at:
                    parent.next_send_at = restored(
                        parent.next_send_at,
                        now,
                        timezone=parent.timezone,
                        send_time=parent.send_time,
                        cadence=parent.cadence,
                    )
                answer.toast = text(parent.language, "saved")
                await outbox.enqueue(session, [_next(parent, question, value, now)], now)
    await answer.send(update, context)


async def answer_pause_question(update: Update, context: Context) -> None:
    """After a long silence: a two-week pause, or the parent's usual rhythm back."""
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        tap = await read_tap(session, update, one_of("pause", "keep"))
        if isinstance(tap, Refused):
            answer.toast = text(tap.language, tap.toast)
        else:
            parent, delivery, (choice,) = tap.parent, tap.delivery, tap.choice
            repository.add_button_reply(
                session,
                parent.id,
                delivery.id,
                update_id=update.update_id,
                received_at=now,
                choice=choice,
            )
            parent.last_reply_at, parent.unanswered_count = now, 0
            parent.asked_pause_at = None
            if choice == "pause":
                await lifecycle.pause(session, parent, now, checkins.PAUSE_DAYS)
            elif parent.status == lifecycle.ParentStatus.ACTIVE:
                parent.next_send_at = next_daily_send(
                    now,
                    timezone=parent.timezone,
                    send_time=parent.send_time,
                    cadence=parent.cadence,
                    unanswered=0,
                    last_sent_local_date=None,
                )
            answer.say(
                Say(checkins.words(parent.language, "paused" if choice == "pause" else "kept"))
            )
    await answer.send(update, context)


async def answer_arrival_question(update: Update, context: Context) -> None:
    """Near the due date (ar:<row>:<born|not_yet>): the birth date moves a parent to baby
    content, asked for like any settings change."""
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        tap = await read_tap(session, update, one_of("born", "not_yet"))
        if isinstance(tap, Refused):
            answer.toast = text(tap.language, tap.toast)
        else:
            parent, delivery, (choice,) = tap.parent, tap.delivery, tap.choice
            repository.add_button_reply(
                session,
                parent.id,
                delivery.id,
                update_id=update.update_id,
                received_at=now,
                choice=choice,
            )
            parent.last_reply_at, parent.unanswered_count = now, 0
            if choice == "born":
                # The settings question for the date: the typed answer stores the birth date,
                # for the child expected soonest (the one the bot now talks about).
                expected = unborn(child_facts(parent))
                if expected:
                    parent.last_child_id = expected[0].id
                parent.awaiting = awaiting("set", "child_date")
                answer.say(question(parent, "child_date", local_date_of(now, parent.timezone)))
            else:
                answer.say(Say(checkins.words(parent.language, "arrival_wait")))
    await answer.send(update, context)


def _a_checkin_answer(parts: Sequence[str]) -> bool:
    """ck:<row>:<question>:<value>, the value one of that question's answers."""
    return len(parts) == 2 and parts[0] in checkins.QUESTIONS and checkins.is_answer(*parts)


def _remember(parent: Parent, question: str, value: str, now: dt.datetime) -> None:
    """What the answer means for the next messages (bot/coaching/checkins.py decides)."""
    meaning = checkins.meaning(question, value)
    today = local_date_of(now, parent.timezone)
    if meaning.pending_need is not None:
        parent.pending_need = meaning.pending_need
    if meaning.reported_topics:
        parent.reported_topics = tags_to(meaning.reported_topics)
    if meaning.focus_topics:
        current = tags_from(parent.focus_topics)
        if parent.focus_until is None or parent.focus_until < today:
            current = frozenset()
        parent.focus_topics = tags_to(current | meaning.focus_topics)
        parent.focus_until = today + FOCUS


def _next(parent: Parent, question: str, value: str, now: dt.datetime) -> Outgoing:
    """The next question with its buttons, or a thank-you that fits how it went."""
    language = parent.language
    today = local_date_of(now, parent.timezone)
    age = child_age(parent, today)
    following = checkins.next_question(question)
    if following is None:
        low = checkins.meaning(question, value).low or parent.pending_need == "calm"
        words = checkins.words(language, "thanks_low" if low else "thanks")
        buttons: checkins.Buttons = ()
        kind, message_id = "answer", "checkin-thanks"
    else:
        child = child_name(parent) or child_fallback(language, age)
        words = compose(
            language, "checkin", age, checkins.question_text(language, following, child)
        )
        buttons = checkins.question_buttons(language, following)
        # A question row is kept (answers leave the outbox once sent): its buttons point at it.
        kind, message_id = "checkin", f"checkin-quick-{following}"
    return Outgoing(
        chat_id=parent.chat_id,
        parent_id=parent.id,
        text=words,
        buttons=buttons,
        kind=kind,
        message_id=message_id,
        priority=Priority.NOW,
        local_date=today,
    )
