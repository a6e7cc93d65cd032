"""Webhook mode: updates POSTed to the bot's URL with the secret header, retried on failure."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, Update
from telegram.error import Conflict

from bot.emulator import BotApiEmulator

from .echo_bot import PARENT


@dataclass
class Receiver:
    """A local webhook endpoint that records deliveries and can refuse the first few."""

    url: str = ""
    refuse: int = 0
    deliveries: asyncio.Queue[tuple[dict[str, Any], str | None]] = field(
        default_factory=asyncio.Queue
    )
    attempts: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.refuse > 0:
            self.refuse -= 1
            return web.Response(status=500)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.deliveries.put_nowait((await request.json(), secret))
        return web.Response()

    async def next(self) -> tuple[dict[str, Any], str | None]:
        return await asyncio.wait_for(self.deliveries.get(), timeout=5)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    receiver.url = f"http://{host}:{port}/hook"
    try:
        yield receiver
    finally:
        await runner.cleanup()


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot


async def test_updates_are_posted_with_the_secret_header(
    emulator: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-token")
    update_id = await emulator.user_sends_text(PARENT, "via webhook")

    body, secret = await receiver.next()
    assert secret == "s3cret-token"
    update = Update.de_json(body, bot)
    assert update.update_id == update_id
    assert update.message is not None and update.message.text == "via webhook"

    info = await bot.get_webhook_info()
    assert info.url == receiver.url
    assert info.pending_update_count == 0


async def test_no_secret_header_without_a_secret(
    emulator: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    await emulator.user_sends_text(PARENT, "hi")
    _, secret = await receiver.next()
    assert secret is None


async def test_get_updates_conflicts_while_a_webhook_is_set(
    emulator: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_failed_delivery_is_retried_in_order(
    emulator: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    receiver.refuse = 2
    await bot.set_webhook(receiver.url)
    first = await emulator.user_sends_text(PARENT, "first")
    second = await emulator.user_sends_text(PARENT, "second")

    assert (await receiver.next())[0]["update_id"] == first
    assert (await receiver.next())[0]["update_id"] == second
    assert receiver.attempts == 4
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.pending_update_count == 0


async def test_undelivered_updates_wait_for_polling_unless_dropped(
    emulator: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    receiver.refuse = 1_000_000  # the webhook is down
    await bot.set_webhook(receiver.url)
    kept = await emulator.user_sends_text(PARENT, "kept")
    await bot.delete_webhook()
    assert [u.update_id for u in await bot.get_updates()] == [kept]

    await bot.set_webhook(receiver.url)
    await emulator.user_sends_text(PARENT, "dropped")
    await bot.delete_webhook(drop_pending_updates=True)
    assert emulator.pending_updates == 0
    assert await bot.get_updates() == ()
