"""Errors the emulator raises: Bot API errors sent back over HTTP, and control-API misuse."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error answer: `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        """The body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 answer, worded like Telegram's: `Bad Request: <detail>`."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A 403 answer, worded like Telegram's: `Forbidden: <detail>`."""
    return ApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> ApiError:
    """A 409 answer, worded like Telegram's: `Conflict: <detail>`."""
    return ApiError(409, f"Conflict: {detail}")


class EmulatorError(Exception):
    """Base class for mistakes made through the control API (by a test, the demo, a benchmark)."""


class UnknownUser(EmulatorError, LookupError):
    """The control API was asked to act as a user that was never added with `add_user`."""


class ButtonNotFound(EmulatorError, LookupError):
    """No inline button with the given data or text on that message."""
