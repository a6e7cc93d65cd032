"""Acting as Telegram users: their messages, button presses and blocks become bot updates."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import ButtonNotFound, UnknownUser
from bot.emulator.formatting import command_entities
from bot.emulator.state import Chat, EmulatorState, photo_sizes
from bot.emulator.updates import UpdateQueue

# Small but real file headers, so a bot that downloads user media gets plausible bytes.
_JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
_OGG = b"OggS\x00\x02" + bytes(22)
_WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + bytes(14)


class UserActions:
    """What a user can do in their private chat with the bot."""

    def __init__(self, state: EmulatorState, updates: UpdateQueue) -> None:
        self._state = state
        self._updates = updates

    def chat(self, user_id: int) -> Chat:
        """The user's chat, or UnknownUser with a hint."""
        chat = self._state.chats.get(user_id)
        if chat is None:
            raise UnknownUser(f"user {user_id} is unknown; call add_user({user_id}) first")
        return chat

    async def sends_text(self, user_id: int, text: str) -> int:
        """A text message; "/command" words get bot_command entities like Telegram adds."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        fields: dict[str, Any] = {}
        entities = command_entities(text)
        return await self._message(user_id, text=text, entities=entities, media=fields)

    async def sends_command(self, user_id: int, command: str, payload: str | None = None) -> int:
        """`/command payload`: what a deep link t.me/bot?start=payload makes the client send."""
        text = f"/{command.lstrip('/')}"
        if payload:
            text = f"{text} {payload}"
        return await self.sends_text(user_id, text)

    async def sends_sticker(self, user_id: int, emoji: str = "👍") -> int:
        """A regular static sticker."""
        stored = self._state.store_file("sticker", _WEBP, None, "image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.content),
        }
        return await self._message(user_id, media={"sticker": sticker})

    async def sends_photo(self, user_id: int, caption: str | None = None) -> int:
        """A photo (two sizes, like Telegram), optionally captioned."""
        stored = self._state.store_file("photo", _JPEG, None, "image/jpeg")
        media: dict[str, Any] = {"photo": photo_sizes(stored)}
        return await self._message(user_id, media=media, caption=caption)

    async def sends_voice(self, user_id: int, duration: int = 3) -> int:
        """A voice note of `duration` seconds."""
        stored = self._state.store_file("voice", _OGG, None, "audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(stored.content),
        }
        return await self._message(user_id, media={"voice": voice})

    async def sends_document(
        self, user_id: int, file_name: str, content: bytes, mime_type: str | None = None
    ) -> int:
        """A file attachment."""
        stored = self._state.store_file("document", content, file_name, mime_type)
        media = {"document": self._state.document_json(stored)}
        return await self._message(user_id, media=media)

    async def presses_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str | None = None,
        *,
        button_text: str | None = None,
        forge: bool = False,
    ) -> str:
        """Press an inline button on a bot message; returns the callback query id.

        forge=True skips the lookup and sends exactly `callback_data` for `message_id`, as a
        modified client could, to check that forged or stale buttons change nothing.
        """
        chat = self.chat(user_id)
        message = self._state.live_message(chat, message_id)
        if not forge:
            callback_data = self._find_button(chat, message_id, callback_data, button_text)
        query = self._state.new_callback_query(chat.chat_id)
        payload: dict[str, Any] = {"id": query.query_id, "from": dict(chat.user)}
        if message is not None:
            payload["message"] = self._state.message_json(message)
        else:  # Telegram's InaccessibleMessage
            payload["message"] = {
                "chat": self._state.chat_json(chat),
                "message_id": message_id,
                "date": 0,
            }
        payload["chat_instance"] = chat.chat_instance
        if callback_data is not None:
            payload["data"] = callback_data
        await self._updates.push("callback_query", payload)
        return query.query_id

    def _find_button(
        self, chat: Chat, message_id: int, callback_data: str | None, button_text: str | None
    ) -> str:
        if callback_data is None and button_text is None:
            raise TypeError("give callback_data or button_text")
        message = self._state.live_message(chat, message_id)
        if message is None or not message.from_bot:
            raise ButtonNotFound(f"chat {chat.chat_id} has no bot message {message_id}")
        buttons = [b for row in message.markup.inline_keyboard or [] for b in row]
        for button in buttons:
            if (callback_data is None or button.get("callback_data") == callback_data) and (
                button_text is None or button["text"] == button_text
            ):
                data = button.get("callback_data")
                if data is None:
                    raise ButtonNotFound(f"button {button['text']!r} sends no callback data")
                return str(data)
        raise ButtonNotFound(
            f"no button with data={callback_data!r} text={button_text!r} on message "
            f"{message_id} in chat {chat.chat_id}; it has "
            f"{[(b['text'], b.get('callback_data')) for b in buttons]}"
        )

    async def sends_text_in_group(self, group_id: int, user_id: int | None, text: str) -> int:
        """A message in a group the bot is in, from a user (None: an anonymous admin)."""
        group = self._state.chats.get(group_id)
        if group is None or group.title is None:
            raise UnknownUser(f"group {group_id} is unknown; call add_group({group_id}) first")
        message = self._state.new_message(group, from_bot=False)
        message.sender = dict(self.chat(user_id).user) if user_id is not None else None
        message.text, message.entities = text, command_entities(text)
        return await self._updates.push("message", self._state.message_json(message))

    async def adds_bot_to_group(self, group_id: int, user_id: int) -> int:
        """A user adds the bot to a group: a my_chat_member update left -> member."""
        group = self._state.chats.get(group_id)
        if group is None or group.title is None:
            raise UnknownUser(f"group {group_id} is unknown; call add_group({group_id}) first")
        return await self._member_update(group, "left", "member", by=self.chat(user_id).user)

    async def removes_bot_from_group(self, group_id: int, user_id: int) -> int:
        """A user removes the bot from a group: a my_chat_member update member -> left."""
        group = self._state.chats.get(group_id)
        if group is None or group.title is None:
            raise UnknownUser(f"group {group_id} is unknown; call add_group({group_id}) first")
        return await self._member_update(group, "member", "left", by=self.chat(user_id).user)

    async def blocks_bot(self, user_id: int) -> int:
        """The user blocks the bot: a my_chat_member update member -> kicked."""
        chat = self.chat(user_id)
        chat.blocked = True
        return await self._member_update(chat, "member", "kicked")

    async def unblocks_bot(self, user_id: int) -> int:
        """The user unblocks (restarts) the bot: kicked -> member."""
        chat = self.chat(user_id)
        chat.blocked = False
        return await self._member_update(chat, "kicked", "member")

    async def _member_update(
        self, chat: Chat, old: str, new: str, by: dict[str, Any] | None = None
    ) -> int:
        bot = self._state.bot_sender

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"user": bot, "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        payload = {
            "chat": self._state.chat_json(chat),
            "from": dict(by or chat.user),
            "date": self._state.now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return await self._updates.push("my_chat_member", payload)

    async def edits_message(self, user_id: int, message_id: int, text: str) -> int:
        """The user edits one of their own messages: an `edited_message` update."""
        chat = self.chat(user_id)
        message = chat.messages.get(message_id)
        if message is None or message.from_bot:
            raise ValueError(f"user {user_id} sent no message {message_id}")
        if message.text is not None:
            message.text, message.entities = text, command_entities(text)
        else:
            message.caption = text
        message.edit_date = self._state.now()
        return await self._updates.push("edited_message", self._state.message_json(message))

    async def _message(
        self,
        user_id: int,
        *,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        media: dict[str, Any] | None = None,
    ) -> int:
        chat = self.chat(user_id)
        if chat.blocked:  # a blocked bot's chat offers only "Restart", which unblocks it
            await self.unblocks_bot(user_id)
        message = self._state.new_message(chat, from_bot=False)
        message.text = text
        message.entities = entities or []
        message.caption = caption
        message.media = dict(media or {})
        return await self._updates.push("message", self._state.message_json(message))
