"""The emulated Telegram world: users, private chats, messages, files, commands, callback queries.

Everything here lives on one event loop; `changed` is notified after every change so control-API
readers can wait for the bot without polling.
"""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.formatting import Entities
from bot.emulator.markup import NO_MARKUP, Markup
from bot.emulator.records import Button, CallbackAnswer, Document, Entity, SentMessage

WallClock = Callable[[], float]


@dataclass
class StoredFile:
    """A file known to the server: uploaded by the bot or attached by a user."""

    file_id: str
    file_unique_id: str
    kind: str
    file_name: str | None
    mime_type: str | None
    content: bytes = field(repr=False)

    @property
    def file_path(self) -> str:
        """Where getFile says the file can be downloaded, relative to the file URL."""
        extension = mimetypes.guess_extension(self.mime_type or "") or ""
        return f"{self.kind}s/{self.file_unique_id}{extension}"


@dataclass
class StoredMessage:
    """A message in a private chat, sent by the bot or by the user."""

    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    text: str | None = None
    entities: Entities = field(default_factory=list)
    caption: str | None = None
    caption_entities: Entities = field(default_factory=list)
    markup: Markup = NO_MARKUP
    photo: StoredFile | None = None
    document: StoredFile | None = None
    media: dict[str, Any] = field(default_factory=dict)
    """Other API fields as sent (sticker, voice, link_preview_options)."""
    reply_to_message_id: int | None = None
    sender: dict[str, Any] | None = None
    """In a group: the user who wrote it (None: an anonymous admin, sent as the group)."""
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False


@dataclass
class Chat:
    """A private chat between the bot and one user (chat id == user id), or a group the bot
    is in (`title` set; `user` then holds the group's id)."""

    user: dict[str, Any]
    chat_instance: str
    title: str | None = None
    blocked: bool = False
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)
    read_cursor: int = 0
    edits: dict[int, list[SentMessage]] = field(default_factory=dict)
    edit_cursors: dict[int, int] = field(default_factory=dict)

    @property
    def chat_id(self) -> int:
        return int(self.user["id"])


@dataclass
class CallbackQuery:
    """A button press waiting for (or having received) answerCallbackQuery."""

    query_id: str
    chat_id: int
    answer: CallbackAnswer | None = None


def photo_sizes(file: StoredFile) -> list[dict[str, Any]]:
    """PhotoSize objects for a stored photo: a thumbnail and the full size, like Telegram."""
    return [
        {
            "file_id": f"{file.file_id}-{width}",
            "file_unique_id": f"{file.file_unique_id}-{width}",
            "file_size": len(file.content),
            "width": width,
            "height": width,
        }
        for width in (90, 800)
    ]


class EmulatorState:
    """All users, chats, files and bot settings of one emulated bot."""

    def __init__(self, token: str, bot_username: str, wall_clock: WallClock) -> None:
        bot_id, separator, secret = token.partition(":")
        if not (bot_id.isdigit() and separator and secret):
            raise ValueError(f"token must look like '123456:SECRET', got {token!r}")
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": "Tend",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.wall_clock = wall_clock
        self.changed = asyncio.Condition()
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.messages_sent = 0
        self._file_numbers = itertools.count(1)
        self._query_numbers = itertools.count(1)

    # --- time and change notification ---

    def now(self) -> int:
        """Unix seconds from the injected wall clock."""
        return int(self.wall_clock())

    async def notify(self) -> None:
        """Wake everything waiting on `changed`."""
        async with self.changed:
            self.changed.notify_all()

    async def wait_until(self, predicate: Callable[[], bool], seconds: float | None) -> bool:
        """Wait (without polling) until predicate() holds; False after `seconds`."""
        async with self.changed:
            try:
                async with asyncio.timeout(seconds):
                    await self.changed.wait_for(predicate)
            except TimeoutError:
                return predicate()
        return True

    # --- users and chats ---

    @property
    def bot_sender(self) -> dict[str, Any]:
        """The bot as it appears in `from` of its messages."""
        return {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}

    def add_user(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None,
        username: str | None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Create (or update) a user and their private chat with the bot."""
        if user_id <= 0:
            raise ValueError("user ids of people are positive")
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        chat = self.chats.get(user_id)
        if chat is None:
            self.chats[user_id] = Chat(user=user, chat_instance=str(-(7 * 10**18) - user_id))
        else:
            chat.user = user
        return dict(user)

    def add_group(self, chat_id: int, title: str) -> Chat:
        """A group chat the bot is a member of (group ids are negative, as in Telegram)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = Chat(
                user={"id": chat_id, "first_name": title},
                chat_instance=str(-(8 * 10**18) + chat_id),
                title=title,
            )
            self.chats[chat_id] = chat
        return chat

    def chat_for_bot(self, chat_id: int) -> Chat:
        """The chat a Bot API call names, or Telegram's 400 `chat not found`."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def chat_json(self, chat: Chat) -> dict[str, Any]:
        """The Chat object of a private chat or a group."""
        if chat.title is not None:
            return {"id": chat.chat_id, "title": chat.title, "type": "group"}
        data = {"id": chat.chat_id, "first_name": chat.user["first_name"]}
        for key in ("last_name", "username"):
            if key in chat.user:
                data[key] = chat.user[key]
        data["type"] = "private"
        return data

    # --- messages ---

    def new_message(self, chat: Chat, *, from_bot: bool) -> StoredMessage:
        """A new message with the chat's next id (both sides share the ids, as in Telegram)."""
        message = StoredMessage(
            message_id=chat.next_message_id,
            chat_id=chat.chat_id,
            date=self.now(),
            from_bot=from_bot,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if from_bot:
            chat.bot_message_ids.append(message.message_id)
            self.messages_sent += 1
        return message

    def live_message(self, chat: Chat, message_id: int) -> StoredMessage | None:
        """A message that exists and was not deleted."""
        message = chat.messages.get(message_id)
        return None if message is None or message.deleted else message

    def record_edit(self, chat: Chat, message: StoredMessage) -> None:
        """Mark a bot message as edited and keep a snapshot for `wait_for_edit`."""
        message.edit_date = self.now()
        message.edit_count += 1
        chat.edits.setdefault(message.message_id, []).append(self.view(message))

    def message_json(self, message: StoredMessage, *, with_reply: bool = True) -> dict[str, Any]:
        """The Message object the Bot API returns or puts in an update."""
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {"message_id": message.message_id}
        if message.from_bot:
            data["from"] = self.bot_sender
        elif chat.title is None:
            data["from"] = dict(chat.user)
        elif message.sender is not None:
            data["from"] = dict(message.sender)
        else:  # an anonymous group admin writes as the group
            data["sender_chat"] = self.chat_json(chat)
        data["chat"] = self.chat_json(chat)
        data["date"] = message.date
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if with_reply and message.reply_to_message_id is not None:
            replied = chat.messages.get(message.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_json(replied, with_reply=False)
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.photo is not None:
            data["photo"] = photo_sizes(message.photo)
        if message.document is not None:
            data["document"] = self.document_json(message.document)
        data.update(message.media)
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.markup.inline_keyboard:
            data["reply_markup"] = {"inline_keyboard": message.markup.inline_keyboard}
        return data

    def view(self, message: StoredMessage) -> SentMessage:
        """The read-only control-API view of a message."""
        keyboard = message.markup.inline_keyboard or []
        document = message.document
        entities = message.entities if message.text is not None else message.caption_entities
        return SentMessage(
            message_id=message.message_id,
            chat_id=message.chat_id,
            text=message.text if message.text is not None else message.caption,
            buttons=tuple(
                tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row)
                for row in keyboard
            ),
            reply_keyboard=(
                None
                if message.markup.reply_keyboard is None
                else tuple(tuple(row) for row in message.markup.reply_keyboard)
            ),
            document=(
                None
                if document is None
                else Document(document.file_name, document.mime_type, document.content)
            ),
            has_photo=message.photo is not None,
            date=message.date,
            edit_count=message.edit_count,
            entities=tuple(
                Entity(e["type"], e["offset"], e["length"], e.get("url"), e.get("language"))
                for e in entities
            ),
            removes_keyboard=message.markup.removes_keyboard,
            forces_reply=message.markup.forces_reply,
            reply_to_message_id=message.reply_to_message_id,
        )

    def bot_messages(self, chat: Chat) -> list[StoredMessage]:
        """The bot's messages still in the chat, in the order they were sent."""
        found = (chat.messages[i] for i in chat.bot_message_ids)
        return [message for message in found if not message.deleted]

    # --- files ---

    def store_file(
        self, kind: str, content: bytes, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        """Keep a file and give it ids that getFile, downloads and re-sends understand."""
        number = next(self._file_numbers)
        stored = StoredFile(
            file_id=f"{kind.upper()}-{self.bot_user['id']}-{number:06d}",
            file_unique_id=f"u{number:06d}",
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            content=content,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        for size in photo_sizes(stored) if kind == "photo" else []:
            self.files[size["file_id"]] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """The file a download URL names."""
        return self._files_by_path.get(file_path)

    def document_json(self, file: StoredFile) -> dict[str, Any]:
        """The Document object of a stored file."""
        data: dict[str, Any] = {}
        if file.file_name is not None:
            data["file_name"] = file.file_name
        if file.mime_type is not None:
            data["mime_type"] = file.mime_type
        data["file_id"] = file.file_id
        data["file_unique_id"] = file.file_unique_id
        data["file_size"] = len(file.content)
        return data

    # --- callback queries ---

    def new_callback_query(self, chat_id: int) -> CallbackQuery:
        """A callback query id, unique like Telegram's long numeric strings."""
        query_id = str(self.bot_user["id"] * 10**9 + next(self._query_numbers))
        query = CallbackQuery(query_id=query_id, chat_id=chat_id)
        self.callback_queries[query_id] = query
        return query
