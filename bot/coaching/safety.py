"""Screening a parent's own words for signs that someone may be in danger right now.

Deliberately broad: a false alarm costs a caring message with phone numbers; a miss costs more.
"""

from __future__ import annotations

import re
import unicodedata

# category -> phrases (accents removed, lower-case), English and Spanish.
_CRISIS_PHRASES: dict[str, tuple[str, ...]] = {
    "self_harm": (
        "kill myself", "end my life", "want to die", "wanna die", "suicide", "suicidal",
        "hurt myself", "harm myself", "better off without me", "no reason to live",
        "cant go on", "can't go on", "matarme", "quitarme la vida", "quiero morir",
        "suicidio", "suicidarme", "hacerme dano", "no quiero vivir", "no puedo mas con la vida",
    ),
    "harm_child": (
        "hurt the baby", "hurt my baby", "hurt my child", "hurt him", "hurt her",
        "shake the baby", "shook the baby", "shaking the baby", "harm my baby", "harm the baby",
        "hit my baby", "lastimar al bebe", "lastimar a mi bebe", "hacerle dano", "sacudir al bebe",
        "sacudi al bebe", "pegarle al bebe", "lastimar a mi hijo", "lastimar a mi hija",
    ),
    "violence_home": (
        "he hits me", "she hits me", "hits me", "beats me", "afraid of my partner",
        "scared of my partner", "he hurt me", "she hurt me", "domestic violence", "abuse me",
        "abuses me", "me pega", "me golpea", "violencia domestica", "miedo de mi pareja",
        "me maltrata",
    ),
    "baby_unwell": (
        "not breathing", "isnt breathing", "isn't breathing", "stopped breathing", "turning blue",
        "turned blue", "wont wake up", "won't wake up", "unresponsive", "seizure",
        "no respira", "dejo de respirar", "se puso azul", "morado", "no despierta",
        "convulsion", "convulsiones",
    ),
}  # fmt: skip


def screen_for_crisis(text: str) -> str | None:
    """The crisis category a reply suggests, or None. Most urgent categories are checked first."""
    normalised = _normalise(text)
    for category in ("baby_unwell", "self_harm", "harm_child", "violence_home"):
        for phrase in _CRISIS_PHRASES[category]:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", normalised):
                return category
    return None


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
