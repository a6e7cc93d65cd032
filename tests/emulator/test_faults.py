"""Rate limits and injected faults, as PTB sees them."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.aiohttp_request import AiohttpRequest
from bot.emulator import BotApiEmulator

from .echo_bot import PARENT, FakeClock

OTHER = 1002


@pytest.fixture(params=["httpx", "aiohttp"])
async def bot(emulator: BotApiEmulator, request: pytest.FixtureRequest) -> AsyncIterator[Bot]:
    """PTB's own transport and ours (bot/aiohttp_request.py): both must behave alike."""
    emulator.add_user(OTHER, first_name="Other")
    async with Bot(
        emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        request=AiohttpRequest() if request.param == "aiohttp" else None,
    ) as bot:
        yield bot


async def test_second_message_in_a_second_gets_retry_after(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    emulator.faults.rate_limit(per_chat_per_second=1.0)
    await bot.send_message(PARENT, "one")

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(PARENT, "two")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(OTHER, "other chats have their own budget")

    clock.advance(1.0)
    await bot.send_message(PARENT, "two, after waiting")
    assert [m.text for m in emulator.messages_in(PARENT)] == ["one", "two, after waiting"]
    assert emulator.stats()["rate_limited"] == 1


async def test_retry_after_is_whole_seconds_rounded_up(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    emulator.faults.rate_limit(per_chat_per_second=0.25)
    await bot.send_message(PARENT, "one")
    clock.advance(1.5)  # 2.5 s of the 4 s still to wait
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(PARENT, "two")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)


async def test_global_budget_limits_sends_across_chats(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    emulator.faults.rate_limit(per_chat_per_second=100.0, global_per_second=2.0)
    await bot.send_message(PARENT, "1")
    await bot.send_message(OTHER, "2")
    with pytest.raises(RetryAfter):
        await bot.send_message(PARENT, "3")
    clock.advance(0.5)
    await bot.send_message(OTHER, "3")


async def test_rate_limit_off_by_default_and_after_clear(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    for text in ("a", "b", "c"):
        await bot.send_message(PARENT, text)
    emulator.faults.rate_limit()
    emulator.faults.clear()
    for text in ("d", "e"):
        await bot.send_message(PARENT, text)
    assert len(emulator.messages_in(PARENT)) == 5


async def test_fail_next_500_raises_network_error_then_recovers(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.faults.fail_next("sendMessage", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(PARENT, "lost")
    await bot.send_message(PARENT, "made it")

    assert [m.text for m in emulator.messages_in(PARENT)] == ["made it"]
    assert emulator.call_count("sendMessage", status=500) == 2
    assert emulator.stats()["failed"] == 2


async def test_fail_next_bad_gateway(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.faults.fail_next("getMe", status=502, description="Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()


async def test_dropped_answer_after_processing_leaves_the_message_sent(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.faults.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(PARENT, "did it go?")
    # The client could not know: this is the window where a retry makes a duplicate.
    assert [m.text for m in emulator.messages_in(PARENT)] == ["did it go?"]
    assert emulator.calls[-1].status is None


async def test_dropped_before_processing_sends_nothing(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.faults.drop_next("sendMessage", after_processing=False)
    with pytest.raises(NetworkError):
        await bot.send_message(PARENT, "never")
    assert emulator.messages_in(PARENT) == []
    assert emulator.stats()["dropped"] == 1


@pytest.mark.parametrize("transport", [HTTPXRequest, AiohttpRequest])
async def test_slow_answer_times_out_client_but_still_takes_effect(
    emulator: BotApiEmulator, transport: type[HTTPXRequest] | type[AiohttpRequest]
) -> None:
    emulator.faults.delay("sendMessage", 0.5, count=1)
    request = transport(read_timeout=0.05)
    async with Bot(emulator.token, base_url=emulator.base_url, request=request) as slow_bot:
        with pytest.raises(TimedOut):
            await slow_bot.send_message(PARENT, "slow")
    assert (await emulator.next_message(PARENT, timeout=5)).text == "slow"
