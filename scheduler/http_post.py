"""POST over keep-alive HTTP/1.1 connections, for the Bot API's small JSON answers.

The sender makes one kind of request thousands of times a second: a small JSON body to one
host, a small JSON answer back. A general client (aiohttp) spends about 0.3 ms of CPU on
each (request and response objects, header multidicts, tracing, cookies, compression); this
one writes the request in one piece on a connection of its own and reads the answer with a
few byte searches, for under half of that. HTTPS through the standard `ssl` module; answers
sized by Content-Length, chunked, or ended by the connection closing; idle connections kept
for the next request and dropped when the server closes them.

Errors: `ConnectionError` when the connection failed or closed before a whole answer came
(the request may have reached the server), `TimeoutError` when it did not come in time.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

_HEAD_END = b"\r\n\r\n"
_CRLF = b"\r\n"


class Disconnected(ConnectionError):
    """The connection closed before the whole answer came."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where requests go: scheme, host and port, and the path every request starts with."""

    host: str
    port: int
    tls: bool
    path: str

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an http(s) URL is needed")
        tls = parts.scheme == "https"
        return cls(parts.hostname, parts.port or (443 if tls else 80), tls, parts.path)

    @property
    def host_header(self) -> str:
        default = 443 if self.tls else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


class _Connection(asyncio.Protocol):
    """One connection; one request at a time. `answer` completes with (status, body)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.keep_alive = True
        self._buffer = bytearray()
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None
        self._status = 0
        self._length: int | None = None  # body bytes expected; None: chunked or until close
        self._chunked = False
        self._in_body = False

    # --- asyncio.Protocol ---

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self._answer is not None and not self._answer.done():
            self._parse()

    def eof_received(self) -> bool | None:
        return None  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        answer = self._answer
        if answer is None or answer.done():
            return
        if self._in_body and self._length is None and not self._chunked:
            answer.set_result((self._status, bytes(self._buffer)))  # ended by closing
        else:
            answer.set_exception(Disconnected("Server disconnected"))

    # --- requests ---

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self._buffer.clear()
        self._status, self._length, self._chunked, self._in_body = 0, None, False, False
        self._answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self._answer

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _parse(self) -> None:
        assert self._answer is not None
        try:
            if not self._in_body and not self._parse_head():
                return
            body = self._parse_body()
        except ValueError as error:  # not HTTP: nothing on this connection can be trusted
            self.keep_alive = False
            self._answer.set_exception(Disconnected(f"Malformed answer: {error}"))
            self.close()
            return
        if body is not None:
            self._answer.set_result((self._status, body))

    def _parse_head(self) -> bool:
        """The status line and headers, once they are all in; whether they are."""
        while True:
            end = self._buffer.find(_HEAD_END)
            if end < 0:
                return False
            lines = bytes(self._buffer[:end]).split(_CRLF)
            del self._buffer[: end + 4]
            version, _, rest = lines[0].partition(b" ")
            status = int(rest[:3])
            if 100 <= status < 200:  # an interim answer (100 Continue): the real one follows
                continue
            headers: dict[bytes, bytes] = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            self._status = status
            connection = headers.get(b"connection", b"").lower()
            self.keep_alive = version == b"HTTP/1.1" and connection != b"close"
            if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                self._chunked = True
            elif b"content-length" in headers:
                self._length = int(headers[b"content-length"])
            elif status in (204, 304):
                self._length = 0
            else:
                self.keep_alive = False  # the body ends when the connection closes
            self._in_body = True
            return True

    def _parse_body(self) -> bytes | None:
        """The whole body once it is in, else None."""
        if self._length is not None:
            if len(self._buffer) < self._length:
                return None
            return bytes(self._buffer[: self._length])
        if not self._chunked:
            return None  # until the connection closes
        body = bytearray()
        at = 0
        while True:
            line_end = self._buffer.find(_CRLF, at)
            if line_end < 0:
                return None
            size = int(bytes(self._buffer[at:line_end]).split(b";")[0], 16)
            if size == 0:  # the last chunk: trailers (if any), then an empty line
                end = self._buffer.find(_HEAD_END, line_end)
                return bytes(body) if end >= 0 else None
            start = line_end + 2
            if len(self._buffer) < start + size + 2:
                return None
            body += self._buffer[start : start + size]
            at = start + size + 2


class HttpPost:
    """POSTs to one origin over keep-alive connections (as many as requests in flight)."""

    def __init__(
        self,
        url: str,
        *,
        user_agent: str,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
    ) -> None:
        self.origin = Origin.of(url)
        self._connect_timeout, self._read_timeout = connect_timeout, read_timeout
        self._head = (
            f"Host: {self.origin.host_header}\r\nUser-Agent: {user_agent}\r\n"
            "Accept: */*\r\nContent-Type: application/json\r\n"
        ).encode("latin-1")
        self._idle: list[_Connection] = []
        self._ssl: ssl.SSLContext | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """POST `body` (JSON) to the origin's path + `path`; (status, answer body)."""
        request = b"".join(
            (
                b"POST ",
                (self.origin.path + path).encode(),
                b" HTTP/1.1\r\n",
                self._head,
                b"Content-Length: %d\r\n\r\n" % len(body),
                body,
            )
        )
        connection = await self._connection()
        try:
            async with asyncio.timeout(self._read_timeout):
                status, answer = await connection.send(request)
        except BaseException:
            connection.close()  # an answer may still come: this connection is done
            raise
        if connection.keep_alive and not connection.closed:
            self._idle.append(connection)
        else:
            connection.close()
        return status, answer

    async def _connection(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        if self.origin.tls and self._ssl is None:
            self._ssl = ssl.create_default_context()
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(self._connect_timeout):
            _, connection = await loop.create_connection(
                _Connection,
                self.origin.host,
                self.origin.port,
                ssl=self._ssl if self.origin.tls else None,
                server_hostname=self.origin.host if self.origin.tls else None,
            )
        return connection

    def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
