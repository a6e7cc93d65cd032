"""Deliveries and replies as CSV for program evaluation, with families pseudonymised.

A family (and their home visitor) appears as a stable keyed hash (HMAC-SHA256 with the
program's TEND_EXPORT_SECRET), so exports from different days line up without naming anyone.
No names, no Telegram ids, no free text: a written reply shows only that it was text.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.caseload import age_band, child_months
from bot.db.models import Delivery, Invite, Parent, Reply

HEADER = (
    "family",
    "language",
    "age_band",
    "home_visitor",
    "message",
    "kind",
    "local_date",
    "sent_at",
    "status",
    "reply_at",
    "reply_kind",
    "reply_choice",
)
# Conversation and safety answers, not program content: never exported.
LEFT_OUT = ("answer", "alert", "relay", "safety")


class NoSecret(ValueError):
    """Exports need TEND_EXPORT_SECRET: without it the pseudonyms would not be stable."""


def pseudonym(secret: str, kind: str, number: int) -> str:
    return hmac.new(secret.encode(), f"{kind}:{number}".encode(), hashlib.sha256).hexdigest()[:16]


async def export_csv(session: AsyncSession, secret: str) -> str:
    if not secret:
        raise NoSecret("set TEND_EXPORT_SECRET to export")
    families = {
        parent.id: (parent, visitor)
        for parent, visitor in (
            await session.execute(
                select(Parent, Invite.created_by)
                .outerjoin(Invite, Parent.invite_id == Invite.id)
                .options(selectinload(Parent.children))
            )
        ).all()
    }
    replies: dict[int, list[Reply]] = {}
    for reply in (await session.scalars(select(Reply).order_by(Reply.id))).all():
        if reply.delivery_id is not None:
            replies.setdefault(reply.delivery_id, []).append(reply)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    deliveries = (
        await session.scalars(
            select(Delivery)
            .where(Delivery.parent_id.is_not(None), Delivery.kind.not_in(LEFT_OUT))
            .order_by(Delivery.id)
        )
    ).all()
    for delivery in deliveries:
        found = families.get(delivery.parent_id or 0)
        if found is None:
            continue
        parent, visitor = found
        base = [
            pseudonym(secret, "family", parent.id),
            parent.language,
            age_band(child_months(parent, delivery.local_date)),
            pseudonym(secret, "visitor", visitor) if visitor else "",
            delivery.message_id
            if not delivery.message_id.startswith("broadcast:")
            else "broadcast",
            delivery.kind,
            delivery.local_date.isoformat(),
            delivery.sent_at.isoformat() if delivery.sent_at else "",
            delivery.status,
        ]
        answered = replies.get(delivery.id, [])
        if not answered:
            writer.writerow([*base, "", "", ""])
        for reply in answered:
            choice = reply.choice if reply.kind == "button" else ""
            writer.writerow([*base, reply.received_at.isoformat(), reply.kind, choice or ""])
    return out.getvalue()
