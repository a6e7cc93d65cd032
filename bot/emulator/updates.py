"""The bot's update queue: long polling with offsets, allowed_updates, and the webhook setting.

Updates stay queued until confirmed: by a getUpdates offset past them, or by a 2xx answer from
the webhook. While a webhook is set, getUpdates answers 409 like Telegram.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import bad_request, conflict
from bot.emulator.state import EmulatorState

# Telegram's default when allowed_updates was never given (or given as []).
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
MAX_LIMIT = 100


@dataclass
class Webhook:
    """The webhook as set with setWebhook, plus what delivery learned about it."""

    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateQueue:
    """Pending updates of the bot, in update_id order."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        self._pending: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._allowed = DEFAULT_ALLOWED_UPDATES
        self.allowed_updates_given: list[str] | None = None
        self.webhook: Webhook | None = None
        self.waiting_pollers = 0
        self.created = 0
        self.closing = False
        self._poll_generation = 0

    @property
    def pending_count(self) -> int:
        """Updates not yet confirmed by the bot."""
        return len(self._pending)

    def peek(self) -> dict[str, Any] | None:
        """The oldest unconfirmed update."""
        return self._pending[0] if self._pending else None

    async def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Create an update; like Telegram, kinds the bot did not allow are never queued."""
        update_id = next(self._update_ids)
        self.created += 1
        if kind in self._allowed:
            self._pending.append({"update_id": update_id, kind: payload})
        await self._state.notify()
        return update_id

    def set_allowed_updates(self, value: Any) -> None:
        """Apply allowed_updates: None keeps the current setting, [] restores the default."""
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
            raise bad_request("can't parse allowed_updates JSON object")
        self.allowed_updates_given = list(value) or None
        self._allowed = frozenset(value) or DEFAULT_ALLOWED_UPDATES

    def confirm(self, offset: int) -> None:
        """Forget updates before `offset`; a negative offset keeps only the last -offset ones."""
        if offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        while self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()

    def acknowledge(self, update_id: int) -> None:
        """The webhook accepted this update."""
        if self._pending and self._pending[0]["update_id"] == update_id:
            self._pending.popleft()

    def drop_pending(self) -> None:
        """drop_pending_updates=True."""
        self._pending.clear()

    async def get_updates(self, offset: int | None, limit: int, wait: float) -> list[Any]:
        """getUpdates: confirm by offset, then long-poll up to `wait` seconds for updates.

        A newer getUpdates call ends an older one with 409, as Telegram does when two
        instances poll with the same token.
        """
        self._raise_if_webhook()
        self._poll_generation += 1
        generation = self._poll_generation
        if offset is not None:
            self.confirm(offset)
        changed = self._state.changed
        async with changed:
            changed.notify_all()  # an older poll sees the new generation and ends
            if wait > 0:
                self.waiting_pollers += 1
                changed.notify_all()
                try:
                    async with asyncio.timeout(wait):
                        await changed.wait_for(
                            lambda: (
                                bool(self._pending)
                                or self.closing
                                or self.webhook is not None
                                or generation != self._poll_generation
                            )
                        )
                except TimeoutError:
                    pass
                finally:
                    self.waiting_pollers -= 1
        if generation != self._poll_generation:
            raise conflict(
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        self._raise_if_webhook()
        return list(itertools.islice(self._pending, max(1, min(limit, MAX_LIMIT))))

    def _raise_if_webhook(self) -> None:
        if self.webhook is not None:
            raise conflict(
                "can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )

    def webhook_info(self) -> dict[str, Any]:
        """The WebhookInfo object."""
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_count,
        }
        hook = self.webhook
        if hook is None:
            return info
        info["url"] = hook.url
        if hook.ip_address:
            info["ip_address"] = hook.ip_address
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message or ""
        info["max_connections"] = hook.max_connections
        if self.allowed_updates_given:
            info["allowed_updates"] = self.allowed_updates_given
        return info
