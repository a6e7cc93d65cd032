"""Schema upgrades: workers starting together take turns, so none trips over another."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.migrations.env_lock import MIGRATION_LOCK


async def test_an_upgrade_waits_while_another_worker_is_migrating(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite one process runs")
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as holder:
            # Another worker is mid-migration: it holds the lock.
            await holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "db",
                "upgrade",
                env=os.environ | {"DATABASE_URL": database_url},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            waiting = False
            for _ in range(300):  # bounded: until the upgrade queues for the lock, or exits
                waiting = bool(
                    await holder.scalar(
                        text(
                            "SELECT count(*) FROM pg_locks "
                            "WHERE locktype = 'advisory' AND NOT granted"
                        )
                    )
                )
                await holder.commit()
                if waiting or process.returncode is not None:
                    break
                await asyncio.sleep(0.1)
            assert waiting, "the upgrade did not wait for the migration lock"
            await holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            await holder.commit()
            _, stderr = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, stderr.decode()[-300:]
    finally:
        await engine.dispose()
