"""reply_markup validation: inline keyboards, reply keyboards, keyboard removal, force reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import bad_request

_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_MAX_CALLBACK_DATA_BYTES = 64


@dataclass(frozen=True)
class Markup:
    """A message's reply_markup, split by kind. Only the inline keyboard is echoed by the API."""

    inline_keyboard: list[list[dict[str, Any]]] | None = None
    reply_keyboard: list[list[str]] | None = None
    removes_keyboard: bool = False
    forces_reply: bool = False


NO_MARKUP = Markup()


def parse_reply_markup(value: Any, *, inline_only: bool = False) -> Markup:
    """Validate reply_markup as Telegram does; raise 400 on anything it would reject."""
    if value is None:
        return NO_MARKUP
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        return Markup(inline_keyboard=_inline_keyboard(value["inline_keyboard"]))
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in value:
        return Markup(reply_keyboard=_reply_keyboard(value["keyboard"]))
    if value.get("remove_keyboard") is True:
        return Markup(removes_keyboard=True)
    if value.get("force_reply") is True:
        return Markup(forces_reply=True)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(value: Any) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return value


def _inline_keyboard(value: Any) -> list[list[dict[str, Any]]] | None:
    rows = [[_inline_button(button) for button in row] for row in _rows(value)]
    rows = [row for row in rows if row]
    return rows or None


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if not button["text"]:
        raise bad_request("BUTTON_TEXT_INVALID")
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str)
        or not data
        or len(data.encode("utf-8")) > _MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (not isinstance(url, str) or not _looks_like_url(url)):
        raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def _looks_like_url(url: str) -> bool:
    return url.startswith(("http://", "https://", "tg://")) and len(url) > len("tg://")


def _reply_keyboard(value: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in _rows(value):
        texts: list[str] = []
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text:
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
            texts.append(text)
        if texts:
            rows.append(texts)
    if not rows:
        raise bad_request("keyboard must be non-empty")
    return rows
