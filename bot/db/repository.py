"""Queries about parents, their replies and what they were sent. No policy lives here."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.db.models import Base, Child, Delivery, Invite, Parent, Reply, SafetyFlag

# Built once: every update looks its parent up, with the children in the same statement
# (a join, one round trip; a parent has a child or two).
_FIND_PARENT = (
    select(Parent)
    .where(Parent.telegram_user_id == bindparam("telegram_user_id"))
    .options(joinedload(Parent.children))
)


async def find_parent(session: AsyncSession, telegram_user_id: int) -> Parent | None:
    result = await session.execute(_FIND_PARENT, {"telegram_user_id": telegram_user_id})
    found: Parent | None = result.unique().scalar_one_or_none()
    return found


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


def add_button_reply(
    session: AsyncSession,
    parent_id: int,
    delivery_id: int | None,
    *,
    update_id: int,
    received_at: dt.datetime,
    choice: str,
) -> Reply:
    """A tap on one of our buttons, stored as the parent's reply (to `delivery_id`'s message,
    or to none for a question asked outside the outbox)."""
    reply = Reply(
        parent_id=parent_id,
        delivery_id=delivery_id,
        update_id=update_id,
        received_at=received_at,
        kind="button",
        choice=choice[:32],
    )
    session.add(reply)
    return reply


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


def _insert_words(dialect: str) -> Any:
    replies, deliveries = cast(Table, Reply.__table__), cast(Table, Delivery.__table__)
    parent_id = bindparam("parent_id", type_=replies.c.parent_id.type)
    latest = (
        select(deliveries.c.id)
        .where(deliveries.c.parent_id == parent_id, deliveries.c.status == "sent")
        .order_by(deliveries.c.sent_at.desc(), deliveries.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(replies)
        .values(
            parent_id=parent_id,
            delivery_id=latest,
            update_id=bindparam("update_id"),
            received_at=bindparam("received_at"),
            kind=bindparam("kind"),
            text=bindparam("text"),
            file_id=bindparam("file_id"),
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(replies.c.id)
    )


_INSERT_WORDS = {dialect: _insert_words(dialect) for dialect in ("sqlite", "postgresql")}


async def insert_reply(
    session: AsyncSession,
    parent_id: int,
    update_id: int,
    received_at: dt.datetime,
    *,
    kind: str,
    text: str | None,
    file_id: str | None = None,
) -> int | None:
    """Keep what a parent sent, tied to the latest message they received, in one statement;
    its id, or None when this update's reply is kept already (a redelivered update)."""
    found: int | None = await session.scalar(
        _INSERT_WORDS[session.get_bind().dialect.name],
        {
            "parent_id": parent_id,
            "update_id": update_id,
            "received_at": received_at,
            "kind": kind,
            "text": text,
            "file_id": file_id,
        },
    )
    return found


async def reply_seen(session: AsyncSession, update_id: int) -> bool:
    """True when this Telegram update was stored already (a redelivered update)."""
    return (await session.scalar(select(Reply.id).where(Reply.update_id == update_id))) is not None


async def erase_parent(session: AsyncSession, parent: Parent) -> None:
    """Remove the parent and everything that refers to them, table by table (no orphan left)."""
    for table in (SafetyFlag, Reply, Delivery, Child):
        await session.execute(delete(table).where(table.parent_id == parent.id))
    await session.execute(delete(Parent).where(Parent.id == parent.id))


async def export_parent(session: AsyncSession, parent: Parent) -> dict[str, list[dict[str, Any]]]:
    """Everything we keep about one parent, for /mydata: their row, then every row of every
    table that refers to them (by parent or by Telegram account), all columns, oldest first.

    It walks the schema, so a table or column added later is in the export without a change
    here (bot/mydata.py says it in words)."""
    parents = Base.metadata.tables[Parent.__tablename__]
    found: dict[str, list[dict[str, Any]]] = {
        parents.name: [
            dict(row)
            for row in (
                await session.execute(select(parents).where(parents.c.id == parent.id))
            ).mappings()
        ]
    }
    for table in Base.metadata.sorted_tables:
        if table is parents:
            continue
        if "parent_id" in table.c:
            theirs = table.c.parent_id == parent.id
        elif "telegram_user_id" in table.c:
            theirs = table.c.telegram_user_id == parent.telegram_user_id
        else:
            continue
        rows = await session.execute(
            select(table).where(theirs).order_by(*table.primary_key.columns)
        )
        found[table.name] = [dict(row) for row in rows.mappings()]
    return found
