"""Bot API request parameters: read from query, form, multipart or JSON, coerced like Telegram.

PTB posts form fields whose values are JSON-encoded (numbers as "42", objects as JSON text) and
uses multipart when it uploads files; other clients send a JSON body. All end up here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from bot.emulator.errors import bad_request

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass(frozen=True)
class UploadedFile:
    """A file sent in a multipart request."""

    file_name: str | None
    mime_type: str | None
    content: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"UploadedFile({self.file_name!r}, {self.mime_type!r}, {len(self.content)} bytes)"


class Params:
    """The parameters of one Bot API call, with Telegram-like coercion and error wording."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        """Collect the parameters from the query string and whatever body the client sent."""
        values: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.body_exists:
            content_type = request.content_type
            if content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    raise bad_request("can't parse JSON request body") from exc
                if not isinstance(body, dict):
                    raise bad_request("JSON request body must be an object")
                values.update(body)
            elif content_type == "multipart/form-data":
                values.update(await _read_multipart(request))
            else:
                values.update(await request.post())
        return cls(values)

    def as_record(self) -> dict[str, Any]:
        """The raw values, for the call log."""
        return dict(self._values)

    def has(self, name: str) -> bool:
        """Whether the client sent this parameter at all (empty strings count as absent)."""
        value = self._values.get(name)
        return value is not None and value != ""

    def raw(self, name: str) -> Any:
        """The value as received, or None."""
        return self._values.get(name)

    def text(self, name: str, *, required: bool = False, empty: str | None = None) -> str | None:
        """A string parameter; `empty` words the error when a required one is missing."""
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(empty or f"{name} is empty")
            return None
        if isinstance(value, UploadedFile):
            raise bad_request(f"wrong type of the parameter {name}")
        if isinstance(value, str):
            return value
        return json.dumps(value) if isinstance(value, dict | list) else str(value)

    def integer(self, name: str, *, required: bool = False) -> int | None:
        """An integer parameter; accepts 42 and "42"."""
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f"invalid {name} specified")

    def number(self, name: str) -> float | None:
        """A numeric parameter (int or float); None when absent."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise bad_request(f"invalid {name} specified")

    def flag(self, name: str, *, default: bool = False) -> bool:
        """A boolean parameter; accepts true/false, "true"/"false", 1/0."""
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise bad_request(f"invalid {name} specified")

    def json(self, name: str) -> Any:
        """A structured parameter (object or array), sent natively or as JSON text."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {name} JSON object") from exc
        return value

    def chat_id(self, name: str = "chat_id") -> int:
        """A chat id. `@username` ids are for channels and public groups, which we don't have."""
        value = self._values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, str) and value.strip().startswith("@"):
            raise bad_request("chat not found")
        try:
            chat_id = self.integer(name)
        except Exception as exc:
            raise bad_request("chat not found") from exc
        assert chat_id is not None
        return chat_id

    def upload(self, name: str) -> UploadedFile | str | None:
        """A file parameter: an upload, or a string (file_id, URL or `attach://<field>`)."""
        value = self._values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self._values.get(value.removeprefix("attach://"))
        if value is None or value == "":
            return None
        if isinstance(value, UploadedFile | str):
            return value
        raise bad_request(f"wrong type of the parameter {name}")


async def _read_multipart(request: web.Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            content = bytes(await part.read(decode=True))
            mime_type = part.headers.get("Content-Type")
            values[part.name] = UploadedFile(part.filename, mime_type, content)
        else:
            values[part.name] = await part.text()
    return values
