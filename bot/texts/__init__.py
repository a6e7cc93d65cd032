"""What the bot says around the content library, in every language, looked up by key."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from messages.vocabulary import LANGUAGES

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=len(LANGUAGES))
def _table(language: str) -> dict[str, str]:
    loaded: dict[str, str] = yaml.safe_load((_HERE / f"{language}.yaml").read_text("utf-8"))
    return loaded


def text(language: str, key: str, **values: Any) -> str:
    """The sentence `key` in `language` (English when the language is unknown), filled in."""
    table = _table(language if language in LANGUAGES else "en")
    template = table[key]
    if not values:
        return template
    # A time like "8:00 a.m." ending a sentence must not end it twice.
    return template.format(**values).replace(".m..", ".m.")


def keys(language: str) -> frozenset[str]:
    return frozenset(_table(language))
