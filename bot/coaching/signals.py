"""What a parent's own words tell us: stress, a hard moment, topics, a question, a request for a
person, delight. English and Spanish, with honest negation and a forgiving eye for typos.

Pure over text. Words are lower-cased, accents and apostrophes dropped; a word that is not in
the lexicon but is one slip away from a lexicon word of the same first letter (rapidfuzz) is read
as that word. Phrases are matched longest first and consume their words, so "couldn't stop
crying" is one phrase, not a negated "crying".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

SIGNALS = ("stress", "hard", "topic", "question", "person", "delight")


@dataclass(frozen=True, slots=True)
class Signals:
    """What one reply says, as flags and topic tags (`topic:sleep`, ...)."""

    stress: bool = False
    hard: bool = False
    topics: frozenset[str] = field(default_factory=frozenset)
    question: bool = False
    person: bool = False
    delight: bool = False
    # "We did it", "lo intentamos": a report of trying, which counts as a reward like the tap.
    tried: bool = False
    language: str = "en"

    def flags(self) -> frozenset[str]:
        """The signals present, by name (`topic` when any topic was named)."""
        found = {
            name
            for name in ("stress", "hard", "question", "person", "delight")
            if getattr(self, name)
        }
        if self.topics:
            found.add("topic")
        return frozenset(found)

    @property
    def positive(self) -> bool:
        """A reply that counts as a reward: delight with nothing hard or stressful in it."""
        return (self.delight or self.tried) and not self.hard and not self.stress


# --- Lexicon: phrases after normalisation (lower case, no accents, no apostrophes) ----------

_STRESS = (
    # English
    "stressed", "stress", "stressful", "overwhelmed", "overwhelming", "exhausted", "tired",
    "so tired", "worn out", "wiped out", "drained", "anxious", "anxiety", "worried", "nervous",
    "burnt out", "burned out", "burnout", "cant cope", "cannot cope", "cant do this",
    "cant take it", "at my limit", "too much", "falling apart", "barely slept", "no sleep",
    "havent slept", "didnt sleep", "cant sleep", "not sleeping", "running on empty", "frazzled",
    "on edge", "sad", "lonely", "alone in this", "feel awful", "feel terrible", "feel bad",
    "crying myself", "not okay", "not ok", "struggling", "i am struggling", "im struggling",
    "rough day", "long day", "zero sleep", "no energy", "so done", "im done", "depleted",
    "a lot right now", "its a lot", "its too much",
    # Spanish
    "estresada", "estresado", "estres", "estresante", "agobiada", "agobiado", "agobio",
    "cansada", "cansado", "cansancio", "agotada", "agotado", "agotamiento", "rendida",
    "rendido", "sin dormir", "no dormi", "no he dormido", "no duermo", "no puedo dormir",
    "ansiosa", "ansioso", "ansiedad", "preocupada", "preocupado", "nerviosa", "nervioso",
    "abrumada", "abrumado", "no puedo mas", "ya no puedo", "no aguanto", "harta", "harto",
    "triste", "sola", "solo en esto", "me siento mal", "no estoy bien", "no me siento bien",
    "desvelada", "desvelado", "sin energia", "es mucho", "es demasiado", "muerta de cansancio",
    "quemada", "quemado",
    "frustrada", "frustrado", "de nervios", "al limite", "me cuesta mucho", "batallando",
)  # fmt: skip
_HARD = (
    # English
    "hard", "so hard", "really hard", "tough", "difficult", "rough", "tantrum", "tantrums",
    "meltdown", "meltdowns", "yelled", "yelling", "screamed", "screaming", "snapped",
    "lost it", "lost my temper", "lost my cool", "shouted", "crying", "cried",
    "wouldnt stop", "couldnt stop", "didnt stop", "awful", "terrible", "horrible", "bad",
    "went badly", "didnt work", "did not work", "didnt go well", "not good", "not great",
    "wasnt good", "wasnt great", "hated it", "hated", "didnt like it", "refused",
    "wouldnt", "fussy", "fussing", "screamed the whole time", "hit me", "bit me", "a mess",
    "disaster", "nightmare", "fell apart", "upset", "angry", "mad at me", "fight", "fought",
    "frustrating", "ignored me", "pushed me away", "threw", "kicked",
    # Spanish
    "dificil", "muy dificil", "duro", "dura", "pesado", "pesada", "berrinche", "berrinches",
    "rabieta", "rabietas", "pataleta", "pataletas", "grite", "le grite", "gritando", "grito",
    "perdi la paciencia", "me enoje", "explote", "llorando", "lloro", "lloraba", "llanto",
    "no paraba", "no dejaba de", "llore", "llorar", "odia", "mal", "muy mal", "fatal", "horrible",
    "terrible", "feo",
    "no funciono", "no salio bien", "no fue bien", "no le gusto", "no quiso", "se nego",
    "odio", "lo odio", "un desastre", "desastre", "pesadilla", "enojada", "enojado",
    "enojo", "molesta", "molesto", "se puso a llorar", "me pego", "me mordio", "pelea",
    "peleamos", "pelearon", "se pelearon", "me ignoro", "lo aventó", "tiro", "pateo", "frustrante",
    "complicado",
    "complicada",
)  # fmt: skip
_DELIGHT = (
    # English
    "loved it", "love it", "loved", "loves it", "liked it", "enjoyed", "enjoyed it", "fun",
    "so fun", "great", "good", "so good", "really good", "amazing", "awesome", "wonderful",
    "beautiful", "sweet", "cute", "adorable", "smiled", "smiling", "smile", "laughed",
    "laughing", "giggled", "giggles", "giggling", "happy", "so happy", "lovely", "fantastic",
    "nice", "perfect", "best", "wow", "it worked", "worked",
    "melted my heart", "cooed", "babbled back", "copied me", "lit up", "hugged", "kissed",
    "went well", "not bad", "not too bad", "wasnt bad", "wasnt so bad", "proud",
    # Spanish
    "le encanto", "le encantó", "me encanto", "encanto", "le gusto", "nos gusto", "me gusto",
    "le gusto mucho", "genial", "bien", "muy bien", "super bien", "bonito", "bonita", "lindo",
    "linda", "hermoso", "hermosa", "precioso", "preciosa", "divertido", "divertida",
    "se rio", "se reia", "risas", "sonrio", "sonreia", "sonrisa", "carcajadas", "feliz",
    "felices", "contenta", "contento", "padre", "padrisimo", "chido", "chevere", "bacano",
    "increible", "maravilloso", "funciono", "me abrazo",
    "nos abrazamos", "me beso", "no estuvo mal", "no fue tan dificil", "orgullosa",
    "orgulloso", "tierno", "tierna", "salio bien", "estuvo bien", "nos fue bien",
)  # fmt: skip
_TRIED = (
    "we did it", "did it", "we tried", "tried it", "we tried it", "we did", "we played",
    "we read", "we sang", "lo hicimos", "lo intentamos", "lo probamos", "jugamos", "leimos",
    "cantamos", "si lo hicimos",
)  # fmt: skip
_PERSON = (
    # English
    "home visitor", "my visitor", "visitor", "talk to someone", "talk to somebody",
    "speak to someone", "speak with someone", "talk to a person", "real person", "a human",
    "a person", "someone call me", "can someone call", "call me", "call me back",
    "someone to talk to", "talk to you", "talk to my nurse", "my nurse", "caseworker",
    "case worker", "my worker", "social worker", "counselor", "counsellor", "therapist",
    "need help from someone", "can i talk", "contact my", "reach my",
    # Spanish
    "visitadora", "mi visitadora", "visitador", "mi visitador", "hablar con alguien",
    "hablar con una persona", "una persona", "persona real", "alguien me llame",
    "pueden llamarme", "me puede llamar", "puede llamar", "llamarme", "llamame", "me pueden llamar",
    "quiero hablar",
    "necesito hablar", "mi enfermera", "trabajadora social", "trabajador social",
    "consejera", "psicologa", "psicologo", "terapeuta", "contactar a", "comunicarme con",
)  # fmt: skip
_QUESTION_STARTS = (
    "what", "how", "when", "why", "where", "which", "who", "should", "can", "could", "is it",
    "is this", "is that", "do i", "does", "did i", "am i", "any tips", "any ideas", "ideas for",
    "cuando", "por que", "donde", "cual", "quien", "debo", "puedo", "es normal",
    "sera", "alguna idea", "algun consejo", "hay algo", "tienes", "me puedes",
)  # fmt: skip
_QUESTION_PHRASES = (
    "what do i do", "what should i do", "what can i do", "how do i", "how can i",
    "is it normal", "is that normal", "is this normal", "any advice", "any tips",
    "i wonder", "not sure what", "dont know what to do", "dont know how", "help me understand",
    "que hago", "que puedo hacer", "que debo hacer", "como hago", "como le hago",
    "es normal", "algun consejo", "no se que hacer", "no se como", "me pregunto",
)  # fmt: skip
_TOPICS: dict[str, tuple[str, ...]] = {
    "topic:sleep": (
        "sleep", "sleeping", "slept", "asleep", "bedtime", "nap", "naps", "napping",
        "night", "nights", "all night", "up all night", "wakes up", "woke up", "waking",
        "dormir", "duerme", "dormi", "dormido", "siesta", "siestas", "noche", "noches",
        "se despierta", "despierta", "desvelada", "desvelado", "a dormir", "acostarlo",
        "acostarla", "sueno", "dormirse", "duerma",
    ),
    "topic:crying": (
        "crying", "cried", "cry", "cries", "fussy", "fussing", "colic", "wailing", "screamed",
        "screaming", "llorando", "lloro", "llora", "llanto", "lloraba", "colicos", "chillando",
        "llorar", "llore",
    ),
    "topic:feeding": (
        "feeding", "feed", "fed", "bottle", "breastfeeding", "nursing", "latch", "eat",
        "eating", "ate", "food", "meal", "meals", "dinner", "lunch", "breakfast", "picky",
        "formula", "comer", "come", "comida", "comidas", "biberon", "mamila", "pecho",
        "lactancia", "amamantar", "cena", "almuerzo", "desayuno", "papilla",
    ),
    "topic:tantrums": (
        "tantrum", "tantrums", "meltdown", "meltdowns", "berrinche", "berrinches", "rabieta",
        "rabietas", "pataleta", "pataletas", "threw himself", "threw herself",
    ),
    "topic:yelling": (
        "yelled", "yell", "yelling", "screamed at", "shouted", "snapped", "lost my temper",
        "lost my cool", "lost it", "grite", "le grite", "gritando", "regane", "perdi la paciencia",
        "explote", "me enoje",
    ),
    "topic:siblings": (
        "brother", "sister", "sibling", "siblings", "big brother", "big sister", "twins",
        "hermano", "hermana", "hermanito", "hermanita", "hermanos", "gemelos",
    ),
    "topic:separation": (
        "daycare", "drop off", "dropoff", "day care", "nursery", "left for work",
        "going back to work", "babysitter", "grandma took", "guarderia", "kinder", "despedida",
        "me fui a trabajar", "volver al trabajo", "la nana", "niñera", "ninera",
    ),
    "topic:distraction": (
        "phone", "my phone", "screen", "screens", "tablet", "tv", "busy", "distracted",
        "work call", "emails", "telefono", "celular", "pantalla", "pantallas", "tele",
        "ocupada", "ocupado", "distraida", "distraido",
    ),
    "topic:fatigue": (
        "tired", "exhausted", "no sleep", "barely slept", "havent slept", "didnt sleep",
        "worn out", "drained", "no energy", "zero sleep", "cansada", "cansado", "agotada",
        "agotado", "sin dormir", "no dormi", "no he dormido", "desvelada", "desvelado",
        "rendida", "rendido", "sin energia",
    ),
    "topic:play": (
        "play", "played", "playing", "game", "games", "toy", "toys", "blocks", "peekaboo",
        "peek a boo", "jugar", "jugamos", "jugando", "juego", "juguete", "juguetes", "bloques",
    ),
    "topic:reading": (
        "book", "books", "read to", "read the", "read a", "read it", "reading to",
        "reading time", "story", "stories", "libro", "libros", "leer",
        "leimos", "cuento", "cuentos",
    ),
}  # fmt: skip

# A word before a phrase that turns it around, unless a clause break or a "stop" comes first.
_NEGATORS = frozenset(
    {
        "not", "no", "never", "dont", "didnt", "doesnt", "isnt", "wasnt", "werent", "arent",
        "aint", "hardly", "without", "nunca", "jamas", "ni", "tampoco", "sin", "nada",
    }
)  # fmt: skip
_SCOPE_BREAKS = frozenset(
    {"but", "though", "although", "pero", "aunque", "sino", "and", "y", "then", "luego"}
)
# "didn't stop crying" means crying: a negated stop affirms what follows.
_AFFIRMING = frozenset({"stop", "stopped", "parar", "paraba", "paro", "dejaba", "dejo", "quit"})
_NEGATION_WINDOW = 3
# First-person feeling words: a negated good feeling ("no me siento bien") is stress.
_FEELING = frozenset(
    {"feel", "feeling", "felt", "im", "i", "siento", "sentia", "estoy", "ando", "me"}
)
# Common words that look like a lexicon word but are not a slip (cansada/casada, ...).
_NEVER_TYPOS = frozenset(
    {
        "casada", "casado", "cansa", "bad", "bed", "good", "food", "hard", "heard", "card",
        "tried", "tired", "crying", "trying", "feeling", "feelings", "feel", "felt", "read",
        "ready", "bien", "bean", "mal", "mall",
        "mad", "made", "sad", "said", "sola", "solo", "duro", "dura", "pesado", "pasado",
        "pasada", "grito", "grite", "gusto", "justo", "night", "right", "might", "light",
        "fight", "eight", "sleep", "sheep", "play", "plays", "fun", "run", "nice", "niece",
        "noche", "leche", "come", "como", "coma", "cama", "dormi", "dormir", "llora", "llorar",
        "book", "look", "looked", "booked", "story", "sorry", "lovely", "lonely", "smile",
        "smiled", "while", "mile", "best", "rest", "test", "perfect", "person", "persona",
        "visitor", "visited", "visit", "visita", "hated", "hate", "heated", "rough", "though",
        "through", "enough", "tough", "touch", "cough", "sweet", "sweat", "sweater",
    }
)  # fmt: skip
_SPANISH_MARKERS = frozenset(
    {
        "el", "la", "los", "las", "que", "muy", "pero", "hoy", "estoy", "fue", "es", "mi",
        "se", "le", "lo", "con", "por", "una", "un", "del", "nos", "yo", "bebe", "mucho",
        "esta", "no", "si", "ya", "todo", "nada", "como", "cuando", "para", "tan", "porque",
    }
)  # fmt: skip
_ENGLISH_MARKERS = frozenset(
    {
        "the", "a", "is", "was", "it", "i", "im", "my", "we", "she", "he", "and", "but", "to",
        "so", "very", "today", "not", "of", "in", "that", "this", "you", "me", "with", "did",
    }
)  # fmt: skip


def read_signals(text: str) -> Signals:
    """Everything `text` says, read once."""
    words = words_of(text)
    language = language_of(words)
    canonical = tuple(_canonical(word) for word in words)
    stress_hits = _matches(canonical, _STRESS)
    hard_hits = _matches(canonical, _HARD)
    delight_hits = _matches(canonical, _DELIGHT)
    stress = any(not negated for _, negated, _ in stress_hits)
    hard = any(not negated for _, negated, _ in hard_hits)
    delight = any(not negated for _, negated, _ in delight_hits)
    # A good word turned around is a low: about oneself it is stress, about the moment it is hard.
    for _, negated, start in delight_hits:
        if negated:
            if _FEELING & set(canonical[max(0, start - 4) : start]):
                stress = True
            else:
                hard = True
    topics = _topics(canonical)
    if hard and delight and _delight_wins(canonical, hard_hits, delight_hits):
        hard = False
    question = "?" in text or "¿" in text or _starts_question(canonical)
    question = question or bool(_matches(canonical, _QUESTION_PHRASES))
    person = bool(_matches(canonical, _PERSON))
    tried = any(not negated for _, negated, _ in _matches(canonical, _TRIED))
    return Signals(
        stress=stress,
        hard=hard,
        topics=topics,
        question=question,
        person=person,
        delight=delight,
        tried=tried,
        language=language,
    )


def _topics(canonical: tuple[str, ...]) -> frozenset[str]:
    """Topic tags named. A parent's own lost sleep is fatigue, not the child's sleep, so the
    fatigue phrases take their words first; only a state (fatigue) can be negated away:
    "he isn't eating" is still about feeding."""
    used = [False] * len(canonical)
    found: set[str] = set()
    for tag in _TOPIC_ORDER:
        hits = _matches(canonical, _TOPICS[tag], used=used)
        if any(not negated or tag != "topic:fatigue" for _, negated, _ in hits):
            found.add(tag)
    return frozenset(found)


_TOPIC_ORDER = (
    "topic:fatigue",
    "topic:yelling",
    *(t for t in _TOPICS if t not in ("topic:fatigue", "topic:yelling")),
)


def words_of(text: str) -> tuple[str, ...]:
    """Lower-case words without accents or apostrophes; punctuation kept as clause breaks."""
    lowered = text.lower().replace("’", "").replace("'", "")
    if lowered.isascii():  # no accents to strip
        return tuple(_WORDS.findall(lowered))
    decomposed = unicodedata.normalize("NFKD", lowered)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(_WORDS.findall(bare))


_WORDS = re.compile(r"[a-z0-9]+|[.,;!?¡¿]")


def language_of(words: Iterable[str]) -> str:
    """`es` when Spanish function words outnumber English ones, else `en`."""
    listed = list(words)
    spanish = sum(word in _SPANISH_MARKERS for word in listed)
    english = sum(word in _ENGLISH_MARKERS for word in listed)
    return "es" if spanish > english else "en"


def _delight_wins(
    canonical: tuple[str, ...],
    hard_hits: list[tuple[int, bool, int]],
    delight_hits: list[tuple[int, bool, int]],
) -> bool:
    """A hard start that ended well ("cried at first but then she laughed"): the last word wins
    only when a "but" sits between them; otherwise a hard moment stands."""
    last_hard = max(start for _, negated, start in hard_hits if not negated)
    last_delight = max(start for _, negated, start in delight_hits if not negated)
    between = set(canonical[last_hard:last_delight])
    return last_delight > last_hard and bool(between & {"but", "pero", "then", "luego", "despues"})


def _starts_question(canonical: tuple[str, ...]) -> bool:
    head = " ".join(canonical[:3])
    return any(head == start or head.startswith(start + " ") for start in _QUESTION_STARTS)


def _matches(
    words: tuple[str, ...], phrases: Iterable[str], *, used: list[bool] | None = None
) -> list[tuple[int, bool, int]]:
    """(length, negated, start) of each phrase found, longest first, words used once."""
    used = used if used is not None else [False] * len(words)
    found: list[tuple[int, bool, int]] = []
    # Only phrases whose first word is in the text can match: in the same longest-first order.
    index = _by_first_word(tuple(phrases))
    starting = index.keys() & set(words)
    for _, phrase in sorted(entry for word in starting for entry in index[word]):
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if words[start : start + size] == phrase and not any(used[start : start + size]):
                for i in range(start, start + size):
                    used[i] = True
                found.append((size, _negated(words, start, phrase), start))
    return found


def _negated(words: tuple[str, ...], start: int, phrase: tuple[str, ...]) -> bool:
    if phrase[0] in _NEGATORS:
        return False  # the phrase carries its own negation ("no sleep", "not good")
    for back in range(1, _NEGATION_WINDOW + 1):
        i = start - back
        if i < 0:
            return False
        word = words[i]
        if word in _SCOPE_BREAKS or not word.isalnum() or word in _AFFIRMING:
            return False
        if word in _NEGATORS:
            return True
    return False


@lru_cache(maxsize=32)
def _sorted_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    split = {tuple(words_of(phrase)) for phrase in phrases}
    return tuple(sorted(split, key=lambda p: (-len(p), p)))


@lru_cache(maxsize=32)
def _by_first_word(
    phrases: tuple[str, ...],
) -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """The sorted phrases by their first word, each with its rank in that order."""
    index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for rank, phrase in enumerate(_sorted_phrases(phrases)):
        index.setdefault(phrase[0], []).append((rank, phrase))
    return {word: tuple(entries) for word, entries in index.items()}


def _all_phrases() -> tuple[str, ...]:
    topics = tuple(p for phrases in _TOPICS.values() for p in phrases)
    return (
        _STRESS
        + _HARD
        + _DELIGHT
        + _TRIED
        + _PERSON
        + _QUESTION_PHRASES
        + _QUESTION_STARTS
        + topics
    )


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    return frozenset(word for phrase in _all_phrases() for word in words_of(phrase))


@lru_cache(maxsize=4096)
def _canonical(word: str) -> str:
    """The lexicon word a typo most likely meant, or the word itself."""
    lexicon = _lexicon()
    if word in lexicon or word in _NEVER_TYPOS or len(word) < 5 or not word.isalpha():
        return word
    same_start = [entry for entry in lexicon if entry[0] == word[0] and len(entry) >= 4]
    best = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=85)
    return best[0] if best is not None else word
