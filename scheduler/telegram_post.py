"""sendMessage for the sender: a pre-encoded JSON body on a keep-alive connection, answers
read into the same `telegram.error` exceptions PTB raises.

PTB's path for one call (`do_api_request` → `Bot._do_post` → `BaseRequest` → a transport)
builds request objects, a url-encoded form and a retry-aware wrapper per message: about as
much CPU as the HTTP request itself. The sender only needs "post this, give me the message id
or the error", so it posts JSON (what the Bot API reads natively) straight to
`{bot.base_url}/sendMessage` through `scheduler.http_post`: the same URL, token and host PTB
uses, so it works against api.telegram.org as against the emulator. Errors are PTB's, word
for word (`raise_for_answer` mirrors `BaseRequest._request_wrapper`; a test holds the two
together), so `judge()` and the "may have reached Telegram" recording read them as before: a
timeout is `TimedOut`, any other transport failure `NetworkError`.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest

from scheduler.http_post import HttpPost


def encode(parameters: dict[str, Any]) -> bytes:
    """A Bot API call's parameters as its JSON body (objects such as reply_markup nested)."""
    return json.dumps(parameters, ensure_ascii=False, separators=(",", ":")).encode()


class BotApiPost:
    """Posts Bot API calls on keep-alive connections of its own (`scheduler.http_post`).

    Timeouts in seconds, as `bot.aiohttp_request.AiohttpRequest` has them: `connect` to open a
    connection, `read` for the answer."""

    def __init__(
        self, base_url: str, *, connect_timeout: float = 5.0, read_timeout: float = 5.0
    ) -> None:
        # `base_url` holds the token (PTB's `bot.base_url`): it is never put in a message.
        self._http = HttpPost(
            base_url.rstrip("/") + "/",
            user_agent=BaseRequest.USER_AGENT,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )

    def close(self) -> None:
        self._http.close()

    async def call(self, method: str, body: bytes) -> Any:
        """POST a JSON body to `method`; its result, or the `TelegramError` PTB would raise."""
        try:
            code, payload = await self._http.post(method, body)
        except TimeoutError as error:
            raise TimedOut from error
        except OSError as error:  # refused, reset, closed mid-answer, TLS, DNS
            raise NetworkError(f"{type(error).__name__}: {error}") from error
        return raise_for_answer(code, payload)

    async def send_message(self, body: bytes) -> int:
        """sendMessage; the new message's id."""
        result = await self.call("sendMessage", body)
        if not isinstance(result, dict) or "message_id" not in result:
            raise TelegramError("sendMessage answered without a message")
        return int(result["message_id"])


def raise_for_answer(code: int, payload: bytes) -> Any:
    """The `result` of a successful answer; otherwise the exception PTB raises for it."""
    if HTTPStatus.OK <= code <= 299:
        try:
            return json.loads(payload.decode("utf-8", "replace"))["result"]
        except (ValueError, KeyError, TypeError) as error:
            raise TelegramError("Invalid server response") from error
    try:
        message = f"{HTTPStatus(code).phrase} ({code})"
    except ValueError:
        message = f"Unknown HTTPError ({code})"
    parsing: TelegramError | None = None
    try:
        data = json.loads(payload.decode("utf-8", "replace"))
    except ValueError as error:
        message += f". Parsing the server response {payload!r} failed"
        parsing = TelegramError("Invalid server response")
        parsing.__cause__ = error
    else:
        message = data.get("description") or message
        parameters = data.get("parameters")
        if parameters:
            if parameters.get("migrate_to_chat_id"):
                raise ChatMigrated(parameters["migrate_to_chat_id"])
            if parameters.get("retry_after"):
                raise RetryAfter(parameters["retry_after"])
            message += f". The server response contained unknown parameters: {parameters}"
    exception: TelegramError
    if code == HTTPStatus.FORBIDDEN:
        exception = Forbidden(message)
    elif code in (HTTPStatus.NOT_FOUND, HTTPStatus.UNAUTHORIZED):
        exception = InvalidToken(message)
    elif code == HTTPStatus.BAD_REQUEST:
        exception = BadRequest(message)
    elif code == HTTPStatus.CONFLICT:
        exception = Conflict(message)
    else:  # 502 and every other status: PTB's NetworkError
        exception = NetworkError(message)
    if parsing is not None:
        raise exception from parsing
    raise exception
