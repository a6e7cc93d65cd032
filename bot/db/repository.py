"""Queries about parents, their replies and what they were sent. No policy lives here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import Child, Delivery, Invite, Parent, Reply, SafetyFlag


async def find_parent(session: AsyncSession, telegram_user_id: int) -> Parent | None:
    return await session.scalar(
        select(Parent)
        .where(Parent.telegram_user_id == telegram_user_id)
        .options(selectinload(Parent.child))
    )


async def find_invite(session: AsyncSession, code: str) -> Invite | None:
    return await session.scalar(select(Invite).where(Invite.code == code))


async def latest_delivery(session: AsyncSession, parent_id: int) -> Delivery | None:
    """The most recent message the parent actually received: what a typed reply answers."""
    return await session.scalar(
        select(Delivery)
        .where(Delivery.parent_id == parent_id, Delivery.status == "sent")
        .order_by(Delivery.sent_at.desc(), Delivery.id.desc())
        .limit(1)
    )


async def delivery_of(
    session: AsyncSession, parent_id: int, delivery_id: int, *, lock: bool = False
) -> Delivery | None:
    """A delivery only if it belongs to this parent: a forged or foreign button finds nothing.

    `lock` holds the row until commit (PostgreSQL), so two taps handled at once by two
    workers are answered one after the other."""
    query = select(Delivery).where(Delivery.id == delivery_id, Delivery.parent_id == parent_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def button_reply_to(session: AsyncSession, delivery_id: int) -> Reply | None:
    """The quick reply already tapped on this delivery: each message is answered once."""
    return await session.scalar(
        select(Reply)
        .where(Reply.delivery_id == delivery_id, Reply.kind == "button")
        .order_by(Reply.id)
        .limit(1)
    )


async def last_kind_date(session: AsyncSession, parent_id: int, kind: str) -> dt.date | None:
    found: dt.date | None = await session.scalar(
        select(func.max(Delivery.local_date)).where(
            Delivery.parent_id == parent_id, Delivery.kind == kind
        )
    )
    return found


async def count_choices_since(
    session: AsyncSession, parent_id: int, choice: str, since: dt.datetime
) -> int:
    return int(
        await session.scalar(
            select(func.count(Reply.id)).where(
                Reply.parent_id == parent_id, Reply.choice == choice, Reply.received_at >= since
            )
        )
        or 0
    )


async def reply_seen(session: AsyncSession, update_id: int) -> bool:
    """True when this Telegram update was stored already (a redelivered update)."""
    return (await session.scalar(select(Reply.id).where(Reply.update_id == update_id))) is not None


async def erase_parent(session: AsyncSession, parent: Parent) -> None:
    """Remove the parent and everything that refers to them, table by table (no orphan left)."""
    for table in (SafetyFlag, Reply, Delivery, Child):
        await session.execute(delete(table).where(table.parent_id == parent.id))
    await session.execute(delete(Parent).where(Parent.id == parent.id))


async def export_parent(session: AsyncSession, parent: Parent) -> dict[str, Any]:
    """Everything we keep about one parent, as plain data for /mydata."""
    deliveries = (
        await session.scalars(
            select(Delivery)
            .where(Delivery.parent_id == parent.id, Delivery.kind.not_in(("answer", "alert")))
            .order_by(Delivery.id)
        )
    ).all()
    replies = (
        await session.scalars(select(Reply).where(Reply.parent_id == parent.id).order_by(Reply.id))
    ).all()
    child = parent.child
    return {
        "parent": {
            "language": parent.language,
            "timezone": parent.timezone,
            "send_time": parent.send_time.strftime("%H:%M"),
            "cadence": parent.cadence,
            "status": parent.status,
            "paused_until": _iso(parent.paused_until),
            "joined": _iso(parent.created_at),
            "consented": _iso(parent.consented_at),
        },
        "child": {
            "name": child.name if child else None,
            "birth_date": _iso(child.birth_date) if child else None,
            "due_date": _iso(child.due_date) if child else None,
        },
        "messages_sent": [
            {
                "id": d.id,
                "message": d.message_id,
                "kind": d.kind,
                "date": d.local_date.isoformat(),
                "status": d.status,
                "sent_at": _iso(d.sent_at),
                "text": d.text,
            }
            for d in deliveries
        ],
        "your_replies": [
            {
                "received_at": _iso(r.received_at),
                "to_message": r.delivery_id,
                "button": r.choice,
                "text": r.text,
            }
            for r in replies
        ],
    }


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
