"""What a parent's reply means: button keys, their own words, topics, opt-out words."""

from __future__ import annotations

import pytest

from bot.coaching.replies import (
    ALL_CHOICES,
    CHECKIN_KEYS,
    Reading,
    is_stop_word,
    read_choice,
    read_text,
    reply_to,
    topics_in_text,
)
from bot.texts import keys
from messages import vocabulary as vocab

HARD = Reading("hard", next_need="calm", repair_now=True)
GOOD = Reading("good", next_need=None, repair_now=False)
NEUTRAL = Reading("neutral", next_need=None, repair_now=False)


# --- buttons ------------------------------------------------------------------------------


def test_tapping_it_was_hard_sends_a_repair_now_and_a_calm_message_next() -> None:
    assert read_choice("hard") == HARD


@pytest.mark.parametrize("key", ["stressed", "tired"])
def test_tapping_stressed_or_tired_brings_a_calm_message_next_without_a_repair(key: str) -> None:
    assert read_choice(key) == Reading(key, next_need="calm", repair_now=False)


@pytest.mark.parametrize("key", ["tried", "helped", "good"])
def test_tapping_a_good_button_reads_as_good(key: str) -> None:
    assert read_choice(key) == GOOD


@pytest.mark.parametrize("key", ["not_today", "okay", "skip", "something-old"])
def test_other_buttons_are_neutral(key: str) -> None:
    assert read_choice(key) == NEUTRAL


def test_every_check_in_key_the_library_may_use_is_one_the_bot_reads() -> None:
    assert set(vocab.CHOICE_KEYS) == set(CHECKIN_KEYS)
    assert set(vocab.CHOICE_KEYS) <= ALL_CHOICES


# --- their own words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "not good",
        "It was NOT GOOD",
        "not great tbh",
        "hard day",
        "he had a tantrum",
        "I lost my temper",
        "I yelled",
        "no fue bien",
        "no muy bien",
        "tuvo una rabieta",
        "fue difícil",
        "Grité",
        "perdí la paciencia",
    ],
)
def test_words_about_a_hard_moment_bring_a_repair_now(text: str) -> None:
    assert read_text(text) == HARD


def test_a_hard_word_outranks_a_good_word_in_the_same_reply() -> None:
    assert read_text("good idea but he had a tantrum") == HARD


@pytest.mark.parametrize(
    "text",
    [
        "I'm exhausted",
        "so overwhelmed",
        "Estoy estresada",
        "estoy agotado",
        "me siento abrumada",
        "sin dormir",
        "ya no puedo más",
    ],
)
def test_words_about_stress_bring_a_calm_message_next(text: str) -> None:
    assert read_text(text) == Reading("stressed", next_need="calm", repair_now=False)


@pytest.mark.parametrize(
    "text",
    ["We tried it, she laughed", "we did it!", "GREAT!!", "fue genial", "¡Se rió mucho!", "bien"],
)
def test_words_about_a_good_moment_read_as_good(text: str) -> None:
    assert read_text(text) == GOOD


@pytest.mark.parametrize("text", ["ok", "", "   ", ":)", "👍", "what time is it?"])
def test_words_without_a_signal_are_neutral(text: str) -> None:
    assert read_text(text) == NEUTRAL


@pytest.mark.parametrize("text", ["it wasn't good", "wasn’t great", "nada bien", "no salió bien"])
def test_negated_good_words_are_not_read_as_good(text: str) -> None:
    assert read_text(text) == HARD


def test_it_did_not_work_in_spanish_is_not_read_as_good() -> None:
    assert read_text("no funcionó").signal != "good"


# --- topics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("he had a meltdown", "topic:tantrums"),
        ("tuvo un berrinche", "topic:tantrums"),
        ("I yelled at him", "topic:yelling"),
        ("Grité a mi hijo", "topic:yelling"),
        ("Le regañé", "topic:yelling"),
        ("she cried for an hour", "topic:crying"),
        ("no paraba de llorar, mucho llanto", "topic:crying"),
        ("bedtime was chaos", "topic:sleep"),
        ("no quiere dormir la siesta", "topic:sleep"),
        ("he pushed his sister", "topic:siblings"),
        ("peleó con su hermanita", "topic:siblings"),
        ("drop-off was rough", "topic:separation"),
        ("se quedó en la guardería", "topic:separation"),
        ("I was on my phone", "topic:distraction"),
        ("estaba en el celular", "topic:distraction"),
    ],
)
def test_a_reply_names_the_topics_it_mentions(text: str, topic: str) -> None:
    assert topic in topics_in_text(text)


def test_a_reply_can_mention_several_topics() -> None:
    assert topics_in_text("He had a tantrum at bedtime and I yelled") == {
        "topic:tantrums",
        "topic:sleep",
        "topic:yelling",
    }


@pytest.mark.parametrize("text", ["it went fine", "", "👍", "networking", "homework"])
def test_a_reply_without_topic_words_has_no_topics(text: str) -> None:
    assert topics_in_text(text) == frozenset()


def test_every_topic_found_in_replies_is_a_library_tag() -> None:
    every = topics_in_text(
        "tantrum yelled crying sleep brother daycare phone berrinche grite llanto siesta"
    )
    assert every <= vocab.TOPIC_TAGS
    assert len(every) == 7


@pytest.mark.parametrize("text", ["she loves yellow", "we ate leftovers"])
def test_words_that_merely_start_like_a_topic_word_are_not_that_topic(text: str) -> None:
    assert topics_in_text(text) == frozenset()


# --- opt-out words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["STOP", "stop", " Stop ", "PARAR", "parar", "Cancelar", "BAJA", "unsubscribe"]
)
def test_stop_words_are_honoured_in_any_case(text: str) -> None:
    assert is_stop_word(text)


@pytest.mark.parametrize(
    "text",
    ["don't stop", "don’t stop", "stop please", "stopping", "no pares", "parar de llorar", ""],
)
def test_stop_inside_a_sentence_is_not_an_opt_out(text: str) -> None:
    assert not is_stop_word(text)


@pytest.mark.parametrize(
    ("key", "typed", "expected"),
    [
        ("hard", None, "repair"),
        (None, "it was so hard today", "repair"),
        ("skip", None, "thanks_skip"),
        ("tired", None, "thanks_stressed"),
        (None, "estoy agotada", "thanks_stressed"),
        ("tried", None, "celebrate_or_thanks"),
        ("not_today", None, "thanks_not_today"),
        ("helped", None, "thanks_helped"),
        ("good", None, "thanks_good"),
        (None, "we had fun", "thanks_good"),
        ("okay", None, "thanks_neutral"),
        (None, "she ate peas", "got_it"),
    ],
)
def test_every_reply_gets_the_answer_that_fits_it(
    key: str | None, typed: str | None, expected: str
) -> None:
    reading = read_choice(key) if key is not None else read_text(typed or "")
    assert reply_to(reading, key) == expected
    if expected not in ("repair", "celebrate_or_thanks"):
        assert expected in keys("en") and expected in keys("es")
