"""PTB's HTTP transport on aiohttp instead of httpx: the same Bot API calls, a fifth of the CPU.

python-telegram-bot talks HTTP through a `BaseRequest`; its default, `HTTPXRequest`, costs about
0.8 ms of CPU per request here, which caps one process near 500 sends a second. aiohttp (already
a dependency: the emulator and the webhook server use it) does the same POST for about 0.15 ms.
PTB still builds every request and reads every answer (errors, `retry_after`, the returned
`Message`); only the wire changes. Errors are mapped the way `HTTPXRequest` maps them: a
timeout is `TimedOut`, any other transport failure `NetworkError`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import aiohttp
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_FORM = "application/x-www-form-urlencoded"


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` over one `aiohttp.ClientSession` with a pool of `pool_size` connections.

    Timeouts, in seconds: `connect` for a new connection, `read` between reads of the answer,
    `pool` for a free connection of the pool (a pool timeout means the request never left)."""

    def __init__(
        self,
        *,
        pool_size: int = 256,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        # aiohttp has no write timeout of its own; the read timeout covers a stalled answer.
        del write_timeout
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's `connect` is waiting for the pool plus opening a connection.
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """A timeout passed for this call (None: no limit), or this transport's own when the
    caller left PTB's default marker."""
    if value is None or isinstance(value, float | int):
        return value
    return default


def _body(request_data: RequestData | None) -> Any:
    """Parameters as a url-encoded form (encoded here: half the CPU of aiohttp's FormData),
    or as multipart parts when there are files."""
    if request_data is None:
        return None
    files = request_data.multipart_data
    if not files:
        return aiohttp.payload.BytesPayload(
            urlencode(request_data.json_parameters).encode(), content_type=_FORM
        )
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in files.items():
        # PTB gives (filename, content, mime type) for each file.
        filename, content, mime_type = part
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
