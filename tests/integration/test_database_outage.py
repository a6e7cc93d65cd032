"""PostgreSQL restarted mid-run (a private server the test starts and kills): the bot recovers
by itself, every message goes out, and a parent's message sent during the outage is handled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import build_application, inbox, ticker
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.emulator import BotApiEmulator
from scheduler.clock import WarpClock
from scheduler.outbox import MAX_UNCONFIRMED, Priority
from tests.integration.conftest import ADMIN_ID, START, TOKEN, Tend
from tests.integration.test_delivery import enroll
from tests.private_postgres import PrivatePostgres, postgres_bin


@pytest.fixture
async def private_pg(request: pytest.FixtureRequest) -> AsyncIterator[PrivatePostgres]:
    if not request.config.getoption("--postgres") or postgres_bin() is None:
        pytest.skip("runs with the PostgreSQL suite, on a private server of its own")
    server = await asyncio.to_thread(PrivatePostgres)
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.destroy)


async def test_the_bot_recovers_from_a_database_restart_and_loses_nothing(
    emulator: BotApiEmulator, private_pg: PrivatePostgres
) -> None:
    await asyncio.to_thread(upgrade, private_pg.url)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=private_pg.url,
        admin_ids=(ADMIN_ID,),
        retry_base_seconds=0.2,
        send_lease_seconds=10,
    )
    clock = WarpClock(START, frozen=True)
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()
    await inbox(application).start()
    tend = Tend(application, emulator, clock, private_pg.url)
    try:
        families = await enroll(tend, 60)
        emulator.faults.rate_limit(per_chat_per_second=1.0, global_per_second=30.0)
        await ticker(application).tick(wait_for_sends=False)
        for _ in range(200):  # bounded: until the run is under way
            if sum(1 for f in families if emulator.messages_in(f)) >= 10:
                break
            await asyncio.sleep(0.02)
        await asyncio.to_thread(private_pg.stop, "immediate")
        emulator.add_user(8001, first_name="Mo", language_code="en")
        await emulator.user_sends_text(8001, "/start")  # while the database is down
        await asyncio.sleep(2)
        assert not emulator.messages_in(8001)
        await asyncio.to_thread(private_pg.start)
        for _ in range(600):  # bounded: up to about a minute for everything to go out
            done = all(emulator.messages_in(f) for f in families)
            if done and emulator.messages_in(8001):
                break
            await asyncio.sleep(0.1)
        assert [f for f in families if not emulator.messages_in(f)] == []
        assert "Mo" in emulator.messages_in(8001)[0].text
        bound = 1 + MAX_UNCONFIRMED[Priority.DAILY]
        assert max(len(emulator.messages_in(f)) for f in families) <= bound
    finally:
        await inbox(application).stop()
        await application.post_stop(application)  # type: ignore[misc]
        await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]
