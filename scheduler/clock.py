"""Time, injected: the real clock in production, a warpable one for the demo and tests."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current moment, aware, in UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class WarpClock:
    """A clock that runs with real time from a starting point and can jump ahead (`/warp 1d`)."""

    def __init__(self, start: dt.datetime | None = None, *, frozen: bool = False) -> None:
        self._real_start = dt.datetime.now(dt.UTC)
        self._start = start or self._real_start
        self._frozen = frozen
        self._offset = dt.timedelta()

    def now(self) -> dt.datetime:
        elapsed = dt.timedelta() if self._frozen else dt.datetime.now(dt.UTC) - self._real_start
        return self._start + elapsed + self._offset

    def advance(self, by: dt.timedelta) -> dt.datetime:
        self._offset += by
        return self.now()

    def set(self, moment: dt.datetime) -> None:
        self._offset += moment - self.now()

    def __repr__(self) -> str:
        return f"WarpClock(now={self.now().isoformat()})"
