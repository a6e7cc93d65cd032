"""HTTP control API under /control/: the BotApiEmulator methods for out-of-process drivers.

The demo (another process) and multi-worker benchmarks use it; each route calls the same
Python method a test would. Errors come back as {"error": "..."} with 400/404/504.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.emulator.errors import EmulatorError

if TYPE_CHECKING:
    from bot.emulator.server import BotApiEmulator

Route = Callable[[web.Request], Awaitable[Any]]


def _json_route(
    route: Route, status: int = 200
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        try:
            return web.json_response(await route(request), status=status)
        except EmulatorError as exc:
            return web.json_response({"error": str(exc)}, status=404)
        except TimeoutError as exc:
            return web.json_response({"error": str(exc)}, status=504)
        except (KeyError, TypeError, ValueError) as exc:
            return web.json_response({"error": f"bad request: {exc!r}"}, status=400)

    return handler


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        body = await request.json()
    except json.JSONDecodeError as exc:
        raise ValueError("the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


class ControlApiRoutes:
    """Thin HTTP wrappers over a BotApiEmulator."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self._emu = emulator

    def add_to(self, app: web.Application) -> None:
        """Register the /control/ routes."""
        add = app.router.add_route
        add("POST", "/control/users", _json_route(self.add_user, status=201))
        add("POST", "/control/users/{user_id}/text", _json_route(self.text))
        add("POST", "/control/users/{user_id}/command", _json_route(self.command))
        add("POST", "/control/users/{user_id}/sticker", _json_route(self.sticker))
        add("POST", "/control/users/{user_id}/photo", _json_route(self.photo))
        add("POST", "/control/users/{user_id}/voice", _json_route(self.voice))
        add("POST", "/control/users/{user_id}/press", _json_route(self.press))
        add("POST", "/control/users/{user_id}/block", _json_route(self.block))
        add("POST", "/control/users/{user_id}/unblock", _json_route(self.unblock))
        add("GET", "/control/chats/{chat_id}/messages", _json_route(self.messages))
        add("GET", "/control/chats/{chat_id}/unread", _json_route(self.unread))
        add("GET", "/control/chats/{chat_id}/next", _json_route(self.next_message))
        add("GET", "/control/callbacks/{query_id}", _json_route(self.callback_answer))
        add("GET", "/control/commands", _json_route(self.commands))
        add("POST", "/control/faults", _json_route(self.faults))
        add("GET", "/control/stats", _json_route(self.stats))

    async def add_user(self, request: web.Request) -> Any:
        body = await _body(request)
        return self._emu.add_user(
            int(body["user_id"]),
            first_name=str(body.get("first_name", "Parent")),
            language_code=body.get("language_code", "en"),
            username=body.get("username"),
        )

    async def text(self, request: web.Request) -> Any:
        body = await _body(request)
        return {"update_id": await self._emu.user_sends_text(_user(request), str(body["text"]))}

    async def command(self, request: web.Request) -> Any:
        body = await _body(request)
        update_id = await self._emu.user_sends_command(
            _user(request), str(body["command"]), body.get("payload")
        )
        return {"update_id": update_id}

    async def sticker(self, request: web.Request) -> Any:
        return {"update_id": await self._emu.user_sends_sticker(_user(request))}

    async def photo(self, request: web.Request) -> Any:
        body = await _body(request)
        update_id = await self._emu.user_sends_photo(_user(request), body.get("caption"))
        return {"update_id": update_id}

    async def voice(self, request: web.Request) -> Any:
        body = await _body(request)
        update_id = await self._emu.user_sends_voice(_user(request), int(body.get("duration", 3)))
        return {"update_id": update_id}

    async def press(self, request: web.Request) -> Any:
        body = await _body(request)
        query_id = await self._emu.user_presses_button(
            _user(request),
            int(body["message_id"]),
            body.get("callback_data"),
            button_text=body.get("button_text"),
            forge=bool(body.get("forge", False)),
        )
        return {"callback_query_id": query_id}

    async def block(self, request: web.Request) -> Any:
        return {"update_id": await self._emu.user_blocks_bot(_user(request))}

    async def unblock(self, request: web.Request) -> Any:
        return {"update_id": await self._emu.user_unblocks_bot(_user(request))}

    async def messages(self, request: web.Request) -> Any:
        return [m.to_json() for m in self._emu.messages_in(_chat(request))]

    async def unread(self, request: web.Request) -> Any:
        return [m.to_json() for m in self._emu.unread(_chat(request))]

    async def next_message(self, request: web.Request) -> Any:
        timeout = float(request.query.get("timeout", "5"))
        return (await self._emu.next_message(_chat(request), timeout=timeout)).to_json()

    async def callback_answer(self, request: web.Request) -> Any:
        timeout = float(request.query.get("timeout", "5"))
        answer = await self._emu.wait_for_callback_answer(
            request.match_info["query_id"], timeout=timeout
        )
        return {"text": answer.text, "show_alert": answer.show_alert, "url": answer.url}

    async def commands(self, request: web.Request) -> Any:
        commands = self._emu.commands(
            request.query.get("language_code"), request.query.get("scope", "default")
        )
        return [{"command": c, "description": d} for c, d in commands]

    async def faults(self, request: web.Request) -> Any:
        """Apply {"clear": true, "rate_limit": {...}, "fail_next": {...}, "delay": {...},
        "drop_next": {...}} in that order; each value holds the Python method's arguments."""
        body = await _body(request)
        faults = self._emu.faults
        unknown = set(body) - {"clear", "rate_limit", "fail_next", "delay", "drop_next"}
        if unknown:
            raise ValueError(f"unknown fault settings {sorted(unknown)}")
        if body.get("clear"):
            faults.clear()
        if "rate_limit" in body:
            faults.rate_limit(**body["rate_limit"])
        if "fail_next" in body:
            faults.fail_next(**body["fail_next"])
        if "delay" in body:
            faults.delay(**body["delay"])
        if "drop_next" in body:
            faults.drop_next(**body["drop_next"])
        return {"ok": True}

    async def stats(self, request: web.Request) -> Any:
        return self._emu.stats()


def _user(request: web.Request) -> int:
    return int(request.match_info["user_id"])


def _chat(request: web.Request) -> int:
    return int(request.match_info["chat_id"])
