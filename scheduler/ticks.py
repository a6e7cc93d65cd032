"""One tick of the clock: resume finished pauses, plan what is due, run the periodic checks,
then let the sender deliver what the tick queued."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.coaching.policy_v2 import Policy
from bot.db.session import SessionFactory
from messages.library import Library
from scheduler.clock import Clock
from scheduler.planner import plan_due_deliveries, resume_finished_pauses
from scheduler.sender import Sender

log = logging.getLogger(__name__)

# A periodic check run on every tick (escalating unanswered safety alerts, say).
Check = Callable[[], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class TickReport:
    resumed: int
    planned: int
    sent: int


class Ticker:
    """Runs ticks one at a time (the minute job, the demo's /warp and tests share it)."""

    def __init__(
        self,
        sessions: SessionFactory,
        library: Library,
        clock: Clock,
        sender: Sender,
        checks: Sequence[Check] = (),
        policy: Policy | None = None,
    ) -> None:
        self._sessions, self._library, self._clock = sessions, library, clock
        self._policy = policy
        self._sender, self._checks = sender, tuple(checks)
        self._lock = asyncio.Lock()

    async def tick(self, *, wait_for_sends: bool = True) -> TickReport:
        """Plan, then (by default) wait until the sender has delivered everything now due."""
        async with self._lock:
            # Counted from before planning: on PostgreSQL a NOTIFY wakes the sender at the
            # planner's commit, and it may claim the new rows before we ask it to drain.
            epoch = self._sender.open_count()
            resumed = await resume_finished_pauses(self._sessions, self._clock)
            planned = await plan_due_deliveries(
                self._sessions,
                self._library,
                self._clock,
                self._policy,
                on_commit=self._sender.wake,
            )
            for check in self._checks:
                await check()
            if wait_for_sends:
                sent = await self._sender.drain(epoch)
            else:
                self._sender.wake()
                sent = 0
        if planned or sent:
            log.info("tick: resumed=%s planned=%s sent=%s", resumed, planned, sent)
        return TickReport(resumed, planned, sent)
