"""The sender's own sendMessage (scheduler.telegram_post) against the emulator: every answer
and fault reads as PTB reads it, down to the verdict the sender draws from it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import Bot
from telegram.error import TelegramError

from bot.aiohttp_request import AiohttpRequest
from bot.emulator import BotApiEmulator
from bot.markup import markup_dict
from scheduler.sender import Verdict, judge
from scheduler.telegram_post import BotApiPost, encode

from .echo_bot import PARENT, FakeClock

NOBODY = 4040

Fault = Callable[[BotApiEmulator, FakeClock], None]


@pytest.fixture
async def ptb(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emulator.token, base_url=emulator.base_url, request=AiohttpRequest()) as bot:
        yield bot


@pytest.fixture
async def post(ptb: Bot) -> AsyncIterator[BotApiPost]:
    poster = BotApiPost(ptb.base_url, read_timeout=0.2)
    try:
        yield poster
    finally:
        poster.close()


async def test_a_message_with_a_keyboard_arrives_and_its_id_comes_back(
    emulator: BotApiEmulator, post: BotApiPost
) -> None:
    keyboard = markup_dict(((("Yes", "r:1:yes"), ("No", "r:1:no")),))
    body = encode({"chat_id": PARENT, "text": "Hola, ¿qué tal? 👋", "reply_markup": keyboard})
    first = await post.send_message(body)
    second = await post.send_message(encode({"chat_id": PARENT, "text": "again"}))
    sent = emulator.messages_in(PARENT)
    assert [m.text for m in sent] == ["Hola, ¿qué tal? 👋", "again"]
    assert [m.message_id for m in sent] == [first, second]
    assert [(b.text, b.callback_data) for b in sent[0].buttons[0]] == [
        ("Yes", "r:1:yes"),
        ("No", "r:1:no"),
    ]


def _rate_limited(emulator: BotApiEmulator, _clock: FakeClock) -> None:
    emulator.faults.rate_limit(per_chat_per_second=0.25)


FAULTS: dict[str, tuple[Fault, int]] = {
    "429": (_rate_limited, PARENT),
    "chat not found": (lambda emu, _: None, NOBODY),
    "500": (lambda emu, _: emu.faults.fail_next("sendMessage"), PARENT),
    "502": (
        lambda emu, _: emu.faults.fail_next("sendMessage", status=502, description="Bad Gateway"),
        PARENT,
    ),
    "503": (lambda emu, _: emu.faults.fail_next("sendMessage", status=503), PARENT),
    "dropped after processing": (lambda emu, _: emu.faults.drop_next("sendMessage"), PARENT),
    "dropped before processing": (
        lambda emu, _: emu.faults.drop_next("sendMessage", after_processing=False),
        PARENT,
    ),
    "slow answer": (lambda emu, _: emu.faults.delay("sendMessage", 0.6, count=1), PARENT),
}


async def _verdict(send: Callable[[], Awaitable[object]]) -> tuple[type[TelegramError], Verdict]:
    with pytest.raises(TelegramError) as caught:
        await send()
    return type(caught.value), judge(caught.value)


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_every_fault_draws_the_verdict_ptb_draws(
    emulator: BotApiEmulator, clock: FakeClock, ptb: Bot, post: BotApiPost, fault: str
) -> None:
    arrange, chat = FAULTS[fault]
    slow = AiohttpRequest(read_timeout=0.2)
    async with Bot(emulator.token, base_url=emulator.base_url, request=slow) as ptb_slow:
        arrange(emulator, clock)
        if fault == "429":  # the chat's budget spent: both sends below are refused
            await post.send_message(encode({"chat_id": chat, "text": "first"}))
        theirs = await _verdict(lambda: ptb_slow.send_message(chat, "x"))
        if fault != "429":
            arrange(emulator, clock)
        ours = await _verdict(lambda: post.send_message(encode({"chat_id": chat, "text": "x"})))
    assert ours == theirs
    # And the connection is usable again afterwards.
    emulator.faults.clear()
    clock.advance(10)
    assert await post.send_message(encode({"chat_id": PARENT, "text": "after"})) > 0


async def test_an_unreachable_api_is_a_network_error_without_the_token(ptb: Bot) -> None:
    token = ptb.token
    post = BotApiPost(f"http://127.0.0.1:9/bot{token}", connect_timeout=1.0)
    with pytest.raises(TelegramError) as caught:
        await post.send_message(encode({"chat_id": PARENT, "text": "x"}))
    assert judge(caught.value).reason == "network error"
    assert token not in str(caught.value)
