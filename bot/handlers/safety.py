"""The safety net, handler side: flag, answer and alert in one transaction; staff buttons.

When a parent's words may mean danger, the caring answer and every staff alert are outbox rows
written in the same transaction as the flag, at the highest priority, so they go out first and
are retried through faults and restarts. The answer says a person was told only when an alert
was really queued to someone.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError

from bot import invites, roles
from bot.coaching.safety import Category, Screening, screen
from bot.coaching.safety_answers import checkin_call_text, crisis_answer_text
from bot.db import repository
from bot.db.models import Delivery, Invite, Parent, Reply, SafetyFlag
from bot.handlers import daily
from bot.handlers.common import Answer, Context, guess_language
from bot.lifecycle import hush_after_flag
from bot.markup import markup_of
from bot.services import Services, services
from bot.texts import text
from bot.texts.formats import spoken_month_day, spoken_time
from bot.views import Say, alert_buttons, callback_id, safety_ask_buttons
from scheduler import metrics, outbox
from scheduler.outbox import Outgoing, Priority

log = logging.getLogger(__name__)

# How many of a family's recent messages "Show recent messages" lists.
RECENT = 10


def staff_ids(svc: Services) -> tuple[int, ...]:
    """The program's admins from the settings (escalations reach them and every staff role)."""
    return svc.settings.admin_ids


async def alert_recipients(session: AsyncSession, svc: Services, parent: Parent) -> tuple[int, ...]:
    """Who hears about a family's flag: their own home visitor first, then staff and admins."""
    visitor = await invites.visitor_of(session, parent)
    program = await roles.ids_with_at_least(session, svc.settings, roles.Role.STAFF)
    first = [visitor] if visitor is not None else []
    return tuple(dict.fromkeys([*first, *program]))


async def raise_flag(
    session: AsyncSession,
    svc: Services,
    *,
    chat_id: int,
    language: str,
    category: Category,
    rule: str | None,
    parent: Parent | None,
    reply: Reply | None,
    first_name: str | None,
    misread_note: bool = True,
) -> None:
    """The flag, the parent's answer and the staff alerts, all in this transaction.

    `misread_note`: the "if I misread you" line, left out when the parent asked for help."""
    now = svc.clock.now()
    recipients = await alert_recipients(session, svc, parent) if parent is not None else ()
    flag: SafetyFlag | None = None
    if parent is not None:
        flag = SafetyFlag(
            parent_id=parent.id,
            reply_id=reply.id if reply is not None else None,
            category=category.value,
            rule=rule,
            created_at=now,
            alerted=len(recipients),
        )
        session.add(flag)
        await session.flush()
        await hush_after_flag(session, parent, now)
    answer = Outgoing(
        chat_id=chat_id,
        parent_id=parent.id if parent else None,
        text=crisis_answer_text(
            svc.resources,
            category,
            language,
            staff_told=bool(recipients),
            misread_note=misread_note,
        ),
        kind="safety",
        message_id=f"crisis-{category.value}",
        priority=Priority.NOW,
    )
    alerts = []
    if flag is not None and parent is not None:
        who = await _who(session, parent, first_name)
        languages = await roles.languages_of(session, recipients)
        alerts = [
            Outgoing(
                chat_id=staff,
                parent_id=parent.id,  # erased with the family; see outbox.STAFF_KINDS
                text=_alert_text(svc, flag, who, reply, languages[staff]),
                buttons=alert_buttons(flag.id, languages[staff]),
                kind="alert",
                message_id=f"alert:{flag.id}",
                priority=Priority.NOW,
            )
            for staff in recipients
        ]
    await outbox.enqueue(session, [answer, *alerts], now)
    metrics.SAFETY_FLAGS.labels(category=category.value).inc()
    log.warning("safety flag raised: category=%s alerts=%s", category.value, len(alerts))


async def _who(session: AsyncSession, parent: Parent, first_name: str | None) -> str:
    """The family as staff know them: the invite's label, else the parent's first name."""
    if parent.invite_id is not None:
        invite = await session.get(Invite, parent.invite_id)
        if invite is not None and invite.label:
            return invite.label
    return first_name or f"Family #{parent.id}"


def _alert_text(
    svc: Services, flag: SafetyFlag, who: str, reply: Reply | None, language: str
) -> str:
    """The alert a staff member reads, in their language."""
    body = text(
        language,
        "alert_staff",
        who=who,
        family=flag.parent_id,
        category=text(language, f"category_{flag.category}"),
        when=_utc_moment(language, flag.created_at),
        rule=flag.rule or "-",
    )
    if svc.settings.alert_includes_words and reply is not None and reply.text:
        body += "\n" + text(language, "alert_words", words=reply.text[:600])
    return body


async def keep_and_answer(
    session: AsyncSession,
    svc: Services,
    update: Update,
    screening: Screening,
    *,
    parent: Parent | None,
    words: str | None,
    answer: Answer,
    reply: Reply | None = None,
) -> None:
    """Words that may mean danger, from anyone: kept as a reply (if the parent is enrolled and
    it is not kept already), then answered (`answer_screening`)."""
    enrolled = parent is not None and parent.status != "blocked"
    language = parent.language if parent is not None else guess_language(update)
    if enrolled and parent is not None and reply is None:
        reply = await daily.store_reply(session, svc, parent, update, text=words)
    await answer_screening(
        session,
        svc,
        update,
        screening,
        parent=parent if enrolled else None,
        reply=reply,
        language=language,
        answer=answer,
    )


async def answer_screening(
    session: AsyncSession,
    svc: Services,
    update: Update,
    result: Screening,
    *,
    parent: Parent | None,
    reply: Reply | None,
    language: str,
    answer: Answer,
) -> None:
    """After a screen found something: raise the flag, or when unsure ask "are you safe?"."""
    chat = update.effective_chat
    assert chat is not None
    if result.flagged and result.category is not None:
        user = update.effective_user
        await raise_flag(
            session,
            svc,
            chat_id=chat.id,
            language=language,
            category=result.category,
            rule=result.rule,
            parent=parent,
            reply=reply,
            first_name=user.first_name if user else None,
        )
    elif result.ambiguous and reply is not None:
        await session.flush()
        answer.say(Say(text(language, "safety_ask"), safety_ask_buttons(language, reply.id)))
    elif result.ambiguous:
        # Someone who has not joined: no question to tie an answer to, so the numbers at once.
        category = result.category or Category.DISTRESS
        answer.say(Say(crisis_answer_text(svc.resources, category, language, staff_told=False)))


async def answer_safety_question(update: Update, context: Context) -> None:
    """A tap on "I'm okay" / "I need help" under "Are you safe right now?" (sq:<reply>:<a>)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    parts = (query.data or "").split(":")
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        language = parent.language if parent else guess_language(update)
        reply = await _own_reply(session, parent, parts)
        if parent is None or reply is None or len(parts) != 3 or parts[2] not in ("safe", "help"):
            answer.toast = text(language, "button_expired")
        elif await repository.reply_seen(session, update.update_id):
            pass
        else:
            repository.add_button_reply(
                session,
                parent.id,
                None,
                update_id=update.update_id,
                received_at=svc.clock.now(),
                choice=f"safety_{parts[2]}",
            )
            if parts[2] == "safe":
                answer.say(Say(text(language, "safety_ask_safe_reply")))
            else:
                guessed = screen(reply.text or "").category or Category.DISTRESS
                await raise_flag(
                    session,
                    svc,
                    chat_id=parent.chat_id,
                    language=language,
                    category=guessed,
                    rule="asked:needs-help",
                    parent=parent,
                    reply=reply,
                    first_name=user.first_name,
                    misread_note=False,
                )
    await _close_keyboard(update)
    await answer.send(update, context)


async def answer_safety_checkin(update: Update, context: Context) -> None:
    """The next-day check-in after a flag (sc:<flag>:ok|call); the answer reaches staff."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    parts = (query.data or "").split(":")
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        language = parent.language if parent else guess_language(update)
        flag = await _own_flag(session, parent, parts)
        if parent is None or flag is None or parts[2] not in ("ok", "call"):
            answer.toast = text(language, "button_expired")
        elif flag.checkin_answer is not None:
            answer.toast = text(language, "saved")
        else:
            flag.checkin_answer = parts[2]
            recipients = await alert_recipients(session, svc, parent)
            languages = await roles.languages_of(session, recipients)
            who = await _who(session, parent, user.first_name)
            key = "alert_checkin_call" if parts[2] == "call" else "alert_checkin_ok"
            await outbox.enqueue(
                session,
                [
                    Outgoing(
                        chat_id=staff,
                        parent_id=parent.id,
                        text=text(languages[staff], key, who=who, family=parent.id),
                        kind="alert",
                        message_id=f"checkin:{flag.id}",
                        priority=Priority.NOW,
                    )
                    for staff in recipients
                ],
                svc.clock.now(),
            )
            told = bool(recipients)
            if parts[2] == "call":
                answer.say(Say(checkin_call_text(svc.resources, language, staff_told=told)))
            else:
                answer.say(Say(text(language, "safety_checkin_ok_reply")))
    await _close_keyboard(update)
    await answer.send(update, context)


async def answer_alert_button(update: Update, context: Context) -> None:
    """A staff member's "I'm on it" or "Show recent messages" under an alert (sa:<flag>:<a>)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    parts = (query.data or "").split(":")
    answer = Answer()
    edits: list[tuple[int, int, str]] = []
    async with svc.sessions() as session:
        role = await roles.role_of(session, svc.settings, user.id)
        language = (await roles.languages_of(session, [user.id]))[user.id]
    if not roles.allows(role, roles.Action.CASELOAD):
        answer.toast = text(guess_language(update), "not_admin")
        await answer.send(update, context)
        return
    async with svc.sessions.begin() as session:
        row = callback_id(parts[1]) if len(parts) == 3 else None
        flag = await session.get(SafetyFlag, row) if row is not None else None
        if flag is not None and not roles.allows(role, roles.Action.ALL_FAMILIES):
            family = await session.get(Parent, flag.parent_id)
            if family is None or await invites.visitor_of(session, family) != user.id:
                flag = None  # another visitor's family: as if the alert were gone
        if flag is None or parts[2] not in ("ack", "recent"):
            answer.toast = text(language, "alert_gone")
        elif parts[2] == "ack":
            if flag.acknowledged_by is not None:
                answer.toast = text(language, "alert_taken_by", name=flag.acknowledged_name or "?")
            else:
                flag.acknowledged_by = user.id
                flag.acknowledged_name = (user.first_name or "staff")[:64]
                flag.acknowledged_at = svc.clock.now()
                answer.toast = text(language, "alert_you_took_it")
                edits = await _alert_messages(session, flag)
        else:
            answer.say(Say(await _recent_messages(session, svc, flag, language)))
        readers = await roles.languages_of(session, [chat for chat, _, _ in edits])
    for chat_id, message_id, body in edits:
        assert flag is not None  # edits come only from a flag just taken
        reader = readers[chat_id]
        taken = body + "\n\n" + text(reader, "alert_taken", name=flag.acknowledged_name or "?")
        recent_only = Say("", (alert_buttons(flag.id, reader)[0][1:],))
        try:
            await context.bot.edit_message_text(
                taken,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=markup_of(recent_only.buttons),
            )
        except TelegramError:  # the toast already told the person who took it
            log.info("could not mark an alert message as taken")
    await answer.send(update, context)


async def _alert_messages(session: AsyncSession, flag: SafetyFlag) -> list[tuple[int, int, str]]:
    rows = (
        await session.execute(
            select(Delivery.chat_id, Delivery.telegram_message_id, Delivery.text).where(
                Delivery.message_id == f"alert:{flag.id}",
                Delivery.telegram_message_id.is_not(None),
            )
        )
    ).all()
    return [(chat, message, body) for chat, message, body in rows if message is not None]


async def _recent_messages(
    session: AsyncSession, svc: Services, flag: SafetyFlag, language: str
) -> str:
    """What the family was sent and answered lately; their words only if the program allows."""
    deliveries = (
        await session.execute(
            select(Delivery.sent_at, Delivery.kind)
            .where(Delivery.parent_id == flag.parent_id, Delivery.status == "sent")
            .order_by(Delivery.sent_at.desc())
            .limit(RECENT)
        )
    ).all()
    replies = (
        await session.execute(
            select(Reply.received_at, Reply.kind, Reply.choice, Reply.text)
            .where(Reply.parent_id == flag.parent_id)
            .order_by(Reply.received_at.desc())
            .limit(RECENT)
        )
    ).all()
    lines: list[tuple[dt.datetime, str]] = []
    for sent_at, kind in deliveries:
        if sent_at is not None:
            lines.append((sent_at, text(language, "alert_recent_sent", kind=kind)))
    for received_at, kind, choice, words in replies:
        if kind == "text":
            allowed = svc.settings.alert_includes_words and words
            said = words if allowed else text(language, "alert_recent_own_words")
        else:
            said = choice or kind
        lines.append((received_at, text(language, "alert_recent_family", said=said)))
    lines.sort(key=lambda item: item[0])
    shown = [f"{_utc_moment(language, moment)} {line}" for moment, line in lines[-RECENT:]]
    header = text(language, "alert_recent_header", family=flag.parent_id)
    return "\n".join([header, *shown]) if shown else header + "\n-"


async def _own_reply(
    session: AsyncSession, parent: Parent | None, parts: list[str]
) -> Reply | None:
    row = callback_id(parts[1]) if len(parts) == 3 else None
    if parent is None or row is None:
        return None
    reply = await session.get(Reply, row)
    return reply if reply is not None and reply.parent_id == parent.id else None


async def _own_flag(
    session: AsyncSession, parent: Parent | None, parts: list[str]
) -> SafetyFlag | None:
    row = callback_id(parts[1]) if len(parts) == 3 else None
    if parent is None or row is None:
        return None
    flag = await session.get(SafetyFlag, row)
    return flag if flag is not None and flag.parent_id == parent.id else None


async def _close_keyboard(update: Update) -> None:
    """A safety question is answered once: its buttons go away."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError:
        log.info("could not remove a keyboard")


async def escalate_unacknowledged(svc: Services) -> int:
    """Alerts nobody took within the configured time go to every staff member again."""
    now = svc.clock.now()
    cutoff = now - dt.timedelta(minutes=svc.settings.alert_escalate_minutes)
    async with svc.sessions.begin() as session:
        flags = (
            await session.scalars(
                select(SafetyFlag).where(
                    SafetyFlag.alerted > 0,
                    SafetyFlag.acknowledged_at.is_(None),
                    SafetyFlag.escalated_at.is_(None),
                    SafetyFlag.created_at <= cutoff,
                )
            )
        ).all()
        # Everyone on the program's staff (admins in the settings and in the database).
        everyone = await roles.ids_with_at_least(session, svc.settings, roles.Role.STAFF)
        languages = await roles.languages_of(session, everyone)
        for flag in flags:
            flag.escalated_at = now
            await outbox.enqueue(
                session,
                [
                    Outgoing(
                        chat_id=staff,
                        parent_id=flag.parent_id,
                        text=_escalation_text(svc, flag, languages[staff]),
                        buttons=alert_buttons(flag.id, languages[staff]),
                        kind="alert",
                        message_id=f"alert:{flag.id}",
                        priority=Priority.NOW,
                    )
                    for staff in everyone
                ],
                now,
            )
    return len(flags)


def _escalation_text(svc: Services, flag: SafetyFlag, language: str) -> str:
    return text(
        language,
        "alert_escalated",
        family=flag.parent_id,
        minutes=f"{svc.settings.alert_escalate_minutes:g}",
        category=text(language, f"category_{flag.category}"),
    )


def _utc_moment(language: str, moment: dt.datetime) -> str:
    """When something happened, as staff read it: "November 25, 1:00 PM UTC"."""
    utc = moment.astimezone(dt.UTC)
    return f"{spoken_month_day(language, utc.date())}, {spoken_time(language, utc.time())} UTC"
