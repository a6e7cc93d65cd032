"""One tick of the clock: resume finished pauses, plan what is due, send what is pending."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Bot

from bot.db.session import SessionFactory
from messages.library import Library
from scheduler.clock import Clock
from scheduler.planner import plan_due_deliveries, resume_finished_pauses
from scheduler.sender import release_stale_claims, send_pending

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TickReport:
    resumed: int
    planned: int
    sent: int


class Ticker:
    """Runs ticks one at a time (the minute job, the demo's /warp and tests share it)."""

    def __init__(self, bot: Bot, sessions: SessionFactory, library: Library, clock: Clock) -> None:
        self._bot, self._sessions, self._library, self._clock = bot, sessions, library, clock
        self._lock = asyncio.Lock()

    async def tick(self) -> TickReport:
        async with self._lock:
            await release_stale_claims(self._sessions, self._clock)
            resumed = await resume_finished_pauses(self._sessions, self._clock)
            planned = await plan_due_deliveries(self._sessions, self._library, self._clock)
            sent = await send_pending(self._bot, self._sessions, self._library, self._clock)
        if planned or sent:
            log.info("tick: resumed=%s planned=%s sent=%s", resumed, planned, sent)
        return TickReport(resumed, planned, sent)
