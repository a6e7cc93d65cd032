"""A reply's snapshot, read in one statement, is the planner's snapshot of the same parent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import adaptation
from bot.db.models import CheckinAnswer, Child, Decision, Delivery, Parent, Reply
from bot.db.session import make_engine, make_session_factory
from messages.library import load_library

NOW = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)
KINDS = ("nudge", "repair", "calm", "checkin", "celebration", "answer", "alert")
WORDS = ("we tried it and she laughed", "so tired today", "he cried all night", "why?", None)


def _parent(user_id: int) -> Parent:
    return Parent(
        telegram_user_id=user_id,
        chat_id=user_id,
        language="en",
        timezone="America/New_York",
        status="active",
        created_at=NOW - dt.timedelta(days=400),
        unanswered_count=0,
        focus_topics="topic:sleep",
        focus_until=NOW.date() + dt.timedelta(days=3),
        children=[Child(birth_date=dt.date(2026, 2, 1))],
    )


async def _history(
    session: AsyncSession, parent: Parent, rng: random.Random, library_ids: list[str]
) -> None:
    """More than a year of everything a snapshot reads, of random kinds and states."""
    deliveries = []
    for day in range(420, -1, -1):
        local = NOW.date() - dt.timedelta(days=day)
        for slot in ("daily", None, None):
            if rng.random() < 0.5:
                continue
            kind = rng.choice(KINDS)
            delivery = Delivery(
                parent_id=parent.id,
                chat_id=parent.chat_id,
                message_id=rng.choice(library_ids) if kind in KINDS[:5] else kind,
                kind=kind,
                priority=1,
                local_date=local,
                slot=slot,
                status=rng.choice(("sent", "sent", "sent", "cancelled", "pending", "failed")),
                text="-",
                due_at=NOW - dt.timedelta(days=day),
                created_at=NOW - dt.timedelta(days=day, hours=rng.randint(0, 5)),
                sent_at=NOW - dt.timedelta(days=day) if rng.random() < 0.8 else None,
                attempts=0,
                unconfirmed_attempts=0,
            )
            deliveries.append(delivery)
    session.add_all(deliveries)
    await session.flush()
    for delivery in rng.sample(deliveries, min(60, len(deliveries))):
        words = rng.choice(WORDS)
        session.add(
            Reply(
                parent_id=parent.id,
                delivery_id=delivery.id if rng.random() < 0.8 else None,
                received_at=NOW - dt.timedelta(hours=rng.randint(0, 24 * 12)),
                kind="text" if words else "button",
                choice=None if words else rng.choice(("tried", "hard", "good", "skip")),
                text=words,
            )
        )
        session.add(
            Decision(
                parent_id=parent.id,
                delivery_id=delivery.id,
                decided_at=NOW - dt.timedelta(hours=rng.randint(0, 24 * 40)),
                local_date=NOW.date() - dt.timedelta(days=rng.randint(0, 40)),
                slot="reply",
                policy_version="reply-1",
                rule="x",
                kind=rng.choice(("ack", "ack", "nudge")),
                message_id=f"ack.{rng.randint(0, 8)}",
                arm=None,
                probability=1.0,
                draw=0.0,
                candidates="{}",
                context="{}",
            )
        )
        if delivery.kind == "checkin" and rng.random() < 0.7:
            session.add(
                CheckinAnswer(
                    parent_id=parent.id,
                    delivery_id=delivery.id,
                    question=rng.choice(("feeling", "feeling", "hardest")),
                    value=rng.choice(("1", "4", "5", "sleep")),
                    answered_at=NOW,
                )
            )
    await session.flush()


def _without_arms(snapshot: object) -> object:
    return dataclasses.replace(snapshot, own={}, pooled={})  # type: ignore[type-var]


async def test_a_reply_snapshot_is_the_planners_snapshot_of_that_parent(database_url: str) -> None:
    library = load_library()
    library_ids = sorted({m.id for m in library.messages})[:40]
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    seen: list[adaptation.ReplyContext] = []
    try:
        for seed in range(4):
            rng = random.Random(seed)
            async with sessions.begin() as session:
                parents = [_parent(1000 + seed * 10 + i) for i in range(3)]
                session.add_all(parents)
                await session.flush()
                for parent in parents[: 3 - (seed == 3)]:  # seed 3: one parent with nothing
                    await _history(session, parent, rng, library_ids)
                for parent in parents:
                    batch = await adaptation.snapshots_for(session, [parent], NOW, {parent.id: NOW})
                    context = await adaptation.reply_context(session, library, parent, NOW)
                    assert context.snapshot == _without_arms(batch[parent.id])
                    assert context.answered == await _answered(session, library, parent)
                    seen.append(context)
        rich = [c for c in seen if c.snapshot.last_sent]
        assert len(rich) == 11 and all(c.snapshot.replies_this_week for c in rich)
        assert all(c.snapshot.recent_kinds and c.answered for c in rich)
        assert any(c.snapshot.last_feeling for c in rich) and any(
            c.snapshot.tries_this_week for c in rich
        )
        assert all(c.snapshot.days_since_checkin is not None for c in rich)
    finally:
        await engine.dispose()


async def _answered(
    session: AsyncSession, library: object, parent: Parent
) -> adaptation.Answered | None:
    """The library message the latest reply answers, or the latest one sent (as it was read
    before it joined the one statement)."""
    from sqlalchemy import select

    from messages.library import Library
    from messages.vocabulary import KINDS as LIBRARY_KINDS

    assert isinstance(library, Library)
    reply = await session.scalar(
        select(Reply).where(Reply.parent_id == parent.id).order_by(Reply.id.desc()).limit(1)
    )
    delivery = None
    if reply is not None and reply.delivery_id is not None:
        delivery = await session.get(Delivery, reply.delivery_id)
    if delivery is None or delivery.kind not in LIBRARY_KINDS:
        delivery = await session.scalar(
            select(Delivery)
            .where(
                Delivery.parent_id == parent.id,
                Delivery.kind.in_(LIBRARY_KINDS),
                Delivery.status == "sent",
            )
            .order_by(Delivery.id.desc())
            .limit(1)
        )
    if delivery is None:
        return None
    message = library.get(delivery.message_id, parent.language)
    tags = message.tags if message is not None else frozenset()
    return adaptation.Answered(delivery.kind, delivery.message_id, tags, delivery.id)
