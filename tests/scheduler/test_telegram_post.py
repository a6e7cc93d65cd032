"""`raise_for_answer` reads every answer as PTB's `BaseRequest` does: same exception, same
words, same retry_after (PTB's own code is the oracle)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram.error import RetryAfter, TelegramError
from telegram.request import BaseRequest, RequestData

from scheduler.telegram_post import encode, raise_for_answer


class _Canned(BaseRequest):
    """A PTB transport that answers with the given status and body."""

    def __init__(self, code: int, payload: bytes) -> None:
        self._answer = (code, payload)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return self._answer


def _error(code: int, description: str, **parameters: Any) -> bytes:
    answer: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        answer["parameters"] = parameters
    return json.dumps(answer).encode()


ANSWERS = [
    (200, json.dumps({"ok": True, "result": {"message_id": 7}}).encode()),
    (200, b"<html>not json</html>"),
    (400, _error(400, "Bad Request: chat not found")),
    (400, _error(400, "Bad Request: message is too long")),
    (401, _error(401, "Unauthorized")),
    (403, _error(403, "Forbidden: bot was blocked by the user")),
    (404, _error(404, "Not Found")),
    (409, _error(409, "Conflict")),
    (429, _error(429, "Too Many Requests: retry after 3", retry_after=3)),
    (400, _error(400, "Bad Request: group chat was upgraded", migrate_to_chat_id=-1001)),
    (400, _error(400, "Bad Request: odd", something=1)),
    (500, _error(500, "Internal Server Error")),
    (500, b"<html>oops</html>"),
    (502, b"<html>Bad Gateway</html>"),
    (503, b""),
    (504, _error(504, "")),
    (599, b"?"),
]


async def _ptb(code: int, payload: bytes) -> Any:
    return await _Canned(code, payload).post("https://example.invalid/bot/x", RequestData())


@pytest.mark.parametrize(("code", "payload"), ANSWERS)
async def test_every_answer_reads_as_ptb_reads_it(code: int, payload: bytes) -> None:
    try:
        theirs: Any = await _ptb(code, payload)
    except TelegramError as error:
        with pytest.raises(TelegramError) as caught:
            raise_for_answer(code, payload)
        assert type(caught.value) is type(error)
        assert str(caught.value) == str(error)
        if isinstance(error, RetryAfter):
            assert isinstance(caught.value, RetryAfter)
            assert caught.value.retry_after == error.retry_after
    else:
        assert raise_for_answer(code, payload) == theirs


def test_a_body_is_compact_json_with_text_as_written() -> None:
    body = encode({"chat_id": 5, "text": "¿Qué tal? 👋", "reply_markup": {"inline_keyboard": []}})
    expected = '{"chat_id":5,"text":"¿Qué tal? 👋","reply_markup":{"inline_keyboard":[]}}'
    assert body == expected.encode()
