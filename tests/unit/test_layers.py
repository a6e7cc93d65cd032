"""Layers point one way: the database, the content library and the scheduler's decisions know
nothing of Telegram or of handlers; only the sender and the handlers talk to Telegram."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INNER = sorted(
    [
        *ROOT.glob("bot/db/**/*.py"),
        *ROOT.glob("messages/**/*.py"),
        *ROOT.glob("bot/coaching/**/*.py"),
        *(ROOT / "scheduler" / name for name in ("outbox.py", "planner.py", "rate_limit.py")),
        ROOT / "bot" / "views.py",
    ]
)


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", INNER, ids=lambda p: str(p.relative_to(ROOT)))
def test_inner_layers_do_not_reach_telegram_or_handlers(path: Path) -> None:
    outward = {
        module
        for module in imported_modules(path)
        if module.split(".")[0] == "telegram"
        or module.startswith(("bot.handlers", "bot.markup", "bot.app"))
    }
    assert outward == set()
