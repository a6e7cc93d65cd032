"""The quality rules behind `tend content check`: each rule is a pure function over the library."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache

from messages import vocabulary as vocab
from messages.library import Library, Message, Problem, placeholders_in

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


def check_reading_level(library: Library) -> list[Problem]:
    problems = []
    for m in library.messages:
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
)


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
