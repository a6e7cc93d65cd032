"""A keyboard is stored as the same JSON, kept or not, and whatever it is built of."""

from __future__ import annotations

import json

from scheduler.outbox import ROW_ID, Buttons, decode_buttons, encode_buttons

KEYBOARD: Buttons = ((("We tried it", f"r:{ROW_ID}:tried"), ("Not today", "r:{id}:no")),)


def test_a_keyboard_encodes_alike_every_time_tuples_or_lists() -> None:
    expected = json.dumps([[list(b) for b in row] for row in KEYBOARD])
    as_lists = [[list(b) for b in row] for row in KEYBOARD]  # not hashable: not kept
    for _ in range(2):
        assert encode_buttons(KEYBOARD) == expected
        assert encode_buttons(as_lists) == expected  # type: ignore[arg-type]
    assert decode_buttons(encode_buttons(KEYBOARD), 5)[0][0] == ("We tried it", "r:5:tried")
