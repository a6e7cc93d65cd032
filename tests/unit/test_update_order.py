"""Updates of different chats handled at once, one chat's in the order they came."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import Chat, Message, Update, User

from bot.update_order import PerChatUpdates, lane_of


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "Parent", is_bot=False)
    message = Message(update_id, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), chat, from_user=user)
    return Update(update_id, message=message)


async def _run(processor: PerChatUpdates, updates: list[Update]) -> list[str]:
    """Each update's handler records its start and end, pausing a little in between (the
    first longest), through `process_update` as PTB's Application calls it."""
    events: list[str] = []

    async def handle(update: Update, pause: float) -> None:
        events.append(f"start {update.update_id}")
        await asyncio.sleep(pause)
        events.append(f"end {update.update_id}")

    tasks = [
        asyncio.create_task(processor.process_update(u, handle(u, 0.05 / (i + 1))))
        for i, u in enumerate(updates)
    ]
    await asyncio.gather(*tasks)
    return events


async def test_one_chats_updates_run_one_at_a_time_in_order() -> None:
    events = await _run(PerChatUpdates(8), [_update(i, 42) for i in (1, 2, 3)])
    assert events == ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]


async def test_other_chats_do_not_wait() -> None:
    events = await _run(PerChatUpdates(8), [_update(1, 42), _update(2, 43), _update(3, 42)])
    # Chat 43 starts while chat 42's first update is still running and ends first; chat 42's
    # second update waits for its first.
    assert events.index("start 2") < events.index("end 1")
    assert events.index("end 2") < events.index("end 1") < events.index("start 3")


async def test_a_cancelled_waiter_keeps_the_lane_in_order() -> None:
    processor = PerChatUpdates(8)
    release = asyncio.Event()
    events: list[str] = []

    async def first() -> None:
        events.append("start 1")
        await release.wait()
        events.append("end 1")

    async def later(update_id: int) -> None:
        events.append(f"start {update_id}")

    one = asyncio.create_task(processor.process_update(_update(1, 42), first()))
    two = asyncio.create_task(processor.process_update(_update(2, 42), later(2)))
    three = asyncio.create_task(processor.process_update(_update(3, 42), later(3)))
    await asyncio.sleep(0.01)
    two.cancel()
    await asyncio.sleep(0.01)
    assert events == ["start 1"], "the third waits for the first, though the second was cancelled"
    release.set()
    await asyncio.gather(one, three, return_exceptions=True)
    assert events == ["start 1", "end 1", "start 3"]


def test_lanes_are_chats_then_users() -> None:
    assert lane_of(_update(1, 42)) == 42
    assert lane_of(Update(2)) is None
    assert lane_of(object()) is None
