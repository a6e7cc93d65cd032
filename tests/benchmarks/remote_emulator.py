"""The Bot API emulator in a process of its own, so the bot's process is measured alone.

On a 2-core machine an in-process emulator would eat the bot's CPU and event loop, which
Telegram never does. The child runs `BotApiEmulator` plus a small benchmark control server
(`/bench/...`): add users, switch rate limits, offer parents' texts at a steady rate, and hand
back every send with its monotonic time (CLOCK_MONOTONIC is shared by processes on Linux, so
the bot's and the emulator's times compare directly).

    python -m tests.benchmarks.remote_emulator   # prints one JSON line: base_url, control
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from bot.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:BENCH-TOKEN"


class _Child:
    """What runs in the emulator's process."""

    def __init__(self) -> None:
        self.emu = BotApiEmulator(token=TOKEN, bot_username="TendBenchBot")
        self.offers: list[tuple[int, float]] = []
        self._offer_task: asyncio.Task[None] | None = None
        self._stop_offer = False

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        name = request.match_info["name"]
        result = await getattr(self, f"do_{name}")(**body)
        return web.json_response(result)

    async def do_users(self, first: int, count: int) -> int:
        for user_id in range(first, first + count):
            self.emu.add_user(user_id, first_name="Parent", language_code="en")
        return count

    async def do_rate_limit(
        self, enabled: bool, per_chat: float = 1.0, global_per_second: float = 30.0
    ) -> bool:
        self.emu.faults.rate_limit(
            enabled, per_chat_per_second=per_chat, global_per_second=global_per_second
        )
        return enabled

    async def do_reset(self) -> bool:
        """Forget calls and offers; budgets start full again."""
        self.emu.calls.clear()
        self.emu.faults.reset_stats()
        limiter = self.emu.faults.limiter
        limiter.configure(limiter.enabled, limiter.limits)
        self.offers.clear()
        return True

    async def do_sends(self, first: int = 0, count: int = 1 << 62) -> list[list[Any]]:
        """Every sendMessage to chats in [first, first + count): chat, HTTP status, time."""
        found = []
        for call in self.emu.calls:
            if call.method.lower() != "sendmessage":
                continue
            chat = int(call.params.get("chat_id", 0))
            if first <= chat < first + count:
                found.append([chat, call.status, call.at])
        return found

    async def do_sent_count(self, first: int, count: int) -> int:
        return sum(1 for chat, status, _ in await self.do_sends(first, count) if status == 200)

    async def do_offer(self, users: list[int], rate: float, count: int, text: str) -> float:
        """Parents write `text`, round robin, `rate` a second (0: all at once); start time."""
        self._stop_offer = False
        started = time.monotonic()

        async def offer() -> None:
            for index in range(count):
                if self._stop_offer:
                    return
                if rate > 0:
                    delay = started + index / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                user = users[index % len(users)]
                self.offers.append((user, time.monotonic()))
                await self.emu.user_sends_text(user, text)

        self._offer_task = asyncio.create_task(offer())
        return started

    async def do_stop_offer(self) -> int:
        self._stop_offer = True
        if self._offer_task is not None:
            await self._offer_task
        return len(self.offers)

    async def do_answers(self) -> dict[str, Any]:
        """For each text offered: the first sendMessage to that chat after it (its answer)."""
        by_chat: dict[int, list[float]] = {}
        for call in self.emu.calls:
            if call.method.lower() == "sendmessage" and call.status == 200:
                by_chat.setdefault(int(call.params.get("chat_id", 0)), []).append(call.at)
        latencies: list[list[float]] = []  # offered at, answered after (s)
        used: dict[int, int] = {}
        unanswered = 0
        for user, offered in self.offers:
            times = by_chat.get(user, [])
            index = used.get(user, 0)
            while index < len(times) and times[index] < offered:
                index += 1
            if index < len(times):
                latencies.append([offered, times[index] - offered])
                used[user] = index + 1
            else:
                unanswered += 1
        return {"latencies": latencies, "unanswered": unanswered, "offered": len(self.offers)}

    async def do_stats(self) -> dict[str, Any]:
        return self.emu.stats()


async def _serve() -> None:
    child = _Child()
    await child.emu.start(host="127.0.0.1", port=0)
    app = web.Application(client_max_size=1 << 26)
    app.router.add_post("/bench/{name}", child.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"base_url": child.emu.base_url, "control": f"http://127.0.0.1:{port}"}))
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    # Bounded: never outlive a benchmark run by more than an hour.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), 3600)
    await runner.cleanup()
    await child.emu.stop()


class RemoteEmulator:
    """The benchmark's handle on the emulator process."""

    def __init__(self, process: asyncio.subprocess.Process, base_url: str, control: str) -> None:
        self.process, self.base_url, self.token = process, base_url, TOKEN
        self._client = httpx.AsyncClient(base_url=control, timeout=120)

    async def call(self, name: str, **body: Any) -> Any:
        response = await self._client.post(f"/bench/{name}", json=body)
        response.raise_for_status()
        return response.json()

    async def close(self) -> None:
        await self._client.aclose()
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


@contextlib.asynccontextmanager
async def remote_emulator() -> AsyncIterator[RemoteEmulator]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.benchmarks.remote_emulator",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 30)
    info = json.loads(line)
    remote = RemoteEmulator(process, info["base_url"], info["control"])
    try:
        yield remote
    finally:
        await remote.close()


if __name__ == "__main__":
    asyncio.run(_serve())
