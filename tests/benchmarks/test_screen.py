"""The crisis screen runs on every word a parent sends, before anything else: what it costs a
message, for a short reply, a worrying one, Spanish slang and a long ramble (CPU ms, the best
of five rounds, since other work on a shared machine only ever slows a round down)."""

from __future__ import annotations

import time

import pytest

from bot.coaching.safety import screen
from tests.benchmarks.conftest import Report

pytestmark = pytest.mark.benchmark

TEXTS = {
    "short": "tried it and he laughed so much",
    "worrying": "my husband hits me",
    "spanish": "me muero de sueño jaja",
    "long": "ok so today was long, he cried all morning and i burned the toast and my back is "
    "killing me but we did the song and he giggled and grabbed my finger " * 3,
}
ROUNDS, REPEATS = 5, 200


def test_screen_cost_per_message(report: Report) -> None:
    figures: dict[str, float] = {}
    for label, words in TEXTS.items():
        screen(words)  # warm: the screen's caches
        best = float("inf")
        for _ in range(ROUNDS):
            started = time.process_time()
            for _ in range(REPEATS):
                screen(words)
            best = min(best, (time.process_time() - started) * 1000 / REPEATS)
        figures[f"{label}_ms"] = round(best, 4)
    report.record("crisis_screen", "none", {"cpu_ms_per_message": figures})
    assert screen(TEXTS["worrying"]).category is not None  # it still screens
