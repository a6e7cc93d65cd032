"""The relay behind "Talk to my home visitor": a parent asks for their visitor, and the two
write to each other through the bot. Each side replies (Telegram's reply) to the bot's relayed
message; neither ever sees the other's account, only the visitor's first name and the family's
label.

A parent's words are screened before they are passed on: anything that may mean danger goes
to the safety net instead (which alerts the same visitor first).
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot import invites, roles
from bot.caseload import who
from bot.coaching.safety import screen
from bot.db import repository
from bot.db.models import Delivery, Invite, Parent, StaffRole
from bot.handlers import conversation
from bot.handlers.common import Answer, Context, guess_language
from bot.lifecycle import has_joined
from bot.roles import Action
from bot.services import services
from bot.texts import text
from bot.views import Say
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority

KIND = "relay"
# Rows to the visitor about a family: staff rows, so a visitor's closed chat never marks the
# family unreachable, and they are erased with the family (see outbox.STAFF_KINDS).
TO_VISITOR = "alert"
MAX_RELAYED = 2000
RECORD_WAITS = 30


def ask_button(language: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    return (((text(language, "relay_button"), "rl:ask"),),)


async def offer_after_help(update: Update, context: Context) -> None:
    """After /help, a parent with a home visitor is offered the way to reach them."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, user.id)
        visitor = await invites.visitor_of(session, parent) if parent is not None else None
    if parent is None or visitor is None or not has_joined(parent):
        return
    answer = Answer()
    answer.say(Say(text(parent.language, "relay_offer"), ask_button(parent.language)))
    await answer.send(update, context)


async def ask_for_visitor(update: Update, context: Context) -> None:
    """/visitor or the "Talk to my home visitor" button: the visitor hears of it (once a day)."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        language = parent.language if parent is not None else guess_language(update)
        visitor = await invites.visitor_of(session, parent) if parent is not None else None
        if parent is None or visitor is None or not has_joined(parent):
            answer.say(Say(text(language, "relay_no_visitor")))
        else:
            name = await roles.name_of(session, visitor)
            label = await session.scalar(select(Invite.label).where(Invite.id == parent.invite_id))
            visitor_language = await _language_of(session, visitor)
            ids = await outbox.enqueue(
                session,
                [
                    Outgoing(
                        chat_id=visitor,
                        parent_id=parent.id,
                        text=_with_hint(
                            visitor_language,
                            text(visitor_language, "relay_request", who=who(parent, label)),
                        ),
                        kind=TO_VISITOR,
                        message_id="relay:request",
                        priority=Priority.NOW,
                        local_date=now.date(),
                        slot="relay_ask",  # once a day: a replayed tap asks nobody twice
                    )
                ],
                now,
            )
            if not ids:
                answer.toast = text(language, "relay_asked_already")
                answer.say(Say(text(language, "relay_asked_already")))
            else:
                answer.deliver(
                    Outgoing(
                        chat_id=parent.chat_id,
                        parent_id=parent.id,
                        text=_with_hint(
                            language,
                            text(language, "relay_asked", name=name or _unnamed(language)),
                        ),
                        kind=KIND,
                        message_id="relay:asked",
                        priority=Priority.NOW,
                    )
                )
    await answer.send(update, context)


def _with_hint(language: str, body: str) -> str:
    """Every relayed message says how to answer it; the hint also marks it as relayed."""
    return f"{body}\n\n{text(language, 'relay_hint')}"


def _is_relayed(words: str | None) -> bool:
    return bool(words) and any(text(lang, "relay_hint") in (words or "") for lang in ("en", "es"))


def _unnamed(language: str) -> str:
    return text(language, "relay_unnamed")


async def _language_of(session: AsyncSession, telegram_user_id: int) -> str:
    """The language a home visitor's Telegram app is in (English until we know)."""
    row = await session.get(StaffRole, telegram_user_id)
    return row.language if row is not None else "en"


async def route_reply(update: Update, context: Context) -> None:
    """Typed text that replies to a message: passed on when it answers a relayed message,
    otherwise handled like any other text."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    original = message.reply_to_message
    words = message.text or ""
    svc = services(context)
    if original is None or not words or not _is_relayed(original.text):
        await conversation.route_text(update, context)
        return
    family = None
    # The sender records a message's Telegram id just after sending it: a very quick reply
    # may come first, so the lookup waits a moment for it.
    for _ in range(RECORD_WAITS):
        async with svc.sessions() as session:
            thread = await session.scalar(
                select(Delivery.parent_id).where(
                    Delivery.chat_id == chat.id,
                    Delivery.telegram_message_id == original.message_id,
                    Delivery.message_id.startswith("relay:"),
                )
            )
            family = await session.get(Parent, thread) if thread is not None else None
        if family is not None:
            break
        await asyncio.sleep(0.1)
    if family is None:
        await conversation.route_text(update, context)
        return
    if family.chat_id == chat.id:
        if screen(words).category is not None:
            # Danger goes to the safety net (which tells this family's visitor first).
            await conversation.route_text(update, context)
            return
        await _family_writes(update, context, family, words)
    else:
        await _visitor_writes(update, context, family, words)


async def _family_writes(update: Update, context: Context, family: Parent, words: str) -> None:
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        visitor = await invites.visitor_of(session, family)
        if visitor is None:
            answer.say(Say(text(family.language, "relay_no_visitor")))
        else:
            label = await session.scalar(select(Invite.label).where(Invite.id == family.invite_id))
            name = await roles.name_of(session, visitor)
            visitor_language = await _language_of(session, visitor)
            await outbox.enqueue(
                session,
                [
                    Outgoing(
                        chat_id=visitor,
                        parent_id=family.id,
                        text=_with_hint(
                            visitor_language,
                            text(
                                visitor_language,
                                "relay_from_family",
                                who=who(family, label),
                                message=words[:MAX_RELAYED],
                            ),
                        ),
                        kind=TO_VISITOR,
                        message_id="relay:family",
                        priority=Priority.NOW,
                        local_date=now.date(),
                        slot=f"u{update.update_id}",
                    )
                ],
                now,
            )
            answer.say(
                Say(text(family.language, "relay_sent", name=name or _unnamed(family.language)))
            )
    await answer.send(update, context)


async def _visitor_writes(update: Update, context: Context, family: Parent, words: str) -> None:
    user = update.effective_user
    assert user is not None
    svc = services(context)
    now = svc.clock.now()
    language = guess_language(update)
    answer = Answer()
    async with svc.sessions.begin() as session:
        role = await roles.role_of(session, svc.settings, user.id)
        visitor = await invites.visitor_of(session, family)
        label = await session.scalar(select(Invite.label).where(Invite.id == family.invite_id))
        if visitor != user.id or not roles.allows(role, Action.CASELOAD):
            answer.say(Say(text(language, "relay_not_yours")))
        elif not has_joined(family) or family.status == "blocked":
            answer.say(Say(text(language, "relay_family_gone", who=who(family, label))))
        else:
            name = await roles.name_of(session, user.id) or user.first_name
            template = "relay_from_visitor" if name else "relay_from_visitor_unnamed"
            await outbox.enqueue(
                session,
                [
                    Outgoing(
                        chat_id=family.chat_id,
                        parent_id=family.id,
                        text=_with_hint(
                            family.language,
                            text(family.language, template, name=name, message=words[:MAX_RELAYED]),
                        ),
                        kind=KIND,
                        message_id="relay:visitor",
                        priority=Priority.NOW,
                        local_date=now.date(),
                        slot=f"u{update.update_id}",
                    )
                ],
                now,
            )
            answer.say(Say(text(language, "relay_sent", name=who(family, label))))
    await answer.send(update, context)
