"""Read-only views the control API hands out: what the bot sent, answered and called."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ButtonNotFound


@dataclass(frozen=True)
class Button:
    """One inline keyboard button; exactly one of `callback_data` / `url` is usually set."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """A file the bot sent with sendDocument, as uploaded."""

    file_name: str | None
    mime_type: str | None
    content: bytes = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"Document(file_name={self.file_name!r}, mime_type={self.mime_type!r}, "
            f"size={len(self.content)})"
        )


@dataclass(frozen=True)
class Entity:
    """A formatting entity of a sent text, with offsets in UTF-16 code units like Telegram."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class SentMessage:
    """A bot message as the user currently sees it: edits applied."""

    message_id: int
    chat_id: int
    text: str | None
    """The text, or the caption of a photo or document (markup already parsed away)."""
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_keyboard: tuple[tuple[str, ...], ...] | None = None
    document: Document | None = None
    has_photo: bool = False
    date: int = 0
    edit_count: int = 0
    entities: tuple[Entity, ...] = ()
    removes_keyboard: bool = False
    """The message carried ReplyKeyboardRemove."""
    forces_reply: bool = False
    """The message carried ForceReply."""
    reply_to_message_id: int | None = None

    @property
    def button_texts(self) -> tuple[str, ...]:
        """Every inline button's text, row by row."""
        return tuple(button.text for row in self.buttons for button in row)

    def button(self, text_or_data: str) -> Button:
        """The inline button with this text (preferred) or this callback data."""
        flat = [button for row in self.buttons for button in row]
        for button in flat:
            if button.text == text_or_data:
                return button
        for button in flat:
            if button.callback_data == text_or_data:
                return button
        raise ButtonNotFound(
            f"no button {text_or_data!r} on message {self.message_id} in chat {self.chat_id}; "
            f"it has {[(b.text, b.callback_data) for b in flat]}"
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view for the HTTP control API."""
        document = None
        if self.document is not None:
            document = {
                "file_name": self.document.file_name,
                "mime_type": self.document.mime_type,
                "file_size": len(self.document.content),
                "content_base64": base64.b64encode(self.document.content).decode("ascii"),
            }
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "text": self.text,
            "buttons": [
                [{"text": b.text, "callback_data": b.callback_data, "url": b.url} for b in row]
                for row in self.buttons
            ],
            "reply_keyboard": (
                None if self.reply_keyboard is None else [list(r) for r in self.reply_keyboard]
            ),
            "removes_keyboard": self.removes_keyboard,
            "forces_reply": self.forces_reply,
            "document": document,
            "has_photo": self.has_photo,
            "date": self.date,
            "edit_count": self.edit_count,
            "reply_to_message_id": self.reply_to_message_id,
            "entities": [
                {k: v for k, v in vars(e).items() if v is not None} for e in self.entities
            ],
        }


@dataclass(frozen=True)
class CallbackAnswer:
    """How the bot answered a callback query (answerCallbackQuery)."""

    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request the emulator received.

    `status` is the HTTP status answered, or None when the connection was dropped on purpose
    (`faults.drop_next`); `description` is the error's description, if it failed.
    """

    method: str
    params: dict[str, Any]
    status: int | None
    description: str | None = None
    # When it was answered (time.monotonic), to check spacing and retry_after windows.
    at: float = field(default_factory=time.monotonic)
