"""Webhook delivery: POST each pending update as JSON to the bot's URL, in order, retrying."""

from __future__ import annotations

import functools
import logging

import aiohttp

from bot.emulator.state import EmulatorState
from bot.emulator.updates import UpdateQueue, Webhook

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_LOGGER = logging.getLogger(__name__)


class WebhookDelivery:
    """Background task that drains the update queue into the webhook while one is set.

    Updates go one at a time, oldest first; a failed delivery (connection error or non-2xx)
    is retried after `retry_delay` seconds, doubling up to `max_retry_delay`, and noted in
    getWebhookInfo's last_error_* like Telegram.
    """

    def __init__(
        self,
        state: EmulatorState,
        updates: UpdateQueue,
        *,
        retry_delay: float,
        max_retry_delay: float,
        request_timeout: float = 10.0,
    ) -> None:
        self._state = state
        self._updates = updates
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self.delivered = 0
        self.failed_attempts = 0

    async def run(self) -> None:
        """Deliver until the emulator closes."""
        async with aiohttp.ClientSession(timeout=self._timeout) as session:
            delay = self._retry_delay
            while await self._wait_for_work():
                hook = self._updates.webhook
                update = self._updates.peek()
                if hook is None or update is None:
                    continue
                error = await self._post(session, hook, update)
                if error is None:
                    self.delivered += 1
                    delay = self._retry_delay
                    self._updates.acknowledge(update["update_id"])
                    await self._state.notify()
                    continue
                self.failed_attempts += 1
                hook.last_error_date = self._state.now()
                hook.last_error_message = error
                await self._state.notify()
                await self._state.wait_until(functools.partial(self._hook_changed, hook), delay)
                delay = min(delay * 2, self._max_retry_delay)

    def _hook_changed(self, hook: Webhook) -> bool:
        return self._updates.closing or self._updates.webhook is not hook

    async def _wait_for_work(self) -> bool:
        await self._state.wait_until(
            lambda: (
                self._updates.closing
                or (self._updates.webhook is not None and self._updates.pending_count > 0)
            ),
            None,
        )
        return not self._updates.closing

    async def _post(
        self, session: aiohttp.ClientSession, hook: Webhook, update: dict[str, object]
    ) -> str | None:
        headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            _LOGGER.debug("webhook delivery to %s failed: %r", hook.url, exc)
            return f"Connection failed: {exc.__class__.__name__}"
