"""The real Application, polling our Bot API emulator, on a test database with a frozen clock."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from telegram.ext import Application

from bot.app import build_application, inbox, ticker
from bot.config import Settings
from bot.db.models import Delivery, Parent, Reply
from bot.db.session import make_engine, make_session_factory
from bot.emulator import BotApiEmulator, SentMessage
from bot.services import SENDER_KEY
from scheduler.clock import WarpClock
from scheduler.sender import Sender
from scheduler.ticks import TickReport
from tests.conftest import TEST_TOKEN

TOKEN = TEST_TOKEN
ADMIN_ID = 999
# Wednesday 25 November 2026, 12:00 UTC (07:00 in New York).
START = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> WarpClock:
    return WarpClock(START, frozen=True)


@dataclass
class Tend:
    """The running bot plus what a test needs to look inside it."""

    application: Application[Any, Any, Any, Any, Any, Any]
    emulator: BotApiEmulator
    clock: WarpClock
    database_url: str

    async def barrier(self) -> None:
        """Wait until every update sent so far is handled.

        The bot takes updates in the order they were sent; so once a bystander's /help is
        answered, everything sent before it has been taken; once the update queue is done
        (chats are handled concurrently), handled too; and once the sender is idle, every
        answer is out.
        """
        bystander = 7777
        self.emulator.add_user(bystander, first_name="Bystander", language_code="en")
        await self.emulator.user_sends_text(bystander, "/help")
        await self.emulator.next_message(bystander, timeout=10)
        async with asyncio.timeout(30):
            await self.application.update_queue.join()
            sender = self.application.bot_data[SENDER_KEY]
            assert isinstance(sender, Sender)
            await sender.drain()

    async def tick(self) -> TickReport:
        async with asyncio.timeout(30):
            return await ticker(self.application).tick()

    async def warp_to(self, moment: dt.datetime) -> TickReport:
        self.clock.set(moment)
        return await self.tick()

    async def parent(self, user_id: int) -> Parent | None:
        engine = make_engine(self.database_url)
        try:
            async with make_session_factory(engine)() as session:
                return await session.scalar(
                    select(Parent)
                    .where(Parent.telegram_user_id == user_id)
                    .options(selectinload(Parent.children))
                )
        finally:
            await engine.dispose()

    async def rows(self, model: Any) -> list[Any]:
        engine = make_engine(self.database_url)
        try:
            async with make_session_factory(engine)() as session:
                return list((await session.scalars(select(model))).all())
        finally:
            await engine.dispose()

    async def deliveries(self) -> list[Delivery]:
        """Library messages and safety rows (the bot's own short answers left out)."""
        return [d for d in await self.outbox() if d.kind != "answer"]

    async def outbox(self) -> list[Delivery]:
        """Every row the outbox holds, answers included."""
        return sorted(await self.rows(Delivery), key=lambda d: d.id)

    async def replies(self) -> list[Reply]:
        return sorted(await self.rows(Reply), key=lambda r: r.id)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture
async def tend(
    emulator: BotApiEmulator,
    clock: WarpClock,
    database_url: str,
    settings_overrides: dict[str, Any],
) -> AsyncIterator[Tend]:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": emulator.base_url,
        "database_url": database_url,
        "admin_ids": (ADMIN_ID,),
        "self_signup": True,
        "default_timezone": "America/New_York",
        # The emulator enforces no limits unless a test switches them on; nor do we, so that
        # a two-message answer does not wait a second. Tests of the limits set their own.
        "rate_per_chat_per_second": 1000.0,
        "rate_per_second": 1000.0,
    }
    settings = Settings(_env_file=None, **(values | settings_overrides))  # type: ignore[call-arg]
    emulator.add_user(ADMIN_ID, first_name="Staff", language_code="en")
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()
    await inbox(application).start()
    try:
        yield Tend(application, emulator, clock, database_url)
    finally:
        await inbox(application).stop()
        await application.post_stop(application)  # type: ignore[misc]
        await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]


class Family:
    """One parent talking to the bot through the emulator, the way a person would."""

    def __init__(
        self, tend: Tend, user_id: int, *, language_code: str = "en", first_name: str = "Sam"
    ) -> None:
        self.tend, self.user_id = tend, user_id
        self.emu = tend.emulator
        self.emu.add_user(user_id, first_name=first_name, language_code=language_code)

    async def send(self, text: str) -> SentMessage:
        """Type something and wait for the bot's next message."""
        await self.emu.user_sends_text(self.user_id, text)
        return await self.next()

    async def next(self) -> SentMessage:
        return await self.emu.next_message(self.user_id, timeout=10)

    async def press(self, message: SentMessage, label: str) -> str:
        """Tap the button with this label (or callback data) and wait until the bot answered it."""
        button = message.button(label)
        query_id = await self.emu.user_presses_button(
            self.user_id, message.message_id, button.callback_data
        )
        await self.emu.wait_for_callback_answer(query_id, timeout=10)
        return query_id

    async def press_and_read(self, message: SentMessage, label: str) -> SentMessage:
        await self.press(message, label)
        return await self.next()

    async def press_and_edit(self, message: SentMessage, label: str) -> SentMessage:
        """Tap a button and wait for the bot to edit that message (a question answered)."""
        await self.press(message, label)
        return await self.emu.wait_for_edit(self.user_id, message.message_id, timeout=10)

    async def onboard(
        self,
        *,
        code: str | None = None,
        language: str = "English",
        name: str | None = "Maya",
        date: str = "2026-05-10",
        time: str = "8:00\u202fAM",
        timezone: str = "US Eastern",
    ) -> SentMessage:
        """The whole joining conversation; returns the bot's closing message."""
        welcome = await self.send(f"/start {code}" if code else "/start")
        consent = await self.press_and_read(welcome, language)
        ask_name = await self.press_and_read(consent, consent.buttons[0][0].text)
        await (
            self.send(name) if name else self.press_and_read(ask_name, ask_name.buttons[0][0].text)
        )
        ask_time = await self.send(date)
        ask_zone = await (
            self.press_and_read(ask_time, time)
            if time in ask_time.button_texts
            else self.send(time)
        )
        summary = await (
            self.press_and_read(ask_zone, timezone)
            if timezone in ask_zone.button_texts
            else self.send(timezone)
        )
        return await self.press_and_read(summary, summary.buttons[0][0].text)
