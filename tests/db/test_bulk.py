"""Bulk statements (bot.db.bulk) store what SQLAlchemy's own statements store, on both backends."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Table, insert, select, text

from bot.db import bulk
from bot.db.models import Delivery, Parent
from bot.db.session import make_engine, make_session_factory

NOW = dt.datetime(2026, 11, 26, 13, 0, 0, 250, tzinfo=dt.UTC)
NEW_YORK = dt.timezone(dt.timedelta(hours=-5))
DELIVERIES = cast(Table, Delivery.__table__)
PARENTS = cast(Table, Parent.__table__)
COLUMNS = ("parent_id", "chat_id", "message_id", "kind", "priority", "local_date", "slot",
           "status", "text", "buttons", "due_at", "created_at", "attempts",
           "unconfirmed_attempts")  # fmt: skip
RAW = (
    "SELECT CAST(due_at AS TEXT), CAST(created_at AS TEXT), CAST(local_date AS TEXT)"
    " FROM deliveries WHERE parent_id = :parent ORDER BY local_date"
)


def _parent(user_id: int) -> Parent:
    return Parent(
        telegram_user_id=user_id, chat_id=user_id, language="en", timezone="America/New_York",
        status="active", created_at=NOW, unanswered_count=0,
    )  # fmt: skip


def _row(parent_id: int, day: int) -> tuple[object, ...]:
    due = (NOW + dt.timedelta(days=day, microseconds=day)).astimezone(NEW_YORK)  # stored as UTC
    local = dt.date(2026, 11, 26) + dt.timedelta(days=day)
    return (
        parent_id, 42, f"m-{day}", "nudge", 1, local, "daily", "pending", f"text {day}",
        None if day % 2 else "[]", due, NOW, 0, 0,
    )  # fmt: skip


async def test_rows_inserted_in_bulk_are_stored_as_sqlalchemy_stores_them(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        async with sessions.begin() as session:
            ours, theirs = _parent(1), _parent(2)
            session.add_all([ours, theirs])
            await session.flush()
            await session.execute(
                insert(DELIVERIES),
                [dict(zip(COLUMNS, _row(theirs.id, day), strict=True)) for day in range(3)],
            )
            ids = await bulk.insert(
                session,
                DELIVERIES,
                COLUMNS,
                [_row(ours.id, day) for day in range(3)] + [_row(theirs.id, 0)],
                on_conflict=("parent_id", "local_date", "slot"),
                returning="id",
            )
        async with sessions() as session:
            stored = (
                await session.scalars(select(Delivery).where(Delivery.parent_id == ours.id))
            ).all()
            assert sorted(ids) == sorted(d.id for d in stored)  # the conflicting row: skipped
            for delivery in sorted(stored, key=lambda d: d.local_date):
                day = (delivery.local_date - dt.date(2026, 11, 26)).days
                for name, value in zip(COLUMNS, _row(ours.id, day), strict=True):
                    assert getattr(delivery, name) == value, name
            # As stored, character for character, as SQLAlchemy's own insert stored them.
            raw_ours = (await session.execute(text(RAW), {"parent": ours.id})).all()
            raw_theirs = (await session.execute(text(RAW), {"parent": theirs.id})).all()
            assert raw_ours == raw_theirs
            assert len(raw_ours) == 3
    finally:
        await engine.dispose()


async def test_an_update_in_bulk_sets_each_row_by_key_after_the_sessions_own_changes(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        async with sessions.begin() as session:
            parents = [_parent(10 + i) for i in range(3)]
            session.add_all(parents)
            await session.flush()
            parents[0].next_send_at = NOW  # pending in the session: written before the update
            parents[0].pending_need = "calm"
            await bulk.update(
                session,
                PARENTS,
                "id",
                ("next_send_at", "unanswered_count"),
                [(p.id, NOW + dt.timedelta(hours=i), i) for i, p in enumerate(parents[:2])],
            )
            ids = [p.id for p in parents]
        async with sessions() as session:
            stored = {
                row.id: row
                for row in (await session.execute(select(Parent).where(Parent.id.in_(ids))))
                .scalars()
                .all()
            }
        first, second, third = (stored[i] for i in ids)
        assert (first.next_send_at, first.unanswered_count, first.pending_need) == (NOW, 0, "calm")
        assert (second.next_send_at, second.unanswered_count) == (NOW + dt.timedelta(hours=1), 1)
        assert (third.next_send_at, third.unanswered_count) == (None, 0)
    finally:
        await engine.dispose()


async def test_nothing_to_write_runs_no_statement(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        async with sessions.begin() as session:
            assert await bulk.insert(session, DELIVERIES, COLUMNS, [], returning="id") == []
            await bulk.update(session, PARENTS, "id", ("unanswered_count",), [])
    finally:
        await engine.dispose()


async def test_among_reads_the_rows_of_the_ids_given_however_many(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        async with sessions.begin() as session:
            parents = [_parent(100 + i) for i in range(40)]
            session.add_all(parents)
            await session.flush()
            ids = [p.id for p in parents]
            wanted = ids[::3] + [10**9 + i for i in range(3_000)]  # past SQLite's 999 of old
            for asked, expected in ((wanted, ids[::3]), ([], []), (ids, ids)):
                found = await session.scalars(
                    select(Parent.id).where(bulk.among(session, Parent.id, asked))
                )
                assert sorted(found) == sorted(expected)
    finally:
        await engine.dispose()
