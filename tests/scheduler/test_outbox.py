"""The outbox on a real database (SQLite, or PostgreSQL when a URL is given)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.db.models import Delivery, Parent
from bot.db.session import SessionFactory, make_engine, make_session_factory
from scheduler import outbox
from scheduler.outbox import MAX_UNCONFIRMED, Outgoing, Priority, Status

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
WALL = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    async with factory.begin() as session:
        session.add(
            Parent(
                id=1,
                telegram_user_id=501,
                chat_id=501,
                language="en",
                timezone="America/New_York",
                status="active",
                created_at=NOW,
                cadence="daily",
                unanswered_count=0,
            )
        )
    yield factory
    await engine.dispose()


def message(chat: int = 501, priority: Priority = Priority.DAILY, **kw: object) -> Outgoing:
    return Outgoing(chat_id=chat, text="hello", kind="nudge", priority=priority, **kw)  # type: ignore[arg-type]


async def claim(sessions: SessionFactory, limit: int = 10, **kw: object) -> list[outbox.Claimed]:
    async with sessions.begin() as session:
        return await outbox.claim(
            session,
            now=NOW,
            wall_now=kw.pop("wall_now", WALL),  # type: ignore[arg-type]
            lease_until=WALL + dt.timedelta(seconds=30),
            limit=limit,
            **kw,  # type: ignore[arg-type]
        )


async def rows(sessions: SessionFactory) -> list[Delivery]:
    async with sessions() as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def test_enqueue_returns_ids_in_order_and_a_slot_is_taken_once(
    sessions: SessionFactory,
) -> None:
    daily = message(parent_id=1, slot="daily", local_date=dt.date(2026, 11, 25))
    async with sessions.begin() as session:
        first = await outbox.enqueue(session, [message(), daily, message()], NOW)
    assert first == sorted(first) and len(first) == 3
    async with sessions.begin() as session:
        again = await outbox.enqueue(session, [daily], NOW)
    assert again == []
    assert len(await rows(sessions)) == 3


async def test_claims_take_the_most_urgent_first_and_lease_them(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(
            session,
            [
                message(chat=1, priority=Priority.BULK),
                message(chat=2, priority=Priority.DAILY),
                message(chat=3, priority=Priority.NOW),
            ],
            NOW,
        )
    claimed = await claim(sessions, limit=2)
    assert [c.chat_id for c in claimed] == [3, 2]
    assert all(c.attempts == 1 for c in claimed)
    assert [c.chat_id for c in await claim(sessions)] == [1]
    assert await claim(sessions) == []
    assert {r.status for r in await rows(sessions)} == {Status.SENDING}


async def test_a_row_not_yet_due_or_waiting_a_retry_is_not_claimed(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(session, [message(due_at=NOW + dt.timedelta(minutes=1))], NOW)
        (row_id,) = await outbox.enqueue(session, [message(chat=9)], NOW)
    (claimed,) = await claim(sessions)
    assert claimed.id == row_id
    async with sessions.begin() as session:
        await outbox.mark_retry(
            session, claimed, retry_at=WALL + dt.timedelta(seconds=5), reason="x", unconfirmed=False
        )
    assert await claim(sessions) == []
    (again,) = await claim(sessions, wall_now=WALL + dt.timedelta(seconds=5))
    assert again.id == row_id and again.attempts == 2


async def test_busy_chats_are_skipped_so_one_chat_reads_in_order(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(session, [message(chat=5), message(chat=6)], NOW)
    assert [c.chat_id for c in await claim(sessions, busy_chats=[5])] == [6]


async def test_unconfirmed_attempts_are_bounded(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(session, [message()], NOW)
    statuses = []
    for _ in range(MAX_UNCONFIRMED[Priority.DAILY] + 1):
        (row,) = await claim(sessions, wall_now=WALL + dt.timedelta(hours=1))
        async with sessions.begin() as session:
            statuses.append(
                await outbox.mark_retry(
                    session, row, retry_at=WALL, reason="timed out", unconfirmed=True
                )
            )
    assert statuses[-1] is Status.FAILED and statuses[:-1] == [Status.PENDING] * (len(statuses) - 1)
    (failed,) = await rows(sessions)
    assert failed.last_error and failed.last_error.startswith("unconfirmed")


async def test_an_expired_lease_goes_back_to_pending_as_an_unconfirmed_attempt(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(session, [message(priority=Priority.NOW)], NOW)
    await claim(sessions)
    async with sessions.begin() as session:
        assert await outbox.release_expired_leases(session, WALL + dt.timedelta(seconds=10)) == 0
        assert await outbox.release_expired_leases(session, WALL + dt.timedelta(seconds=31)) == 1
    (row,) = await rows(sessions)
    assert row.status == Status.PENDING and row.unconfirmed_attempts == 1


async def test_a_lease_past_the_bound_fails_visibly_instead_of_repeating(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(session, [message()], NOW)
    for _ in range(MAX_UNCONFIRMED[Priority.DAILY] + 1):
        await claim(sessions, wall_now=WALL + dt.timedelta(hours=1))
        async with sessions.begin() as session:
            await outbox.release_expired_leases(session, WALL + dt.timedelta(hours=2))
    (row,) = await rows(sessions)
    assert row.status == Status.FAILED


async def test_cancel_keeps_safety_rows_when_asked(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(
            session,
            [message(parent_id=1, priority=Priority.NOW), message(parent_id=1)],
            NOW,
        )
        assert await outbox.cancel_pending(session, 1, below_priority=Priority.NOW) == 1
    assert [r.status for r in await rows(sessions)] == [Status.PENDING, Status.CANCELLED]


async def test_a_row_cancelled_while_a_sender_holds_it_is_not_put_back(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await outbox.enqueue(session, [message(parent_id=1)], NOW)
    (held,) = await claim(sessions)
    async with sessions.begin() as session:  # the parent pressed /stop meanwhile
        assert await outbox.cancel_pending(session, 1) == 1
    async with sessions.begin() as session:  # the send failed with a 5xx
        await outbox.mark_retry(session, held, retry_at=WALL, reason="5xx", unconfirmed=False)
    (row,) = await rows(sessions)
    assert row.status == Status.CANCELLED
