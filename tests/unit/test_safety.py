"""Screening a parent's own words for signs that someone may be in danger right now."""

from __future__ import annotations

import pytest

from bot.coaching.safety import (
    NOTHING,
    PRIORITY,
    RULES,
    Category,
    Screening,
    normalise,
    rules,
    screen,
)

B, S, H, V, D = (
    Category.BABY_UNWELL,
    Category.SELF_HARM,
    Category.HARM_CHILD,
    Category.VIOLENCE_HOME,
    Category.DISTRESS,
)


def flagged_as(text: str) -> Category | None:
    found = screen(text)
    return found.category if found.flagged else None


# ---- normalising ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Me PEGÓ", "me pego"),
        ("won’t  wake\tup", "wont wake up"),
        ("kill\u200bmyself", "killmyself"),
        ("kill\u200b myself", "kill myself"),
        ("so\u00admuch", "somuch"),  # soft hyphen is a format character too
        ("Ｉ ｗａｎｔ", "i want"),  # full-width letters (NFKC)
        ("soooo tired", "soo tired"),
        ("noooooo", "noo"),
        ("mamá ñoño", "mama nono"),
        ("STRASSE Straße", "strasse strasse"),
        ("  lots \n of   space ", "lots of space"),
    ],
)
def test_normalise_folds_what_phones_and_people_vary(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


# ---- each category, both languages, the way parents write ----------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # self-harm
        ("I want to kill myself", S),
        ("i want to kill\u200bmyself", S),  # a zero-width space inside the words
        ("i want to kill \u200b myself", S),
        ("I WANT TO KILL MYSELF", S),
        ("i wanna diiiie", S),
        ("i want to kil my self", S),
        ("thinking of killing myslef tonight", S),
        ("I don't want to live anymore", S),
        ("i dont want to be here anymore", S),
        ("sometimes i think about hurting myself", S),
        ("i've been feeling suicidal", S),
        ("everyone would be better off without me", S),
        ("me quiero matar", S),
        ("ME KIERO MORIR", S),
        ("quisiera estar muerta", S),
        ("ya no quiero vivir", S),
        ("pienso en quitarme la vida", S),
        ("me quiero suicidar", S),
        ("i just want to die ya no aguanto", S),  # Spanglish
        # harm to the child
        ("im scared i'll hurt my baby", H),
        ("i shook him because he wouldnt stop", H),
        ("sometimes i want to shake her", H),
        ("tengo miedo de lastimar a mi bebé", H),
        ("me dan ganas de sacudirlo", H),
        ("lo sacudí", H),
        ("i dont trust myself alone with the baby", H),
        # violence at home
        ("my husband hits me", V),
        ("i'm scared of my husband", V),
        ("my boyfriend choked me", V),
        ("he hits me when he's drunk", V),
        ("my partner threatened to kill me", V),
        ("mi esposo me grita y me da miedo", V),
        ("mi esposo me pegó", V),
        ("le tengo miedo a mi pareja", V),
        ("my husband me pega", V),  # Spanglish
        # a baby who may be seriously unwell
        ("baby has a high fever", B),
        ("he's not breathing", B),
        ("she isn’t breathing!!", B),
        ("his lips are turning blue", B),
        ("the baby won't wake up", B),
        ("he's having a seizure", B),
        ("she fell off the bed and now she keeps vomiting", B),
        ("my 3 week old has a fever", B),
        ("temp is 39.8 and hes so floppy", B),
        ("no respira", B),
        ("se puso morado", B),
        ("tiene fiebre muy alta", B),
        ("le dio una convulsión", B),
        # distress without crisis words
        ("I can't do this anymore", D),
        ("I cant do this anymore", D),
        ("i cant do this any more", D),
        ("I feel nothing for my baby", D),
        ("ya no aguanto más", D),
        ("ya no aguanto mas", D),
        ("no siento nada por mi bebé", D),
        ("no puedo más", D),
    ],
)
def test_each_category_is_caught_in_english_spanish_and_spanglish(
    text: str, category: Category
) -> None:
    found = screen(text)
    assert found.category == category, found
    assert found.flagged, found
    assert found.rule is not None and found.rule.startswith(f"{category.value}.")


@pytest.mark.parametrize(
    "text",
    [
        "i want to kil myself",  # one letter short
        "i want to kill myslef",  # two letters swapped
        "i wnat to die",
        "my husbnd hits me",
        "my boyfreind hit me",
        "hes not brething",
        "me quiero suisidar",
        "I'VE BEEN HAVING SUICDAL THOUGHTS",
    ],
)
def test_common_misspellings_are_tolerated(text: str) -> None:
    assert screen(text).flagged


@pytest.mark.parametrize(
    "text",
    [
        "Photo of us at the park. Honestly I want to kill myself lately",  # a caption
        "caption: me quiero morir",
        "tried the song, she loved it. anyway i have been thinking about ending my life, "
        "what time is tomorrow's message",
        "[photo] he's turning blue help",
    ],
)
def test_captions_and_long_messages_with_the_crisis_in_the_middle(text: str) -> None:
    assert screen(text).flagged


# ---- near-misses stay quiet ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "this diaper is killing me",
        "me muero de sueño",
        "me muero de la risa",
        "I'm dying to see her walk",
        "kill the lights, it's bedtime",
        "she has a cold and a runny nose",
        "Rock-a-bye baby, on the treetop... down will come baby, cradle and all",
        "he had a huge tantrum at the store",
        "he hits me when I change his diaper",
        "my toddler bites me when he's tired",
        "mi hijo me pega cuando se enoja",
        "my husband hits the gym every day",
        "mi esposo me pegó la gripa",
        "my husband will kill me if I buy more baby clothes lol",
        "we shook the rattle and she laughed",
        "i want to die my hair blue",
        "I hurt myself on a lego lol",
        "she hurt her knee",
        "he didn't wake up all night, first time!",
        "I can't do this puzzle",
        "i feel nothing but love for him",
        "no puedo más de la risa",
        "blue is her favorite color",
        "",
        "👍",
        "ok",
    ],
)
def test_near_misses_do_not_raise_an_alarm(text: str) -> None:
    assert not screen(text).flagged


@pytest.mark.parametrize(
    "text",
    ["he hits me when I change his diaper", "she bit me while nursing", "me muero de sueño"],
)
def test_toddlers_and_idioms_are_not_even_asked_about(text: str) -> None:
    assert screen(text) == NOTHING


# ---- negation and maybes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt my baby",
        "no quiero morir, solo estoy cansada",
        "im not suicidal, just tired",
        "yo nunca lastimaría a mi bebé",
    ],
)
def test_negated_thoughts_are_at_most_a_gentle_question(text: str) -> None:
    found = screen(text)
    assert not found.flagged
    assert found.category is None or found.ambiguous


@pytest.mark.parametrize(
    "text", ["he's not blue, just cold hands", "my husband would never hit me", "no fever"]
)
def test_negated_danger_at_home_or_in_the_body_is_nothing(text: str) -> None:
    assert not screen(text).flagged


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to live",
        "i dont want to live anymore",
        "ya no quiero vivir",
        "no joke i want to die",
    ],
)
def test_negation_that_is_the_crisis_itself_is_flagged(text: str) -> None:
    assert flagged_as(text) == S


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he hits me", V),  # who is "he"? a toddler or a partner
        ("me pega", V),
        ("i watched a film about suicide", S),
        ("i want to die lol", S),
    ],
)
def test_ambiguous_messages_ask_instead_of_alarming(text: str, category: Category) -> None:
    found = screen(text)
    assert found.ambiguous and not found.flagged
    assert found.category == category
    assert found.rule is not None


def test_a_partner_named_anywhere_turns_the_maybe_into_a_flag() -> None:
    assert flagged_as("he hit me again last night. my husband I mean") == V
    assert flagged_as("me pegó otra vez, mi esposo digo") == V


# ---- order and contract --------------------------------------------------------------------


def test_a_baby_in_danger_outranks_every_other_category() -> None:
    assert flagged_as("I shook the baby and now he isn't breathing") == B


def test_self_harm_outranks_violence_at_home() -> None:
    assert flagged_as("my husband hits me and I want to die") == S


def test_a_flag_beats_a_maybe_of_a_more_urgent_category() -> None:
    assert flagged_as("i want to die lol. my husband hits me") == V


def test_screening_contract() -> None:
    assert Screening(None, None) == NOTHING and not NOTHING.flagged
    assert Screening(S, "x", ambiguous=True).flagged is False
    assert Screening(S, "x").flagged is True
    assert [c.value for c in PRIORITY] == [
        "baby_unwell",
        "self_harm",
        "harm_child",
        "violence_home",
        "distress",
    ]


def test_rules_are_data_with_unique_ids_naming_their_category() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        category, language, _ = rule.id.split(".", 2)
        assert category == rule.category.value
        assert language in {"en", "es", "any"}
    assert {rule.category for rule in rules()} == set(Category)
    assert [rule.category for rule in rules()] == sorted(
        (rule.category for rule in RULES), key=PRIORITY.index
    )
