"""Rate limits and fault injection: 429s, 5xx answers, slow answers, dropped connections.

The rate limiter uses token buckets on an injectable monotonic clock, so tests can step time
instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError

Clock = Callable[[], float]

# Methods that put a message into a chat; these are what Telegram's flood limits count.
RATE_LIMITED_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendvoice",
        "sendvideonote",
        "sendmediagroup",
        "sendsticker",
        "sendlocation",
        "sendvenue",
        "sendcontact",
        "sendpoll",
        "senddice",
        "copymessage",
        "forwardmessage",
    }
)


_EPSILON = 1e-9


class _TokenBucket:
    """`rate` tokens per second, holding at most `capacity`."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    def seconds_until_token(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1 - _EPSILON:  # float clocks: 1000 + 1/30 - 1000 < 1/30
            return 0.0
        return (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens = max(0.0, self.tokens - 1)


@dataclass(frozen=True)
class RateLimits:
    """Telegram's documented broadcast limits (defaults) or whatever a test sets."""

    per_chat_per_second: float = 1.0
    global_per_second: float = 30.0
    per_group_per_minute: float = 20.0


class RateLimiter:
    """Decides whether a send fits the budget, and if not how long to wait (retry_after)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.enabled = False
        self.limits = RateLimits()
        self._global: _TokenBucket | None = None
        self._chats: dict[int, _TokenBucket] = {}

    def configure(self, enabled: bool, limits: RateLimits) -> None:
        """Switch on or off with new limits; budgets start full."""
        for value in (limits.per_chat_per_second, limits.global_per_second):
            if value <= 0:
                raise ValueError("rates must be positive")
        if limits.per_group_per_minute <= 0:
            raise ValueError("rates must be positive")
        self.enabled = enabled
        self.limits = limits
        self._global = None
        self._chats.clear()

    def retry_after(self, chat_id: int | None) -> int | None:
        """None if the send may go now (its budget is spent), else whole seconds to wait."""
        if not self.enabled:
            return None
        now = self._clock()
        if self._global is None:
            rate = self.limits.global_per_second
            self._global = _TokenBucket(rate, max(1.0, rate), now)
        buckets = [self._global]
        if chat_id is not None:
            bucket = self._chats.get(chat_id)
            if bucket is None:
                bucket = self._chat_bucket(chat_id, now)
                self._chats[chat_id] = bucket
            buckets.append(bucket)
        wait = max(bucket.seconds_until_token(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.take()
        return None

    def _chat_bucket(self, chat_id: int, now: float) -> _TokenBucket:
        if chat_id < 0:  # groups and channels
            per_minute = self.limits.per_group_per_minute
            return _TokenBucket(per_minute / 60, max(1.0, per_minute), now)
        rate = self.limits.per_chat_per_second
        return _TokenBucket(rate, max(1.0, rate), now)


@dataclass
class FaultStats:
    """Counters for benchmarks: what was asked of the server and what it refused."""

    requests: int = 0
    rate_limited: int = 0
    failed: int = 0
    delayed: int = 0
    dropped: int = 0
    by_method: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return {
            "requests": self.requests,
            "rate_limited": self.rate_limited,
            "failed": self.failed,
            "delayed": self.delayed,
            "dropped": self.dropped,
            "by_method": dict(self.by_method),
        }


@dataclass
class _Rule:
    method: str
    remaining: int | None  # None: every call until cleared
    status: int = 500
    description: str = ""
    seconds: float = 0.0
    after_processing: bool = True
    retry_after: int | None = None

    def take(self, method: str) -> bool:
        if self.method != method.lower() or self.remaining == 0:
            return False
        if self.remaining is not None:
            self.remaining -= 1
        return True


class Faults:
    """Switches for limits and faults, consulted by the Bot API routes on every call."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.limiter = RateLimiter(clock)
        self.stats = FaultStats()
        self._failures: list[_Rule] = []
        self._delays: list[_Rule] = []
        self._drops: list[_Rule] = []

    def rate_limit(
        self,
        enabled: bool = True,
        per_chat_per_second: float = 1.0,
        global_per_second: float = 30.0,
        per_group_per_minute: float = 20,
    ) -> None:
        """Answer 429 with retry_after to sends over Telegram-like budgets."""
        self.limiter.configure(
            enabled,
            RateLimits(per_chat_per_second, global_per_second, per_group_per_minute),
        )

    def fail_next(
        self,
        method: str,
        count: int = 1,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `count` calls of `method` with this error, doing nothing else.

        `retry_after` makes it a flood-control answer (429 with that many seconds to wait).
        """
        if retry_after is not None:
            status, description = 429, f"Too Many Requests: retry after {retry_after}"
        self._failures.append(
            _Rule(
                method.lower(),
                count,
                status=status,
                description=description,
                retry_after=retry_after,
            )
        )

    def delay(self, method: str, seconds: float, count: int | None = None) -> None:
        """Hold calls of `method` for `seconds` before processing them (all calls if count=None).

        The call still takes effect after the delay even if the client gave up waiting, as
        with a slow Telegram.
        """
        self._delays.append(_Rule(method.lower(), count, seconds=seconds))

    def drop_next(self, method: str, count: int = 1, after_processing: bool = True) -> None:
        """Close the connection of the next `count` calls without answering.

        With after_processing=True the call takes effect first (a sent message is recorded):
        the client cannot know, which is the unavoidable-duplicate case.
        """
        self._drops.append(_Rule(method.lower(), count, after_processing=after_processing))

    def clear(self) -> None:
        """Remove every fault and switch the rate limit off (counters are kept)."""
        self._failures.clear()
        self._delays.clear()
        self._drops.clear()
        self.limiter.configure(False, RateLimits())

    def reset_stats(self) -> None:
        """Start counting from zero."""
        self.stats = FaultStats()

    # --- consulted by the Bot API routes ---

    def take_failure(self, method: str) -> ApiError | None:
        """The injected error for this call, if any."""
        for rule in self._failures:
            if rule.take(method):
                self.stats.failed += 1
                if rule.retry_after is not None:
                    self.stats.rate_limited += 1
                    return ApiError(
                        rule.status, rule.description, {"retry_after": rule.retry_after}
                    )
                return ApiError(rule.status, rule.description)
        return None

    def take_delay(self, method: str) -> float:
        """Seconds to hold this call."""
        seconds = sum(rule.seconds for rule in self._delays if rule.take(method))
        if seconds:
            self.stats.delayed += 1
        return seconds

    def take_drop(self, method: str) -> bool | None:
        """None: answer normally; else whether to process before dropping the connection."""
        for rule in self._drops:
            if rule.take(method):
                self.stats.dropped += 1
                return rule.after_processing
        return None

    def check_rate(self, method: str, chat_id: int | None) -> ApiError | None:
        """A 429 for a send over budget, else None (and the send is counted)."""
        if method.lower() not in RATE_LIMITED_METHODS:
            return None
        seconds = self.limiter.retry_after(chat_id)
        if seconds is None:
            return None
        self.stats.rate_limited += 1
        return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})
