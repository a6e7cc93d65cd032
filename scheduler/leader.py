"""One sender at a time across workers (PostgreSQL): the bot token's rate budget is one.

Every worker runs a sender, but only the one holding a session-level advisory lock claims
rows; the others stand by and try the lock each second, so when the leader dies (its
connection closes and PostgreSQL drops the lock) another takes over within about a second.
The leader LISTENs on a channel that every enqueue NOTIFYs at commit, so a row enqueued by
any worker wakes it at once. On SQLite there is one process, and no lease is needed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

LOCK_KEY = 0x7E4D_5E4D  # "tend sender"
CHANNEL = "tend_outbox"
# How often the leader checks that its connection (and so its lock) is still alive.
HEARTBEAT_SECONDS = 2.0


class SenderLease:
    """`await lease.held()` before claiming: True only while this process is the sender."""

    def __init__(self, engine: AsyncEngine, on_notify: Callable[[], None]) -> None:
        self._engine, self._on_notify = engine, on_notify
        self._connection: AsyncConnection | None = None
        self._checked = 0.0

    async def held(self) -> bool:
        now = time.monotonic()
        if self._connection is not None and now - self._checked < HEARTBEAT_SECONDS:
            return True
        self._checked = now
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("the sender lost its database connection; standing by")
                await self.release()
        return await self._try_acquire()

    async def _try_acquire(self) -> bool:
        connection: AsyncConnection | None = None
        try:
            connection = await self._engine.connect()
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            )
            await connection.commit()
            if not got:
                await connection.close()
                return False
            # The lock lives as long as this database connection: it must never go back to
            # the pool, or a pooled connection would keep it after we let go.
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            await driver.add_listener(CHANNEL, self._notified)
        except Exception:
            if connection is not None:
                await connection.invalidate()
            return False
        self._connection = connection
        log.info("this worker is now the sender")
        return True

    def _notified(self, *_args: object) -> None:
        self._on_notify()

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.invalidate()  # really close it: the lock goes with it
        except Exception:  # a dead connection: the lock is gone with it
            log.info("closed a dead sender connection")
