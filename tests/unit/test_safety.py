"""Screening a parent's own words for signs that someone may be in danger right now."""

from __future__ import annotations

import pytest

from bot.coaching.safety import screen_for_crisis


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",
        "I WANT TO DIE",
        "Honestly I can't go on",
        "Honestly I can’t go on",  # a phone's curly apostrophe
        "i cant go on like this",
        "Everyone would be better off without me",
        "I’ve been thinking about suicide",
        "I feel suicidal tonight",
        "I might hurt myself",
        "Quiero morir",
        "me quiero morir",
        "No puedo más con la vida",
        "pensé en quitarme la vida",
        "a veces quiero hacerme daño",
        "quiero matarme",
        "pienso en suicidarme",
    ],
)
def test_thoughts_of_self_harm_are_caught_in_english_and_spanish(text: str) -> None:
    assert screen_for_crisis(text) == "self_harm"


@pytest.mark.parametrize(
    "text",
    [
        "I'm scared I'll hurt the baby",
        "I’m afraid I’ll hurt my baby",
        "I shook the baby",
        "I feel like shaking the baby",
        "Tengo miedo de lastimar a mi bebé",
        "Sacudí al bebé",
        "a veces quiero pegarle al bebé",
        "no quiero lastimar a mi hija",
    ],
)
def test_fear_of_harming_the_child_is_caught_in_english_and_spanish(text: str) -> None:
    assert screen_for_crisis(text) == "harm_child"


@pytest.mark.parametrize(
    "text",
    [
        "my partner beats me",
        "I'm afraid of my partner",
        "he hits me when he drinks",
        "this is domestic violence",
        "Mi pareja me golpea",
        "Tengo miedo de mi pareja",
        "Violencia doméstica",
        "Mi pareja me maltrata",
    ],
)
def test_violence_at_home_is_caught_in_english_and_spanish(text: str) -> None:
    assert screen_for_crisis(text) == "violence_home"


@pytest.mark.parametrize(
    "text",
    [
        "he's not breathing",
        "she isn’t breathing",
        "his lips are turning blue",
        "the baby won't wake up",
        "the baby won’t wake up",
        "he had a seizure",
        "No respira!",
        "dejó de respirar",
        "se puso azul",
        "ella no despierta",
        "le dio una convulsión",
    ],
)
def test_a_baby_in_medical_danger_is_caught_in_english_and_spanish(text: str) -> None:
    assert screen_for_crisis(text) == "baby_unwell"


def test_a_baby_in_danger_outranks_every_other_category() -> None:
    assert screen_for_crisis("I shook the baby and now he isn’t breathing") == "baby_unwell"


def test_self_harm_outranks_violence_at_home() -> None:
    assert screen_for_crisis("he hits me and I want to die") == "self_harm"


def test_mentioning_suicide_at_all_is_screened_on_purpose() -> None:
    # Deliberately broad: a false alarm costs a caring message; a miss costs more.
    assert screen_for_crisis("I watched a film about suicide") == "self_harm"


@pytest.mark.parametrize(
    "text",
    [
        "she hit her head on the table and laughed",
        "We tried it, he laughed so much",
        "I'm dying to try this one",
        "this kills me lol",
        "I could kill for a nap",
        "he made the wall blue with crayons",
        "she cried at bedtime",
        "I'm so tired I could cry",
        "he hurt himself falling off the couch",
        "Estoy enamorada de mi bebé",  # 'morado' inside a word is not 'morado'
        "¡Se rió mucho!",
        "Lo intentamos en el baño",
        "",
        "👍",
    ],
)
def test_ordinary_parent_messages_do_not_trigger(text: str) -> None:
    assert screen_for_crisis(text) is None


@pytest.mark.parametrize("text", ["Me quiero suicidar", "quisiera morirme"])
def test_common_spanish_phrasings_of_suicidal_thoughts_are_caught(text: str) -> None:
    assert screen_for_crisis(text) == "self_harm"


@pytest.mark.parametrize("text", ["my partner hit me last night", "mi esposo me pegó"])
def test_violence_told_in_the_past_tense_is_caught(text: str) -> None:
    assert screen_for_crisis(text) == "violence_home"


@pytest.mark.parametrize("text", ["I shook him because he wouldn't stop", "lo sacudí"])
def test_shaking_a_child_named_by_a_pronoun_is_caught(text: str) -> None:
    assert screen_for_crisis(text) == "harm_child"


@pytest.mark.parametrize(
    "text", ["my toddler hits me when he's mad", "mi hijo me pega cuando se enoja"]
)
def test_a_toddler_hitting_a_parent_is_not_domestic_violence(text: str) -> None:
    assert screen_for_crisis(text) is None


@pytest.mark.parametrize(
    "text", ["she hurt her knee at the park", "I would never hurt him", "un gorro morado"]
)
def test_everyday_words_about_bumps_and_colours_do_not_trigger(text: str) -> None:
    assert screen_for_crisis(text) is None
