"""The quality rules behind `tend content check`: each rule is a pure function over the library."""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from messages import vocabulary as vocab
from messages.library import (
    LIBRARY_ROOT,
    NUDGE_FIELDS,
    Library,
    Message,
    Problem,
    placeholders_in,
)

_WORD = re.compile(r"\w+", re.UNICODE)

# How much the library must hold, per language. Nudges are counted per age month.
MIN_NUDGES_PER_MONTH = 45
MIN_PRENATAL = 20
MIN_BY_KIND = {"repair": 40, "calm": 30, "checkin": 20, "celebration": 15}
MIN_REPAIR_PER_MONTH = 5


def check_library(library: Library) -> list[Problem]:
    """Every rule over the whole library; an empty list means it is ready to send."""
    problems = list(library.load_problems)
    for rule in RULES:
        problems.extend(rule(library))
    return problems


def check_ids(library: Library) -> list[Problem]:
    counts = Counter((m.language, m.id) for m in library.messages)
    return [
        Problem(f"{language}/{message_id}", "ids", f"the id {message_id} is used {n} times")
        for (language, message_id), n in counts.items()
        if n > 1
    ]


def check_parity(library: Library) -> list[Problem]:
    """Every id in every language, with the same kind, ages, tags and choice keys."""
    by_id: dict[str, dict[str, Message]] = defaultdict(dict)
    for m in library.messages:
        by_id[m.id][m.language] = m
    problems = []
    for message_id, versions in sorted(by_id.items()):
        missing = [lang for lang in vocab.LANGUAGES if lang not in versions]
        if missing:
            problems.append(
                Problem(message_id, "parity", f"{message_id} has no {'/'.join(missing)} version")
            )
            continue
        first, *others = (versions[lang] for lang in vocab.LANGUAGES)
        for other in others:
            for field, a, b in (
                ("kind", first.kind, other.kind),
                ("age_months", (first.age_min, first.age_max), (other.age_min, other.age_max)),
                ("tags", sorted(first.tags), sorted(other.tags)),
                ("choice keys", [c.key for c in first.choices], [c.key for c in other.choices]),
            ):
                if a != b:
                    problems.append(
                        Problem(
                            message_id,
                            "parity",
                            f"{message_id}: {field} differ between {first.language} ({a}) "
                            f"and {other.language} ({b})",
                        )
                    )
    return problems


def check_tags(library: Library) -> list[Problem]:
    problems = []
    for m in library.messages:
        unknown = sorted(m.tags - vocab.ALL_TAGS)
        if unknown:
            problems.append(
                Problem(_where(m), "tags", f"unknown tags {unknown} (see messages/vocabulary.py)")
            )
        if not m.tags & vocab.PRACTICE_TAGS:
            problems.append(Problem(_where(m), "tags", "needs a practice: tag"))
    return problems


def check_placeholders(library: Library) -> list[Problem]:
    return [
        Problem(_where(m), "placeholders", f"unknown placeholder {{{name}}}; use {{child}}")
        for m in library.messages
        for name in placeholders_in(m.text)
        if name not in vocab.PLACEHOLDERS
    ]


def check_choices(library: Library) -> list[Problem]:
    problems = []
    for m in library.messages:
        if m.kind == "checkin" and not 2 <= len(m.choices) <= 4:
            problems.append(Problem(_where(m), "choices", "a check-in needs 2 to 4 choices"))
        if m.kind != "checkin" and m.choices:
            problems.append(Problem(_where(m), "choices", "only check-ins have choices"))
        for choice in m.choices:
            if choice.key not in vocab.CHOICE_KEYS:
                problems.append(
                    Problem(
                        _where(m),
                        "choices",
                        f"choice key {choice.key!r} is not one of {vocab.CHOICE_KEYS}",
                    )
                )
            if len(choice.label) > 24:
                problems.append(
                    Problem(
                        _where(m), "choices", f"the button {choice.label!r} is over 24 characters"
                    )
                )
    return problems


def check_lengths(library: Library) -> list[Problem]:
    """Fits on one phone screen even with a long name filled in."""
    problems = []
    for m in library.messages:
        length = len(m.render(vocab.LONGEST_TEST_NAME, max(m.age_min, 0)))
        limit = vocab.MAX_LENGTH[m.kind]
        if length > limit:
            problems.append(
                Problem(
                    _where(m),
                    "length",
                    f"is {length} characters with a long name; a {m.kind} may have {limit}",
                )
            )
    return problems


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”»)]?\s+")
_SENTENCE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|\{\w+\}")


def longest_sentence(text: str) -> int:
    """Words in the longest sentence: an average grade hides one sentence that runs on."""
    return max((len(_SENTENCE_WORD.findall(s)) for s in _SENTENCE_BREAK.split(text)), default=0)


def check_reading_level(library: Library) -> list[Problem]:
    problems = []
    for m in library.messages:
        words = longest_sentence(m.text)
        if words > vocab.MAX_SENTENCE_WORDS:
            problems.append(
                Problem(
                    _where(m),
                    "reading-level",
                    f"has a sentence of {words} words; keep each under "
                    f"{vocab.MAX_SENTENCE_WORDS + 1} (split it in two)",
                )
            )
        score = reading_score(m.language, m.render("Ana", max(m.age_min, 0)))
        if m.language == "en" and score > vocab.MAX_ENGLISH_GRADE:
            problems.append(
                Problem(
                    _where(m),
                    "reading-level",
                    f"reads at grade {score:.1f}; aim for {vocab.MAX_ENGLISH_GRADE:g} or below "
                    "(shorter sentences, shorter words)",
                )
            )
        if m.language == "es" and score < vocab.MIN_SPANISH_EASE:
            problems.append(
                Problem(
                    _where(m),
                    "reading-level",
                    f"Fernández-Huerta ease {score:.0f}; aim for {vocab.MIN_SPANISH_EASE:g} or "
                    "above (frases más cortas, palabras más sencillas)",
                )
            )
    return problems


def check_near_duplicates(library: Library) -> list[Problem]:
    """No two messages in a language that say nearly the same thing in nearly the same words."""
    problems = []
    for language in vocab.LANGUAGES:
        for a, b, ratio, differing in near_duplicate_pairs(list(library.in_language(language))):
            problems.append(
                Problem(
                    f"{language}/{a.id}",
                    "near-duplicate",
                    f"{a.id} and {b.id} are too alike ({ratio:.0%} the same words in order, "
                    f"{differing} words apart)",
                )
            )
    return problems


def check_coverage(library: Library) -> list[Problem]:
    """Enough to send: nudges for every month, and each other kind in number."""
    problems = []
    for language in vocab.LANGUAGES:
        matrix = coverage_matrix(library, language)
        for month in range(0, vocab.MAX_AGE_MONTHS + 1):
            count = matrix["nudge"][month]
            if count < MIN_NUDGES_PER_MONTH:
                problems.append(
                    Problem(
                        f"{language} month {month}",
                        "coverage",
                        f"only {count} nudges fit a {month}-month-old in {language}; "
                        f"{MIN_NUDGES_PER_MONTH} are needed",
                    )
                )
            if matrix["repair"][month] < MIN_REPAIR_PER_MONTH:
                problems.append(
                    Problem(
                        f"{language} month {month}",
                        "coverage",
                        f"only {matrix['repair'][month]} repair tips fit a {month}-month-old in "
                        f"{language}; {MIN_REPAIR_PER_MONTH} are needed",
                    )
                )
        messages = list(library.in_language(language))
        prenatal = sum(1 for m in messages if m.kind == "nudge" and m.age_max < 0)
        if prenatal < MIN_PRENATAL:
            problems.append(
                Problem(language, "coverage", f"{prenatal} prenatal nudges; {MIN_PRENATAL} needed")
            )
        for kind, needed in MIN_BY_KIND.items():
            have = sum(1 for m in messages if m.kind == kind)
            if have < needed:
                problems.append(
                    Problem(language, "coverage", f"{have} {kind} messages; {needed} needed")
                )
    return problems


def coverage_matrix(library: Library, language: str) -> dict[str, Counter[int]]:
    """kind -> age month -> how many messages of that kind fit a child of that age."""
    matrix: dict[str, Counter[int]] = {kind: Counter() for kind in vocab.KINDS}
    for m in library.in_language(language):
        for month in range(m.age_min, m.age_max + 1):
            matrix[m.kind][month] += 1
    return matrix


def near_duplicate_pairs(
    messages: Iterable[Message],
) -> list[tuple[Message, Message, float, int]]:
    """Pairs whose word sequences match at least NEAR_DUPLICATE_RATIO, or differ by few words."""
    items = [(m, tuple(words), Counter(words)) for m in messages for words in [_words(m.text)]]
    pairs = []
    for i, (a, words_a, bag_a) in enumerate(items):
        for b, words_b, bag_b in items[i + 1 :]:
            # Words in common, ignoring order, bound both measures from above: most pairs
            # are ruled out here without the costlier alignment.
            shared = sum((bag_a & bag_b).values())
            longest = max(len(words_a), len(words_b))
            best_ratio = 2 * shared / max(1, len(words_a) + len(words_b))
            if (
                best_ratio < vocab.NEAR_DUPLICATE_RATIO
                and longest - shared >= vocab.MIN_WORD_DIFFERENCE
            ):
                continue
            matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
            ratio = matcher.ratio()
            differing = _words_apart(matcher, words_a, words_b)
            if ratio >= vocab.NEAR_DUPLICATE_RATIO or differing < vocab.MIN_WORD_DIFFERENCE:
                pairs.append((a, b, ratio, differing))
    return pairs


def _words_apart(
    matcher: difflib.SequenceMatcher[str], a: tuple[str, ...], b: tuple[str, ...]
) -> int:
    same = sum(block.size for block in matcher.get_matching_blocks())
    return max(len(a), len(b)) - same


@lru_cache(maxsize=4096)
def reading_score(language: str, text: str) -> float:
    """Flesch-Kincaid grade for English; Fernández-Huerta ease for Spanish."""
    import textstat

    textstat.set_lang(language)
    if language == "es":
        return float(textstat.fernandez_huerta(text))
    return float(textstat.flesch_kincaid_grade(text))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _where(m: Message) -> str:
    return f"{m.language}/{m.id}"


# --- the checks that measure what matters ----------------------------------------------------
#
# The rules below read their tables from YAML files next to this one, so a reviewer can read
# (and a writer can argue with) every word list: safety_rules.yaml, milestones.yaml,
# spanish_register.yaml, content_words.yaml.

_FLAGS = re.IGNORECASE | re.UNICODE


def _table(name: str) -> Any:
    return yaml.safe_load((LIBRARY_ROOT / name).read_text(encoding="utf-8"))


def _patterns(raw: object) -> tuple[re.Pattern[str], ...]:
    if not raw:
        return ()
    assert isinstance(raw, list), raw
    return tuple(re.compile(str(p), _FLAGS) for p in raw)


def _by_language(raw: object) -> dict[str, tuple[re.Pattern[str], ...]]:
    table = raw if isinstance(raw, dict) else {}
    return {language: _patterns(table.get(language)) for language in vocab.LANGUAGES}


def _fits_before(m: Message, month: int) -> bool:
    """The message reaches a child (born) younger than `month`."""
    return m.age_min < month and m.age_max >= 0


# --- nudge fields ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+[\"”»)]?\s+(?=[\"“«¿¡(]?[A-ZÁÉÍÓÚÑ{])")


def check_nudge_fields(library: Library) -> list[Problem]:
    """Every nudge has a short title, one plain line of why, an idea key and one practice."""
    problems = []
    for m in library.messages:
        if m.kind == "nudge":
            missing = [name for name in NUDGE_FIELDS if getattr(m, name) is None]
            if missing:
                problems.append(
                    Problem(_where(m), "nudge-fields", f"a nudge needs {', '.join(missing)}")
                )
        if m.title is not None and len(m.title) > vocab.MAX_TITLE_LENGTH:
            problems.append(
                Problem(
                    _where(m),
                    "nudge-fields",
                    f"the title is {len(m.title)} characters; at most {vocab.MAX_TITLE_LENGTH}",
                )
            )
        if m.why is not None:
            problems.extend(_why_problems(m, m.why))
    return problems


def _why_problems(m: Message, why: str) -> list[Problem]:
    problems = []
    if len(why) > vocab.MAX_WHY_LENGTH:
        problems.append(
            Problem(
                _where(m),
                "nudge-fields",
                f"the why is {len(why)} characters; at most {vocab.MAX_WHY_LENGTH}",
            )
        )
    if _SENTENCE_END.search(why):
        problems.append(Problem(_where(m), "nudge-fields", "the why must be one sentence"))
    lowered = why.lower()
    jargon = [w for w in vocab.WHY_JARGON[m.language] if w in lowered]
    if jargon:
        problems.append(
            Problem(_where(m), "nudge-fields", f"the why uses jargon ({', '.join(jargon)})")
        )
    return problems


# --- safety rules by age and topic ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SafetyRule:
    """One row of safety_rules.yaml, compiled."""

    rule: str
    says: str
    under_months: int
    kinds: frozenset[str]
    tags: frozenset[str]
    triggers: dict[str, tuple[re.Pattern[str], ...]]
    allowed: dict[str, tuple[re.Pattern[str], ...]]
    requires: tuple[tuple[str, dict[str, tuple[re.Pattern[str], ...]]], ...]
    forbids: bool

    def applies_to(self, m: Message) -> bool:
        return m.kind in self.kinds and _fits_before(m, self.under_months)

    def triggered_by(self, m: Message) -> list[str]:
        """What in the message calls for this rule: a tag, or the words that matched."""
        text = m.text
        for pattern in self.allowed[m.language]:
            text = pattern.sub(" ", text)
        found = sorted(self.tags & m.tags)
        for pattern in self.triggers[m.language]:
            match = pattern.search(text)
            if match:
                found.append(repr(match.group(0)))
        return found

    def present(self, m: Message) -> frozenset[str]:
        """Which of the required groups the message names."""
        return frozenset(
            name
            for name, patterns in self.requires
            if any(p.search(m.text) for p in patterns[m.language])
        )


@lru_cache(maxsize=1)
def safety_rules() -> tuple[SafetyRule, ...]:
    rules = []
    for raw in _table("safety_rules.yaml"):
        rules.append(
            SafetyRule(
                rule=str(raw["rule"]),
                says=str(raw["says"]),
                under_months=int(raw["under_months"]),
                kinds=frozenset(raw["kinds"]),
                tags=frozenset(raw.get("tags") or ()),
                triggers=_by_language(raw.get("triggers")),
                allowed=_by_language(raw.get("allowed")),
                requires=tuple(
                    (str(name), _by_language(table))
                    for name, table in (raw.get("requires") or {}).items()
                ),
                forbids=bool(raw.get("forbids", False)),
            )
        )
    return tuple(rules)


def check_safety(library: Library) -> list[Problem]:
    """Sleep, bath, small objects and screens: what a message for a young child must say."""
    problems = []
    for m in library.messages:
        for rule in safety_rules():
            if not rule.applies_to(m):
                continue
            because = rule.triggered_by(m)
            if not because:
                continue
            if rule.forbids:
                problems.append(
                    Problem(
                        _where(m),
                        "safety",
                        f"{rule.rule}: {rule.says} (found {', '.join(because)})",
                    )
                )
                continue
            missing = [name for name, _ in rule.requires if name not in rule.present(m)]
            if missing:
                problems.append(
                    Problem(
                        _where(m),
                        "safety",
                        f"{rule.rule}: {rule.says}; it does not name {' or '.join(missing)} "
                        f"(because of {', '.join(because)})",
                    )
                )
    return problems


# --- age of skills --------------------------------------------------------------------------

_EN_SUBJECT = (
    r"(?<!\w)(?:\{child\}|\{Child\}|they|he|she|your (?:baby|child|little one|toddler))\s+"
    r"(?:(?:may|might|can|could|will|would|often|now|also|just|even|soon|probably|already|"
    r"start|starts|begin|begins|try|tries|like|likes|love|loves|want|wants|get|gets|learn|"
    r"learns|to|not|never)\s+){0,3}"
)
_EN_ASKED = (
    r"(?<!\w)(?:ask|invite|let|help|encourage|watch|see if|wait for|show|get|teach)\s+"
    r"(?:\{child\}|them|him|her)\s+(?:(?:how\s+)?to\s+)?"
)
_ES_SUBJECT = (
    r"(?<!\w)(?:\{child\}|\{Child\}|tu (?:bebé|peque|hij[oa]|niñ[oa])|si|cuando|que|quizás?|"
    r"tal vez|a lo mejor|mientras)\s+"
    r"(?:(?:ya|pronto|también|solo|sólo|incluso|hasta|puede|podría|pueda|quiera|quiere|intenta|"
    r"intente|trata de|trate de|empieza a|empiece a|comienza a|comience a|va a|vaya a|suele|"
    r"le gusta|aprende a|aprenda a|te|lo|la|los|las|se|no|otra vez)\s+){0,3}"
)
_ES_ASKED = (
    r"(?<!\w)(?:pídele(?: a \{child\})? que|invita a \{child\} a|invítal[oae] a|déjal[oae]|"
    r"deja que(?: \{child\})?|deja a \{child\}|anima a \{child\} a|anímal[oae] a|ayúdal[oae] a|"
    r"ayuda a \{child\} a|espera (?:a )?que|mira si|a ver si|enséñale a)\s+"
)
_LOOKING_AHEAD = {
    "en": re.compile(
        r"\b(?:later|in the months ahead|in a few months|one day|someday|some day|soon|"
        r"before long|over time|in time|months from now|by (?:their|the) (?:first|second) "
        r"birthday)\b",
        _FLAGS,
    ),
    "es": re.compile(
        r"\b(?:más adelante|algún día|pronto|con el tiempo|en unos meses|en los próximos meses|"
        r"dentro de unos meses|poco a poco)\b",
        _FLAGS,
    ),
}
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True, slots=True)
class Skill:
    """One row of milestones.yaml, compiled: a skill and the age most children have it."""

    skill: str
    month: int
    patterns: dict[str, tuple[re.Pattern[str], ...]]


@lru_cache(maxsize=1)
def skills() -> tuple[Skill, ...]:
    found = []
    for raw in _table("milestones.yaml"):
        patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
        for language, subject, asked in (
            ("en", _EN_SUBJECT, _EN_ASKED),
            ("es", _ES_SUBJECT, _ES_ASKED),
        ):
            verbs = "|".join((raw.get("verbs") or {}).get(language) or ())
            compiled = [re.compile(rf"(?:{subject}|{asked})(?:{verbs})\b", _FLAGS)] if verbs else []
            compiled.extend(_patterns((raw.get("any") or {}).get(language)))
            patterns[language] = tuple(compiled)
        found.append(Skill(str(raw["skill"]), int(raw["month"]), patterns))
    return tuple(found)


def skills_asked(m: Message) -> list[tuple[Skill, str]]:
    """The skills a message asks of the child, with the words that ask it."""
    found = []
    sentences = [s for s in _SENTENCE.split(m.text) if not _LOOKING_AHEAD[m.language].search(s)]
    for skill in skills():
        if not _fits_before(m, skill.month):
            continue
        for sentence in sentences:
            match = next((x for p in skill.patterns[m.language] if (x := p.search(sentence))), None)
            if match:
                found.append((skill, match.group(0)))
                break
    return found


def check_skill_ages(library: Library) -> list[Problem]:
    """No message asks a child for a skill before the age most children have it."""
    return [
        Problem(
            _where(m),
            "skill-age",
            f"asks for {skill.skill} ({words!r}) from {m.age_min} months; most children do "
            f"it by {skill.month} months (messages/milestones.yaml)",
        )
        for m in library.messages
        for skill, words in skills_asked(m)
    ]


# --- repeated ideas, and the same meaning in every language -----------------------------------


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    table = _table("content_words.yaml")
    return {language: frozenset(str(w) for w in table[language]) for language in vocab.LANGUAGES}


_EN_ENDINGS = ("'s", "ing", "ies", "ed", "es", "s", "y")
_ES_ENDINGS = (
    "ando",
    "iendo",
    "ción",
    "ciones",
    "mente",
    "itos",
    "itas",
    "ito",
    "ita",
    "es",
    "as",
    "os",
    "a",
    "o",
    "e",
    "s",
)


def _stem(word: str, language: str) -> str:
    word = word.strip("'’")
    for ending in _EN_ENDINGS if language == "en" else _ES_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def content_words(text: str, language: str) -> frozenset[str]:
    """The words that carry a message's idea, cut to rough stems."""
    stop = _stopwords()[language]
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.sub(r"\{\w+\}", " ", text.lower()))
    return frozenset(_stem(w, language) for w in words if w not in stop and len(w) > 2)


def idea_words(m: Message) -> frozenset[str]:
    """A nudge's content-word stems, plus its moment: and topic: tags."""
    tags = {t for t in m.tags if not t.startswith("practice:")}
    return content_words(m.text, m.language) | tags


def weighted_jaccard(a: frozenset[str], b: frozenset[str], weight: dict[str, float]) -> float:
    """Jaccard similarity with each word weighted by how rare it is: shared rare words count."""
    union = sum(weight.get(w, 0.0) for w in a | b)
    return sum(weight.get(w, 0.0) for w in a & b) / union if union else 0.0


def idea_repeats(messages: Iterable[Message]) -> list[tuple[Message, Message, float]]:
    """Nudge pairs of overlapping ages that say the same idea under different idea keys.

    The measure: idf-weighted Jaccard similarity of `idea_words`, where a word's weight is
    log(1 + N / n), N the nudges compared and n those that use the word, so "book" and
    "bedtime" weigh more than "hand". Pairs at IDEA_SIMILARITY or above are repeats.
    """
    nudges = [(m, idea_words(m)) for m in messages if m.kind == "nudge"]
    used = Counter(w for _, words in nudges for w in words)
    weight = {w: math.log(1 + len(nudges) / n) for w, n in used.items()}
    pairs = []
    for i, (a, words_a) in enumerate(nudges):
        for b, words_b in nudges[i + 1 :]:
            if a.idea_key == b.idea_key or a.age_max < b.age_min or b.age_max < a.age_min:
                continue
            similarity = weighted_jaccard(words_a, words_b, weight)
            if similarity >= vocab.IDEA_SIMILARITY:
                pairs.append((a, b, similarity))
    return pairs


def check_idea_repeats(library: Library) -> list[Problem]:
    """The same idea twice in a language shares an idea key, so it is not sent twice in 14 days."""
    problems = []
    for language in vocab.LANGUAGES:
        for a, b, similarity in idea_repeats(library.in_language(language)):
            problems.append(
                Problem(
                    f"{language}/{a.id}",
                    "idea-repeat",
                    f"{a.id} and {b.id} say much the same (similarity {similarity:.2f}, ages "
                    f"overlap): give them one idea key, or make them differ",
                )
            )
    return problems


def check_meaning_parity(library: Library) -> list[Problem]:
    """Every language says the same thing: same idea, same practice, same safety words."""
    by_id: dict[str, dict[str, Message]] = defaultdict(dict)
    for m in library.messages:
        by_id[m.id][m.language] = m
    problems = []
    for message_id, versions in sorted(by_id.items()):
        if len(versions) < len(vocab.LANGUAGES):
            continue  # check_parity reports the missing translation
        first, *others = (versions[lang] for lang in vocab.LANGUAGES)
        for other in others:
            for name in ("idea", "practice"):
                a, b = getattr(first, name), getattr(other, name)
                if a != b:
                    problems.append(
                        Problem(
                            message_id,
                            "parity",
                            f"{message_id}: {name} differs between {first.language} ({a}) and "
                            f"{other.language} ({b})",
                        )
                    )
            for rule in safety_rules():
                if not rule.applies_to(first):
                    continue
                if rule.forbids:
                    said = {m.language: bool(rule.triggered_by(m)) for m in (first, other)}
                    if said[first.language] != said[other.language]:
                        problems.append(
                            Problem(
                                message_id,
                                "parity",
                                f"{message_id}: {rule.rule} words appear in only one language",
                            )
                        )
                    continue
                if not (rule.triggered_by(first) or rule.triggered_by(other)):
                    continue
                named = {m.language: rule.present(m) for m in (first, other)}
                if named[first.language] != named[other.language]:
                    problems.append(
                        Problem(
                            message_id,
                            "parity",
                            f"{message_id}: safety words for {rule.rule} differ: "
                            + "; ".join(
                                f"{lang} names {', '.join(sorted(n)) or 'none'}"
                                for lang, n in named.items()
                            ),
                        )
                    )
    return problems


# --- Spanish register -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterRule:
    family: str
    pattern: re.Pattern[str]
    say: str
    # A sentence that also matches `unless` is fine ("cada familia ... su peque" is not usted).
    unless: re.Pattern[str] | None = None


def _register_rule(family: str, row: dict[str, Any]) -> RegisterRule:
    flags = re.UNICODE if row.get("case") == "sensitive" else _FLAGS
    unless = row.get("unless")
    return RegisterRule(
        family,
        re.compile(str(row["pattern"]), flags),
        str(row["say"]),
        re.compile(str(unless), _FLAGS) if unless else None,
    )


@lru_cache(maxsize=1)
def register_rules() -> tuple[RegisterRule, ...]:
    table = _table("spanish_register.yaml")
    rules = [
        _register_rule(family, row)
        for family in ("calques", "spain_only", "leismo", "usted", "voice")
        for row in table[family]
    ]
    for row in table["one_word"]:
        for avoid in row["avoid"]:
            rules.append(
                RegisterRule(
                    "one-word",
                    re.compile(str(avoid), _FLAGS),
                    f'one word per object: for {row["object"]} write "{row["use"]}"',
                )
            )
    return tuple(rules)


@lru_cache(maxsize=1)
def _quote_marks() -> tuple[str, tuple[str, ...]]:
    quotes = _table("spanish_register.yaml")["quotes"]
    return str(quotes["use"]), tuple(str(q) for q in quotes["avoid"])


def register_findings(text: str) -> list[str]:
    """What in a Spanish text breaks the one Spanish voice."""
    found = []
    for rule in register_rules():
        unless = rule.unless
        pieces = _SENTENCE.split(text) if unless else [text]
        for piece in pieces:
            match = rule.pattern.search(piece)
            if match and not (unless and unless.search(piece)):
                found.append(f"{match.group(0).strip()!r}: {rule.say}")
                break
    return found


def quote_findings(text: str) -> list[str]:
    use, avoid = _quote_marks()
    marks = [mark for mark in avoid if mark in text]
    found = [f"uses {' '.join(marks)}; quote with {use}…{use}"] if marks else []
    if text.count(use) % 2:
        found.append(f"has an odd number of {use}: a quote is not closed")
    return found


def check_spanish_register(library: Library) -> list[Problem]:
    """Neutral Latin American Spanish, tú, no calques or leísmo."""
    return [
        Problem(_where(m), "spanish-register", finding)
        for m in library.in_language("es")
        for text in (m.text, m.title or "", m.why or "")
        for finding in register_findings(text)
    ]


def check_quotes(library: Library) -> list[Problem]:
    """One quote style in both languages: straight double quotes."""
    return [
        Problem(_where(m), "quotes", finding)
        for m in library.messages
        for text in (m.text, m.title or "", m.why or "")
        for finding in quote_findings(text)
    ]


# --- promises the bot keeps -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _promises() -> tuple[
    dict[str, tuple[re.Pattern[str], ...]], dict[str, tuple[re.Pattern[str], ...]]
]:
    table = _table("promises.yaml")
    return _by_language(table.get("texts")), _by_language(table.get("skip_labels"))


def promise_findings(text: str, language: str) -> list[str]:
    texts, _ = _promises()
    return [
        f"{match.group(0)!r} promises what the bot does not do (nobody reads the replies)"
        for pattern in texts[language]
        if (match := pattern.search(text))
    ]


def check_promises(library: Library) -> list[Problem]:
    """Say only what the bot does: nobody reads replies; `skip` means fewer days, not a pause."""
    _, skip_labels = _promises()
    problems = [
        Problem(_where(m), "promises", finding)
        for m in library.messages
        for finding in promise_findings(m.text, m.language)
    ]
    for m in library.messages:
        for choice in m.choices:
            if choice.key != "skip":
                continue
            match = next(
                (x for p in skip_labels[m.language] if (x := p.search(choice.label))), None
            )
            if match:
                problems.append(
                    Problem(
                        _where(m),
                        "promises",
                        f"the button {choice.label!r} says {match.group(0)!r}, but skip moves the "
                        "parent to three days a week: say fewer messages",
                    )
                )
    return problems


# --- balance --------------------------------------------------------------------------------

READING_TAGS = frozenset({"topic:reading", "moment:reading"})


def balance_matrix(library: Library, language: str) -> dict[str, Counter[int]]:
    """row -> age month -> nudges that fit: reading, each practice, each moment tag."""
    matrix: dict[str, Counter[int]] = defaultdict(Counter)
    for m in library.in_language(language):
        if m.kind != "nudge":
            continue
        rows = [f"practice {m.practice}"] if m.practice else ["practice (none)"]
        rows.extend(sorted(t for t in m.tags if t in vocab.MOMENT_TAGS or t in vocab.TOPIC_TAGS))
        if m.tags & READING_TAGS:
            rows.append("reading")
        for month in range(m.age_min, m.age_max + 1):
            for row in rows:
                matrix[row][month] += 1
    return matrix


def reading_per_month(library: Library, language: str) -> list[int]:
    return [
        balance_matrix(library, language)["reading"][m] for m in range(vocab.MAX_AGE_MONTHS + 1)
    ]


def check_balance(library: Library) -> list[Problem]:
    """Reading at every age, every practice and a spread of moments each month, every topic."""
    problems = []
    months = range(0, vocab.MAX_AGE_MONTHS + 1)
    for language in vocab.LANGUAGES:
        matrix = balance_matrix(library, language)
        for row, minimum, what in [
            ("reading", vocab.MIN_READING_PER_MONTH, "shared-reading nudges"),
            *(
                (f"practice {p}", vocab.MIN_PRACTICE_PER_MONTH, f"nudges with practice {p}")
                for p in vocab.NUDGE_PRACTICES
            ),
        ]:
            short = [month for month in months if matrix[row][month] < minimum]
            if short:
                problems.append(
                    Problem(
                        f"{language} {row}",
                        "balance",
                        f"fewer than {minimum} {what} in {len(short)} age months "
                        f"({_spans(short)}; fewest {min(matrix[row][m] for m in short)})",
                    )
                )
        moments = {month: sum(1 for t in vocab.MOMENT_TAGS if matrix[t][month]) for month in months}
        short = [month for month in months if moments[month] < vocab.MIN_MOMENTS_PER_MONTH]
        if short:
            problems.append(
                Problem(
                    f"{language} moments",
                    "balance",
                    f"nudges cover fewer than {vocab.MIN_MOMENTS_PER_MONTH} moments of the day "
                    f"in age months {_spans(short)}",
                )
            )
        topics = Counter(t for m in library.in_language(language) for t in m.tags)
        for topic in sorted(vocab.TOPIC_TAGS):
            if topics[topic] < vocab.MIN_TOPIC_MESSAGES:
                problems.append(
                    Problem(
                        f"{language} {topic}",
                        "balance",
                        f"{topics[topic]} messages on {topic}; {vocab.MIN_TOPIC_MESSAGES} needed",
                    )
                )
    return problems


def _spans(months: list[int]) -> str:
    spans: list[list[int]] = []
    for month in months:
        if spans and spans[-1][1] == month - 1:
            spans[-1][1] = month
        else:
            spans.append([month, month])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


# --- the bot's own texts ----------------------------------------------------------------------

BOT_TEXTS = LIBRARY_ROOT.parent / "bot" / "texts"


def button_keys(views: Path = LIBRARY_ROOT.parent / "bot" / "views.py") -> frozenset[str]:
    """Text keys the bot puts on buttons: every text(language, "key") in a *_buttons function."""
    if not views.exists():
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(ast.parse(views.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_buttons"):
            # text(language, "settings_cadence", value=text(language, ...)): the inner text
            # is a value on a button, not a button's own words.
            inner = {
                id(k.value) for c in ast.walk(node) if isinstance(c, ast.Call) for k in c.keywords
            }
            for call in ast.walk(node):
                if (
                    id(call) not in inner
                    and isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id == "text"
                    and len(call.args) >= 2
                ):
                    key = call.args[1]
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        found.add(key.value)
                    elif isinstance(key, ast.JoinedStr):
                        found.add(_f_string_pattern(key))
    return frozenset(found)


def _f_string_pattern(node: ast.JoinedStr) -> str:
    """f"btn_{key}" -> "btn_*": a glob the key is matched against."""
    return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)  # type: ignore[misc]


def check_bot_texts(
    texts: Path = BOT_TEXTS, buttons: frozenset[str] | None = None
) -> list[Problem]:
    """What the bot says around the library: same keys and blanks, short buttons, one voice."""
    import fnmatch
    import string

    buttons = button_keys() if buttons is None else buttons
    tables: dict[str, dict[str, str]] = {}
    problems = []
    for language in vocab.LANGUAGES:
        path = texts / f"{language}.yaml"
        where = f"bot/texts/{language}.yaml"
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(Problem(where, "bot-texts", f"cannot be read ({exc})"))
            continue
        tables[language] = {str(k): str(v) for k, v in (loaded or {}).items()}
    if len(tables) < len(vocab.LANGUAGES):
        return problems
    first, *others = vocab.LANGUAGES
    for other in others:
        for key in sorted(tables[first].keys() ^ tables[other].keys()):
            lacking = other if key in tables[first] else first
            problems.append(
                Problem(f"bot/texts/{lacking}.yaml {key}", "bot-texts", f"{key} is missing")
            )

    def blanks(template: str) -> set[str] | None:
        try:
            return {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}
        except ValueError:
            return None

    for language, table in tables.items():
        for key, template in table.items():
            where = f"bot/texts/{language}.yaml {key}"
            names = blanks(template)
            if names is None:
                problems.append(Problem(where, "bot-texts", "has a stray { or }"))
                continue
            if language != first and key in tables[first]:
                theirs = blanks(tables[first][key]) or set()
                if names != theirs:
                    problems.append(
                        Problem(
                            where,
                            "bot-texts",
                            f"placeholders {sorted(names)} differ from {first} {sorted(theirs)}",
                        )
                    )
            fixed = re.sub(r"\{[^{}]*\}", "", template)
            is_button = any(fnmatch.fnmatchcase(key, b) for b in buttons)
            limit = vocab.MAX_BUTTON_LENGTH if is_button else vocab.MAX_BOT_TEXT_LENGTH
            if len(fixed) > limit:
                problems.append(
                    Problem(
                        where,
                        "bot-texts",
                        f"is {len(fixed)} characters; a {'button' if is_button else 'text'} "
                        f"may have {limit}",
                    )
                )
            for finding in quote_findings(template):
                problems.append(Problem(where, "quotes", finding))
            for finding in promise_findings(template, language):
                problems.append(Problem(where, "promises", finding))
            if language == "es":
                for finding in register_findings(template):
                    problems.append(Problem(where, "spanish-register", finding))
    return problems


def check_everything(library: Library, texts: Path = BOT_TEXTS) -> list[Problem]:
    """What `tend content check` runs: the library's rules and the bot's own texts."""
    return check_library(library) + check_bot_texts(texts)


RULES: tuple[Callable[[Library], list[Problem]], ...] = (
    check_ids,
    check_parity,
    check_tags,
    check_placeholders,
    check_choices,
    check_lengths,
    check_reading_level,
    check_near_duplicates,
    check_coverage,
    check_nudge_fields,
    check_safety,
    check_skill_ages,
    check_idea_repeats,
    check_meaning_parity,
    check_spanish_register,
    check_quotes,
    check_promises,
    check_balance,
)
