"""Updates of different chats handled at once; one chat's updates one at a time, in order.

Handled one after another, updates wait on each other's database round trips: while a
broadcast keeps the event loop busy, every await of a reply takes a turn behind the sends and
the replies of other parents queue up behind it. Here each chat has its own lane: an update
starts once the chat's previous update is done (so a parent's messages are screened, stored
and answered in the order they were sent), and other chats' updates go meanwhile, up to
`max_concurrent_updates` at once. Updates without a chat or a user share one lane.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def lane_of(update: object) -> int | None:
    """The lane an update waits in: its chat, else its user; None for the shared lane."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


class PerChatUpdates(BaseUpdateProcessor):
    """PTB's update processor, concurrent across chats and in order within one."""

    __slots__ = ("_tails",)

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        # Each lane's latest update: done once it is handled (the next one waits for it).
        self._tails: dict[int | None, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        lane = lane_of(update)
        previous = self._tails.get(lane)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[lane] = done
        try:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            await coroutine
        finally:
            if isinstance(coroutine, Coroutine):
                coroutine.close()  # never started (cancelled while waiting): no warning
            if previous is not None and not previous.done():
                # Cancelled while waiting: the next in line still waits for the previous.
                previous.add_done_callback(lambda _: _finish(done))
            else:
                _finish(done)
            if self._tails.get(lane) is done:
                del self._tails[lane]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close: PTB waits for the updates in flight before this."""


def _finish(done: asyncio.Future[None]) -> None:
    with contextlib.suppress(asyncio.InvalidStateError):
        done.set_result(None)
