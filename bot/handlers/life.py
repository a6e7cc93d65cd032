"""Life events, parent side: a loss told (asked gently first), /start once messages ended, a
graduation's offer to keep a sibling's messages, and several children (/children, /addchild)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from telegram import Update
from telegram.error import TelegramError

from bot import life_events, lifecycle
from bot.coaching.schedule import local_date_of
from bot.db import repository
from bot.db.models import Child, Parent
from bot.enrollment import child_facts, editing_child, question, spoken_child
from bot.handlers.common import Answer, Context, guess_language
from bot.handlers.taps import Refused, one_of, read_tap
from bot.lifecycle import ParentStatus
from bot.services import Services, services
from bot.texts import text
from bot.texts.formats import spoken_date
from bot.views import (
    Say,
    callback_id,
    children_buttons,
    comeback_buttons,
    loss_buttons,
    remove_child_buttons,
    when_phrase,
)

log = logging.getLogger(__name__)

# A grieving parent may take a while to answer "did I understand?": the question holds a day.
LOSS_CONFIRM_FOR = dt.timedelta(hours=24)
MAX_CHILDREN = 8


# --- a loss --------------------------------------------------------------------------------


def ask_about_loss(parent: Parent, now: dt.datetime, *, pregnancy: bool) -> Say:
    """ "Did I understand that you lost your baby or your pregnancy?", bound to this one
    request: nothing changes until the parent says yes."""
    token = secrets.token_urlsafe(6)
    parent.confirming = f"loss:{token}:{'p' if pregnancy else 'b'}"
    parent.confirm_expires_at = now + LOSS_CONFIRM_FOR
    return Say(text(parent.language, "loss_confirm"), loss_buttons(parent.language, token))


def loss_question_open(parent: Parent, now: dt.datetime) -> bool:
    """The loss question was asked and not yet answered or expired: not asked again."""
    expires = parent.confirm_expires_at
    return (parent.confirming or "").startswith("loss:") and expires is not None and expires > now


async def answer_loss(update: Update, context: Context) -> None:
    """ls:<token>:yes|no under the loss question: yes stops everything, tells the visitor and
    says goodbye with support lines; no changes nothing."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    _, token, choice = [*(query.data or "").split(":"), "", "", ""][:3]
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        language = parent.language if parent else guess_language(update)
        asked = (parent.confirming or "").split(":") if parent is not None else []
        live = (
            parent is not None
            and len(asked) == 3
            and asked[0] == "loss"
            and bool(token)
            and asked[1] == token
            and choice in ("yes", "no")
            and lifecycle.has_joined(parent)
        )
        if parent is None or not live:
            answer.toast = text(language, "confirm_closed")
        else:
            expired = parent.confirm_expires_at is None or parent.confirm_expires_at <= now
            parent.confirming, parent.confirm_expires_at = None, None
            if expired:
                answer.toast = text(language, "confirm_closed")
            elif choice == "no":
                answer.say(Say(text(language, "loss_misread")))
            else:
                goodbye = await life_events.record_loss(
                    session, svc, parent, pregnancy=asked[2] == "p"
                )
                answer.say(Say(goodbye))
                log.info("parent %s told of a loss", parent.id)
    await _close_keyboard(update)
    await answer.send(update, context)


def ended_reply(parent: Parent, svc: Services) -> Say:
    """Words from a parent whose messages ended: never a cheerful thank-you or a tip."""
    if lifecycle.status_of(parent) is ParentStatus.LOSS:
        return Say(life_events.loss_reply(svc.resources, parent.language))
    return Say(text(parent.language, "finished_reply"))


def welcome_back_after_end(parent: Parent, now: dt.datetime) -> tuple[Say, ...]:
    """/start after a loss or a graduation: gentle, and nothing starts by itself. After a loss
    with several children (when the bot could not tell which child was lost), their list
    comes first, so a child can be removed before messages start again."""
    language = parent.language
    children = bool(parent.enrolled_children)
    if lifecycle.status_of(parent) is ParentStatus.LOSS:
        key = "loss_welcome_back" if children else "loss_welcome_back_none"
    else:
        key, children = "finished_welcome_back", False
    back = Say(text(language, key), comeback_buttons(language, children=children))
    if children and len(parent.enrolled_children) > 1:
        return (children_list(parent, now), back)
    return (back,)


async def answer_comeback(update: Update, context: Context) -> None:
    """lf:start|notnow|add after /start once messages ended, and lf:loss."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    choice = (query.data or "").removeprefix("lf:")
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        language = parent.language if parent else guess_language(update)
        if parent is None or not (lifecycle.has_ended(parent) or lifecycle.has_joined(parent)):
            answer.toast = text(language, "button_expired")
        elif choice == "start" and lifecycle.has_ended(parent) and parent.enrolled_children:
            lifecycle.resume(parent, now)
            when = when_phrase(language, parent.next_send_at, parent.timezone, now)
            answer.say(Say(text(language, "resumed", when=when)))
        elif choice == "notnow":
            answer.say(Say(text(language, "not_now_reply")))
        elif choice == "add":
            answer.say(begin_adding(parent, now))
        else:
            answer.toast = text(language, "button_expired")
    await _close_keyboard(update)
    await answer.send(update, context)


# --- graduation ----------------------------------------------------------------------------


async def answer_graduation(update: Update, context: Context) -> None:
    """gr:<row>:keep|stop under a graduation: keep the younger sibling's messages, or finish."""
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        tap = await read_tap(
            session, update, one_of("keep", "stop"), joined=False, kind="graduation"
        )
        if isinstance(tap, Refused):
            answer.toast = text(tap.language, tap.toast)
        else:
            parent, delivery, (choice,) = tap.parent, tap.delivery, tap.choice
            language = tap.language
            repository.add_button_reply(
                session,
                parent.id,
                delivery.id,
                update_id=update.update_id,
                received_at=now,
                choice=f"graduation_{choice}",
            )
            parent.last_reply_at = now
            today = local_date_of(now, parent.timezone)
            staying = child_facts(parent)
            if choice == "keep" and staying and lifecycle.has_joined(parent):
                names = ", ".join(spoken_child(language, child, today) for child in staying)
                answer.say(Say(text(language, "grad_kept", child=names)))
            else:
                if lifecycle.has_joined(parent):
                    await lifecycle.finish(session, parent)
                answer.say(Say(text(language, "grad_stopped")))
    await _close_keyboard(update)
    await answer.send(update, context)


# --- several children ----------------------------------------------------------------------


def begin_adding(parent: Parent, now: dt.datetime) -> Say:
    """/addchild: a new child record with no date yet (so no message is for them until the
    date is given), then the questions: a name (or skip), a birth or due date."""
    if len(parent.enrolled_children) >= MAX_CHILDREN:
        return Say(text(parent.language, "children_actions"))
    if editing_child(parent, "add") is None:
        parent.children.append(Child())
    parent.awaiting = "add:child_name"
    return question(parent, "child_name", now.date(), "add")


def child_added(parent: Parent, now: dt.datetime, answer: Answer) -> None:
    """The new child's date is in: they join the turns; a parent whose messages had ended
    (a graduation, a loss) gets them again, since they asked for this child."""
    child = parent.children[-1]
    today = local_date_of(now, parent.timezone)
    if lifecycle.has_ended(parent):
        lifecycle.resume(parent, now)
    elif lifecycle.status_of(parent) is ParentStatus.ACTIVE and parent.next_send_at is None:
        lifecycle.reschedule(parent, now)
    facts = next((c for c in child_facts(parent) if c.id == child.id), None)
    name = child.name or (
        spoken_child(parent.language, facts, today) if facts else text(parent.language, "no_name")
    )
    if lifecycle.status_of(parent) is ParentStatus.ACTIVE:
        when = when_phrase(parent.language, parent.next_send_at, parent.timezone, now)
        answer.say(Say(text(parent.language, "child_added", child=name, when=when)))
    else:
        answer.say(Say(text(parent.language, "child_added_later", child=name)))


async def add_child(update: Update, context: Context) -> None:
    """/addchild (/agregarpeque): another child, asked for like at joining."""
    assert update.effective_user is not None
    svc = services(context)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or not (lifecycle.has_joined(parent) or lifecycle.has_ended(parent)):
            language = parent.language if parent else guess_language(update)
            answer.say(Say(text(language, "not_enrolled")))
        else:
            answer.say(begin_adding(parent, svc.clock.now()))
    await answer.send(update, context)


def children_list(parent: Parent, now: dt.datetime) -> Say:
    """The enrolled children, each with change and remove buttons, and "Add a child"."""
    language = parent.language
    today = local_date_of(now, parent.timezone)
    named = []
    lines = [text(language, "children_list")]
    for facts in child_facts(parent):
        name = spoken_child(language, facts, today)
        named.append((facts.id, name))
        if facts.birth_date is not None:
            lines.append(
                text(
                    language,
                    "children_born",
                    child=name,
                    date=spoken_date(language, facts.birth_date),
                )
            )
        elif facts.due_date is not None:
            lines.append(
                text(
                    language, "children_due", child=name, date=spoken_date(language, facts.due_date)
                )
            )
    if not named:
        lines = [text(language, "children_none")]
    lines.append(text(language, "children_actions"))
    joined = lifecycle.has_joined(parent)
    loss = lifecycle.status_of(parent) is ParentStatus.LOSS
    buttons = children_buttons(language, named, joined=joined, editable=joined or loss)
    return Say("\n".join(lines), buttons)


async def show_children(update: Update, context: Context) -> None:
    """/children (/peques), or "Children" in /settings: the list and what can be done."""
    assert update.effective_user is not None
    svc = services(context)
    answer = Answer()
    async with svc.sessions() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        if parent is None or not (lifecycle.has_joined(parent) or lifecycle.has_ended(parent)):
            language = parent.language if parent else guess_language(update)
            answer.say(Say(text(language, "not_enrolled")))
        else:
            answer.say(children_list(parent, svc.clock.now()))
    await answer.send(update, context)


async def answer_children_button(update: Update, context: Context) -> None:
    """ch:list|add|loss and ch:edit|rm|rmyes|rmno:<child>: only the parent's own children."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    action, _, raw_id = (query.data or "").removeprefix("ch:").partition(":")
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, update.effective_user.id)
        language = parent.language if parent else guess_language(update)
        joined = parent is not None and lifecycle.has_joined(parent)
        ended = parent is not None and lifecycle.has_ended(parent)
        # After a loss a child can be removed (or changed) before messages start again.
        editable = joined or (
            parent is not None and lifecycle.status_of(parent) is ParentStatus.LOSS
        )
        child_id = callback_id(raw_id) if raw_id else None
        child = (
            next((c for c in parent.enrolled_children if c.id == child_id), None)
            if parent is not None
            else None
        )
        if parent is None or not (joined or ended):
            answer.toast = text(language, "button_expired")
        elif action == "list":
            answer.say(children_list(parent, now))
        elif action == "add":
            answer.say(begin_adding(parent, now))
        elif action == "loss" and joined:
            answer.say(ask_about_loss(parent, now, pregnancy=False))
        elif action in ("edit", "rm", "rmyes", "rmno") and (
            child is None or not editable or (action == "edit" and not joined)
        ):
            answer.toast = text(language, "child_gone")
        elif child is None:
            answer.toast = text(language, "button_expired")
        elif _child_action(parent, child, action, now, answer):
            # Removed: the child's name and dates go (their messages' records stay).
            if parent.last_child_id == child.id:
                parent.last_child_id = None
            await session.delete(child)
    await answer.send(update, context)


def _child_action(
    parent: Parent, child: Child, action: str, now: dt.datetime, answer: Answer
) -> bool:
    """Change, ask to remove, or remove one child; True when the child is to be removed."""
    language = parent.language
    today = local_date_of(now, parent.timezone)
    facts = next(c for c in child_facts(parent) if c.id == child.id)
    name = spoken_child(language, facts, today)
    if action == "edit":
        # The settings questions edit the child the bot talks about now: this one.
        parent.last_child_id = child.id
        parent.awaiting = "set:child_name"
        answer.say(question(parent, "child_name", now.date(), "set"))
    elif action == "rm" and len(parent.enrolled_children) <= 1:
        answer.say(Say(text(language, "child_remove_only", child=name)))
    elif action == "rm":
        answer.say(
            Say(
                text(language, "child_remove_confirm", child=name),
                remove_child_buttons(language, child.id),
            )
        )
    elif action == "rmyes" and len(parent.enrolled_children) > 1:
        answer.say(Say(text(language, "child_removed", child=name)))
        return True
    elif action == "rmyes":
        answer.say(Say(text(language, "child_remove_only", child=name)))
    else:
        answer.say(Say(text(language, "child_remove_kept")))
    return False


async def _close_keyboard(update: Update) -> None:
    """A question answered once: its buttons go."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError:
        log.info("could not remove a keyboard")
