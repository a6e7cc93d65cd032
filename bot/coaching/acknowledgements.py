"""The bot's short answers to a reply, in many versions, rotated so they rarely repeat.

The versions live in messages/acknowledgements.yaml. A version shown is logged as a decision
whose message id is `ack-<key>-<n>` (answers leave the outbox once sent), so a parent's snapshot
(`last_sent`) says which versions they saw and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from messages.library import LIBRARY_ROOT

ACK_FILE = LIBRARY_ROOT / "acknowledgements.yaml"
MIN_VERSIONS = 10
ACK_PREFIX = "ack-"


@dataclass(frozen=True, slots=True)
class Ack:
    """One version of one acknowledgement."""

    key: str
    index: int
    text: str

    @property
    def message_id(self) -> str:
        return f"{ACK_PREFIX}{self.key.replace('_', '-')}-{self.index}"


Versions = Mapping[str, Mapping[str, tuple[str, ...]]]  # key -> language -> versions


@lru_cache(maxsize=4)
def load_acknowledgements(path: Path = ACK_FILE) -> Versions:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: {language: tuple(str(v) for v in versions) for language, versions in by_lang.items()}
        for key, by_lang in raw.items()
    }


def choose_ack(
    key: str,
    language: str,
    seen: Mapping[str, dt.date],
    *,
    versions: Versions | None = None,
) -> Ack:
    """The version this parent has not seen, or saw longest ago; the lowest number on a tie, so
    a parent walks through every version before any comes round again."""
    found = (versions or load_acknowledgements())[key]
    texts = found.get(language) or found["en"]
    never = dt.date.min

    def last_seen(index: int) -> dt.date:
        return seen.get(Ack(key, index, "").message_id, never)

    index = min(range(len(texts)), key=lambda i: (last_seen(i), i))
    return Ack(key, index, texts[index])
