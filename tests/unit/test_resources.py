"""Help lines per category and language, from the program file, and the answers built on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.coaching.safety import Category
from bot.coaching.safety_answers import checkin_call_text, crisis_answer_text, resource_lines
from bot.program import Resources, ResourcesError, load_resources
from bot.program.resources import DEFAULT_FILE
from bot.texts import text
from messages.vocabulary import LANGUAGES


@pytest.fixture(scope="module")
def resources() -> Resources:
    return load_resources()


def ids(resources: Resources, category: Category, language: str) -> list[str]:
    return [r.id for r in resources.for_category(category, language)]


def test_the_packaged_defaults_load_and_cover_every_category_in_every_language(
    resources: Resources,
) -> None:
    assert resources.emergency_number == "911"
    for category in Category:
        for language in LANGUAGES:
            found = resources.for_category(category, language)
            assert found, (category, language)
            for resource in found:
                assert resource.name and resource.how and resource.phone


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_category_gets_the_lines_that_fit_it(resources: Resources, language: str) -> None:
    assert ids(resources, Category.BABY_UNWELL, language) == ["emergency", "poison_control"]
    assert ids(resources, Category.SELF_HARM, language) == ["lifeline_988", "emergency"]
    assert ids(resources, Category.HARM_CHILD, language) == ["maternal_mental_health", "childhelp"]
    assert ids(resources, Category.VIOLENCE_HOME, language) == ["domestic_violence", "emergency"]
    assert ids(resources, Category.DISTRESS, language) == ["maternal_mental_health", "lifeline_988"]
    # no child-abuse line for thoughts of suicide
    assert "childhelp" not in ids(resources, Category.SELF_HARM, language)


def test_the_us_numbers_and_spanish_options(resources: Resources) -> None:
    phones = {r.id: r.phone for c in Category for r in resources.for_category(c, "en")}
    assert phones == {
        "emergency": "911",
        "poison_control": "1-800-222-1222",
        "lifeline_988": "988",
        "maternal_mental_health": "1-833-852-6262",
        "childhelp": "1-800-422-4453",
        "domestic_violence": "1-800-799-7233",
    }
    (lifeline, _) = resources.for_category(Category.SELF_HARM, "es")
    assert "marca 2" in lifeline.how and "AYUDA" in lifeline.how
    (dv, _) = resources.for_category(Category.VIOLENCE_HOME, "en")
    assert "START" in dv.how and "88788" in dv.how and dv.text == "88788"
    (dv_es, _) = resources.for_category(Category.VIOLENCE_HOME, "es")
    assert "español" in dv_es.how and "88788" in dv_es.how
    for category in Category:
        for resource in resources.for_category(category, "es"):
            assert "español" in resource.how, resource


def test_an_unknown_language_gets_english(resources: Resources) -> None:
    assert resources.for_category(Category.DISTRESS, "fr") == resources.for_category(
        Category.DISTRESS, "en"
    )


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def default_data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DEFAULT_FILE.read_text("utf-8"))
    return loaded


def test_a_program_can_replace_the_defaults(tmp_path: Path) -> None:
    data = default_data()
    data["region"] = "PR"
    data["lines"]["local"] = {
        "phone": "787-555-0100",
        "name": {"en": "Island line", "es": "Línea de la isla"},
        "how": {"en": "call 787-555-0100", "es": "llama al 787-555-0100; atienden en español"},
    }
    data["categories"]["distress"]["es"] = ["local"]
    loaded = load_resources(write(tmp_path, data))
    assert ids(loaded, Category.DISTRESS, "es") == ["local"]
    assert ids(loaded, Category.DISTRESS, "en") == ["maternal_mental_health", "lifeline_988"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["categories"].pop("self_harm"), "self_harm is missing"),
        (lambda d: d["categories"]["distress"].update(es=[]), "distress.es: needs at least one"),
        (lambda d: d["categories"]["distress"].update(en=["nope"]), "unknown line 'nope'"),
        (lambda d: d["lines"]["childhelp"]["name"].pop("es"), "childhelp: needs a name and how"),
        (lambda d: d["lines"]["childhelp"].update(phone=""), "does not look like a phone"),
        (lambda d: d["lines"]["childhelp"].update(phone="call us"), "does not look like a phone"),
        (lambda d: d.update(emergency_number="  "), "emergency_number"),
        (lambda d: d["lines"]["emergency"]["how"].update(en=" "), "must not be empty"),
        (lambda d: d["categories"].update(bored={"en": ["emergency"]}), "categories.bored"),
        (lambda d: d.update(surprise=1), "surprise"),
    ],
)
def test_a_broken_file_is_rejected_with_a_clear_message(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = default_data()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ResourcesError) as raised:
        load_resources(path)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_broken_yaml_or_a_missing_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("lines: [unclosed", "utf-8")
    with pytest.raises(ResourcesError, match="not valid YAML"):
        load_resources(bad)
    with pytest.raises(ResourcesError, match="cannot read"):
        load_resources(tmp_path / "missing.yaml")
    bad.write_text("- just a list", "utf-8")
    with pytest.raises(ResourcesError, match="expected a mapping"):
        load_resources(bad)


# ---- the answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("category", list(Category))
def test_the_answer_says_staff_were_told_only_when_they_were(
    resources: Resources, category: Category, language: str
) -> None:
    told = crisis_answer_text(resources, category, language, staff_told=True)
    untold = crisis_answer_text(resources, category, language, staff_told=False)
    assert text(language, "safety_staff_told") in told
    assert text(language, "safety_call_now") not in told
    assert text(language, "safety_staff_told") not in untold
    assert text(language, "safety_call_now") in untold
    for answer in (told, untold):
        assert text(language, "safety_misread") in answer
        for line in resource_lines(resources, category, language):
            assert line in answer
        assert "{" not in answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_answer_leads_with_what_fits_the_category(resources: Resources, language: str) -> None:
    def answer(category: Category) -> str:
        return crisis_answer_text(resources, category, language, staff_told=False)

    baby = answer(Category.BABY_UNWELL)
    assert baby.index("911") < baby.index("1-800-222-1222")
    assert baby.splitlines()[0].count("911") == 1  # the emergency number, first
    self_harm = answer(Category.SELF_HARM)
    assert "988" in self_harm and "1-800-422-4453" not in self_harm
    assert "1-800-799-7233" not in self_harm
    violence = answer(Category.VIOLENCE_HOME)
    assert "1-800-799-7233" in violence and "START" in violence and "88788" in violence
    harm = answer(Category.HARM_CHILD)
    assert "1-833-852-6262" in harm
    distress = answer(Category.DISTRESS)
    assert "1-833-852-6262" in distress and "988" in distress


def test_the_harm_child_answer_says_to_put_the_baby_down_and_step_away(
    resources: Resources,
) -> None:
    en = crisis_answer_text(resources, Category.HARM_CHILD, "en", staff_told=False)
    assert "put the baby down somewhere safe" in en and "step away" in en
    es = crisis_answer_text(resources, Category.HARM_CHILD, "es", staff_told=False)
    assert "acuesta al bebé en un lugar seguro" in es and "aléjate" in es


def test_spanish_answers_say_the_lines_answer_in_spanish(resources: Resources) -> None:
    for category in Category:
        answer = crisis_answer_text(resources, category, "es", staff_told=False)
        assert "español" in answer


def test_the_answer_accepts_a_category_value_and_can_leave_out_the_misread_note(
    resources: Resources,
) -> None:
    answer = crisis_answer_text(resources, "self_harm", "en", staff_told=False, misread_note=False)
    assert text("en", "safety_misread") not in answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checkin_call_answer_is_honest(resources: Resources, language: str) -> None:
    assert checkin_call_text(resources, language, staff_told=True) == text(
        language, "safety_checkin_call_reply"
    )
    untold = checkin_call_text(resources, language, staff_told=False)
    assert text(language, "safety_checkin_call_reply") not in untold
    assert "1-833-852-6262" in untold


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_safety_sentences_exist_in_every_language(language: str) -> None:
    for key in (
        "safety_ask",
        "safety_ask_safe",
        "safety_ask_help",
        "safety_ask_safe_reply",
        "safety_checkin",
        "safety_checkin_ok",
        "safety_checkin_call",
        "safety_checkin_ok_reply",
    ):
        assert text(language, key).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_and_help_say_that_some_words_reach_a_person(language: str) -> None:
    for key in ("consent", "help"):
        said = text(language, key)
        english = "danger" in said and "program" in said
        spanish = "peligro" in said and "programa" in said
        assert english or spanish


def test_the_defaults_carry_bereavement_support_in_every_language(resources: Resources) -> None:
    for language in LANGUAGES:
        found = resources.for_bereavement(language)
        assert found, language
        assert {r.id for r in found} >= {"psi_helpline", "miss_foundation"}
        assert all(r.name and r.how for r in found)
    web_only = next(r for r in resources.for_bereavement("en") if r.id == "miss_foundation")
    assert web_only.phone is None and web_only.web == "missfoundation.org"


def test_a_program_without_bereavement_lines_still_loads(tmp_path: Path) -> None:
    data = default_data()
    data.pop("bereavement")
    loaded = load_resources(write(tmp_path, data))
    assert loaded.for_bereavement("es") == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["bereavement"].update(es=[]), "bereavement.es: needs at least one line"),
        (lambda d: d["bereavement"].update(en=["nope"]), "bereavement.en: unknown line 'nope'"),
        (lambda d: d["bereavement"].update(fr=["psi_helpline"]), "bereavement.fr: not a language"),
        (lambda d: d["lines"]["miss_foundation"].pop("web"), "needs a phone or a web address"),
        (lambda d: d["categories"]["distress"].update(en=["miss_foundation"]), "needs a phone"),
        (
            lambda d: d["lines"]["psi_helpline"]["how"].pop("es"),
            "psi_helpline: needs a name and how in 'es' (bereavement)",
        ),
    ],
)
def test_a_broken_bereavement_section_is_rejected(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = default_data()
    change(data)
    with pytest.raises(ResourcesError) as raised:
        load_resources(write(tmp_path, data))
    assert message in str(raised.value)
