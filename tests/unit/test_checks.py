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
    title: str | None = None,
    why: str | None = None,
    idea: str | None = None,
    practice: str | None = None,
) -> Message:
    return Message(
        message_id,
        language,
        kind,
        ages[0],
        ages[1],
        frozenset(tags),
        text,
        tuple(choices),
        title=title,
        why=why,
        idea=idea,
        practice=practice,
    )


def nudge(
    message_id: str,
    text: str,
    *,
    language: str = "en",
    ages: tuple[int, int] = (0, 59),
    tags: Iterable[str] = ("practice:look",),
    idea: str | None = None,
    practice: str = "look",
) -> Message:
    """A nudge with every nudge field filled in, so only the rule under test can object."""
    return msg(
        message_id,
        text,
        language=language,
        ages=ages,
        tags=tags,
        title="A short title",
        why="It helps.",
        idea=idea or message_id,
        practice=practice,
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
            fields = NUDGE_FIELDS[message_id] if kind == "nudge" else {}
            found.append(
                msg(
                    message_id,
                    text,
                    language=language,
                    kind=kind,
                    tags=tags,
                    choices=choices,
                    title=fields.get("title"),
                    why=fields.get("why"),
                    idea=fields.get("idea"),
                    practice=fields.get("practice"),
                )
            )
    return found


NUDGE_FIELDS: dict[str, dict[str, str]] = {
    "nudge-sing": {
        "title": "Sing and clap",
        "why": "A song with a beat gives you both a rhythm to share.",
        "idea": "sing-and-clap",
        "practice": "chat",
    },
    "nudge-peek": {
        "title": "Peekaboo",
        "why": "Waiting for their smile is a turn in a conversation.",
        "idea": "peekaboo",
        "practice": "take-turns",
    },
}


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


def test_a_clean_library_passes_every_rule_but_coverage_and_balance() -> None:
    problems = check_library(Library(tuple(clean_messages())))
    assert problems, "six messages cannot cover every month"
    assert rules_of(problems) == {"coverage", "balance"}


@pytest.mark.parametrize(
    "rule", [r for r in checks.RULES if r not in (check_coverage, checks.check_balance)]
)
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
  title: Sing
  why: A song gives you both a beat to share.
  idea: sing
  practice: chat
  text: Sing a song to {name}. Clap your hands.
"""
    for language in vocab.LANGUAGES:
        (tmp_path / language).mkdir()
        (tmp_path / language / "nudge.yaml").write_text(entry, encoding="utf-8")
    (tmp_path / "en" / "broken.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    problems = check_library(load_library(tmp_path))
    assert {"yaml", "tags", "placeholders", "coverage"} <= rules_of(problems)
    assert "parity" not in rules_of(problems)


# --- nudge fields ---------------------------------------------------------------------------


def test_a_nudge_without_title_why_idea_and_practice_is_reported() -> None:
    problems = checks.check_nudge_fields(with_extra(msg("nudge-bare", "Look at {child}.")))
    assert [str(p) for p in problems] == ["en/nudge-bare: a nudge needs title, why, idea, practice"]


def test_other_kinds_need_no_nudge_fields() -> None:
    assert checks.check_nudge_fields(with_extra(msg("calm-x", "Breathe.", kind="calm"))) == []


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"title": "x" * 41}, "the title is 41 characters; at most 40"),
        ({"why": "y" * 161}, "the why is 161 characters; at most 160"),
        ({"why": "It helps. It also builds trust."}, "the why must be one sentence"),
        ({"why": "It grows neural pathways."}, "the why uses jargon (neural)"),
    ],
)
def test_a_long_title_or_a_long_many_sentence_or_jargon_why_is_reported(
    changes: dict[str, str], complaint: str
) -> None:
    library = replaced("nudge-sing", "en", **changes)
    assert [p.detail for p in checks.check_nudge_fields(library)] == [complaint]


def test_a_why_with_a_quoted_word_and_a_question_mark_inside_is_one_sentence() -> None:
    library = replaced("nudge-sing", "en", why='Saying "again?" invites their turn.')
    assert checks.check_nudge_fields(library) == []


# --- safety by age and topic ---------------------------------------------------------------


def safety_of(*messages: Message) -> list[str]:
    return [p.detail for p in checks.check_safety(Library(messages))]


def test_sleep_under_a_year_must_name_the_back_and_their_own_crib() -> None:
    unsafe = nudge(
        "nudge-hum",
        "Hum one slow tune as {child} gets sleepy.",
        ages=(0, 5),
        tags=("practice:touch", "moment:bedtime"),
    )
    (detail,) = safety_of(unsafe)
    assert detail.startswith("safe-sleep:")
    assert "it does not name back or own crib or bassinet" in detail
    assert "moment:bedtime" in detail and "'sleepy'" in detail


def test_sleep_naming_the_back_and_own_crib_is_safe_in_both_languages() -> None:
    english = nudge(
        "nudge-hum",
        "Hum one slow tune, then lay {child} down on their back in their own crib.",
        ages=(0, 5),
        tags=("practice:touch", "moment:bedtime"),
    )
    spanish = nudge(
        "nudge-hum",
        "Tararea una canción lenta y acuesta a {child} boca arriba en su cuna.",
        language="es",
        ages=(0, 5),
        tags=("practice:touch", "moment:bedtime"),
    )
    assert safety_of(english, spanish) == []


def test_sleep_rules_stop_at_twelve_months_and_skip_prenatal_messages() -> None:
    toddler = nudge("nudge-nap", "Before the nap, read one book.", ages=(12, 23))
    prenatal = nudge("nudge-pre-nap", "Take a nap when you can.", ages=(-9, -1))
    assert safety_of(toddler, prenatal) == []


def test_a_spanish_sleep_nudge_without_boca_arriba_is_reported() -> None:
    unsafe = nudge("nudge-siesta", "Antes de la siesta, canta bajito.", language="es", ages=(6, 11))
    (detail,) = safety_of(unsafe)
    assert detail.startswith("safe-sleep:") and "'siesta'" in detail


def test_a_parent_resting_with_a_baby_near_is_told_where_the_baby_sleeps() -> None:
    calm = msg(
        "calm-rest", "While {child} feeds at night, let your body rest.", kind="calm", ages=(0, 5)
    )
    (detail,) = safety_of(calm)
    assert detail.startswith("safe-sleep:")


def test_a_parents_own_tiredness_is_not_a_sleep_message() -> None:
    calm = msg("calm-tired", "Too little sleep makes everything feel bigger.", kind="calm")
    assert safety_of(calm) == []


def test_a_bath_under_a_year_names_a_hand_on_the_child() -> None:
    unsafe = nudge("nudge-splash", "In the bath, splash the water and wait.", ages=(6, 11))
    safe = nudge(
        "nudge-splash-2",
        "In the bath, keep one hand on {child}. Splash the water and wait.",
        ages=(6, 11),
    )
    spanish = nudge(
        "nudge-splash-3",
        "En el baño, deja una mano sobre {child} y salpica el agua.",
        language="es",
        ages=(6, 11),
    )
    assert [d.split(":")[0] for d in safety_of(unsafe, safe, spanish)] == ["bath-hand-on"]


def test_small_objects_under_three_name_supervision_or_size() -> None:
    unsafe = nudge("nudge-pebbles", "Outside, collect pebbles together.", ages=(12, 23))
    safe = nudge(
        "nudge-pebbles-2",
        "Outside, collect pebbles together. Stay close: small things go in mouths.",
        ages=(12, 23),
    )
    older = nudge("nudge-pebbles-3", "Outside, collect pebbles together.", ages=(36, 59))
    assert [d.split(":")[0] for d in safety_of(unsafe, safe, older)] == ["small-objects"]


def test_finger_food_without_a_word_on_size_or_watching_is_reported() -> None:
    unsafe = nudge("nudge-bits", "Give {child} a few soft bits of food to pick up.", ages=(7, 10))
    spanish = nudge(
        "nudge-bits",
        "Dale a {child} unos trocitos suaves de comida. Quédate cerca mientras come.",
        language="es",
        ages=(7, 10),
    )
    assert [d.split(":")[0] for d in safety_of(unsafe, spanish)] == ["small-objects"]


def test_no_screens_under_eighteen_months_but_video_calls_and_phones_put_away() -> None:
    show = nudge("nudge-video", "Watch a short video together on your phone.", ages=(6, 11))
    call = nudge("nudge-call", "Make a video call to Grandma and wave.", ages=(6, 11))
    away = nudge("nudge-away", "Put your phone in another room for one song.", ages=(6, 11))
    older = nudge("nudge-show", "Watch a short video together and talk about it.", ages=(24, 35))
    spanish = nudge("nudge-tele", "Vean juntos un video corto.", language="es", ages=(6, 11))
    assert [d.split(":")[0] for d in safety_of(show, call, away, older, spanish)] == [
        "no-screens",
        "no-screens",
    ]


def test_crying_under_a_year_tells_the_parent_a_safe_place_is_fine() -> None:
    unsafe = msg(
        "repair-crying",
        "The crying goes on and on. Ask someone to take a turn.",
        kind="repair",
        ages=(0, 5),
        tags=("practice:repair", "topic:crying"),
    )
    safe = msg(
        "repair-crying-2",
        "The crying goes on. You can put {child} down somewhere safe and step away.",
        kind="repair",
        ages=(0, 5),
        tags=("practice:repair", "topic:crying"),
    )
    assert [d.split(":")[0] for d in safety_of(unsafe, safe)] == ["crying-safe-break"]


def test_every_safety_rule_reads_its_table() -> None:
    rules = checks.safety_rules()
    assert {r.rule for r in rules} == {
        "safe-sleep",
        "crying-safe-break",
        "bath-hand-on",
        "small-objects",
        "no-screens",
    }
    for rule in rules:
        assert rule.forbids or rule.requires
        assert all(rule.triggers[lang] or rule.tags for lang in vocab.LANGUAGES)


# --- the age of skills ----------------------------------------------------------------------


def skills_of(*messages: Message) -> list[str]:
    return [p.detail for p in checks.check_skill_ages(Library(messages))]


def test_a_child_pointing_before_the_cdc_age_is_reported() -> None:
    (detail,) = skills_of(
        nudge("nudge-dog", "When {child} points at a dog, name it.", ages=(6, 11))
    )
    assert detail == (
        "asks for point ('{child} points') from 6 months; most children do it by 15 months "
        "(messages/milestones.yaml)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Point at the lamp and name it.",  # the parent points
        "Later, they may point on their own.",  # looking ahead
        "Walk around the room with {child} in your arms.",  # the parent walks
    ],
)
def test_the_parent_doing_it_or_a_look_ahead_is_not_a_skill_asked(text: str) -> None:
    assert skills_of(nudge("nudge-x", text, ages=(0, 5))) == []


def test_the_same_skill_from_its_age_is_fine() -> None:
    text = "When {child} points at a dog, name it."
    assert skills_of(nudge("nudge-dog", text, ages=(15, 23))) == []


@pytest.mark.parametrize(
    ("text", "language", "skill"),
    [
        ("Let them walk to you.", "en", "walk"),
        ("Ask {child} to jump like a frog.", "en", "jump"),
        ("Try some pretend play with a cup.", "en", "pretend"),
        ("They may say their first word soon.", "en", None),
        ("{Child} may say a word.", "en", "say a first word"),
        ("Cuando {child} señale un perro, nómbralo.", "es", "point"),
        ("Señala la lámpara y di su nombre.", "es", None),
        ("Invita a {child} a saltar como una rana.", "es", "jump"),
        ("Si camina hacia ti, abre los brazos.", "es", "walk"),
        ("Más adelante, tal vez señale solo.", "es", None),
    ],
)
def test_skill_verbs_are_found_for_the_child_in_both_languages(
    text: str, language: str, skill: str | None
) -> None:
    found = [
        s.skill
        for s, _ in checks.skills_asked(nudge("nudge-x", text, language=language, ages=(6, 11)))
    ]
    assert found == ([skill] if skill else [])


# --- repeated ideas -------------------------------------------------------------------------

BEDTIME_A = "Every night at bedtime, hum the same slow tune while you hold {child} close."
BEDTIME_B = "Hum one slow tune at bedtime, the same tune every night, and hold {child} close."


def test_two_nudges_saying_the_same_idea_under_different_keys_are_reported() -> None:
    library = with_extra(nudge("nudge-hum-a", BEDTIME_A), nudge("nudge-hum-b", BEDTIME_B))
    (problem,) = checks.check_idea_repeats(library)
    assert problem.where == "en/nudge-hum-a"
    assert "nudge-hum-a and nudge-hum-b say much the same" in problem.detail


def test_the_same_idea_under_one_key_or_at_different_ages_is_fine() -> None:
    shared = with_extra(
        nudge("nudge-hum-a", BEDTIME_A, idea="bedtime-hum"),
        nudge("nudge-hum-b", BEDTIME_B, idea="bedtime-hum"),
    )
    apart = with_extra(
        nudge("nudge-hum-a", BEDTIME_A, ages=(0, 11)),
        nudge("nudge-hum-b", BEDTIME_B, ages=(12, 23)),
    )
    assert checks.check_idea_repeats(shared) == []
    assert checks.check_idea_repeats(apart) == []


def test_the_idea_measure_is_a_rarity_weighted_jaccard_of_content_words() -> None:
    words = checks.content_words("Hum the same slow tunes to {child} every night.", "en")
    assert words == {"hum", "slow", "tun", "night"}
    weight = {"hum": 2.0, "slow": 1.0, "tun": 1.0, "night": 1.0, "rain": 1.0}
    assert checks.weighted_jaccard(words, frozenset({"hum", "rain"}), weight) == 2.0 / 6.0
    assert vocab.IDEA_SIMILARITY == 0.22


def test_different_ideas_in_the_clean_library_are_not_repeats() -> None:
    assert checks.idea_repeats(clean_messages()) == []


# --- the same meaning in every language -----------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("idea", "another-idea"), ("practice", "follow")])
def test_a_translation_with_another_idea_or_practice_is_reported(field: str, value: str) -> None:
    (problem,) = checks.check_meaning_parity(replaced("nudge-sing", "es", **{field: value}))
    assert problem.rule == "parity"
    assert f"nudge-sing: {field} differs between en" in problem.detail


def test_a_translation_that_drops_a_safety_word_is_reported() -> None:
    english = nudge("nudge-bath", "In the bath, keep a hand on {child} and pour.", ages=(6, 11))
    spanish = nudge("nudge-bath", "En el baño, echa agua despacio.", language="es", ages=(6, 11))
    (problem,) = checks.check_meaning_parity(Library((english, spanish)))
    assert problem.detail == (
        "nudge-bath: safety words for bath-hand-on differ: "
        "en names hand on the child; es names none"
    )


# --- Spanish register -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jueguen al juego de fingir con una taza.",
        "Prueba a cantar más bajito.",
        "Con un minuto ya vale.",
        "Suena a mucho, pero puedes.",
        "Puedes cargarle un rato.",
        "Invítale a mirar por la ventana.",
        "Seguro le hubieras extrañado.",
        "Abrázale fuerte.",
        "¿Usted cómo está hoy?",
        "Mire a su bebé a los ojos.",
        "Canta con su bebé.",
        "Vale, ahora canta otra vez.",
        "Subimos al coche y cantamos.",
        "Cúbrelo con una manta.",
        "Miren el bus que pasa.",
    ],
)
def test_a_calque_leismo_usted_or_a_second_word_for_an_object_is_reported(text: str) -> None:
    library = replaced("nudge-sing", "es", text=text)
    assert rules_of(checks.check_spanish_register(library)) == {"spanish-register"}


@pytest.mark.parametrize(
    "text",
    [
        "Dale un abrazo y cántale bajito.",
        "A {child} le gusta tu voz.",
        "Vale la pena intentarlo.",
        "Haga lo que haga, sonríele.",
        "Acuesta a {child} boca arriba en su cuna.",
        "Miren el autobús que pasa desde el carro.",
    ],
)
def test_good_spanish_is_not_flagged(text: str) -> None:
    assert checks.check_spanish_register(replaced("nudge-sing", "es", text=text)) == []


def test_english_is_not_held_to_spanish_register() -> None:
    assert checks.check_spanish_register(replaced("nudge-sing", "en", text="Vale, usted.")) == []


# --- quotes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "complaint"),
    [
        ("es", "Di: «Ya volví».", 'uses « »; quote with "…"'),
        ("en", "Say “hello” softly.", 'uses “ ”; quote with "…"'),
        ("en", 'Say "hello softly.', 'has an odd number of "'),
    ],
)
def test_one_quote_style_straight_double_quotes(language: str, text: str, complaint: str) -> None:
    details = [p.detail for p in checks.check_quotes(replaced("nudge-sing", language, text=text))]
    assert any(d.startswith(complaint) for d in details), details


def test_straight_quotes_in_pairs_are_fine() -> None:
    library = replaced("nudge-sing", "es", text='Di: "Ya volví". Y luego: "¡Hola!"')
    assert checks.check_quotes(library) == []


# --- promises -------------------------------------------------------------------------------


def test_a_promise_that_someone_reads_every_word_is_reported() -> None:
    library = replaced("celebration-well-done", "en", text="Reply any time; I read every word.")
    (problem,) = checks.check_promises(library)
    assert "'I read every word' promises what the bot does not do" in problem.detail


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Pause for now"), ("en", "Yes, a short break"), ("es", "Una pausa")],
)
def test_a_skip_button_that_promises_a_pause_is_reported(language: str, label: str) -> None:
    choices = (Choice("good", "Fine"), Choice("skip", label))
    (problem,) = checks.check_promises(replaced("checkin-how", language, choices=choices))
    assert "skip moves the parent to three days a week" in problem.detail


def test_a_skip_button_that_says_fewer_messages_is_fine() -> None:
    choices = (Choice("good", "Fine"), Choice("skip", "Fewer messages"))
    assert checks.check_promises(replaced("checkin-how", "en", choices=choices)) == []


# --- balance --------------------------------------------------------------------------------

MOMENTS = sorted(vocab.MOMENT_TAGS)[: vocab.MIN_MOMENTS_PER_MONTH]
TOPICS = sorted(vocab.TOPIC_TAGS)
OTHER_TOPICS = [t for t in TOPICS if t != "topic:reading"]


def balanced_library() -> list[Message]:
    """Every practice four times, eight reading nudges, eight moments, every topic four times."""
    found = []
    for language in vocab.LANGUAGES:
        n = 0
        for practice in vocab.NUDGE_PRACTICES:
            for _ in range(vocab.MIN_PRACTICE_PER_MONTH):
                tags = {
                    f"practice:{practice}",
                    MOMENTS[n % len(MOMENTS)],
                    OTHER_TOPICS[n % len(OTHER_TOPICS)],
                }
                if n < vocab.MIN_READING_PER_MONTH:
                    tags.add("topic:reading")
                found.append(
                    nudge(f"nudge-{n}", "x", language=language, tags=tags, practice=practice)
                )
                n += 1
        for topic in TOPICS:
            for k in range(vocab.MIN_TOPIC_MESSAGES):
                found.append(
                    msg(f"calm-{topic[6:]}-{k}", "x", language=language, kind="calm", tags={topic})
                )
    return found


def test_a_balanced_library_passes() -> None:
    assert checks.check_balance(Library(tuple(balanced_library()))) == []


def test_too_few_reading_nudges_is_reported_with_the_months() -> None:
    messages = [
        dataclasses.replace(m, tags=m.tags - {"topic:reading"})
        if (m.id, m.language) == ("nudge-0", "en")
        else m
        for m in balanced_library()
    ]
    problems = [str(p) for p in checks.check_balance(Library(tuple(messages)))]
    assert problems == [
        "en reading: fewer than 8 shared-reading nudges in 60 age months (0-59; fewest 7)"
    ]


def test_a_practice_missing_in_some_months_is_reported() -> None:
    messages = [
        dataclasses.replace(m, age_min=24) if m.id == "nudge-19" and m.language == "es" else m
        for m in balanced_library()
    ]
    problems = [str(p) for p in checks.check_balance(Library(tuple(messages)))]
    assert problems == [
        "es practice stretch: fewer than 4 nudges with practice stretch in 24 age months "
        "(0-23; fewest 3)"
    ]


def test_too_few_moments_or_topics_is_reported() -> None:
    problems = checks.check_balance(Library(tuple(clean_messages())))
    wheres = {p.where for p in problems}
    assert {"en reading", "en moments", "es topic:prenatal", "en practice follow"} <= wheres


# --- the bot's own texts --------------------------------------------------------------------


def write_texts(root: Path, en: str, es: str) -> Path:
    (root / "en.yaml").write_text(en, encoding="utf-8")
    (root / "es.yaml").write_text(es, encoding="utf-8")
    return root


def bot_problems(root: Path, en: str, es: str) -> list[str]:
    texts = write_texts(root, en, es)
    return [str(p) for p in checks.check_bot_texts(texts, buttons=frozenset({"btn_*", "skip"}))]


def test_bot_texts_in_parity_pass(tmp_path: Path) -> None:
    en = 'hello: "Hi {name}!"\nskip: "Skip"\nbtn_tried: "I tried it"\n'
    es = 'hello: "¡Hola, {name}!"\nskip: "Omitir"\nbtn_tried: "Lo intenté"\n'
    assert bot_problems(tmp_path, en, es) == []


def test_a_bot_text_missing_in_one_language_is_reported(tmp_path: Path) -> None:
    assert bot_problems(tmp_path, 'a: "A"\nb: "B"\n', 'a: "A"\n') == [
        "bot/texts/es.yaml b: b is missing"
    ]


def test_bot_texts_with_other_placeholders_are_reported(tmp_path: Path) -> None:
    assert bot_problems(tmp_path, 'a: "At {time}"\n', 'a: "A las {hora}"\n') == [
        "bot/texts/es.yaml a: placeholders ['hora'] differ from en ['time']"
    ]


def test_a_long_button_a_stray_brace_and_a_long_text_are_reported(tmp_path: Path) -> None:
    long_text = "x" * (vocab.MAX_BOT_TEXT_LENGTH + 1)
    en = f'btn_tried: "Yes, I tried it today, thank you"\nodd: "a }} b"\nlong: "{long_text}"\n'
    es = f'btn_tried: "Sí"\nodd: "a b"\nlong: "{long_text}"\n'
    assert bot_problems(tmp_path, en, es) == [
        "bot/texts/en.yaml btn_tried: is 32 characters; a button may have 30",
        "bot/texts/en.yaml odd: has a stray { or }",
        "bot/texts/en.yaml long: is 1001 characters; a text may have 1000",
        "bot/texts/es.yaml long: is 1001 characters; a text may have 1000",
    ]


def test_bot_texts_keep_the_spanish_voice_quotes_and_promises(tmp_path: Path) -> None:
    en = 'a: "Reply any time; I read every word."\nb: "Say “hi”."\n'
    es = 'a: "Responde cuando quieras."\nb: "¿Usted está bien?"\n'
    problems = bot_problems(tmp_path, en, es)
    assert sorted({p.split(": ")[0] for p in problems}) == [
        "bot/texts/en.yaml a",
        "bot/texts/en.yaml b",
        "bot/texts/es.yaml b",
    ]


def test_button_keys_are_read_from_the_views() -> None:
    keys = checks.button_keys()
    assert {"skip", "consent_yes", "btn_*", "*_yes", "settings_cadence"} <= keys
    assert "cadence_*" not in keys


def test_one_sentence_that_runs_on_is_reported() -> None:
    run_on = " ".join(["Sing"] + ["and hum"] * 13) + "."
    library = replaced("nudge-sing", "en", text=run_on)
    details = [p.detail for p in check_reading_level(library) if "sentence of" in p.detail]
    assert details == ["has a sentence of 27 words; keep each under 26 (split it in two)"]


def test_twenty_five_words_in_a_sentence_is_fine() -> None:
    assert checks.longest_sentence(" ".join(["word"] * 25) + '. "Hi!" Bye.') == 25


@pytest.mark.parametrize(
    "text", ["La última vez te mandamos una idea.", "Solo nos gusta saber cómo te fue."]
)
def test_the_bot_speaking_as_we_is_reported(text: str) -> None:
    library = replaced("celebration-well-done", "es", text=text)
    assert rules_of(checks.check_spanish_register(library)) == {"spanish-register"}


# --- the tables the checks read -------------------------------------------------------------


def test_every_skill_has_words_in_both_languages_and_a_cdc_age() -> None:
    for skill in checks.skills():
        assert 2 <= skill.month <= 60, skill.skill
        assert all(skill.patterns[lang] for lang in vocab.LANGUAGES), skill.skill


def test_every_safety_requirement_has_words_in_both_languages() -> None:
    for rule in checks.safety_rules():
        for name, patterns in rule.requires:
            assert all(patterns[lang] for lang in vocab.LANGUAGES), (rule.rule, name)


def test_the_register_table_offers_a_fix_for_every_pattern() -> None:
    rules = checks.register_rules()
    assert len(rules) > 40
    assert all(rule.say for rule in rules)


def test_su_peque_about_another_family_is_not_usted() -> None:
    text = "Le mando a cada familia una idea para conectar con su peque. Canta con tu bebé."
    assert checks.check_spanish_register(replaced("nudge-sing", "es", text=text)) == []
    text = "Canta con su peque. Cada familia es distinta."
    assert checks.check_spanish_register(replaced("nudge-sing", "es", text=text)) != []
