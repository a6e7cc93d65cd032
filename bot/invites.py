"""Invite codes from the command line (staff in Telegram use /invite)."""

from __future__ import annotations

import datetime as dt

from bot.db.models import Invite
from bot.db.session import make_engine, make_session_factory


async def create_invite(
    database_url: str, code: str, *, label: str | None, max_uses: int | None
) -> None:
    engine = make_engine(database_url)
    try:
        async with make_session_factory(engine).begin() as session:
            session.add(
                Invite(
                    code=code,
                    label=label,
                    created_at=dt.datetime.now(dt.UTC),
                    uses=0,
                    max_uses=max_uses,
                )
            )
    finally:
        await engine.dispose()
