"""Webhook mode: Telegram POSTs updates to our server; the secret is checked on every request,
an update is committed before the 200, and /healthz and /metrics answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

import bot.http as bot_http
from bot.app import build_application
from bot.config import Settings
from bot.db.models import InboxUpdate
from bot.emulator import BotApiEmulator
from bot.http import SECRET_HEADER, WEBHOOK_PATH, HttpServer
from bot.services import SERVICES_KEY
from scheduler.clock import WarpClock
from tests.integration.conftest import ADMIN_ID, START, TOKEN, Tend

SECRET = "s3cret-token-for-tests"


@pytest.fixture
async def hooked(
    emulator: BotApiEmulator, database_url: str
) -> AsyncIterator[tuple[Tend, HttpServer]]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        admin_ids=(ADMIN_ID,),
        rate_per_chat_per_second=1000.0,
        rate_per_second=1000.0,
    )
    clock = WarpClock(START, frozen=True)
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()
    services = application.bot_data[SERVICES_KEY]
    server = HttpServer(
        application, services.sessions, clock, host="127.0.0.1", port=0, webhook_secret=SECRET
    )
    await server.start()
    await server.register_webhook(f"http://127.0.0.1:{server.port}")
    try:
        yield Tend(application, emulator, clock, database_url), server
    finally:
        await server.stop()
        await application.post_stop(application)  # type: ignore[misc]
        await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]


async def post(server: HttpServer, body: dict[str, Any], secret: str | None) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    url = f"http://127.0.0.1:{server.port}{WEBHOOK_PATH}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status


async def test_a_parent_is_answered_through_the_webhook(
    hooked: tuple[Tend, HttpServer],
) -> None:
    tend, _server = hooked
    tend.emulator.add_user(7001, first_name="Lu", language_code="en")
    await tend.emulator.user_sends_text(7001, "/start")
    welcome = await tend.emulator.next_message(7001, timeout=10)
    assert "Lu" in welcome.text
    assert tend.emulator.webhook_info()["url"].endswith(WEBHOOK_PATH)
    stored = await tend.rows(InboxUpdate)
    assert len(stored) == 1 and stored[0].handled_at is not None and stored[0].payload is None


@pytest.mark.parametrize("secret", [None, "wrong", SECRET[:-1]])
async def test_a_wrong_or_missing_secret_gets_403_and_changes_nothing(
    hooked: tuple[Tend, HttpServer], secret: str | None
) -> None:
    tend, server = hooked
    forged = {
        "update_id": 424242,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 7002, "type": "private"},
            "from": {"id": 7002, "is_bot": False, "first_name": "X"},
            "text": "/start",
        },
    }
    assert await post(server, forged, secret) == 403
    await asyncio.sleep(0.2)
    assert await tend.rows(InboxUpdate) == []
    assert await tend.parent(7002) is None


async def test_the_same_update_delivered_twice_is_handled_once(
    hooked: tuple[Tend, HttpServer],
) -> None:
    tend, server = hooked
    tend.emulator.add_user(7003, first_name="Bo", language_code="en")
    update = {
        "update_id": 515151,
        "message": {
            "message_id": 5,
            "date": 0,
            "chat": {"id": 7003, "type": "private", "first_name": "Bo"},
            "from": {"id": 7003, "is_bot": False, "first_name": "Bo"},
            "text": "/help",
        },
    }
    assert await post(server, update, SECRET) == 200
    await tend.emulator.next_message(7003, timeout=10)
    for _ in range(40):  # until the first delivery is marked handled (bounded)
        rows = await tend.rows(InboxUpdate)
        if rows and rows[0].handled_at is not None:
            break
        await asyncio.sleep(0.05)
    assert await post(server, update, SECRET) == 200  # a second worker got it again
    await asyncio.sleep(0.5)
    assert len(tend.emulator.messages_in(7003)) == 1


async def test_healthz_and_metrics_answer(hooked: tuple[Tend, HttpServer]) -> None:
    tend, server = hooked
    tend.emulator.add_user(7004, first_name="Cy", language_code="en")
    await tend.emulator.user_sends_text(7004, "/help")
    await tend.emulator.next_message(7004, timeout=10)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{server.port}/healthz") as response:
            assert response.status == 200 and (await response.json())["ok"] is True
        async with session.get(f"http://127.0.0.1:{server.port}/metrics") as response:
            body = await response.text()
    assert response.status == 200
    for name in (
        "tend_messages_sent_total",
        "tend_queue_depth",
        "tend_updates_handled_total",
        "tend_rate_limited_total",
        "tend_send_seconds",
    ):
        assert name in body


async def test_an_update_that_cannot_be_stored_gets_503_so_telegram_sends_it_again(
    hooked: tuple[Tend, HttpServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    tend, _server = hooked
    failures = iter([True, True])

    real_store = bot_http.store

    async def flaky_store(*args: Any, **kwargs: Any) -> Any:
        if next(failures, False):
            raise ConnectionRefusedError("database is down")
        return await real_store(*args, **kwargs)

    monkeypatch.setattr(bot_http, "store", flaky_store)
    tend.emulator.add_user(7005, first_name="Di", language_code="en")
    await tend.emulator.user_sends_text(7005, "/start")
    # Refused twice with 503, retried by Telegram (the emulator), then stored and answered.
    welcome = await tend.emulator.next_message(7005, timeout=30)
    assert "Di" in welcome.text
    assert tend.emulator.webhook_info()["last_error_message"].startswith("Wrong response")
