"""Fixtures: a running BotApiEmulator, and a tiny PTB echo bot polling it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram.ext import Application

from bot.emulator import BotApiEmulator

from .echo_bot import PARENT, TOKEN, FakeClock, Seen, build_echo_app


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns on every int-valued time period (e.g. RetryAfter) unless opted in.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emulator(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator(token=TOKEN, bot_username="TendTestBot", clock=clock)
    await emu.start(host="127.0.0.1", port=0)
    emu.add_user(PARENT, first_name="Parent", language_code="en")
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
async def seen() -> Seen:
    return Seen(asyncio.Queue())


@pytest.fixture
async def echo_app(
    emulator: BotApiEmulator, seen: Seen
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    app = build_echo_app(emulator)
    app.bot_data["seen"] = seen
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
