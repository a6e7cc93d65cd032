"""Migration 0008: a parent's one child becomes their child #1, and a second child can be added;
the downgrade keeps each parent's first child."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import selectinload

from bot.db.migrate import downgrade, upgrade
from bot.db.models import Child, Parent
from bot.db.session import make_engine, make_session_factory

NOW = "2026-11-25 12:00:00"


async def execute(url: str, *statements: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def test_the_one_child_of_an_existing_parent_is_their_child_number_one(
    database_url: str,
) -> None:
    await asyncio.to_thread(downgrade, database_url, "0007")
    await execute(
        database_url,
        "INSERT INTO parents (id, telegram_user_id, chat_id, language, timezone, send_time, "
        "cadence, status, unanswered_count, created_at) VALUES (1, 41, 41, 'en', "
        f"'America/New_York', '08:00:00', 'daily', 'active', 0, '{NOW}')",
        "INSERT INTO children (parent_id, name, birth_date) VALUES (1, 'Maya', '2026-05-10')",
    )
    await asyncio.to_thread(upgrade, database_url)
    engine = make_engine(database_url)
    try:
        async with make_session_factory(engine).begin() as session:
            parent = await session.scalar(select(Parent).options(selectinload(Parent.children)))
            assert parent is not None and parent.child is not None
            assert parent.child.name == "Maya" and parent.child.ended is None
            parent.children.append(Child(name="Leo", birth_date=dt.date(2025, 1, 15)))
        async with make_session_factory(engine)() as session:
            names = (await session.scalars(select(Child.name).order_by(Child.id))).all()
            assert names == ["Maya", "Leo"]
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, database_url, "0007")
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            left = (await connection.execute(text("SELECT name FROM children"))).scalars().all()
            assert left == ["Maya"]
    finally:
        await engine.dispose()
