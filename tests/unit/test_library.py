"""The content library: rendering a message for a parent, selecting, loading YAML."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from messages.library import Choice, Library, Message, Problem, load_library


def msg(
    message_id: str = "nudge-look",
    *,
    language: str = "en",
    kind: str = "nudge",
    ages: tuple[int, int] = (0, 59),
    tags: frozenset[str] = frozenset({"practice:look"}),
    text: str = "{Child} looks at you. Look back at {child}.",
) -> Message:
    return Message(message_id, language, kind, ages[0], ages[1], tags, text)


# --- rendering ------------------------------------------------------------------------------


def test_render_fills_in_the_childs_name_in_both_placeholders() -> None:
    assert msg().render("Ana", 4) == "Ana looks at you. Look back at Ana."


def test_render_keeps_the_name_exactly_as_the_parent_typed_it() -> None:
    assert msg().render("de la Cruz", 4) == "de la Cruz looks at you. Look back at de la Cruz."


@pytest.mark.parametrize(
    ("language", "age", "expected"),
    [
        ("en", -3, "Your baby looks at you. Look back at your baby."),
        ("en", 0, "Your baby looks at you. Look back at your baby."),
        ("en", 11, "Your baby looks at you. Look back at your baby."),
        ("en", 12, "Your little one looks at you. Look back at your little one."),
        ("en", 35, "Your little one looks at you. Look back at your little one."),
        ("en", 36, "Your child looks at you. Look back at your child."),
        ("en", 59, "Your child looks at you. Look back at your child."),
        ("es", 0, "Tu bebé looks at you. Look back at tu bebé."),
        ("es", 11, "Tu bebé looks at you. Look back at tu bebé."),
        ("es", 12, "Tu peque looks at you. Look back at tu peque."),
        ("es", 59, "Tu peque looks at you. Look back at tu peque."),
    ],
)
def test_without_a_name_render_uses_a_gentle_fallback_by_language_and_age(
    language: str, age: int, expected: str
) -> None:
    assert msg(language=language).render(None, age) == expected


def test_an_empty_name_is_treated_as_no_name() -> None:
    assert msg().render("", 4) == "Your baby looks at you. Look back at your baby."


def test_render_leaves_text_without_placeholders_alone() -> None:
    assert msg(text="Take a slow breath.").render("Ana", 4) == "Take a slow breath."


# --- selecting ------------------------------------------------------------------------------

MIXED = Library(
    (
        msg("nudge-baby", ages=(0, 11)),
        msg("nudge-baby", language="es", ages=(0, 11)),
        msg("nudge-toddler", ages=(12, 35)),
        msg("nudge-prenatal", ages=(-9, -1)),
        msg("repair-any", kind="repair"),
        msg("calm-any", kind="calm"),
    )
)


@pytest.mark.parametrize("age", [-9, -1, 0, 5, 11, 12, 35, 36, 59])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", ["nudge", "repair", "calm", "checkin"])
def test_candidates_never_include_another_language_kind_or_age(
    age: int, language: str, kind: str
) -> None:
    found = MIXED.candidates(language=language, kind=kind, age_months=age)
    for m in found:
        assert (m.language, m.kind) == (language, kind)
        assert m.age_min <= age <= m.age_max
    expected = {
        m.id
        for m in MIXED.messages
        if m.language == language and m.kind == kind and m.age_min <= age <= m.age_max
    }
    assert {m.id for m in found} == expected


def test_candidates_are_ordered_by_how_many_wanted_tags_they_carry() -> None:
    library = Library(
        (
            msg("repair-none", kind="repair", tags=frozenset({"practice:repair"})),
            msg(
                "repair-both",
                kind="repair",
                tags=frozenset({"practice:repair", "topic:sleep", "topic:tantrums"}),
            ),
            msg("repair-one", kind="repair", tags=frozenset({"practice:repair", "topic:sleep"})),
        )
    )
    found = library.candidates(
        language="en", kind="repair", age_months=20, tags={"topic:sleep", "topic:tantrums"}
    )
    assert [m.id for m in found] == ["repair-both", "repair-one", "repair-none"]


def test_get_finds_a_message_by_id_in_one_language_only() -> None:
    found = MIXED.get("nudge-baby", "es")
    assert found is not None and found.language == "es"
    assert MIXED.get("nudge-toddler", "es") is None


def test_in_language_lists_only_that_language() -> None:
    assert {m.id for m in MIXED.in_language("es")} == {"nudge-baby"}


# --- loading --------------------------------------------------------------------------------


def write(root: Path, relative: str, content: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content), encoding="utf-8")


GOOD_ENTRY = """\
- id: nudge-copy-my-face
  kind: nudge
  age_months: [0, 5]
  tags: [practice:faces-voices, moment:feeding]
  title: Copy my face
  why: Babies watch faces closely, and copying is their first game.
  idea: copy-my-face
  practice: look
  text: >-
    While {child} feeds, look at their face.
    Open your mouth wide.   Wait.
"""


def test_load_library_reads_every_language_folder(tmp_path: Path) -> None:
    write(tmp_path, "en/nudge/00-05m.yaml", GOOD_ENTRY)
    write(tmp_path, "es/nudge/any-name.yaml", GOOD_ENTRY)
    library = load_library(tmp_path)
    assert library.load_problems == ()
    english = library.get("nudge-copy-my-face", "en")
    assert english == Message(
        id="nudge-copy-my-face",
        language="en",
        kind="nudge",
        age_min=0,
        age_max=5,
        tags=frozenset({"practice:faces-voices", "moment:feeding"}),
        text="While {child} feeds, look at their face. Open your mouth wide. Wait.",
        source="en/nudge/00-05m.yaml",
        title="Copy my face",
        why="Babies watch faces closely, and copying is their first game.",
        idea="copy-my-face",
        practice="look",
    )
    assert library.get("nudge-copy-my-face", "es") is not None


def test_load_library_reads_check_in_choices(tmp_path: Path) -> None:
    write(
        tmp_path,
        "en/checkin.yaml",
        """\
        - id: checkin-how-are-you
          kind: checkin
          age_months: [-9, 59]
          tags: [practice:reflect]
          text: How are you today?
          choices:
            - {key: good, label: "Pretty good"}
            - {key: tired, label: "Worn out"}
        """,
    )
    found = load_library(tmp_path).get("checkin-how-are-you", "en")
    assert found is not None
    assert found.choices == (Choice("good", "Pretty good"), Choice("tired", "Worn out"))


def test_an_empty_file_and_another_languages_folder_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "en/empty.yaml", "")
    write(tmp_path, "fr/nudge.yaml", GOOD_ENTRY)
    library = load_library(tmp_path)
    assert library.messages == ()
    assert library.load_problems == ()


def only_problem(root: Path) -> Problem:
    problems = load_library(root).load_problems
    assert len(problems) == 1, problems
    return problems[0]


def test_bad_yaml_is_reported_with_the_file_and_in_plain_words(tmp_path: Path) -> None:
    write(tmp_path, "en/nudge/broken.yaml", "- id: [unclosed\n  text: : :\n")
    problem = only_problem(tmp_path)
    assert problem.rule == "yaml"
    assert problem.where == "en/nudge/broken.yaml"
    assert str(problem).startswith("en/nudge/broken.yaml: is not valid YAML")


def test_bad_yaml_in_one_file_does_not_stop_the_others_loading(tmp_path: Path) -> None:
    write(tmp_path, "en/a-broken.yaml", "- id: [unclosed\n")
    write(tmp_path, "en/b-good.yaml", GOOD_ENTRY)
    library = load_library(tmp_path)
    assert [m.id for m in library.messages] == ["nudge-copy-my-face"]
    assert [p.rule for p in library.load_problems] == ["yaml"]


def test_a_file_that_is_not_a_list_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "es/nudge.yaml", "id: nudge-x\nkind: nudge\n")
    assert str(only_problem(tmp_path)) == "es/nudge.yaml: must be a list of messages"


def test_missing_fields_are_named_in_plain_words(tmp_path: Path) -> None:
    write(
        tmp_path,
        "en/nudge.yaml",
        """\
        - id: nudge-half-written
          kind: nudge
          tags: [practice:look]
        """,
    )
    problem = only_problem(tmp_path)
    assert problem.rule == "schema"
    assert str(problem) == (
        "en/nudge.yaml nudge-half-written: is missing age_months, text, title, why, idea, practice"
    )


def test_an_entry_that_is_not_a_mapping_is_reported_by_its_position(tmp_path: Path) -> None:
    write(tmp_path, "en/nudge.yaml", GOOD_ENTRY + "- just a sentence\n")
    library = load_library(tmp_path)
    assert [m.id for m in library.messages] == ["nudge-copy-my-face"]
    assert [str(p) for p in library.load_problems] == [
        "en/nudge.yaml #2: each message must be a mapping with id, kind, ..."
    ]


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("id", "Nudge_Look", "id must be lowercase words joined by dashes"),
        ("kind", "tip", "kind 'tip' is not one of"),
        ("age_months", "[5, 0]", "age_months must be [youngest, oldest] between -9 and 59"),
        ("age_months", "[0, 60]", "age_months must be [youngest, oldest]"),
        ("age_months", "[-10, 5]", "age_months must be [youngest, oldest]"),
        ("age_months", "[3]", "age_months must be [youngest, oldest]"),
        ("tags", "practice:look", "tags must be a list of words"),
        ("text", '"   "', "text is empty"),
        ("choices", "[{key: good}]", "each choice needs a key and a label"),
        ("colour", "blue", "has unknown fields ['colour']"),
        ("tittle", "Babble back", "has unknown fields ['tittle']"),
        ("title", '"  "', "title must be a non-empty line of text"),
        ("why", "[a, b]", "why must be a non-empty line of text"),
        ("idea", "Babble Echo", "idea must be lowercase words joined by dashes"),
        ("practice", "practice:chat", "practice 'practice:chat' is not one of look, follow"),
        ("practice", "faces-voices", "is not one of look, follow, chat, take-turns, stretch"),
    ],
)
def test_a_malformed_field_is_reported_and_the_message_not_loaded(
    tmp_path: Path, field: str, value: str, complaint: str
) -> None:
    fields = {
        "id": "nudge-look",
        "kind": "nudge",
        "age_months": "[0, 5]",
        "tags": "[practice:look]",
        "title": "Look",
        "why": "Looking together is where talking starts.",
        "idea": "look",
        "practice": "look",
        "text": "Look at {child}.",
    }
    fields[field] = value
    write(tmp_path, "en/nudge.yaml", "- " + "\n  ".join(f"{k}: {v}" for k, v in fields.items()))
    library = load_library(tmp_path)
    assert library.messages == ()
    assert len(library.load_problems) == 1
    assert library.load_problems[0].rule == "schema"
    assert complaint in library.load_problems[0].detail


NUDGE_WITH_WHY = """\
- id: nudge-babble-back
  kind: nudge
  age_months: [3, 8]
  tags: [practice:take-turns]
  title: Babble back
  why: >-
    Taking turns with sounds builds the
    back-and-forth that talking grows from.
  idea: babble-echo
  practice: take-turns
  text: When {child} babbles, babble back and wait.
"""


def test_a_nudge_carries_its_title_why_idea_and_practice(tmp_path: Path) -> None:
    write(tmp_path, "en/nudge.yaml", NUDGE_WITH_WHY)
    library = load_library(tmp_path)
    assert library.load_problems == ()
    found = library.get("nudge-babble-back", "en")
    assert found is not None
    assert found.title == "Babble back"
    assert found.why == (
        "Taking turns with sounds builds the back-and-forth that talking grows from."
    )
    assert found.idea == "babble-echo"
    assert found.idea_key == "babble-echo"
    assert found.practice == "take-turns"


def test_a_nudge_without_its_title_why_idea_or_practice_is_not_loaded(tmp_path: Path) -> None:
    bare = "\n".join(
        line for line in GOOD_ENTRY.splitlines() if not line.startswith(("  title", "  why"))
    )
    write(tmp_path, "en/nudge.yaml", bare)
    problem = only_problem(tmp_path)
    assert str(problem) == "en/nudge.yaml nudge-copy-my-face: is missing title, why"


def test_other_kinds_may_go_without_the_nudge_fields_and_the_idea_falls_back_to_the_id(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "en/calm.yaml",
        """\
        - id: calm-breathe
          kind: calm
          age_months: [0, 59]
          tags: [practice:calm-body]
          text: Take three slow breaths.
        """,
    )
    found = load_library(tmp_path).get("calm-breathe", "en")
    assert found is not None
    assert (found.title, found.why, found.idea, found.practice) == (None, None, None, None)
    assert found.idea_key == "calm-breathe"
