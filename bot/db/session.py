"""The one engine and session factory for the app, on SQLite or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.sqlite_driver import connector

SessionFactory = async_sessionmaker[AsyncSession]


def make_engine(database_url: str) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys (so deletes cascade), WAL and a busy timeout.

    SQL parameters are hidden from error messages: they hold parents' words, and errors are
    logged.
    """
    if database_url.startswith("sqlite"):
        url = make_url(database_url)
        engine = create_async_engine(
            url,
            hide_parameters=True,
            # One trip to aiosqlite's thread a statement (bot.db.sqlite_driver); a URL with
            # options of its own (a URI filename, say) keeps aiosqlite's connect.
            **(
                {"async_creator": connector(url.database or ":memory:", timeout=30)}
                if not url.query
                else {"connect_args": {"timeout": 30}}
            ),
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL syncs at checkpoints instead of every commit: a committed
            # transaction survives the process being killed (the inbox's promise); only a
            # power cut or an OS crash can take back the last moments of commits.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # Room for every send in flight, the sender's claims and lease, handlers and the planner:
    # connections past the pool are opened and closed each time, which costs more than a send.
    return create_async_engine(
        database_url, pool_pre_ping=True, hide_parameters=True, pool_size=20, max_overflow=20
    )


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)
