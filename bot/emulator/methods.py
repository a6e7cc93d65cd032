"""The Bot API methods the emulator implements, with Telegram's results and error wording."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from bot.emulator.errors import bad_request, forbidden
from bot.emulator.formatting import parse_formatted, utf16_len
from bot.emulator.markup import parse_reply_markup
from bot.emulator.params import Params, UploadedFile
from bot.emulator.records import CallbackAnswer
from bot.emulator.state import Chat, EmulatorState, StoredFile, StoredMessage
from bot.emulator.updates import UpdateQueue, Webhook

MAX_TEXT = 4096
MAX_CAPTION = 1024
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass(frozen=True)
class Described:
    """A result Telegram sends with a `description` (setWebhook and friends)."""

    result: Any
    description: str


Method = Callable[[Params], Awaitable[Any]]


class BotMethods:
    """One coroutine per Bot API method; each returns the `result` of the answer."""

    def __init__(self, state: EmulatorState, updates: UpdateQueue) -> None:
        self._state = state
        self._updates = updates
        self.table: dict[str, Method] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendPhoto": self.send_photo,
            "sendDocument": self.send_document,
            "sendChatAction": self.send_chat_action,
            "getFile": self.get_file,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setMyDescription": self.set_my_description,
            "getMyDescription": self.get_my_description,
            "setMyShortDescription": self.set_my_short_description,
            "getMyShortDescription": self.get_my_short_description,
            "close": self.close,
            "logOut": self.log_out,
        }

    # --- identity and lifecycle ---

    async def get_me(self, params: Params) -> Any:
        return dict(self._state.bot_user)

    async def close(self, params: Params) -> Any:
        return True

    async def log_out(self, params: Params) -> Any:
        return True

    # --- updates ---

    async def get_updates(self, params: Params) -> Any:
        self._updates.set_allowed_updates(params.json("allowed_updates"))
        return await self._updates.get_updates(
            offset=params.integer("offset"),
            limit=params.integer("limit") or 100,
            wait=params.number("timeout") or 0.0,
        )

    async def set_webhook(self, params: Params) -> Any:
        url = params.text("url") or ""
        if not url:
            return await self.delete_webhook(params)
        if urlparse(url).scheme not in {"http", "https"} or not urlparse(url).hostname:
            raise bad_request("bad webhook: invalid webhook URL specified")
        secret = params.text("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.integer("max_connections") or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        self._updates.set_allowed_updates(params.json("allowed_updates"))
        if params.flag("drop_pending_updates"):
            self._updates.drop_pending()
        previous = self._updates.webhook
        already = previous is not None and previous.url == url and previous.secret_token == secret
        if not already:
            self._updates.webhook = Webhook(
                url=url,
                secret_token=secret,
                max_connections=max_connections,
                ip_address=params.text("ip_address") or "127.0.0.1",
            )
        await self._state.notify()
        return Described(True, "Webhook is already set" if already else "Webhook was set")

    async def delete_webhook(self, params: Params) -> Any:
        if params.flag("drop_pending_updates"):
            self._updates.drop_pending()
        existed = self._updates.webhook is not None
        self._updates.webhook = None
        await self._state.notify()
        return Described(True, "Webhook was deleted" if existed else "Webhook is already deleted")

    async def get_webhook_info(self, params: Params) -> Any:
        return self._updates.webhook_info()

    # --- sending ---

    async def send_message(self, params: Params) -> Any:
        chat_id = params.chat_id()
        text = params.text("text", required=True, empty="message text is empty")
        assert text is not None
        chat = self._sendable_chat(chat_id)
        plain, entities = parse_formatted(text, params.text("parse_mode"), params.json("entities"))
        if utf16_len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        markup = parse_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message = self._state.new_message(chat, from_bot=True)
        message.text, message.entities, message.markup = plain, entities, markup
        message.reply_to_message_id = reply_to
        preview = params.json("link_preview_options")
        if preview is None and params.flag("disable_web_page_preview"):
            preview = {"is_disabled": True}
        if isinstance(preview, dict) and preview:
            message.media["link_preview_options"] = preview
        return await self._sent(message)

    async def send_photo(self, params: Params) -> Any:
        chat_id = params.chat_id()
        photo = self._file_param(params, "photo", "photo")
        chat = self._sendable_chat(chat_id)
        message = self._media_message(chat, params)
        message.photo = photo
        return await self._sent(message)

    async def send_document(self, params: Params) -> Any:
        chat_id = params.chat_id()
        document = self._file_param(params, "document", "document")
        chat = self._sendable_chat(chat_id)
        message = self._media_message(chat, params)
        message.document = document
        return await self._sent(message)

    async def send_chat_action(self, params: Params) -> Any:
        chat_id = params.chat_id()
        action = params.text("action", required=True)
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._sendable_chat(chat_id)
        return True

    def _sendable_chat(self, chat_id: int) -> Chat:
        chat = self._state.chat_for_bot(chat_id)
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    def _reply_target(self, chat: Chat, params: Params) -> int | None:
        reply = params.json("reply_parameters")
        if reply is None and params.has("reply_to_message_id"):
            reply = {
                "message_id": params.integer("reply_to_message_id"),
                "allow_sending_without_reply": params.flag("allow_sending_without_reply"),
            }
        if reply is None:
            return None
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise bad_request("can't parse reply parameters JSON object")
        message_id: int = reply["message_id"]
        if self._state.live_message(chat, message_id) is not None:
            return message_id
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _media_message(self, chat: Chat, params: Params) -> StoredMessage:
        caption, caption_entities = self._caption(params)
        markup = parse_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message = self._state.new_message(chat, from_bot=True)
        message.caption, message.caption_entities = caption, caption_entities
        message.markup, message.reply_to_message_id = markup, reply_to
        return message

    def _caption(self, params: Params) -> tuple[str | None, list[dict[str, Any]]]:
        caption = params.text("caption")
        if caption is None or not caption.strip():
            return None, []
        plain, entities = parse_formatted(
            caption, params.text("parse_mode"), params.json("caption_entities"), what="caption"
        )
        if utf16_len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return plain, entities

    def _file_param(self, params: Params, name: str, kind: str) -> StoredFile:
        value = params.upload(name)
        if value is None:
            raise bad_request(f"there is no {name} in the request")
        if isinstance(value, UploadedFile):
            mime_type = value.mime_type or mimetypes.guess_type(value.file_name or "")[0]
            return self._state.store_file(kind, value.content, value.file_name, mime_type)
        known = self._state.files.get(value)
        if known is not None:
            return known
        if urlparse(value).scheme in {"http", "https"}:
            file_name = urlparse(value).path.rsplit("/", 1)[-1] or None
            mime_type = mimetypes.guess_type(file_name or "")[0]
            return self._state.store_file(kind, b"", file_name, mime_type)
        raise bad_request("wrong file identifier/HTTP URL specified")

    async def _sent(self, message: StoredMessage) -> Any:
        await self._state.notify()
        return self._state.message_json(message)

    # --- editing and deleting ---

    def _bot_message(self, params: Params, missing: str) -> tuple[Chat, StoredMessage]:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat_id = params.chat_id()
        message_id = params.integer("message_id", required=True)
        assert message_id is not None
        chat = self._state.chat_for_bot(chat_id)
        message = self._state.live_message(chat, message_id)
        if message is None:
            raise bad_request(missing)
        return chat, message

    def _editable_message(self, params: Params) -> tuple[Chat, StoredMessage]:
        """A message the bot sent and may edit, like Telegram's checks for every edit method."""
        chat, message = self._bot_message(params, "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    async def edit_message_text(self, params: Params) -> Any:
        text = params.text("text", required=True, empty="message text is empty")
        assert text is not None
        chat, message = self._editable_message(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        plain, entities = parse_formatted(text, params.text("parse_mode"), params.json("entities"))
        if utf16_len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        markup = parse_reply_markup(params.json("reply_markup"), inline_only=True)
        if (plain, entities, markup.inline_keyboard) == (
            message.text,
            message.entities,
            message.markup.inline_keyboard,
        ):
            raise bad_request(_NOT_MODIFIED)
        message.text, message.entities, message.markup = plain, entities, markup
        return await self._edited(chat, message)

    async def edit_message_caption(self, params: Params) -> Any:
        chat, message = self._editable_message(params)
        if message.photo is None and message.document is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = parse_reply_markup(params.json("reply_markup"), inline_only=True)
        if (caption, entities, markup.inline_keyboard) == (
            message.caption,
            message.caption_entities,
            message.markup.inline_keyboard,
        ):
            raise bad_request(_NOT_MODIFIED)
        message.caption, message.caption_entities, message.markup = caption, entities, markup
        return await self._edited(chat, message)

    async def edit_message_reply_markup(self, params: Params) -> Any:
        chat, message = self._editable_message(params)
        markup = parse_reply_markup(params.json("reply_markup"), inline_only=True)
        if markup.inline_keyboard == message.markup.inline_keyboard:
            raise bad_request(_NOT_MODIFIED)
        message.markup = markup
        return await self._edited(chat, message)

    async def _edited(self, chat: Chat, message: StoredMessage) -> Any:
        self._state.record_edit(chat, message)
        await self._state.notify()
        return self._state.message_json(message)

    async def delete_message(self, params: Params) -> Any:
        _, message = self._bot_message(params, "message to delete not found")
        message.deleted = True
        await self._state.notify()
        return True

    # --- callbacks and files ---

    async def answer_callback_query(self, params: Params) -> Any:
        query_id = params.text("callback_query_id", required=True)
        assert query_id is not None
        query = self._state.callback_queries.get(query_id)
        if query is None or query.answer is not None:
            raise bad_request(_QUERY_INVALID)
        query.answer = CallbackAnswer(
            text=params.text("text"),
            show_alert=params.flag("show_alert"),
            url=params.text("url"),
        )
        await self._state.notify()
        return True

    async def get_file(self, params: Params) -> Any:
        file_id = params.text("file_id", required=True)
        assert file_id is not None
        stored = self._state.files.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # --- commands and descriptions ---

    async def set_my_commands(self, params: Params) -> Any:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        parsed: list[tuple[str, str]] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse commands JSON object")
            command, description = item.get("command"), item.get("description")
            if not isinstance(command, str) or not _COMMAND.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            parsed.append((command, description))
        key = (self._scope_key(params), params.text("language_code") or "")
        if parsed:
            self._state.commands[key] = parsed
        else:
            self._state.commands.pop(key, None)
        await self._state.notify()
        return True

    async def get_my_commands(self, params: Params) -> Any:
        key = (self._scope_key(params), params.text("language_code") or "")
        return [
            {"command": command, "description": description}
            for command, description in self._state.commands.get(key, [])
        ]

    async def delete_my_commands(self, params: Params) -> Any:
        key = (self._scope_key(params), params.text("language_code") or "")
        self._state.commands.pop(key, None)
        await self._state.notify()
        return True

    def _scope_key(self, params: Params) -> str:
        """ "default", "all_private_chats", "chat:<id>", "chat_member:<chat>:<user>", ..."""
        scope = params.json("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        kind: str = scope["type"]
        if kind in {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}:
            return kind
        if kind in {"chat", "chat_administrators", "chat_member"}:
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self._state.chats:
                raise bad_request("chat not found")
            if kind != "chat_member":
                return f"{kind}:{chat_id}"
            user_id = scope.get("user_id")
            if not isinstance(user_id, int):
                raise bad_request("user not found")
            return f"{kind}:{chat_id}:{user_id}"
        raise bad_request("wrong scope type specified")

    async def set_my_description(self, params: Params) -> Any:
        return await self._set_description(params, "description", 512)

    async def set_my_short_description(self, params: Params) -> Any:
        return await self._set_description(params, "short_description", 120)

    async def get_my_description(self, params: Params) -> Any:
        return self._description(params, "description")

    async def get_my_short_description(self, params: Params) -> Any:
        return self._description(params, "short_description")

    async def _set_description(self, params: Params, kind: str, limit: int) -> Any:
        value = params.text(kind) or ""
        if len(value) > limit:
            raise bad_request(f"{kind.upper()}_INVALID")
        key = (kind, params.text("language_code") or "")
        if value:
            self._state.descriptions[key] = value
        else:
            self._state.descriptions.pop(key, None)
        await self._state.notify()
        return True

    def _description(self, params: Params, kind: str) -> dict[str, str]:
        key = (kind, params.text("language_code") or "")
        return {kind: self._state.descriptions.get(key, "")}
