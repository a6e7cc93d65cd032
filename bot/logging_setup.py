"""Logging, set up once for `tend run`: no level writes a parent's words, names, ids or the token.

Our own modules log counts, categories and row ids only. The libraries under us log whole
requests, updates and SQL parameters at DEBUG (and httpx logs each URL, which holds the token, at
INFO), so they never log below WARNING, whatever TEND_LOG_LEVEL says. The token is masked in
every line that still gets through, tracebacks included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TextIO

# The libraries that see parents' words, Telegram ids or the token.
QUIETED = (
    "telegram",
    "httpx",
    "httpcore",
    "aiosqlite",
    "asyncpg",
    "sqlalchemy",
    "apscheduler",
    "alembic",
)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[token]"
# A Bot API token anywhere in a line: "<bot id>:<35 characters>", as BotFather issues them.
_ANY_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks the secrets it was given and anything shaped like a token."""

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def redact(line: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            line = line.replace(secret, MASK)
    return _ANY_TOKEN.sub(MASK, line)


def parse_level(name: str) -> int:
    """A level name (DEBUG, INFO, WARNING, ERROR); ValueError naming the choices otherwise."""
    level = logging.getLevelNamesMapping().get(name.strip().upper())
    if level is None:
        raise ValueError(f"unknown log level {name!r}; use DEBUG, INFO, WARNING or ERROR")
    return level


def setup_logging(
    level: str, *, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """One handler on the root logger (replacing one set up before), libraries kept quiet."""
    numeric = parse_level(level)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets))
    handler.set_name("tend")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "tend"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    for name in QUIETED:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
    return handler
