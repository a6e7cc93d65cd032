"""The quality rules behind `tend content check`, one broken message per rule."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

import pytest

from messages import checks
from messages import vocabulary as vocab
from messages.checks import (
    check_choices,
    check_coverage,
    check_ids,
    check_lengths,
    check_library,
    check_near_duplicates,
    check_parity,
    check_placeholders,
    check_reading_level,
    check_tags,
    near_duplicate_pairs,
)
from messages.library import Choice, Library, Message, Problem, load_library

TWO_CHOICES = (Choice("good", "Pretty good"), Choice("hard", "Hard"))


def msg(
    message_id: str,
    text: str,
    *,
    language: str = "en",
    kind: str = "nudge",
    ages: tuple[int, int] = (0, 59),
    tags: Iterable[str] = ("practice:look",),
    choices: tuple[Choice, ...] = (),
) -> Message:
    return Message(
        message_id, language, kind, ages[0], ages[1], frozenset(tags), text, tuple(choices)
    )


# One message of each kind in both languages: easy to read, short, distinct, well tagged.
CLEAN_TEXTS = {
    "nudge-sing": (
        "nudge",
        ("practice:faces-voices", "moment:songs"),
        "Sing a song to {child}. Clap your hands. See what {child} does.",
        "Canta una canción con {child}. Da palmas. Mira qué hace.",
    ),
    "nudge-peek": (
        "nudge",
        ("practice:take-turns", "moment:play"),
        "Hide your face with your hands. Then peek out and say boo. Wait for a smile.",
        "Tapa tu cara con las manos. Luego asoma y di cucú. Espera una sonrisa.",
    ),
    "repair-say-sorry": (
        "repair",
        ("practice:repair", "topic:yelling"),
        "You got loud. That is okay. Go back, get down low, and say sorry. A hug can help you.",
        "Alzaste la voz. Pasa. Vuelve, baja a su altura y pide perdón. Un abrazo ayuda.",
    ),
    "calm-breathe": (
        "calm",
        ("practice:calm-body",),
        "Take three slow breaths. Feel your feet on the floor. You are doing fine.",
        "Respira tres veces, despacio. Siente tus pies en el piso. Lo haces bien.",
    ),
    "checkin-how": (
        "checkin",
        ("practice:reflect",),
        "How are you today?",
        "¿Cómo estás hoy?",
    ),
    "celebration-well-done": (
        "celebration",
        ("practice:notice-wins",),
        "You tried it three times this week. That is a big deal. Well done.",
        "Lo intentaste tres veces esta semana. Es mucho. Bien hecho.",
    ),
}


def clean_messages() -> list[Message]:
    found = []
    for message_id, (kind, tags, english, spanish) in CLEAN_TEXTS.items():
        for language, text in (("en", english), ("es", spanish)):
            choices = TWO_CHOICES if kind == "checkin" else ()
            found.append(
                msg(message_id, text, language=language, kind=kind, tags=tags, choices=choices)
            )
    return found


def with_extra(*extra: Message) -> Library:
    return Library((*clean_messages(), *extra))


def replaced(message_id: str, language: str, **changes: object) -> Library:
    """The clean library with one message changed in one language."""
    return Library(
        tuple(
            dataclasses.replace(m, **changes)  # type: ignore[arg-type]
            if (m.id, m.language) == (message_id, language)
            else m
            for m in clean_messages()
        )
    )


def rules_of(problems: list[Problem]) -> set[str]:
    return {p.rule for p in problems}


# --- a clean library ------------------------------------------------------------------------


def test_a_clean_library_passes_every_rule_but_coverage() -> None:
    problems = check_library(Library(tuple(clean_messages())))
    assert problems, "six messages cannot cover every month"
    assert rules_of(problems) == {"coverage"}


@pytest.mark.parametrize("rule", [r for r in checks.RULES if r is not check_coverage])
def test_each_rule_on_its_own_finds_nothing_in_the_clean_library(rule: object) -> None:
    assert callable(rule)
    assert rule(Library(tuple(clean_messages()))) == []


def test_check_library_reports_load_problems_first() -> None:
    load_problem = Problem("en/nudge.yaml", "yaml", "is not valid YAML")
    library = Library(tuple(clean_messages()), (load_problem,))
    assert check_library(library)[0] == load_problem


# --- ids and parity -------------------------------------------------------------------------


def test_an_id_used_twice_in_one_language_is_reported() -> None:
    library = with_extra(msg("nudge-sing", "Hum a tune while you cook dinner tonight."))
    problems = check_ids(library)
    assert [str(p) for p in problems] == ["en/nudge-sing: the id nudge-sing is used 2 times"]


def test_a_message_without_its_translation_is_reported() -> None:
    library = with_extra(msg("nudge-wave", "Wave bye-bye at the door and wait for a wave back."))
    problems = check_parity(library)
    assert [p.detail for p in problems] == ["nudge-wave has no es version"]


@pytest.mark.parametrize(
    ("message_id", "changes", "field"),
    [
        ("nudge-sing", {"kind": "calm"}, "kind"),
        ("nudge-sing", {"age_min": 6}, "age_months"),
        ("nudge-sing", {"tags": frozenset({"practice:faces-voices"})}, "tags"),
        (
            "checkin-how",
            {"choices": (Choice("good", "Bien"), Choice("tired", "Cansada"))},
            "choice keys",
        ),
    ],
)
def test_a_translation_that_differs_in_kind_ages_tags_or_choice_keys_is_reported(
    message_id: str, changes: dict[str, object], field: str
) -> None:
    problems = check_parity(replaced(message_id, "es", **changes))
    assert len(problems) == 1
    assert problems[0].rule == "parity"
    assert problems[0].detail.startswith(f"{message_id}: {field} differ between en")


def test_different_button_labels_across_languages_are_expected() -> None:
    # Labels are translated; only the keys must match.
    assert check_parity(Library(tuple(clean_messages()))) == []


# --- tags and placeholders ------------------------------------------------------------------


def test_an_unknown_tag_is_reported() -> None:
    problems = check_tags(
        replaced("nudge-sing", "en", tags=frozenset({"practice:look", "topic:potty"}))
    )
    assert [str(p) for p in problems] == [
        "en/nudge-sing: unknown tags ['topic:potty'] (see messages/vocabulary.py)"
    ]


def test_a_message_without_a_practice_tag_is_reported() -> None:
    problems = check_tags(replaced("nudge-sing", "es", tags=frozenset({"moment:songs"})))
    assert [str(p) for p in problems] == ["es/nudge-sing: needs a practice: tag"]


@pytest.mark.parametrize("placeholder", ["name", "baby", " child ", "CHILD"])
def test_an_unknown_placeholder_is_reported(placeholder: str) -> None:
    text = "Sing a song to {" + placeholder + "}. Clap your hands."
    problems = check_placeholders(replaced("nudge-sing", "en", text=text))
    assert len(problems) == 1
    assert problems[0].detail == f"unknown placeholder {{{placeholder}}}; use {{child}}"


def test_child_and_capitalised_child_are_the_known_placeholders() -> None:
    text = "{Child} smiles. Smile back at {child}."
    assert check_placeholders(replaced("nudge-sing", "en", text=text)) == []


# --- check-in choices --------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 5])
def test_a_check_in_needs_two_to_four_choices(count: int) -> None:
    choices = tuple(Choice(key, key) for key in vocab.CHOICE_KEYS[:count])
    problems = check_choices(replaced("checkin-how", "en", choices=choices))
    assert [p.detail for p in problems] == ["a check-in needs 2 to 4 choices"]


def test_four_choices_are_fine() -> None:
    choices = tuple(Choice(key, key) for key in vocab.CHOICE_KEYS[:4])
    assert check_choices(replaced("checkin-how", "en", choices=choices)) == []


def test_only_check_ins_have_choices() -> None:
    problems = check_choices(replaced("nudge-sing", "en", choices=TWO_CHOICES))
    assert [p.detail for p in problems] == ["only check-ins have choices"]


def test_a_choice_key_the_bot_cannot_read_is_reported() -> None:
    choices = (Choice("good", "Good"), Choice("meh", "Meh"))
    problems = check_choices(replaced("checkin-how", "en", choices=choices))
    assert len(problems) == 1
    assert problems[0].detail.startswith("choice key 'meh' is not one of")


def test_a_button_label_over_24_characters_is_reported() -> None:
    choices = (Choice("good", "x" * 24), Choice("hard", "y" * 25))
    problems = check_choices(replaced("checkin-how", "en", choices=choices))
    assert [p.detail for p in problems] == [f"the button {'y' * 25!r} is over 24 characters"]


# --- length -----------------------------------------------------------------------------------

NAME = vocab.LONGEST_TEST_NAME  # 20 characters, 13 more than "{child}"


@pytest.mark.parametrize(("kind", "limit"), [("nudge", 320), ("repair", 450)])
def test_a_message_at_its_limit_with_the_longest_name_is_fine(kind: str, limit: int) -> None:
    text = "{child}" + "." * (limit - len(NAME))
    message = msg("nudge-long", text, kind=kind)
    assert len(message.render(NAME, 0)) == limit
    assert check_lengths(Library((message,))) == []


@pytest.mark.parametrize(("kind", "limit"), [("nudge", 320), ("repair", 450)])
def test_a_message_over_its_limit_only_once_the_long_name_is_in_is_reported(
    kind: str, limit: int
) -> None:
    text = "{child}" + "." * (limit - len(NAME) + 1)
    assert len(text) < limit  # short as written; too long for a parent with a long name
    problems = check_lengths(Library((msg("nudge-long", text, kind=kind),)))
    assert [p.detail for p in problems] == [
        f"is {limit + 1} characters with a long name; a {kind} may have {limit}"
    ]


def test_every_placeholder_counts_towards_the_length() -> None:
    text = "{Child} " * 20 + "." * 50  # 210 as written, 470 with the name filled in 20 times
    problems = check_lengths(Library((msg("nudge-names", text),)))
    assert len(problems) == 1


# --- reading level ------------------------------------------------------------------------


def test_english_above_grade_six_is_reported() -> None:
    text = (
        "Notwithstanding considerable developmental heterogeneity, caregivers frequently "
        "underestimate infants' communicative capabilities, particularly regarding "
        "intentional vocalization."
    )
    problems = check_reading_level(replaced("nudge-sing", "en", text=text))
    assert len(problems) == 1
    assert problems[0].where == "en/nudge-sing"
    assert "aim for 6 or below" in problems[0].detail


def test_spanish_below_seventy_fernandez_huerta_is_reported() -> None:
    text = (
        "No obstante la considerable heterogeneidad del desarrollo, los cuidadores "
        "frecuentemente subestiman las capacidades comunicativas intencionales de los lactantes."
    )
    problems = check_reading_level(replaced("nudge-sing", "es", text=text))
    assert len(problems) == 1
    assert problems[0].where == "es/nudge-sing"
    assert "Fernández-Huerta" in problems[0].detail


def test_each_language_is_scored_on_its_own_scale() -> None:
    # Spanish ease is "higher is easier": a score of 100 must not read as grade 100.
    assert checks.reading_score("es", "Canta con Ana. Da palmas.") > vocab.MIN_SPANISH_EASE
    assert checks.reading_score("en", "Sing with Ana. Clap your hands.") < vocab.MAX_ENGLISH_GRADE


# --- near-duplicates ---------------------------------------------------------------------

TWELVE = "one two three four five six seven eight nine ten eleven twelve"


def swap(text: str, *positions: int) -> str:
    words = text.split()
    for position in positions:
        words[position] = f"other{position}"
    return " ".join(words)


def test_two_messages_three_quarters_the_same_words_in_order_are_near_duplicates() -> None:
    a, b = msg("nudge-a", TWELVE), msg("nudge-b", swap(TWELVE, 2, 6, 10))
    [(_, _, ratio, differing)] = near_duplicate_pairs([a, b])
    assert ratio == pytest.approx(0.75)
    assert differing == 3


def test_two_messages_less_alike_and_three_or_more_words_apart_are_fine() -> None:
    a, b = msg("nudge-a", TWELVE), msg("nudge-b", swap(TWELVE, 1, 4, 7, 10))
    assert near_duplicate_pairs([a, b]) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Hug your child.", "Kiss your child."),  # one word apart, ratio 0.67
        ("Hug them now.", "Kiss them later."),  # two words apart, ratio 0.33
        ("Sing to {child} at bath time.", "Sing to {child} at bed time."),
    ],
)
def test_two_messages_that_differ_by_one_or_two_words_are_near_duplicates(
    first: str, second: str
) -> None:
    library = with_extra(msg("nudge-x", first), msg("nudge-y", second))
    problems = check_near_duplicates(library)
    assert len(problems) == 1
    assert problems[0].rule == "near-duplicate"
    assert problems[0].detail.startswith("nudge-x and nudge-y are too alike")


def test_near_duplicates_are_only_looked_for_within_a_language() -> None:
    library = Library(
        (msg("nudge-x", "Hug your child."), msg("nudge-y", "Kiss your child.", language="es"))
    )
    assert check_near_duplicates(library) == []


def test_near_duplicates_ignore_case_and_punctuation() -> None:
    pairs = near_duplicate_pairs(
        [msg("nudge-a", TWELVE), msg("nudge-b", TWELVE.upper().replace(" ", ", "))]
    )
    assert [(a.id, b.id, differing) for a, b, _, differing in pairs] == [("nudge-a", "nudge-b", 0)]


# --- coverage -------------------------------------------------------------------------------


def test_a_small_library_is_short_of_nudges_for_every_month_and_of_every_kind() -> None:
    details = {p.detail for p in check_coverage(Library(tuple(clean_messages())))}
    for language in vocab.LANGUAGES:
        assert f"only 2 nudges fit a 0-month-old in {language}; 45 are needed" in details
        assert f"only 2 nudges fit a 59-month-old in {language}; 45 are needed" in details
        assert f"only 1 repair tips fit a 30-month-old in {language}; 5 are needed" in details
        assert "0 prenatal nudges; 20 needed" in details
        assert "1 repair messages; 40 needed" in details
        assert "1 calm messages; 30 needed" in details
        assert "1 checkin messages; 20 needed" in details
        assert "1 celebration messages; 15 needed" in details


def full_library() -> list[Message]:
    wanted = [("nudge", (0, 59), 45), ("nudge", (-9, -1), 20), ("repair", (0, 59), 40)]
    wanted += [("calm", (-9, 59), 30), ("checkin", (-9, 59), 20), ("celebration", (-9, 59), 15)]
    found = []
    for language in vocab.LANGUAGES:
        for kind, ages, count in wanted:
            for n in range(count):
                found.append(
                    msg(f"{kind}-{ages[0]}-{n}", "x", language=language, kind=kind, ages=ages)
                )
    return found


def test_a_library_meeting_every_minimum_has_full_coverage() -> None:
    assert check_coverage(Library(tuple(full_library()))) == []


def test_one_nudge_short_in_one_month_is_reported_for_that_month_only() -> None:
    messages = full_library()
    messages.remove(next(m for m in messages if m.language == "es" and m.kind == "nudge"))
    messages.append(msg("nudge-extra", "x", language="es", ages=(0, 58)))
    problems = check_coverage(Library(tuple(messages)))
    assert [str(p) for p in problems] == [
        "es month 59: only 44 nudges fit a 59-month-old in es; 45 are needed"
    ]


# --- through the YAML loader --------------------------------------------------------------


def test_problems_in_yaml_files_reach_the_content_check(tmp_path: Path) -> None:
    entry = """\
- id: nudge-sing
  kind: nudge
  age_months: [0, 59]
  tags: [practice:faces-voices, topic:potty]
  text: Sing a song to {name}. Clap your hands.
"""
    for language in vocab.LANGUAGES:
        (tmp_path / language).mkdir()
        (tmp_path / language / "nudge.yaml").write_text(entry, encoding="utf-8")
    (tmp_path / "en" / "broken.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    problems = check_library(load_library(tmp_path))
    assert {"yaml", "tags", "placeholders", "coverage"} <= rules_of(problems)
    assert "parity" not in rules_of(problems)
