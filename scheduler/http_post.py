"""POST over keep-alive HTTP/1.1 connections, for the Bot API's small JSON answers.

The sender makes one kind of request thousands of times a second: a small JSON body to one
host, a small JSON answer back. A general client (aiohttp) spends about 0.3 ms of CPU on
each (request and response objects, header multidicts, tracing, cookies, compression); this
one writes the request in one piece on a connection of its own and reads the answer with
httptools (llhttp, the parser Node.js and uvicorn use), for under half of that. HTTPS
through the standard `ssl` module; answers sized by Content-Length, chunked, or ended by the
connection closing; idle connections kept for the next request and dropped when the server
closes them.

Errors: `ConnectionError` when the connection failed or closed before a whole answer came
(the request may have reached the server), `TimeoutError` when it did not come in time.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import httptools


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
    """One connection; one request at a time. `answer` completes with (status, body).

    Answers are read by httptools (llhttp, Node's HTTP parser): Content-Length, chunked with
    trailers, interim 1xx answers, and keep-alive as the server asks."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.keep_alive = True
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None
        self._status = 0
        self._body = bytearray()
        self._headers_done = False
        self._sized = False  # a Content-Length or chunked answer; else it ends at close

    # --- asyncio.Protocol ---

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:  # not HTTP: nothing here can be trusted
            self.keep_alive = False
            if self._answer is not None and not self._answer.done():
                self._answer.set_exception(Disconnected(f"Malformed answer: {error}"))
            self.close()

    def eof_received(self) -> bool | None:
        return None  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        answer = self._answer
        if answer is None or answer.done():
            return
        if self._headers_done and not self._sized:
            answer.set_result((self._status, bytes(self._body)))  # ended by closing
        else:
            answer.set_exception(Disconnected("Server disconnected"))

    # --- httptools callbacks ---

    def on_message_begin(self) -> None:
        self._body.clear()
        self._headers_done = self._sized = False

    def on_header(self, name: bytes, _value: bytes) -> None:
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self._sized = True

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._body += body

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200:  # an interim answer (100 Continue): the real one follows
            return
        self.keep_alive = self._parser.should_keep_alive()
        if self._answer is not None and not self._answer.done():
            self._answer.set_result((self._status, bytes(self._body)))

    # --- requests ---

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self._answer

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


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
