"""BotApiEmulator: the one facade tests, the demo and benchmarks use to run and drive the server."""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.emulator.bot_api import BotApiRoutes
from bot.emulator.control_api import ControlApiRoutes
from bot.emulator.faults import Clock, Faults
from bot.emulator.methods import BotMethods
from bot.emulator.records import ApiCall, CallbackAnswer, SentMessage
from bot.emulator.state import Chat, EmulatorState, StoredMessage, WallClock
from bot.emulator.updates import UpdateQueue
from bot.emulator.users import UserActions
from bot.emulator.webhook import WebhookDelivery

_MAX_BODY = 64 * 1024 * 1024  # Telegram takes uploads up to 50 MB


class BotApiEmulator:
    """A local Telegram Bot API server for one bot, with a control API to play its users.

    Pass `base_url` / `base_file_url` to PTB's ApplicationBuilder. `clock` (monotonic) drives
    the rate limiter, `wall_clock` (unix seconds) the message dates.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "TendTestBot",
        *,
        clock: Clock = time.monotonic,
        wall_clock: WallClock = time.time,
        webhook_retry_delay: float = 0.05,
        webhook_max_retry_delay: float = 5.0,
    ) -> None:
        self._state = EmulatorState(token, bot_username, wall_clock)
        self._updates = UpdateQueue(self._state)
        self._users = UserActions(self._state, self._updates)
        self._webhook = WebhookDelivery(
            self._state,
            self._updates,
            retry_delay=webhook_retry_delay,
            max_retry_delay=webhook_max_retry_delay,
        )
        self.faults = Faults(clock)
        self.calls: list[ApiCall] = []
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._url: str | None = None

    def __repr__(self) -> str:
        return f"BotApiEmulator(url={self._url!r}, bot=@{self._state.bot_user['username']})"

    # --- lifecycle ---

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0 picks a free port) and start webhook delivery."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        app = web.Application(client_max_size=_MAX_BODY)
        methods = BotMethods(self._state, self._updates)
        BotApiRoutes(self._state, methods, self.faults, self.calls, self._is_closing).add_to(app)
        ControlApiRoutes(self).add_to(app)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        self._url = f"http://{bound_host}:{bound_port}"
        self._updates.closing = False
        self._webhook_task = asyncio.create_task(self._webhook.run(), name="emulator-webhook")

    async def stop(self) -> None:
        """Answer parked long polls, stop webhook delivery and close the server."""
        if self._runner is None:
            return
        self._updates.closing = True
        await self._state.notify()
        if self._webhook_task is not None:
            await self._webhook_task
            self._webhook_task = None
        await self._runner.cleanup()
        self._runner = None
        self._url = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def _is_closing(self) -> bool:
        return self._updates.closing

    @property
    def url(self) -> str:
        """http://host:port of the running server."""
        if self._url is None:
            raise RuntimeError("the emulator is not running; await start() first")
        return self._url

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(): the token and method are appended by PTB."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url()."""
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        """The one bot token this server accepts."""
        return self._state.token

    @property
    def bot_user(self) -> dict[str, Any]:
        """What getMe answers."""
        return dict(self._state.bot_user)

    # --- acting as users ---

    def add_user(
        self,
        user_id: int,
        first_name: str = "Parent",
        language_code: str | None = "en",
        username: str | None = None,
        *,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """A Telegram user with a private chat to the bot (chat id == user id)."""
        return self._state.add_user(user_id, first_name, language_code, username, last_name)

    def add_group(self, chat_id: int, title: str = "Family group") -> None:
        """A group chat the bot is in (a negative id), for users to write in."""
        self._state.add_group(chat_id, title)

    async def user_sends_text_in_group(self, group_id: int, user_id: int | None, text: str) -> int:
        """A user (None: an anonymous admin) writes in a group; returns the update_id."""
        return await self._users.sends_text_in_group(group_id, user_id, text)

    async def user_adds_bot_to_group(self, group_id: int, user_id: int) -> int:
        """The user adds the bot to the group (my_chat_member left -> member)."""
        return await self._users.adds_bot_to_group(group_id, user_id)

    async def user_removes_bot_from_group(self, group_id: int, user_id: int) -> int:
        """The user removes the bot from the group (my_chat_member member -> left)."""
        return await self._users.removes_bot_from_group(group_id, user_id)

    async def user_sends_text(self, user_id: int, text: str) -> int:
        """The user writes `text`; returns the update_id."""
        return await self._users.sends_text(user_id, text)

    async def user_sends_command(
        self, user_id: int, command: str, payload: str | None = None
    ) -> int:
        """The user sends `/command payload` (what a deep link's Start button sends)."""
        return await self._users.sends_command(user_id, command, payload)

    async def user_sends_sticker(self, user_id: int, emoji: str = "👍") -> int:
        """A static sticker; returns the update_id."""
        return await self._users.sends_sticker(user_id, emoji)

    async def user_edits_message(self, user_id: int, message_id: int, text: str) -> int:
        """The user edits a message they sent (text, or a caption); returns the update_id."""
        return await self._users.edits_message(user_id, message_id, text)

    def last_user_message_id(self, user_id: int) -> int:
        """The id of the latest message this user sent (to edit it)."""
        chat = self._users.chat(user_id)
        return max(i for i, m in chat.messages.items() if not m.from_bot)

    async def user_sends_photo(self, user_id: int, caption: str | None = None) -> int:
        """A photo (downloadable with getFile); returns the update_id."""
        return await self._users.sends_photo(user_id, caption)

    async def user_sends_voice(self, user_id: int, duration: int = 3) -> int:
        """A voice note (downloadable with getFile); returns the update_id."""
        return await self._users.sends_voice(user_id, duration)

    async def user_sends_document(
        self, user_id: int, file_name: str, content: bytes, mime_type: str | None = None
    ) -> int:
        """A file attachment; returns the update_id."""
        return await self._users.sends_document(user_id, file_name, content, mime_type)

    async def user_presses_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str | None = None,
        *,
        button_text: str | None = None,
        forge: bool = False,
    ) -> str:
        """Press an inline button (by data or text); returns the callback query id."""
        return await self._users.presses_button(
            user_id, message_id, callback_data, button_text=button_text, forge=forge
        )

    async def user_blocks_bot(self, user_id: int) -> int:
        """my_chat_member member -> kicked; sends to the user then get 403."""
        return await self._users.blocks_bot(user_id)

    async def user_unblocks_bot(self, user_id: int) -> int:
        """my_chat_member kicked -> member."""
        return await self._users.unblocks_bot(user_id)

    # --- reading what the bot did ---

    def _chat(self, chat_id: int) -> Chat:
        return self._users.chat(chat_id)

    def messages_in(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in the chat, in order, edits applied, deleted ones gone."""
        chat = self._chat(chat_id)
        return [self._state.view(message) for message in self._state.bot_messages(chat)]

    def _unread_ids(self, chat: Chat) -> list[int]:
        pending = chat.bot_message_ids[chat.read_cursor :]
        return [i for i in pending if not chat.messages[i].deleted]

    async def next_message(
        self,
        chat_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - reads best in tests
    ) -> SentMessage:
        """The next bot message in the chat not yet returned here (current state, edits applied).

        Waits up to `timeout` seconds; messages deleted before being read are skipped.
        """
        chat = self._chat(chat_id)
        if not await self._state.wait_until(lambda: bool(self._unread_ids(chat)), timeout):
            raise TimeoutError(self._nothing_new(chat, timeout))
        message_id = self._unread_ids(chat)[0]
        chat.read_cursor = chat.bot_message_ids.index(message_id) + 1
        return self._state.view(chat.messages[message_id])

    def unread(self, chat_id: int) -> list[SentMessage]:
        """Every bot message not yet read with next_message/unread; marks them read."""
        chat = self._chat(chat_id)
        messages = [self._state.view(chat.messages[i]) for i in self._unread_ids(chat)]
        chat.read_cursor = len(chat.bot_message_ids)
        return messages

    def _nothing_new(self, chat: Chat, timeout: float) -> str:
        held = [f"#{m.message_id}: {_preview(m)}" for m in self._state.bot_messages(chat)]
        failures = [
            f"{call.method} -> {call.status} {call.description or ''}".rstrip()
            for call in self.calls[-50:]
            if call.status != 200
        ][-5:]
        return (
            f"no new bot message in chat {chat.chat_id} within {timeout}s. "
            f"It holds (all read): {', '.join(held) or 'nothing'}. "
            f"Recent failed calls: {'; '.join(failures) or 'none'}"
        )

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> SentMessage:
        """The next edit of that message not yet returned here, as it looked after the edit."""
        chat = self._chat(chat_id)
        cursor = chat.edit_cursors.get(message_id, 0)
        if not await self._state.wait_until(
            lambda: len(chat.edits.get(message_id, [])) > cursor, timeout
        ):
            raise TimeoutError(
                f"message {message_id} in chat {chat_id} was not edited within {timeout}s "
                f"(edits so far: {len(chat.edits.get(message_id, []))})"
            )
        chat.edit_cursors[message_id] = cursor + 1
        return chat.edits[message_id][cursor]

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        """The bot's answer to that query so far, if any."""
        query = self._state.callback_queries.get(callback_query_id)
        if query is None:
            raise KeyError(f"unknown callback query {callback_query_id!r}")
        return query.answer

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """Wait for answerCallbackQuery on that query."""
        self.callback_answer(callback_query_id)  # unknown ids fail fast
        query = self._state.callback_queries[callback_query_id]
        if not await self._state.wait_until(lambda: query.answer is not None, timeout):
            raise TimeoutError(f"callback query {callback_query_id} not answered in {timeout}s")
        assert query.answer is not None
        return query.answer

    def commands(
        self, language_code: str | None = None, scope: str = "default"
    ) -> list[tuple[str, str]]:
        """The command list set for exactly this scope and language (as getMyCommands would).

        scope is "default", "all_private_chats", "chat:<chat_id>", ... (see setMyCommands).
        """
        return list(self._state.commands.get((scope, language_code or ""), []))

    def description(self, language_code: str | None = None) -> str:
        """What setMyDescription set for that language ("" if nothing)."""
        return self._state.descriptions.get(("description", language_code or ""), "")

    def short_description(self, language_code: str | None = None) -> str:
        """What setMyShortDescription set for that language ("" if nothing)."""
        return self._state.descriptions.get(("short_description", language_code or ""), "")

    def is_blocked(self, user_id: int) -> bool:
        """Whether the user has the bot blocked right now."""
        return self._chat(user_id).blocked

    def call_count(self, method: str, *, status: int | None = None) -> int:
        """How many calls of `method` arrived (optionally only those answered with `status`)."""
        wanted = method.lower()
        return sum(
            1
            for call in self.calls
            if call.method.lower() == wanted and (status is None or call.status == status)
        )

    # --- updates, webhook and counters ---

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return self._updates.pending_count

    def webhook_info(self) -> dict[str, Any]:
        """What getWebhookInfo would answer."""
        return self._updates.webhook_info()

    async def wait_for_poller(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a getUpdates long poll is parked on the server."""
        if not await self._state.wait_until(lambda: self._updates.waiting_pollers > 0, timeout):
            raise TimeoutError(f"no getUpdates long poll arrived within {timeout}s")

    def stats(self) -> dict[str, Any]:
        """Counters for benchmarks: requests, 429s, injected faults, messages, updates."""
        return {
            **self.faults.stats.to_json(),
            "messages_sent": self._state.messages_sent,
            "updates_created": self._updates.created,
            "pending_updates": self._updates.pending_count,
            "webhook_deliveries": self._webhook.delivered,
            "webhook_failed_attempts": self._webhook.failed_attempts,
        }


def _preview(message: StoredMessage) -> str:
    text = message.text if message.text is not None else message.caption
    return repr((text or "<media>")[:60])
