"""What a parent's reply means for what comes next: button keys and their own words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Quick replies under a nudge, repair tip or calm message; check-ins bring their own keys.
NUDGE_CHOICES = ("tried", "not_today", "hard")
CALM_CHOICES = ("helped", "hard")
CHECKIN_KEYS = ("good", "okay", "hard", "stressed", "tired", "skip")
ALL_CHOICES = frozenset(NUDGE_CHOICES + CALM_CHOICES + CHECKIN_KEYS)

# Phrases are whole words after lower-casing and removing accents and apostrophes.
_HARD_WORDS = (
    "not good", "not great", "wasnt good", "wasnt great", "didnt work", "didnt go well",
    "no fue bien", "no muy bien", "nada bien", "no salio bien", "no funciono",
    "hard", "tough", "difficult", "tantrum", "tantrums", "meltdown", "yelled", "screamed",
    "snapped", "lost it", "lost my temper", "crying", "cried", "wouldnt stop", "awful",
    "terrible", "bad", "bad day", "dificil", "duro", "dura", "berrinche", "rabieta", "grite",
    "llorando", "lloro", "no paraba", "perdi la paciencia", "mal", "mal dia", "horrible",
)  # fmt: skip
_STRESS_WORDS = (
    "stressed", "stress", "overwhelmed", "exhausted", "tired", "no sleep", "anxious", "worried",
    "burnt out", "burned out", "cant cope", "estresada", "estresado", "estres", "agobiada",
    "agobiado", "cansada", "cansado", "cansancio", "agotada", "agotado", "sin dormir",
    "ansiosa", "ansioso", "ansiedad", "preocupada", "preocupado", "abrumada", "abrumado",
    "no puedo mas",
)  # fmt: skip
_GOOD_WORDS = (
    "loved it", "we did", "we tried", "did it", "great", "good", "fun", "smiled", "laughed",
    "nice", "lo hicimos", "lo intentamos", "bien", "genial", "se rio", "rio", "sonrio",
    "divertido", "bonito", "lindo",
)  # fmt: skip
# "not stressed", "no estoy cansada": a negated worry is not a worry.
_NEGATION = r"(?:not|no|never|nunca|nada|ni)\s+(?:(?:estoy|soy|feeling|very|muy|so|tan)\s+)?"


@dataclass(frozen=True, slots=True)
class Reading:
    """What we take from a reply: a signal (good, hard, stressed, neutral) and what to do next."""

    signal: str
    next_need: str | None  # "repair" or "calm": what the next scheduled message should be
    repair_now: bool  # answer with a repair tip right away


def reply_to(reading: Reading, key: str | None) -> str:
    """How the bot answers a reply: "repair" (a tip now), "celebrate_or_thanks" (after a try),
    or the key of a short thank-you in bot/texts. `key` is the button, None for typed words."""
    if reading.repair_now:
        return "repair"
    if key == "skip":
        return "thanks_skip"
    if reading.signal in ("stressed", "tired"):
        return "thanks_stressed"
    if key == "tried":
        return "celebrate_or_thanks"
    if key in ("not_today", "helped"):
        return f"thanks_{key}"
    if reading.signal == "good":
        return "thanks_good"
    return "got_it" if key is None else "thanks_neutral"


def read_choice(key: str) -> Reading:
    """The meaning of a quick-reply tap."""
    if key == "hard":
        return Reading("hard", next_need="calm", repair_now=True)
    if key in ("stressed", "tired"):
        return Reading(key, next_need="calm", repair_now=False)
    if key in ("tried", "helped", "good"):
        return Reading("good", next_need=None, repair_now=False)
    return Reading("neutral", next_need=None, repair_now=False)


def read_text(text: str) -> Reading:
    """The meaning of a parent's own words, by the plain phrases parents use (English, Spanish)."""
    words = _normalise(text)
    if _has_any(words, _HARD_WORDS):
        return Reading("hard", next_need="calm", repair_now=True)
    if _has_any(words, _STRESS_WORDS, unless_negated=True):
        return Reading("stressed", next_need="calm", repair_now=False)
    if _has_any(words, _GOOD_WORDS):
        return Reading("good", next_need=None, repair_now=False)
    return Reading("neutral", next_need=None, repair_now=False)


_TOPIC_WORDS = {
    "topic:tantrums": (
        "tantrum", "tantrums", "meltdown", "meltdowns", "berrinche", "berrinches", "rabieta",
        "pataleta",
    ),
    "topic:yelling": (
        "yelled", "yell", "screamed at", "snapped", "lost my temper", "grite", "regane",
    ),
    "topic:crying": ("crying", "cried", "cry", "llorando", "lloro", "llanto"),
    "topic:sleep": (
        "sleep", "bedtime", "nap", "naps", "night", "nights", "dormir", "siesta", "noche",
    ),
    "topic:siblings": (
        "brother", "sister", "sibling", "siblings", "hermano", "hermana", "hermanito", "hermanita",
    ),
    "topic:separation": ("daycare", "drop off", "drop-off", "left", "guarderia", "despedida"),
    "topic:distraction": ("phone", "work", "busy", "distracted", "telefono", "celular", "trabajo"),
}  # fmt: skip


def topics_in_text(text: str) -> frozenset[str]:
    """Topic tags a reply mentions, so a repair tip can fit what happened."""
    words = _normalise(text)
    return frozenset(tag for tag, phrases in _TOPIC_WORDS.items() if _has_any(words, phrases))


def is_stop_word(text: str) -> bool:
    """Carrier-style opt-out words, honoured in any case: STOP, PARAR."""
    bare = re.sub(r"[^\w\s]", "", _normalise(text)).strip()
    return bare in {"stop", "parar", "unsubscribe", "cancelar", "baja"}


def _has_any(text: str, phrases: tuple[str, ...], *, unless_negated: bool = False) -> bool:
    for phrase in phrases:
        for found in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            before = text[: found.start()]
            if unless_negated and re.search(rf"{_NEGATION}$", before):
                continue
            return True
    return False


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "").replace("'", ""))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
