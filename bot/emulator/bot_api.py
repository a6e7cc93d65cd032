"""HTTP routes of the Bot API: /bot<token>/<method> and file downloads, with faults applied.

Each call goes: token check -> method lookup -> parameters -> injected failure -> delay ->
rate limit -> (maybe drop before processing) -> the method -> (maybe drop after) -> answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.emulator.errors import ApiError
from bot.emulator.faults import Faults
from bot.emulator.methods import BotMethods, Described
from bot.emulator.params import Params
from bot.emulator.records import ApiCall
from bot.emulator.state import EmulatorState

_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NO_METHOD = ApiError(404, "Not Found: method not found")


class BotApiRoutes:
    """Serves one bot token's Bot API over aiohttp."""

    def __init__(
        self,
        state: EmulatorState,
        methods: BotMethods,
        faults: Faults,
        calls: list[ApiCall],
        is_closing: Callable[[], bool],
    ) -> None:
        self._state = state
        self._faults = faults
        self._calls = calls
        self._is_closing = is_closing
        self._methods = {name.lower(): (name, method) for name, method in methods.table.items()}

    def add_to(self, app: web.Application) -> None:
        """Register the routes."""
        app.router.add_route("*", "/bot{token}/{method}", self.handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self.download)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """One Bot API call."""
        requested = request.match_info["method"]
        entry = self._methods.get(requested.lower())
        name = entry[0] if entry else requested
        self._faults.stats.requests += 1
        self._faults.stats.by_method[name] += 1
        if request.match_info["token"] != self._state.token:
            return self._answer(name, {}, _UNAUTHORIZED)
        if entry is None:
            return self._answer(name, {}, _NO_METHOD)
        method = entry[1]
        try:
            params = await Params.from_request(request)
        except ApiError as error:
            return self._answer(name, {}, error)
        record = params.as_record()
        failure = self._faults.take_failure(name)
        if failure is not None:
            return self._answer(name, record, failure)
        delay = self._faults.take_delay(name)
        if delay > 0:
            await self._state.wait_until(self._is_closing, delay)
        limited = self._faults.check_rate(name, _chat_id_or_none(params))
        if limited is not None:
            return self._answer(name, record, limited)
        drop = self._faults.take_drop(name)
        if drop is False:
            return self._dropped(request, name, record)
        try:
            answer: ApiError | Any = await method(params)
        except ApiError as error:
            answer = error
        if drop is True:
            return self._dropped(request, name, record)
        return self._answer(name, record, answer)

    def _answer(self, method: str, record: dict[str, Any], answer: Any) -> web.Response:
        if isinstance(answer, ApiError):
            self._calls.append(ApiCall(method, record, answer.status, answer.description))
            return web.json_response(answer.to_json(), status=answer.status)
        body: dict[str, Any] = {"ok": True}
        if isinstance(answer, Described):
            body["result"], body["description"] = answer.result, answer.description
        else:
            body["result"] = answer
        self._calls.append(ApiCall(method, record, 200))
        return web.json_response(body)

    def _dropped(self, request: web.Request, method: str, record: dict[str, Any]) -> web.Response:
        self._calls.append(ApiCall(method, record, None))
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=500)  # never reaches the client: the connection is gone

    async def download(self, request: web.Request) -> web.StreamResponse:
        """GET /file/bot<token>/<file_path>, where getFile's file_path points."""
        stored = None
        if request.match_info["token"] == self._state.token:
            stored = self._state.file_by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )


def _chat_id_or_none(params: Params) -> int | None:
    with contextlib.suppress(ApiError):
        return params.integer("chat_id")
    return None
