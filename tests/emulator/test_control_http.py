"""The HTTP control API: the same user actions and reads, for drivers in another process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.emulator import BotApiEmulator

from .echo_bot import PARENT


class Control:
    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = f"{url}/control"

    async def post(self, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        async with self.session.post(f"{self.url}{path}", json=body or {}) as response:
            return response.status, await response.json()

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.session.get(f"{self.url}{path}") as response:
            return response.status, await response.json()


@pytest.fixture
async def control(emulator: BotApiEmulator) -> AsyncIterator[Control]:
    async with aiohttp.ClientSession() as session:
        yield Control(session, emulator.url)


async def test_users_act_and_chats_are_read_over_http(
    control: Control, emulator: BotApiEmulator
) -> None:
    status, user = await control.post(
        "/users", {"user_id": 3003, "first_name": "Ana", "language_code": "es"}
    )
    assert status == 201
    assert user == {"id": 3003, "is_bot": False, "first_name": "Ana", "language_code": "es"}

    status, body = await control.post("/users/3003/text", {"text": "/start abc"})
    assert status == 200
    assert body["update_id"] == 1
    assert emulator.pending_updates == 1

    markup = {"inline_keyboard": [[{"text": "Ok", "callback_data": "ok"}]]}
    url = f"{emulator.base_url}{emulator.token}/sendMessage"
    payload = {"chat_id": 3003, "text": "Hola", "reply_markup": markup}
    async with control.session.post(url, json=payload) as response:
        assert response.status == 200

    status, messages = await control.get("/chats/3003/messages")
    assert status == 200
    assert messages[0]["text"] == "Hola"
    assert messages[0]["buttons"] == [[{"text": "Ok", "callback_data": "ok", "url": None}]]

    status, press = await control.post(
        "/users/3003/press", {"message_id": 2, "callback_data": "ok"}
    )
    assert status == 200 and press["callback_query_id"]

    status, body = await control.post("/users/3003/block")
    assert status == 200
    assert emulator.is_blocked(3003)
    await control.post("/users/3003/unblock")
    assert not emulator.is_blocked(3003)


async def test_next_message_waits_over_http(control: Control, emulator: BotApiEmulator) -> None:
    status, body = await control.get(f"/chats/{PARENT}/next?timeout=0.01")
    assert status == 504 and "no new bot message" in body["error"]


async def test_errors_are_json(control: Control) -> None:
    status, body = await control.post("/users/4242/text", {"text": "hi"})
    assert status == 404 and "add_user" in body["error"]
    status, body = await control.post(
        f"/users/{PARENT}/press", {"message_id": 1, "callback_data": "x"}
    )
    assert status == 404
    status, body = await control.post(f"/users/{PARENT}/text", {})
    assert status == 400


async def test_faults_and_stats_over_http(control: Control, emulator: BotApiEmulator) -> None:
    status, _ = await control.post(
        "/faults",
        {
            "rate_limit": {"per_chat_per_second": 1.0},
            "fail_next": {"method": "getMe", "count": 1, "status": 503},
        },
    )
    assert status == 200
    url = f"{emulator.base_url}{emulator.token}"
    async with control.session.get(f"{url}/getMe") as response:
        assert response.status == 503
    for expected in (200, 429):
        async with control.session.post(
            f"{url}/sendMessage", json={"chat_id": PARENT, "text": "x"}
        ) as response:
            assert response.status == expected
            body = await response.json()
    assert body["parameters"] == {"retry_after": 1}
    assert body["description"] == "Too Many Requests: retry after 1"

    status, stats = await control.get("/stats")
    assert status == 200
    assert stats["requests"] == 3
    assert (stats["failed"], stats["rate_limited"], stats["messages_sent"]) == (1, 1, 1)

    await control.post("/faults", {"clear": True})
    assert not emulator.faults.limiter.enabled
    status, body = await control.post("/faults", {"explode": {}})
    assert status == 400
