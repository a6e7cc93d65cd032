"""The send budget: overall spacing, per-chat spacing, and 429 pauses, on a stepped clock."""

from __future__ import annotations

import pytest

from scheduler.rate_limit import Limits, SendLimiter


class SteppedClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


def limiter(clock: SteppedClock, **limits: float) -> SendLimiter:
    return SendLimiter(Limits(**limits), monotonic=clock, sleep=clock.sleep)


async def test_sends_to_many_chats_are_spaced_at_the_overall_rate(clock: SteppedClock) -> None:
    budget = limiter(clock, per_second=30.0)
    moments = []
    for chat in range(90):
        await budget.acquire(chat)
        moments.append(clock.now)
    # 90 sends at 30/s take 89/30 s: never more than 30 in any one-second window.
    assert moments[-1] - moments[0] == pytest.approx(89 / 30)
    for i in range(len(moments) - 30):
        assert moments[i + 30] - moments[i] >= 1.0 - 1e-9


async def test_one_chat_gets_about_one_message_a_second(clock: SteppedClock) -> None:
    budget = limiter(clock, per_second=30.0, per_chat_per_second=1.0)
    moments = []
    for _ in range(3):
        await budget.acquire(42)
        moments.append(clock.now)
    assert moments[1] - moments[0] >= 1.0 and moments[2] - moments[1] >= 1.0


async def test_groups_get_twenty_a_minute(clock: SteppedClock) -> None:
    budget = limiter(clock, per_group_per_minute=20.0)
    await budget.acquire(-100)
    start = clock.now
    await budget.acquire(-100)
    assert clock.now - start >= 3.0


async def test_a_429_pauses_every_send_then_sending_resumes_at_once(clock: SteppedClock) -> None:
    budget = limiter(clock, per_second=30.0)
    await budget.acquire(1)
    budget.pause(5.0)
    paused_at = clock.now
    await budget.acquire(2)
    assert clock.now == pytest.approx(paused_at + 5.0)
    await budget.acquire(3)
    assert clock.now == pytest.approx(paused_at + 5.0 + 1 / 30)


def test_a_reservation_made_before_a_pause_waits_for_it(clock: SteppedClock) -> None:
    budget = limiter(clock, per_second=1.0)
    assert budget.reserve(1) == 0.0
    budget.pause(10.0)
    assert budget.reserve(2) == pytest.approx(10.0)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Limits(per_second=0)
