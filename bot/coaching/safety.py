"""Screening a parent's own words for signs that someone may be in danger right now.

Broad on purpose: a false alarm costs a caring message with phone numbers; a miss costs more.
Phrases are matched as whole words, after lower-casing and removing accents, so "Me pegó" and
"me pego" read the same. Violence phrases name a partner, so a toddler who "hits me" when upset
does not raise an alarm.
"""

from __future__ import annotations

import re
import unicodedata

_PARTNERS_EN = ("partner", "husband", "wife", "boyfriend", "girlfriend", "ex", "he", "she")
_PARTNERS_ES = ("pareja", "esposo", "esposa", "novio", "novia", "marido", "ex")
_HURTS_EN = (
    "hits me",
    "hit me",
    "beats me",
    "beat me",
    "hurts me",
    "hurt me",
    "choked me",
    "chokes me",
    "threatens me",
    "threatened me",
    "pushed me",
    "kicked me",
)
_HURTS_ES = (
    "me pega",
    "me pego",
    "me golpea",
    "me golpeo",
    "me amenaza",
    "me amenazo",
    "me empujo",
    "me ahorco",
    "me lastima",
    "me lastimo",
    "me maltrata",
)

# category -> phrases (accents removed, lower-case), English and Spanish.
_CRISIS_PHRASES: dict[str, tuple[str, ...]] = {
    "self_harm": (
        "kill myself", "end my life", "want to die", "wanna die", "wish i was dead",
        "wish i were dead", "suicide", "suicidal", "hurt myself", "harm myself",
        "better off without me", "no reason to live", "cant go on", "matarme", "quitarme la vida",
        "quiero morir", "quiero morirme", "quisiera morir", "quisiera morirme", "suicidio",
        "suicidar", "suicidarme", "hacerme dano", "no quiero vivir", "no vale la pena vivir",
        "no puedo mas con la vida",
    ),
    "harm_child": (
        "hurt the baby", "hurt my baby", "hurt my child", "harm my baby", "harm the baby",
        "want to hurt him", "want to hurt her", "going to hurt him", "going to hurt her",
        "shake the baby", "shook the baby", "shaking the baby", "shook him", "shook her",
        "shook my baby", "hit my baby", "lastimar al bebe", "lastimar a mi bebe",
        "lastimar a mi hijo", "lastimar a mi hija", "hacerle dano al bebe", "sacudir al bebe",
        "sacudi al bebe", "lo sacudi", "la sacudi", "pegarle al bebe",
    ),
    "violence_home": (
        "afraid of my partner", "scared of my partner", "domestic violence", "abuses me",
        "abusing me", "violencia domestica", "miedo de mi pareja", "miedo a mi pareja",
        *(f"{who} {act}" for who in _PARTNERS_EN for act in _HURTS_EN),
        *(f"my {who} {act}" for who in _PARTNERS_EN[:6] for act in _HURTS_EN),
        *(f"mi {who} {act}" for who in _PARTNERS_ES for act in _HURTS_ES),
    ),
    "baby_unwell": (
        "not breathing", "isnt breathing", "stopped breathing", "turning blue", "turned blue",
        "wont wake up", "unresponsive", "seizure", "no respira", "dejo de respirar",
        "se puso azul", "se puso morado", "esta morado", "labios morados", "no despierta",
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
    """Lower-case, no accents, no apostrophes ("won't" -> "wont"), spaces folded."""
    lowered = text.lower().replace("’", "").replace("'", "")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
