"""Life events, the I/O side: a loss told (the goodbye, the visitor or staff told) and a child's
graduation (the goodbye row, the sibling's offer, or the parent finished).

The decisions are pure in `bot.coaching` (`loss.read_loss`, `children.plan_day`); the statuses
are `bot.lifecycle`'s. Every message here is an outbox row written in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot import invites, lifecycle, roles
from bot.caseload import who
from bot.coaching.children import Graduation
from bot.coaching.safety import Category
from bot.db.models import Child, Invite, Parent, VisitorAlert
from bot.enrollment import spoken_children
from bot.program.resources import Resource, Resources
from bot.services import Services
from bot.texts import text
from bot.views import graduation_buttons
from scheduler import outbox
from scheduler.outbox import Buttons, Outgoing, Priority

LOSS_ALERT = "loss"
GRADUATION_ID = "graduation"


# --- a loss --------------------------------------------------------------------------------


def lost_child(parent: Parent, *, pregnancy: bool) -> Child | None:
    """Which child to mark as lost, when it can be told: the only one enrolled, or for a
    pregnancy the only child still expected. With several and no way to tell, none is marked
    (the parent can remove a child from /children later)."""
    enrolled = parent.enrolled_children
    if len(enrolled) == 1:
        return enrolled[0]
    expected = [c for c in enrolled if c.birth_date is None]
    if pregnancy and len(expected) == 1:
        return expected[0]
    return None


async def tell_of_loss(session: AsyncSession, svc: Services, parent: Parent) -> str:
    """The family's home visitor hears of the loss (staff and admins when the family has no
    visitor), as an alert row in this transaction. Returns who was told: "visitor",
    "program", or "" when nobody is configured (the parent is then not told anyone was)."""
    now = svc.clock.now()
    visitor = await invites.visitor_of(session, parent)
    if visitor is not None:
        recipients, told = [visitor], "visitor"
    else:
        recipients = await roles.ids_with_at_least(session, svc.settings, roles.Role.STAFF)
        told = "program" if recipients else ""
    if not recipients:
        return ""
    label = None
    if parent.invite_id is not None:
        invite = await session.get(Invite, parent.invite_id)
        label = invite.label if invite is not None else None
    languages = await roles.languages_of(session, recipients)
    session.add(VisitorAlert(parent_id=parent.id, kind=LOSS_ALERT, created_at=now))
    await outbox.enqueue(
        session,
        [
            Outgoing(
                chat_id=recipient,
                parent_id=parent.id,  # erased with the family; see outbox.STAFF_KINDS
                text=text(
                    languages[recipient],
                    "visitor_alert_loss",
                    who=who(parent, label),
                ),
                kind="alert",
                message_id=f"visitor:{LOSS_ALERT}",
                priority=Priority.NOW,
            )
            for recipient in recipients
        ],
        now,
    )
    return told


def support_lines(resources: Resources, language: str) -> tuple[Resource, ...]:
    """Where a family who lost a baby can find support: the program's bereavement lines, or
    (when it configured none) its lines for severe distress."""
    return resources.for_bereavement(language) or resources.for_category(
        Category.DISTRESS, language
    )


def loss_goodbye(resources: Resources, language: str, told: str) -> str:
    """The gentle goodbye: sorry, the messages stopped, who was told (only if someone really
    was), support lines, the crisis line, and that their data stays."""
    lines = "\n".join(
        text(language, "safety_resource", name=line.name, how=line.how)
        for line in support_lines(resources, language)
    )
    crisis = resources.for_category(Category.SELF_HARM, language)[0]
    return text(
        language,
        "loss_goodbye",
        told=text(language, f"loss_told_{told}") if told else "",
        resources=lines,
        crisis=crisis.how,
    )


def loss_reply(resources: Resources, language: str) -> str:
    """What a parent who told of a loss reads when they write again: no ack, no tip."""
    first = support_lines(resources, language)[0]
    return text(language, "loss_reply", line=first.line)


async def record_loss(
    session: AsyncSession, svc: Services, parent: Parent, *, pregnancy: bool
) -> str:
    """The confirmed loss: the visitor told, every queued row cancelled, the status set, and
    the goodbye text returned (the caller queues it after the cancellation)."""
    now = svc.clock.now()
    told = await tell_of_loss(session, svc, parent)
    await lifecycle.record_loss(session, parent, now, child=lost_child(parent, pregnancy=pregnancy))
    return loss_goodbye(svc.resources, parent.language, told)


# --- graduation ----------------------------------------------------------------------------


async def graduate(
    session: AsyncSession,
    parent: Parent,
    day: Graduation,
    *,
    local_date: dt.date,
    due_at: dt.datetime,
    now: dt.datetime,
    slot: str,
) -> Outgoing:
    """Today's scheduled message is a goodbye to the children who turned five: they are marked
    graduated; with a sibling still enrolled the parent is offered to keep their messages,
    otherwise the parent's messages are finished (data kept)."""
    language = parent.language
    ids = {child.id for child in day.children}
    for child in parent.children:
        if child.id in ids:
            child.ended, child.ended_at = "graduated", now
    names = spoken_children(language, day.children, local_date)
    body = text(language, "graduation", child=names)
    buttons: Buttons = ()
    if day.staying:
        staying = spoken_children(language, day.staying, local_date)
        body += "\n\n" + text(language, "graduation_offer", child=staying)
        buttons = graduation_buttons(language, outbox.ROW_ID)
        parent.last_child_id = None
    else:
        body += "\n\n" + text(language, "graduation_finish")
        await lifecycle.finish(session, parent)
    return Outgoing(
        chat_id=parent.chat_id,
        parent_id=parent.id,
        text=body,
        buttons=buttons,
        kind="graduation",
        message_id=GRADUATION_ID,
        priority=Priority.DAILY,
        local_date=local_date,
        slot=slot,
        due_at=due_at,
    )
