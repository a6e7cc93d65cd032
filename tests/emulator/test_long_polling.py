"""getUpdates: real long polling, offsets, limits, allowed_updates, competing pollers."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Conflict

from bot.emulator import BotApiEmulator

from .echo_bot import PARENT

LONG = dtm.timedelta(seconds=30)


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=LONG, read_timeout=40))
    await emulator.wait_for_poller()  # the request is parked on the server, queue empty

    update_id = await emulator.user_sends_text(PARENT, "wake up")

    # Far below the 30 s poll timeout: only an early wake-up can pass this.
    updates = await asyncio.wait_for(poll, timeout=5)
    assert [u.update_id for u in updates] == [update_id]
    assert updates[0].message is not None and updates[0].message.text == "wake up"


async def test_long_poll_without_updates_answers_empty_after_its_timeout(
    emulator: BotApiEmulator,
) -> None:
    url = f"{emulator.base_url}{emulator.token}/getUpdates"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"timeout": 0.1}) as response,
    ):
        assert await response.json() == {"ok": True, "result": []}


async def test_offset_confirms_and_drops_earlier_updates(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    first = await emulator.user_sends_text(PARENT, "one")
    second = await emulator.user_sends_text(PARENT, "two")
    third = await emulator.user_sends_text(PARENT, "three")

    # Without an offset nothing is confirmed: the same updates come again.
    assert [u.update_id for u in await bot.get_updates()] == [first, second, third]
    assert [u.update_id for u in await bot.get_updates()] == [first, second, third]

    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second, third]
    assert emulator.pending_updates == 2
    # An offset before the first pending update does not bring dropped ones back.
    assert [u.update_id for u in await bot.get_updates(offset=first)] == [second, third]
    assert await bot.get_updates(offset=third + 1) == ()
    assert emulator.pending_updates == 0


async def test_limit_and_negative_offset(emulator: BotApiEmulator, bot: Bot) -> None:
    ids = [await emulator.user_sends_text(PARENT, str(n)) for n in range(5)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=-2)] == ids[-2:]
    assert emulator.pending_updates == 2


async def test_allowed_updates_filters_kinds(emulator: BotApiEmulator, bot: Bot) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    await emulator.user_sends_text(PARENT, "not delivered")
    query_id = await emulator.user_presses_button(PARENT, 1, "x", forge=True)

    updates = await bot.get_updates()
    assert [u.callback_query.id for u in updates if u.callback_query] == [query_id]
    assert len(updates) == 1

    await bot.get_updates(allowed_updates=[])  # back to Telegram's default set
    await emulator.user_sends_text(PARENT, "delivered")
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["delivered"]


async def test_newer_poll_terminates_older_with_conflict(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=LONG, read_timeout=40))
    await emulator.wait_for_poller()
    async with Bot(emulator.token, base_url=emulator.base_url) as second_instance:
        assert await second_instance.get_updates() == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(older, timeout=5)


async def test_stop_answers_parked_polls(emulator: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=LONG, read_timeout=40))
    await emulator.wait_for_poller()
    await emulator.stop()
    assert await asyncio.wait_for(poll, timeout=5) == ()
