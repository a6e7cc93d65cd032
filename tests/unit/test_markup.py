"""The sender's keyboard JSON is the keyboard PTB would send."""

from __future__ import annotations

import json

from bot.markup import markup_json, markup_of


def test_keyboard_json_matches_ptbs_own_serialisation() -> None:
    buttons = (
        (("✓ We tried it", "r:12:tried"), ("Not today", "r:12:skip")),
        (("Fue difícil 💛", "r:12:hard"),),
    )
    markup = markup_of(buttons)
    assert markup is not None
    encoded = markup_json(buttons)
    assert encoded is not None
    assert json.loads(encoded) == markup.to_dict()


def test_no_buttons_no_keyboard() -> None:
    assert markup_json(()) is None
    assert markup_of(()) is None
