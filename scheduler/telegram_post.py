"""sendMessage for the sender: a pre-encoded JSON body over one aiohttp session, answers read
into the same `telegram.error` exceptions PTB raises.

PTB's path for one call (`do_api_request` → `Bot._do_post` → `BaseRequest` → a transport)
builds request objects, a url-encoded form and a retry-aware wrapper per message: about as
much CPU as the HTTP request itself. The sender only needs "post this, give me the message id
or the error", so it posts JSON (what the Bot API reads natively) straight to
`{bot.base_url}/sendMessage`: the same URL, token and host PTB uses, so it works against
api.telegram.org as against the emulator. Errors are PTB's, word for word (`raise_for_answer`
mirrors `BaseRequest._request_wrapper`; a test holds the two together), so `judge()` and the
"may have reached Telegram" recording read them as before: a timeout is `TimedOut`, any other
transport failure `NetworkError`.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import aiohttp
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

_JSON = {"Content-Type": "application/json"}


def encode(parameters: dict[str, Any]) -> bytes:
    """A Bot API call's parameters as its JSON body (objects such as reply_markup nested)."""
    return json.dumps(parameters, ensure_ascii=False, separators=(",", ":")).encode()


class BotApiPost:
    """Posts Bot API calls over a session of its own with `connections` connections.

    Timeouts in seconds, as `bot.aiohttp_request.AiohttpRequest` has them: `connect` to open a
    connection, `read` between reads of the answer, `pool` for a free connection."""

    def __init__(
        self,
        base_url: str,
        *,
        connections: int = 32,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
        pool_timeout: float = 1.0,
    ) -> None:
        # `base_url` holds the token (PTB's `bot.base_url`): never put it in a message.
        self._base_url = base_url.rstrip("/")
        self._connections = connections
        self._timeout = aiohttp.ClientTimeout(
            total=None,
            connect=pool_timeout + connect_timeout,
            sock_connect=connect_timeout,
            sock_read=read_timeout,
        )
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": BaseRequest.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=self._timeout,
            )
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def call(self, method: str, body: bytes) -> Any:
        """POST a JSON body to `method`; its result, or the `TelegramError` PTB would raise."""
        session = self._open()
        try:
            async with session.post(
                f"{self._base_url}/{method}", data=body, headers=_JSON
            ) as response:
                code, payload = response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            message = f"aiohttp.{type(error).__name__}: {error}"
            raise NetworkError(message.replace(self._base_url, "<bot api>")) from error
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
