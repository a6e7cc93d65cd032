"""The sender's pure decisions: what a failed send means, and how long to wait."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from scheduler.outbox import ROW_ID, Priority, decode_buttons, encode_buttons
from scheduler.sender import Outcome, booking_room, judge, refill_at, retry_delay


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RetryAfter(dt.timedelta(seconds=7)), Outcome.RATE_LIMITED),
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.UNREACHABLE),
        (BadRequest("Bad Request: chat not found"), Outcome.UNREACHABLE),
        (BadRequest("Bad Request: message is too long"), Outcome.REJECTED),
        (TimedOut(), Outcome.RETRY_UNCONFIRMED),
        (NetworkError("httpx.RemoteProtocolError: Server disconnected"), Outcome.RETRY_UNCONFIRMED),
        (
            NetworkError("aiohttp.ServerDisconnectedError: Server disconnected"),
            Outcome.RETRY_UNCONFIRMED,
        ),
        (NetworkError("Internal Server Error (500)"), Outcome.RETRY),
        (NetworkError("Bad Gateway"), Outcome.RETRY),
    ],
)
def test_each_failure_has_one_meaning(error: Exception, outcome: Outcome) -> None:
    assert judge(error).outcome is outcome  # type: ignore[arg-type]


def test_a_429_carries_its_wait() -> None:
    assert judge(RetryAfter(dt.timedelta(seconds=7))).retry_after == 7.0


def test_answers_retry_fast_enough_to_arrive_within_a_minute() -> None:
    total = sum(retry_delay(Priority.NOW, n, jitter=1.2).total_seconds() for n in range(1, 6))
    assert total < 45
    assert retry_delay(Priority.NOW, 20, jitter=1.0) == dt.timedelta(seconds=15)


def test_daily_messages_back_off_to_half_an_hour() -> None:
    assert retry_delay(Priority.DAILY, 1, jitter=1.0) == dt.timedelta(seconds=30)
    assert retry_delay(Priority.DAILY, 2, jitter=1.0) == dt.timedelta(seconds=60)
    assert retry_delay(Priority.DAILY, 30, jitter=1.0) == dt.timedelta(minutes=30)


def test_jitter_spreads_retries() -> None:
    delays = {retry_delay(Priority.DAILY, 3) for _ in range(50)}
    assert len(delays) > 10
    assert all(dt.timedelta(seconds=96) <= d <= dt.timedelta(seconds=144) for d in delays)


def test_buttons_round_trip_with_the_row_id_filled_in() -> None:
    buttons = ((("We tried it", f"r:{ROW_ID}:tried"), ("Hard", f"r:{ROW_ID}:hard")),)
    assert decode_buttons(encode_buttons(buttons), 17) == (
        (("We tried it", "r:17:tried"), ("Hard", "r:17:hard")),
    )
    assert encode_buttons(()) is None and decode_buttons(None, 1) == ()


def test_booking_room_keeps_an_answer_within_a_fifth_of_a_second_of_the_budget() -> None:
    # At Telegram's 30/s, 6 sends booked ahead: an answer claimed now waits 0.2 s at most.
    assert booking_room(16, 30.0) == 6
    # Paid broadcast: the concurrency is the bound.
    assert booking_room(16, 1000.0) == 16
    # Slow budgets still keep two going; a concurrency of one stays one.
    assert booking_room(16, 1.0) == 2
    assert booking_room(1, 30.0) == 1


def test_claims_refill_every_free_place_at_the_limit_and_half_the_room_when_fast() -> None:
    # At 30/s the rate bounds the room (6): a claim for every free place keeps sends booked.
    assert refill_at(16, 30.0) == 1
    assert refill_at(16, 1.0) == 1
    # Sending as fast as answers come back: a claim carries at least half the room.
    assert refill_at(16, 1000.0) == 8
    assert refill_at(16, 100_000.0) == 8
    assert refill_at(1, 1000.0) == 1
