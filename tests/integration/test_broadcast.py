"""Staff broadcasts through Telegram: 1,000 families with progress edits and an exact count
while a chatting parent still gets answers promptly; audience filters; scheduling at a time
and at each family's local time; a restart in between; cancelling."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import build_application, inbox
from bot.config import Settings
from bot.db.models import Broadcast, Child, Delivery, Parent
from bot.db.session import make_engine, make_session_factory
from bot.emulator import BotApiEmulator
from scheduler.clock import WarpClock
from tests.integration.conftest import ADMIN_ID, TOKEN, Family, Tend
from tests.integration.program import Member, staff_member

UTC = dt.UTC
SEEDED = 20_000


async def seed(
    tend: Tend,
    count: int,
    *,
    start: int = SEEDED,
    status: str = "active",
    language: str = "en",
    timezone: str = "America/New_York",
    born: dt.date = dt.date(2026, 5, 10),
) -> list[int]:
    """Families already enrolled (written straight to the database, known to the emulator)."""
    now = tend.clock.now()
    ids = list(range(start, start + count))
    engine = make_engine(tend.database_url)
    async with make_session_factory(engine).begin() as session:
        for user_id in ids:
            tend.emulator.add_user(user_id, first_name="P", language_code=language)
            parent = Parent(
                telegram_user_id=user_id,
                chat_id=user_id,
                language=language,
                timezone=timezone,
                send_time=dt.time(8, 0),
                cadence="daily",
                status=status,
                unanswered_count=0,
                consented_at=now,
                created_at=now,
                next_send_at=now + dt.timedelta(days=30),
            )
            parent.child = Child(birth_date=born)
            session.add(parent)
    await engine.dispose()
    return ids


def broadcasts_in(tend: Tend, chat_id: int, words: str) -> int:
    return sum(1 for m in tend.emulator.messages_in(chat_id) if m.text == words)


async def compose(lee: Member, command: str) -> tuple[int, Any]:
    await lee.emu.user_sends_text(lee.user_id, command)
    intro = await lee.next()
    assert "exactly what each family will read" in (intro.text or "")
    preview = await lee.next()
    control = await lee.next()
    assert control.button_texts == ("Send now", "Cancel")
    broadcast_id = int((control.text or "").split("#")[1].split()[0])
    return broadcast_id, (preview, control)


@pytest.mark.parametrize("settings_overrides", [{"rate_per_second": 100.0}])
async def test_a_broadcast_to_1000_families_while_a_parent_chats(tend: Tend) -> None:
    words = "Hello, families! The library story hour is back on Saturdays."
    families = await seed(tend, 1000)
    left_out = [
        *await seed(tend, 3, start=40_000, status="paused"),
        *await seed(tend, 3, start=40_100, status="stopped"),
        *await seed(tend, 3, start=40_200, status="blocked"),
    ]
    chatter = Family(tend, 30_001)
    await chatter.onboard()
    lee = await staff_member(tend)
    broadcast_id, (preview, control) = await compose(lee, f"/broadcast {words}")
    assert preview.text == words  # exactly as a family reads it
    assert "1001 families" in (control.text or "")

    started = time.monotonic()
    await lee.press(control, "Send now")
    progress = await lee.next()
    waits: list[float] = []
    while sum(broadcasts_in(tend, f, words) for f in families[-50:]) < 50:
        asked = time.monotonic()
        await chatter.emu.user_sends_text(chatter.user_id, "/help")
        while True:
            message = await chatter.next()
            if message.text != words:
                break
        waits.append(time.monotonic() - asked)
        await asyncio.sleep(0.3)
    edits = []
    while True:
        edit = await tend.emulator.wait_for_edit(lee.user_id, progress.message_id, timeout=30)
        edits.append(edit.text or "")
        if "finished" in (edit.text or ""):
            break
    elapsed = time.monotonic() - started
    assert "1001 sent, 0 failed, 0 cancelled, of 1001" in edits[-1]
    assert any("left of 1001" in text for text in [progress.text or "", *edits])
    assert all(broadcasts_in(tend, f, words) == 1 for f in families)
    assert all(broadcasts_in(tend, f, words) == 0 for f in left_out)
    rows = [d for d in await tend.outbox() if d.message_id == f"broadcast:{broadcast_id}"]
    assert len(rows) == 1001 and {d.status for d in rows} == {"sent"}
    (broadcast,) = await tend.rows(Broadcast)
    assert broadcast.status == "done" and broadcast.total == 1001
    rate = 1001 / elapsed
    print(
        f"\nbroadcast: 1001 messages in {elapsed:.1f} s = {rate:.0f} msg/s (limit 100/s); "
        f"chatting parent waited max {max(waits):.3f} s, median "
        f"{sorted(waits)[len(waits) // 2]:.3f} s over {len(waits)} answers; "
        f"{len(edits)} progress edits"
    )
    assert max(waits) < 2.0


async def test_filters_choose_the_audience(tend: Tend) -> None:
    await seed(tend, 3, start=50_000, language="es")
    await seed(tend, 2, start=50_100, language="en")
    await seed(tend, 2, start=50_200, language="es", born=dt.date(2024, 6, 1))
    lee = await staff_member(tend)
    _, (_, control) = await compose(lee, "/broadcast lang:es age:6-11 Hola familias")
    assert "3 families" in (control.text or "") and "lang:es age:6-11" in (control.text or "")
    bad = await lee.send("/broadcast lang:fr Bonjour")
    assert "couldn't read a filter" in (bad.text or "")


async def test_only_staff_may_broadcast(tend: Tend) -> None:
    family = Family(tend, 50_300)
    await family.onboard()
    refused = await family.send("/broadcast Hi all")
    assert "for program staff" in (refused.text or "")
    assert await tend.rows(Broadcast) == []


@contextlib.asynccontextmanager
async def running(settings: Settings, clock: WarpClock) -> AsyncIterator[Tend]:
    """The bot started and, at the end, stopped: one process lifetime."""
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()
    await inbox(application).start()
    try:
        yield Tend(application, EMULATOR[0], clock, settings.database_url)
    finally:
        await inbox(application).stop()
        await application.post_stop(application)  # type: ignore[misc]
        await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]


EMULATOR: list[BotApiEmulator] = []


async def test_a_scheduled_broadcast_survives_a_restart_and_goes_at_its_time(
    emulator: BotApiEmulator, database_url: str, clock: WarpClock
) -> None:
    EMULATOR[:] = [emulator]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        admin_ids=(ADMIN_ID,),
        rate_per_second=1000.0,
        rate_per_chat_per_second=1000.0,
    )
    async with running(settings, clock) as tend:
        families = await seed(tend, 5, start=60_000)
        lee = await staff_member(tend)
        broadcast_id, _ = await compose(lee, "/broadcast See you at the park!")
        done = await lee.send(f"/schedule {broadcast_id} 2026-11-26 15:00")
        assert "2026-11-26 at 15:00 UTC" in (done.text or "")
        listed = await lee.send("/broadcasts")
        assert f"#{broadcast_id} scheduled" in (listed.text or "")
    async with running(settings, clock) as tend:  # a new process, the same database
        await tend.warp_to(dt.datetime(2026, 11, 26, 14, 59, tzinfo=UTC))
        assert all(broadcasts_in(tend, f, "See you at the park!") == 0 for f in families)
        await tend.warp_to(dt.datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
        assert all(broadcasts_in(tend, f, "See you at the park!") == 1 for f in families)


async def test_a_broadcast_at_each_familys_local_time(tend: Tend) -> None:
    (new_york,) = await seed(tend, 1, start=61_000, timezone="America/New_York")
    (madrid,) = await seed(tend, 1, start=61_100, timezone="Europe/Madrid")
    lee = await staff_member(tend)
    broadcast_id, _ = await compose(lee, "/broadcast Good morning!")
    await lee.send(f"/schedule {broadcast_id} 2026-11-26 09:00 local")
    await tend.warp_to(dt.datetime(2026, 11, 26, 8, 0, tzinfo=UTC))  # 09:00 in Madrid
    assert broadcasts_in(tend, madrid, "Good morning!") == 1
    assert broadcasts_in(tend, new_york, "Good morning!") == 0
    await tend.warp_to(dt.datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # 09:00 in New York
    assert broadcasts_in(tend, new_york, "Good morning!") == 1


async def test_cancel_stops_what_has_not_gone_out_and_a_replayed_send_does_nothing(
    tend: Tend,
) -> None:
    families = await seed(tend, 4, start=62_000)
    lee = await staff_member(tend)
    broadcast_id, (_, control) = await compose(lee, "/broadcast Tomorrow is a holiday")
    await lee.send(f"/schedule {broadcast_id} 2026-11-27 12:00")
    listed = await lee.send("/broadcasts")
    await lee.press(listed, f"Cancel #{broadcast_id}")
    assert "cancelled" in ((await lee.next()).text or "")
    query = await lee.press(control, "Send now")  # the old preview's button, tapped again
    assert "already sent or cancelled" in (lee.toast(query) or "")
    await tend.warp_to(dt.datetime(2026, 11, 27, 12, 5, tzinfo=UTC))
    assert all(broadcasts_in(tend, f, "Tomorrow is a holiday") == 0 for f in families)
    (broadcast,) = await tend.rows(Broadcast)
    assert broadcast.status == "cancelled"
    assert [d for d in await tend.rows(Delivery) if d.kind == "broadcast"] == []


async def test_a_broadcast_with_a_photo_reaches_families_as_a_photo(tend: Tend) -> None:
    families = await seed(tend, 3, start=63_000)
    lee = await staff_member(tend)
    await tend.emulator.user_sends_photo(lee.user_id, caption="/broadcast Our new library corner")
    intro = await lee.next()
    assert "exactly what each family will read" in (intro.text or "")
    preview = await lee.next()
    assert preview.has_photo and preview.text == "Our new library corner"
    control = await lee.next()
    assert "3 families" in (control.text or "")
    await lee.press(control, "Send now")
    for family in families:
        got = await tend.emulator.next_message(family, timeout=10)
        assert got.has_photo and got.text == "Our new library corner"
