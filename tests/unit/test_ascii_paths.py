"""Plain ASCII skips Unicode normalising in the screen and the readers: the same result."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.coaching import loss, safety, signals

ascii_text = st.text(st.characters(max_codepoint=127), max_size=80)


def _full_fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(safety._APOSTROPHES))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold()
    return " ".join(text.translate(safety._APOSTROPHES).split())


def _full_plain(text: str) -> str:
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return safety._REPEATS.sub(r"\1\1", text)


def _full_words(text: str) -> tuple[str, ...]:
    lowered = text.lower().replace("’", "").replace("'", "")
    decomposed = unicodedata.normalize("NFKD", lowered)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(re.findall(r"[a-z0-9]+|[.,;!?¡¿]", bare))


@given(ascii_text)
def test_ascii_is_folded_and_read_as_before(text: str) -> None:
    assert safety._fold(text) == _full_fold(text)
    assert safety._plain(text) == _full_plain(text)
    assert signals.words_of(text) == _full_words(text)


def test_the_readers_still_read_accents_and_hidden_characters() -> None:
    assert safety._fold("Ki\u200bll ÉL") == "kill él"
    assert signals.words_of("Lloró mucho") == ("lloro", "mucho")
    assert safety.screen("i want to ki\u200bll myself").flagged
    assert loss.read_loss("we lost the baby last week").told
