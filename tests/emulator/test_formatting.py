"""Markup parsing: what text and entities Telegram would store, and what it would reject."""

from __future__ import annotations

import pytest

from bot.emulator.errors import ApiError
from bot.emulator.formatting import command_entities, parse_formatted


def test_plain_text_is_trimmed() -> None:
    assert parse_formatted("  hi \n", None) == ("hi", [])


def test_html_nesting_and_utf16_offsets() -> None:
    text, entities = parse_formatted("👶 <b>big <i>small</i></b>", "HTML")
    assert text == "👶 big small"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 7, "length": 5},
    ]


def test_html_pre_with_language_and_spoiler() -> None:
    text, entities = parse_formatted(
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>',
        "HTML",
    )
    assert text == "x = 1s"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "spoiler", "offset": 5, "length": 1},
    ]


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
    ],
)
def test_bad_html_is_rejected(markup: str, detail: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_formatted(markup, "HTML")
    assert caught.value.description == f"Bad Request: can't parse entities: {detail}"


def test_markdown_v2_entities_and_escapes() -> None:
    text, entities = parse_formatted(
        r"*bold* _it_ __u__ ~s~ ||sp|| `c` [l](https://x.y) 1\.5", "MarkdownV2"
    )
    assert text == "bold it u s sp c l 1.5"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert entities[-1]["url"] == "https://x.y"


def test_markdown_v2_blockquote() -> None:
    text, entities = parse_formatted(">quoted\n>more\nplain", "MarkdownV2")
    assert text == "quoted\nmore\nplain"
    assert entities == [{"type": "blockquote", "offset": 0, "length": 11}]


def test_markdown_v2_unclosed_entity() -> None:
    with pytest.raises(ApiError, match="Can't find end of Bold entity at byte offset 0"):
        parse_formatted("*open", "MarkdownV2")


def test_legacy_markdown() -> None:
    assert parse_formatted("*b* _i_ [t](https://x.y)", "Markdown") == (
        "b i t",
        [
            {"type": "bold", "offset": 0, "length": 1},
            {"type": "italic", "offset": 2, "length": 1},
            {"type": "text_link", "offset": 4, "length": 1, "url": "https://x.y"},
        ],
    )


def test_unknown_parse_mode_is_rejected() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        parse_formatted("x", "BBCode")


def test_explicit_entities_win_over_parse_mode() -> None:
    entities = [{"type": "bold", "offset": 0, "length": 3}]
    assert parse_formatted("<b>", "HTML", entities) == ("<b>", entities)


def test_command_entities_cover_only_the_command() -> None:
    assert command_entities("/start abc") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("👶 /help@TendTestBot") == [
        {"type": "bot_command", "offset": 3, "length": 17}
    ]
    assert command_entities("a/b not/command") == []
