"""Words that may tell of a loss: a baby or child who died, a miscarriage, a stillbirth.

Pure over text, English and Spanish, with typos (the reading of `bot.coaching.signals`) and
honest negation: "my baby didn't die", "we almost lost the baby", "I'm scared of a
miscarriage", "perdí el chupón del bebé" are not a loss. A match is never acted on alone: the
bot asks, gently, before anything changes, so a misreading costs one kind question.

Danger comes first: the safety screen runs before this, so "my baby died and I want to die"
is answered as a crisis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.coaching.signals import words_of

# Who was lost: a baby, a child, a pregnancy.
_CHILD_WORDS = frozenset(
    {
        "baby", "babies", "son", "daughter", "child", "kid", "newborn", "infant", "twin",
        "bebe", "bebes", "bb", "hijo", "hija", "hijito", "hijita", "nino", "nina", "nene",
        "nena", "peque", "recien", "gemelo", "gemela", "bebito", "bebita",
    }
)  # fmt: skip
_PREGNANCY_WORDS = frozenset({"pregnancy", "embarazo"})
_DETERMINERS = frozenset(
    {"my", "our", "the", "her", "his", "their", "mi", "nuestro", "nuestra", "el", "la", "al",
     "a", "nuestros", "mis", "los"}
)  # fmt: skip

# Phrases that are a loss by themselves (normalised: lower case, no accents or apostrophes).
_ALONE = (
    "miscarriage", "miscarriages", "miscarried", "stillbirth", "stillborn", "still born",
    "sids", "crib death", "cot death", "infant loss", "pregnancy loss", "baby loss",
    "angel baby", "my angel baby", "born sleeping", "born still", "lost the pregnancy",
    "lost my pregnancy", "lost our pregnancy",
    "aborto espontaneo", "aborto natural", "perdi el embarazo", "perdimos el embarazo",
    "perdida del embarazo", "perdida gestacional", "muerte de cuna", "nacio sin vida",
    "nacio muerto", "nacio muerta", "muerte fetal", "obito fetal", "tuve una perdida",
    "sufri una perdida", "tuve un aborto", "mortinato",
)  # fmt: skip
# A verb of loss near a child word, in either order ("my baby died", "murió mi bebé").
_LOSS_VERBS = (
    "died", "passed away", "didnt make it", "did not make it", "didnt survive",
    "did not survive", "no longer with us", "is in heaven", "went to heaven", "is an angel",
    "lost",
    "murio", "fallecio", "se murio", "se nos murio", "se me murio", "se nos fue", "se me fue",
    "perdi", "perdimos", "no sobrevivio", "esta en el cielo", "se fue al cielo", "partio",
    "descansa en paz", "es un angel", "no lo logro",
)  # fmt: skip
# Verbs whose object is who was lost: the child comes after ("my baby lost weight" is not).
_TRANSITIVE = frozenset({("lost",), ("perdi",), ("perdimos",)})
# "didn't make it" ends its clause when it means a death ("... make it to the potty" does not).
_CLAUSE_END = frozenset(
    {("didnt", "make", "it"), ("did", "not", "make", "it"), ("no", "lo", "logro")}
)
# Before the match, within a few words: the loss did not happen, or is feared, not told.
_NOT_TOLD = frozenset(
    {
        "not", "didnt", "never", "almost", "nearly", "scared", "afraid", "fear", "worried",
        "worry", "if", "might", "could", "would", "risk", "prevent", "avoid", "dont",
        "wont", "hope", "chance", "signs", "sign", "symptoms", "reduce", "thought",
        "no", "casi", "miedo", "temo", "preocupa", "preocupada", "preocupado", "podria",
        "pueda", "riesgo", "evitar", "prevenir", "sintomas", "senales", "ojala", "pense",
        "nunca", "tampoco", "puede",
    }
)  # fmt: skip
_NOT_TOLD_WINDOW = 4
# After a child word, an object that was lost instead ("lost the baby monitor").
_OBJECTS = frozenset(
    {
        "monitor", "sock", "socks", "shoe", "shoes", "bottle", "pacifier", "binky", "blanket",
        "toy", "toys", "bag", "carrier", "seat", "weight", "tooth", "teeth", "book", "hat",
        "s", "wipes", "spoon", "passport", "clothes", "stuff", "things", "formula", "sleep",
        "chupon", "cobija", "biberon", "zapato", "calcetin", "juguete", "pañalera", "panalera",
        "peso", "diente", "ropa", "gorro", "cosas", "mamila", "panal", "brain", "shower",
    }
)  # fmt: skip
# "Lost the baby in the store for a minute" is not a loss: a place or a moment soon after.
_PLACES = frozenset(
    {"store", "mall", "park", "crowd", "tienda", "parque", "super", "minute", "minuto",
     "second", "segundo", "moment", "momento", "supermarket", "supermercado", "market"}
)  # fmt: skip
_NEAR = 3


@dataclass(frozen=True, slots=True)
class LossReading:
    """Whether the words tell of a loss, which pattern said so, and whether it was a
    pregnancy (so the child still expected is the one marked)."""

    told: bool
    rule: str | None = None
    pregnancy: bool = False


NO_LOSS = LossReading(False)


def read_loss(text: str) -> LossReading:
    """Does `text` tell of a baby, child or pregnancy lost?"""
    # "the baby's sock": the possessive stays a word of its own, so "baby" is not read alone.
    spaced = text.replace("'s", " s").replace("’s", " s")
    words = tuple(_fix(word) for word in words_of(spaced))
    present = frozenset(words)  # a phrase whose first word is absent is nowhere
    for phrase in _phrases(_ALONE):
        if phrase[0] not in present:
            continue
        for start in _find(words, phrase):
            if not _not_told(words, start):
                joined = " ".join(phrase)
                pregnant = not any(w in joined for w in ("sids", "crib", "cot", "cuna"))
                return LossReading(True, f"alone:{joined}", pregnancy=pregnant)
    for phrase in _phrases(_LOSS_VERBS):
        if phrase[0] not in present:
            continue
        for start in _find(words, phrase):
            if _not_told(words, start):
                continue
            end = start + len(phrase)
            if phrase in _CLAUSE_END and end < len(words) and words[end].isalnum():
                continue
            found = _child_near(words, start, len(phrase), after_only=phrase in _TRANSITIVE)
            if found is not None:
                who, pregnancy = found
                return LossReading(True, f"verb:{' '.join(phrase)}+{who}", pregnancy=pregnancy)
    return NO_LOSS


def _child_near(
    words: tuple[str, ...], start: int, size: int, *, after_only: bool
) -> tuple[str, bool] | None:
    """A child or pregnancy word just after the verb ("lost our baby", "murió mi bebé") or
    just before it ("my baby died"), with nothing but determiners between."""
    after = start + size
    index = after
    while index < len(words) and index < after + _NEAR and words[index] in _DETERMINERS:
        index += 1
    if index < len(words) and _is_child(words[index]):
        following = words[index + 1 : index + 5]
        if (following[:1] and following[0] in _OBJECTS) or set(following) & _PLACES:
            # "lost the baby's sock", "lost the baby monitor", "lost the baby at the mall"
            return None
        return words[index], words[index] in _PREGNANCY_WORDS
    if after_only:
        return None
    index = start - 1
    while index >= 0 and start - index <= _NEAR:
        word = words[index]
        if _is_child(word):
            return word, word in _PREGNANCY_WORDS
        if word not in _DETERMINERS and word not in ("little", "sweet", "precious", "chiquito"):
            return None
        index -= 1
    return None


def _is_child(word: str) -> bool:
    return word in _CHILD_WORDS or word in _PREGNANCY_WORDS


def _not_told(words: tuple[str, ...], start: int) -> bool:
    """A negation, a fear or a hypothetical shortly before: nothing was told."""
    for back in range(1, _NOT_TOLD_WINDOW + 1):
        index = start - back
        if index < 0:
            return False
        word = words[index]
        if word in (".", "!", "?", ";", ",", "but", "pero"):
            return False
        if word in _NOT_TOLD:
            return True
    return False


def _find(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if words[i : i + size] == phrase]


@lru_cache(maxsize=4)
def _phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({words_of(p) for p in phrases}, key=lambda p: (-len(p), p)))


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    every = [w for p in _phrases(_ALONE) + _phrases(_LOSS_VERBS) for w in p]
    return frozenset(every) | _CHILD_WORDS | _PREGNANCY_WORDS


@lru_cache(maxsize=4096)
def _fix(word: str) -> str:
    """A one-slip typo of a loss word ("miscarrige", "fallesio", "stilborn") read as it."""
    from rapidfuzz import fuzz, process

    lexicon = _lexicon()
    if word in lexicon or len(word) < 5 or not word.isalpha():
        return word
    same_start = [entry for entry in lexicon if entry[0] == word[0] and len(entry) >= 5]
    best = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=85)
    return best[0] if best is not None else word
