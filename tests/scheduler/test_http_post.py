"""The sender's HTTP/1.1 client against a scripted server: answers sized every way HTTP
sizes them, in pieces, connections kept, dropped and closed mid-answer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest

from scheduler.http_post import Disconnected, HttpPost, Origin

# What the server writes for each request: pieces of bytes, or None to close the connection.
Script = Callable[[int], list[bytes | None]]


class Server:
    def __init__(self, script: Script) -> None:
        self.script, self.connections, self.requests = script, 0, 0
        self.bodies: list[bytes] = []
        self.paths: list[bytes] = []
        self.writers: list[asyncio.StreamWriter] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.paths.append(head.split(b" ")[1])
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                self.bodies.append(await reader.readexactly(length))
                self.requests += 1
                for piece in self.script(self.requests):
                    if piece is None:
                        writer.close()
                        return
                    writer.write(piece)
                    await writer.drain()
                    await asyncio.sleep(0.001)
        writer.close()


@contextlib.asynccontextmanager
async def serving(script: Script) -> AsyncIterator[tuple[Server, str]]:
    server = Server(script)
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield server, f"http://127.0.0.1:{port}/bot123:SECRET/"
    finally:
        listening.close()
        await listening.wait_closed()
        for writer in server.writers:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        await asyncio.sleep(0.01)  # the handlers see their connections close


def ok(body: bytes = b'{"ok":true}', extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def test_requests_share_one_kept_connection() -> None:
    async with serving(lambda n: [ok(b'{"n":%d}' % n)]) as (server, url):
        client = HttpPost(url, user_agent="test")
        answers = [await client.post("sendMessage", b'{"a":1}') for _ in range(3)]
        client.close()
    assert answers == [(200, b'{"n":1}'), (200, b'{"n":2}'), (200, b'{"n":3}')]
    assert server.connections == 1
    assert server.paths == [b"/bot123:SECRET/sendMessage"] * 3
    assert server.bodies == [b'{"a":1}'] * 3


async def test_a_chunked_answer_in_small_pieces_with_trailers() -> None:
    answer = (
        b"HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n"
    )
    pieces: list[bytes | None] = [answer[i : i + 3] for i in range(0, len(answer), 3)]
    async with serving(lambda n: [*pieces] if n == 1 else [ok()]) as (server, url):
        client = HttpPost(url, user_agent="test")
        assert await client.post("m", b"{}") == (400, b"hello, world")
        assert await client.post("m", b"{}") == (200, b'{"ok":true}')
        client.close()
    assert server.connections == 1


async def test_connection_close_and_close_delimited_answers_open_a_new_connection() -> None:
    def script(n: int) -> list[bytes | None]:
        if n == 1:
            return [ok(extra=b"Connection: close\r\n")]
        if n == 2:
            return [b"HTTP/1.0 200 OK\r\n\r\n", b"until", b" closed", None]
        return [b"HTTP/1.1 100 Continue\r\n\r\n", ok(b"after interim")]

    async with serving(script) as (server, url):
        client = HttpPost(url, user_agent="test")
        assert await client.post("m", b"{}") == (200, b'{"ok":true}')
        assert await client.post("m", b"{}") == (200, b"until closed")
        assert await client.post("m", b"{}") == (200, b"after interim")
        client.close()
    assert server.connections == 3


async def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    async with serving(lambda n: [ok(), None]) as (server, url):
        client = HttpPost(url, user_agent="test")
        await client.post("m", b"{}")
        await asyncio.sleep(0.05)  # the server has closed it by now
        assert await client.post("m", b"{}") == (200, b'{"ok":true}')
        client.close()
    assert server.connections == 2


async def test_a_connection_closed_mid_answer_is_a_disconnect() -> None:
    partial = ok(b'{"ok":true,"result":{}}')[:-5]
    async with serving(lambda n: [partial, None] if n == 1 else [ok()]) as (_, url):
        client = HttpPost(url, user_agent="test")
        with pytest.raises(Disconnected):
            await client.post("m", b"{}")
        assert await client.post("m", b"{}") == (200, b'{"ok":true}')
        client.close()


async def test_a_slow_answer_times_out_and_its_connection_is_dropped() -> None:
    def script(n: int) -> list[bytes | None]:
        return [b"HTTP/1.1 200 OK\r\n"] if n == 1 else [ok()]

    async with serving(script) as (server, url):
        client = HttpPost(url, user_agent="test", read_timeout=0.1)
        with pytest.raises(TimeoutError):
            await client.post("m", b"{}")
        assert await client.post("m", b"{}") == (200, b'{"ok":true}')
        client.close()
    assert server.connections == 2


def test_an_origin_from_a_url() -> None:
    assert Origin.of("https://api.telegram.org/bot1:X/") == Origin(
        "api.telegram.org", 443, True, "/bot1:X/"
    )
    assert Origin.of("http://127.0.0.1:8081/bot1:X").host_header == "127.0.0.1:8081"
    assert Origin.of("https://api.telegram.org/b").host_header == "api.telegram.org"
    with pytest.raises(ValueError):
        Origin.of("ftp://example.org/")
