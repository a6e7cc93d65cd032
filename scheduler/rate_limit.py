"""One budget for everything the bot token sends: overall, per chat, per group, and 429 pauses.

Sends reserve a moment on a timeline instead of polling: each reservation takes the earliest
moment that keeps the overall rate, the chat's rate and any pause Telegram asked for. A 429
pauses every send for its `retry_after`, then sending resumes at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Telegram measures on its side; a little slack keeps network jitter from looking like a burst.
_CHAT_SLACK = 1.05


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0

    def __post_init__(self) -> None:
        if min(self.per_second, self.per_chat_per_second, self.per_group_per_minute) <= 0:
            raise ValueError("rate limits must be positive")


class SendLimiter:
    """Await `acquire(chat_id)` before each send; call `pause(seconds)` on a 429."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits or Limits()
        self._monotonic, self._sleep = monotonic, sleep
        self._next_any = 0.0
        self._next_chat: dict[int, float] = {}
        self._paused_until = 0.0
        self.pauses = 0

    def _interval(self, chat_id: int) -> float:
        if chat_id < 0:  # groups and channels
            return 60.0 / self.limits.per_group_per_minute * _CHAT_SLACK
        return 1.0 / self.limits.per_chat_per_second * _CHAT_SLACK

    def reserve(self, chat_id: int) -> float:
        """Book the earliest allowed moment for a send to this chat; seconds to wait for it."""
        now = self._monotonic()
        moment = max(now, self._next_any, self._next_chat.get(chat_id, 0.0), self._paused_until)
        self._next_any = moment + 1.0 / self.limits.per_second
        self._next_chat[chat_id] = moment + self._interval(chat_id)
        if len(self._next_chat) > 50_000:  # forget chats whose spacing has long passed
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return moment - now

    async def acquire(self, chat_id: int) -> None:
        """Wait until a send to this chat fits every budget (and no pause is in force)."""
        wait = self.reserve(chat_id)
        while True:
            if wait > 0:
                await self._sleep(wait)
            # A 429 may have come in while this send waited its turn: book again after it.
            if self._paused_until <= self._monotonic():
                return
            wait = self.reserve(chat_id)

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing is sent for `seconds`; the queue moves up behind it."""
        now = self._monotonic()
        until = now + max(0.0, seconds)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
        # Reservations made before the pause start again from its end, spaced as before.
        self._next_any = max(self._next_any, until)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._monotonic())
