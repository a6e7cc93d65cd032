"""Message formatting like Telegram's: parse_mode markup -> plain text + entities, and back-checks.

Telegram rejects malformed markup with `Bad Request: can't parse entities: ...`; finding those
mistakes in tests, not in production, is the point of parsing here rather than passing through.
Offsets and lengths are UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError, bad_request

Entities = list[dict[str, Any]]

_COMMAND = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![^\s])")
_MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_V2_MARKERS = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_formatted(
    text: str, parse_mode: str | None, entities: Any = None, *, what: str = "message text"
) -> tuple[str, Entities]:
    """Plain text and entities of a text or caption as Telegram would store it.

    Explicit `entities` win over `parse_mode`, like in the Bot API. Leading and trailing
    whitespace is trimmed; an empty result is `Bad Request: <what> is empty`.
    """
    if entities is not None:
        plain, found = text, _checked_entities(entities, text)
    elif not parse_mode:
        plain, found = text, []
    else:
        parse = _PARSERS.get(parse_mode.strip().lower())
        if parse is None:
            raise bad_request(f"unsupported parse_mode {parse_mode!r}")
        plain, found = parse(text)
    plain, found = _trimmed(plain, found)
    if not plain:
        raise bad_request(f"{what} is empty")
    return plain, found


def command_entities(text: str) -> Entities:
    """The bot_command entities Telegram adds to a user's text ("/start abc" -> "/start")."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def _parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _checked_entities(value: Any, text: str) -> Entities:
    if not isinstance(value, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    checked: Entities = []
    for item in value:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("type"), str)
            and isinstance(item.get("offset"), int)
            and isinstance(item.get("length"), int)
        ):
            raise bad_request("can't parse entities JSON object")
        if item["offset"] < 0 or item["length"] <= 0 or item["offset"] + item["length"] > total:
            continue  # Telegram silently drops entities outside the text
        checked.append(dict(item))
    return _sorted(checked)


def _sorted(entities: Entities) -> Entities:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _trimmed(text: str, entities: Entities) -> tuple[str, Entities]:
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    kept: Entities = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(total, entity["offset"] + entity["length"] - lead)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


@dataclass
class _Output:
    """Plain text being built, with its running UTF-16 length."""

    parts: list[str] = field(default_factory=list)
    position: int = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.position += utf16_len(text)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Open:
    """An entity whose end has not been seen yet."""

    marker: str
    type: str
    start: int
    byte_offset: int
    extra: dict[str, Any] = field(default_factory=dict)
    emit: bool = True


def _close(open_: _Open, out: _Output, entities: Entities) -> None:
    length = out.position - open_.start
    if open_.emit and length > 0:
        entities.append(
            {"type": open_.type, "offset": open_.start, "length": length, **open_.extra}
        )


# --- HTML -------------------------------------------------------------------------------------

_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTRIBUTE = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def _parse_html(source: str) -> tuple[str, Entities]:
    out, stack, entities = _Output(), list[_Open](), Entities()
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            i = _html_tag(source, i, out, stack, entities)
        elif char == "&":
            i = _html_entity(source, i, out)
        else:
            end = min(_find(source, "<", i), _find(source, "&", i))
            out.add(source[i:end])
            i = end
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].marker}"')
    return out.text(), _sorted(entities)


def _find(source: str, needle: str, start: int) -> int:
    found = source.find(needle, start)
    return len(source) if found == -1 else found


def _html_entity(source: str, i: int, out: _Output) -> int:
    end = source.find(";", i + 1, i + 12)
    if end != -1:
        name = source[i + 1 : end]
        if name in _HTML_NAMED:
            out.add(_HTML_NAMED[name])
            return end + 1
        if re.fullmatch(r"#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}", name):
            out.add(html.unescape(f"&{name};"))
            return end + 1
    out.add("&")
    return i + 1


def _html_tag(source: str, i: int, out: _Output, stack: list[_Open], entities: Entities) -> int:
    offset = _byte_offset(source, i)
    if source.startswith("</", i):
        end = source.find(">", i)
        if end == -1:
            raise _parse_error(f"Unclosed end tag at byte offset {offset}")
        name = source[i + 2 : end].strip().lower()
        if not stack:
            raise _parse_error(f"Unexpected end tag at byte offset {offset}")
        open_ = stack.pop()
        if name != open_.marker:
            raise _parse_error(
                f'Unmatched end tag at byte offset {offset}, expected "</{open_.marker}>", '
                f'found "</{name}>"'
            )
        _close(open_, out, entities)
        return end + 1
    match = _TAG_NAME.match(source, i + 1)
    name = match.group().lower() if match else ""
    if name not in _HTML_TAGS:
        raise _parse_error(f'Unsupported start tag "{name}" at byte offset {offset}')
    assert match is not None
    attributes: dict[str, str] = {}
    j = match.end()
    while True:
        while j < len(source) and source[j].isspace():
            j += 1
        if j >= len(source):
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        if source[j] == ">":
            break
        attribute = _ATTRIBUTE.match(source, j)
        if attribute is None or attribute.end() == j:
            raise _parse_error(f'Empty attribute name in the tag "{name}" at byte offset {offset}')
        value = attribute.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attributes[attribute.group(1).lower()] = html.unescape(value)
        j = attribute.end()
    stack.append(_html_open(name, attributes, out, stack, offset))
    return j + 1


def _html_open(
    name: str, attributes: dict[str, str], out: _Output, stack: list[_Open], offset: int
) -> _Open:
    open_ = _Open(name, _HTML_TAGS[name], out.position, offset)
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise _parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "a":
        url = attributes.get("href", "")
        open_.extra["url"] = url
        open_.emit = bool(url)
    elif name == "tg-emoji":
        open_.extra["custom_emoji_id"] = attributes.get("emoji-id", "")
    elif name == "blockquote" and "expandable" in attributes:
        open_.type = "expandable_blockquote"
    elif name == "code":
        language = attributes.get("class", "")
        parent = stack[-1] if stack else None
        if parent is not None and parent.type == "pre" and parent.start == out.position:
            if language.startswith("language-"):
                parent.extra["language"] = language.removeprefix("language-")
            open_.emit = False
    return open_


# --- MarkdownV2 ----------------------------------------------------------------------------------


def _parse_markdown_v2(source: str) -> tuple[str, Entities]:
    out, stack, entities = _Output(), list[_Open](), Entities()
    quote: _Open | None = None
    line_start = True
    i = 0
    while i < len(source):
        char = source[i]
        if line_start:
            line_start = False
            if char == ">":
                quote = quote or _Open(">", "blockquote", out.position, _byte_offset(source, i))
                i += 1
                continue
            if quote is not None:
                quote_end = out.position - 1  # the newline before this line is not quoted
                if quote_end > quote.start:
                    entities.append(
                        {
                            "type": "blockquote",
                            "offset": quote.start,
                            "length": quote_end - quote.start,
                        }
                    )
                quote = None
        if char == "\\":
            if i + 1 < len(source) and 1 <= ord(source[i + 1]) <= 126:
                out.add(source[i + 1])
                i += 2
                continue
            raise _reserved(char)
        if char == "`":
            i = _v2_code(source, i, out, entities)
        elif char == "[":
            stack.append(_Open("[", "text_link", out.position, _byte_offset(source, i)))
            i += 1
        elif char == "]":
            i = _v2_link_end(source, i, out, stack, entities)
        elif char in "*_~|":
            marker = source[i : i + 2] if source.startswith(("__", "||"), i) else char
            if marker == "|":
                raise _reserved(char)
            if stack and stack[-1].marker == marker:
                _close(stack.pop(), out, entities)
            elif any(open_.marker == marker for open_ in stack):
                raise _unclosed(stack[-1])
            else:
                stack.append(
                    _Open(marker, _V2_MARKERS[marker], out.position, _byte_offset(source, i))
                )
            i += len(marker)
        elif char in _MARKDOWN_V2_RESERVED:
            raise _reserved(char)
        else:
            out.add(char)
            line_start = char == "\n"
            i += 1
    if stack:
        raise _unclosed(stack[-1])
    if quote is not None and out.position > quote.start:
        entities.append(
            {"type": "blockquote", "offset": quote.start, "length": out.position - quote.start}
        )
    return out.text(), _sorted(entities)


def _reserved(char: str) -> ApiError:
    return _parse_error(
        f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    )


def _unclosed(open_: _Open) -> ApiError:
    name = _ENTITY_NAMES.get(open_.type, open_.type)
    return _parse_error(f"Can't find end of {name} entity at byte offset {open_.byte_offset}")


def _read_until(source: str, i: int, terminator: str) -> tuple[str, int] | None:
    """Text up to an unescaped terminator (backslash escapes removed), and the index after it."""
    chars: list[str] = []
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source):
            chars.append(source[i + 1])
            i += 2
        elif source.startswith(terminator, i):
            return "".join(chars), i + len(terminator)
        else:
            chars.append(source[i])
            i += 1
    return None


def _v2_code(source: str, i: int, out: _Output, entities: Entities) -> int:
    offset = _byte_offset(source, i)
    if source.startswith("```", i):
        found = _read_until(source, i + 3, "```")
        if found is None:
            raise _parse_error(f"Can't find end of Pre entity at byte offset {offset}")
        body, after = found
        language = ""
        first_line, newline, rest = body.partition("\n")
        if newline and first_line and " " not in first_line:
            language, body = first_line, rest
        start = out.position
        out.add(body)
        entity: dict[str, Any] = {"type": "pre", "offset": start, "length": out.position - start}
        if language:
            entity["language"] = language
        if entity["length"]:
            entities.append(entity)
        return after
    found = _read_until(source, i + 1, "`")
    if found is None:
        raise _parse_error(f"Can't find end of Code entity at byte offset {offset}")
    body, after = found
    start = out.position
    out.add(body)
    if body:
        entities.append({"type": "code", "offset": start, "length": out.position - start})
    return after


def _v2_link_end(source: str, i: int, out: _Output, stack: list[_Open], entities: Entities) -> int:
    if not stack or stack[-1].marker != "[" or not source.startswith("(", i + 1):
        raise _reserved("]")
    found = _read_until(source, i + 2, ")")
    if found is None:
        raise _parse_error(f"Can't find end of a URL at byte offset {_byte_offset(source, i)}")
    url, after = found
    open_ = stack.pop()
    open_.extra["url"] = url
    _close(open_, out, entities)
    return after


# --- Markdown (legacy) ---------------------------------------------------------------------------

_LEGACY_MARKERS = {"*": "bold", "_": "italic", "`": "code"}


def _parse_markdown(source: str) -> tuple[str, Entities]:
    out, entities = _Output(), Entities()
    i = 0
    while i < len(source):
        char = source[i]
        offset = _byte_offset(source, i)
        if char == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
        elif source.startswith("```", i):
            end = source.find("```", i + 3)
            if end == -1:
                raise _legacy_unclosed(offset)
            start = out.position
            out.add(source[i + 3 : end])
            if out.position > start:
                entities.append({"type": "pre", "offset": start, "length": out.position - start})
            i = end + 3
        elif char in _LEGACY_MARKERS:
            end = source.find(char, i + 1)
            if end == -1:
                raise _legacy_unclosed(offset)
            start = out.position
            out.add(source[i + 1 : end])
            if out.position > start:
                entities.append(
                    {
                        "type": _LEGACY_MARKERS[char],
                        "offset": start,
                        "length": out.position - start,
                    }
                )
            i = end + 1
        elif char == "[":
            match = re.compile(r"\[([^\]]*)\]\(([^)]*)\)").match(source, i)
            if match is None:
                raise _legacy_unclosed(offset)
            start = out.position
            out.add(match.group(1))
            if out.position > start:
                entities.append(
                    {
                        "type": "text_link",
                        "offset": start,
                        "length": out.position - start,
                        "url": match.group(2),
                    }
                )
            i = match.end()
        else:
            out.add(char)
            i += 1
    return out.text(), _sorted(entities)


def _legacy_unclosed(offset: int) -> ApiError:
    return _parse_error(f"Can't find end of the entity starting at byte offset {offset}")


_PARSERS: dict[str, Callable[[str], tuple[str, Entities]]] = {
    "html": _parse_html,
    "markdownv2": _parse_markdown_v2,
    "markdown": _parse_markdown,
}
