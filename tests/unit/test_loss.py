"""Reading a loss in a parent's words: English and Spanish, typos, honest negation."""

from __future__ import annotations

import pytest

from bot.coaching.loss import read_loss
from bot.coaching.safety import screen

TOLD = (
    "my baby died",
    "My baby died this morning",
    "we lost the baby",
    "We lost the baby at 20 weeks",
    "i lost my baby",
    "I had a miscarriage",
    "had a miscarrige on sunday",  # typo
    "the baby was stillborn",
    "stilborn",  # typo
    "our baby passed away",
    "My son passed away last night",
    "our baby didn't make it.",
    "my baby is in heaven now",
    "No, my baby died",
    "we lost the pregnancy",
    "SIDS",
    "perdí a mi bebé",
    "perdi al bebe",
    "Sí, perdí a mi bebé",
    "mi bebé murió",
    "se murió mi bebé",
    "mi bebe fallecio",
    "mi bb fallesio",  # typo and slang
    "perdimos a nuestra hija",
    "tuve un aborto espontáneo",
    "tuve una pérdida",
    "perdí el embarazo",
    "nació sin vida",
    "lo que pasó es que mi bebé murió",
)
NOT_TOLD = (
    "my baby didn't die",
    "we almost lost the baby",
    "I'm scared of a miscarriage",
    "worried about stillbirth",
    "my baby lost weight",
    "I lost my temper with my baby",
    "I lost the baby's sock",
    "lost the baby monitor again",
    "we lost the baby in the store for a minute",
    "my baby didn't make it to the potty",
    "my phone died",
    "our baby passed out from tiredness",
    "we lost the game",
    "the baby is fine",
    "I lost the baby weight",
    "perdí el chupón del bebé",
    "mi bebé no murió",
    "casi perdemos al bebé",
    "tengo miedo de perder al bebé",
    "me preocupa un aborto espontáneo",
    "no me siento bien",
)


@pytest.mark.parametrize("words", TOLD)
def test_a_loss_told_is_read(words: str) -> None:
    assert read_loss(words).told, words


@pytest.mark.parametrize("words", NOT_TOLD)
def test_a_loss_feared_denied_or_about_something_else_is_not(words: str) -> None:
    assert not read_loss(words).told, words


def test_a_pregnancy_loss_is_told_apart_from_a_baby_lost() -> None:
    assert read_loss("I had a miscarriage").pregnancy
    assert read_loss("perdí el embarazo").pregnancy
    assert not read_loss("my baby died").pregnancy
    assert not read_loss("SIDS took our son").pregnancy


def test_the_rule_that_matched_is_named() -> None:
    assert read_loss("mi bebé murió").rule == "verb:murio+bebe"
    assert read_loss("stillbirth").rule == "alone:stillbirth"
    assert read_loss("hello").rule is None


def test_danger_is_still_the_safety_screens_first() -> None:
    """Grief with words of self-harm goes to the safety net (it runs first in the handler)."""
    words = "my baby died and I want to die"
    assert read_loss(words).told
    assert screen(words).flagged
