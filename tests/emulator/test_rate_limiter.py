"""The token-bucket rate limiter on a stepped clock."""

from __future__ import annotations

from bot.emulator.faults import RateLimiter, RateLimits

from .echo_bot import FakeClock


def limiter(clock: FakeClock, **limits: float) -> RateLimiter:
    rate_limiter = RateLimiter(clock)
    rate_limiter.configure(True, RateLimits(**limits))
    return rate_limiter


def test_one_message_per_chat_per_second() -> None:
    clock = FakeClock()
    chats = limiter(clock)
    assert chats.retry_after(1) is None
    assert chats.retry_after(1) == 1
    clock.advance(0.999)
    assert chats.retry_after(1) == 1
    clock.advance(0.001)
    assert chats.retry_after(1) is None


def test_refused_sends_do_not_spend_budget() -> None:
    clock = FakeClock()
    chats = limiter(clock)
    chats.retry_after(1)
    for _ in range(5):
        assert chats.retry_after(1) == 1
    clock.advance(1)
    assert chats.retry_after(1) is None


def test_global_budget_allows_a_burst_then_its_rate() -> None:
    clock = FakeClock()
    overall = limiter(clock, per_chat_per_second=1.0, global_per_second=30.0)
    assert all(overall.retry_after(chat) is None for chat in range(1, 31))
    assert overall.retry_after(31) == 1
    clock.advance(1 / 30)
    assert overall.retry_after(31) is None


def test_groups_have_a_per_minute_budget() -> None:
    clock = FakeClock()
    groups = limiter(clock, per_group_per_minute=20)
    assert all(groups.retry_after(-100) is None for _ in range(20))
    assert groups.retry_after(-100) == 3  # 20 per minute: one every 3 s


def test_disabled_limiter_allows_everything() -> None:
    clock = FakeClock()
    off = RateLimiter(clock)
    assert all(off.retry_after(1) is None for _ in range(100))
