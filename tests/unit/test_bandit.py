"""Thompson sampling with a pooled prior, clipped between a floor and a ceiling."""

from __future__ import annotations

import random

import pytest

from bot.coaching.bandit import (
    FLOOR,
    ArmStats,
    choose_arm,
    clip,
    draw_from,
    posterior,
    thompson_probabilities,
)

ARMS = ("a", "b", "c", "d")


def test_probabilities_are_clipped_and_still_sum_to_one() -> None:
    clipped = clip({"a": 0.97, "b": 0.01, "c": 0.01, "d": 0.01}, 0.05, 0.8)
    assert sum(clipped.values()) == pytest.approx(1.0)
    assert all(0.05 - 1e-9 <= p <= 0.8 + 1e-9 for p in clipped.values())
    assert clipped["a"] == pytest.approx(0.8)


def test_a_floor_too_high_for_the_arms_becomes_uniform_share() -> None:
    clipped = clip({str(i): 1.0 if i == 0 else 0.0 for i in range(30)}, 0.05, 0.8)
    assert sum(clipped.values()) == pytest.approx(1.0)
    assert min(clipped.values()) > 0


def test_an_arm_that_always_pays_is_favoured_but_never_certain() -> None:
    own = {"a": ArmStats(20, 0), "b": ArmStats(0, 20), "c": ArmStats(0, 20), "d": ArmStats(0, 20)}
    draw = choose_arm(ARMS, own, {}, random.Random(1))
    assert draw.probabilities["a"] == pytest.approx(0.8)
    assert all(draw.probabilities[arm] >= FLOOR - 1e-9 for arm in ARMS)


def test_the_pooled_prior_weighs_at_most_ten_observations() -> None:
    pooled = {"a": ArmStats(900, 100)}
    alpha, beta = posterior("a", {}, pooled)
    assert alpha + beta == pytest.approx(12.0)
    alpha, beta = posterior("a", {"a": ArmStats(0, 30)}, pooled)
    assert alpha / (alpha + beta) < 0.3  # the parent's own replies soon outweigh the pool


def test_with_nothing_known_every_arm_has_a_fair_chance() -> None:
    probabilities = thompson_probabilities(ARMS, {}, {})
    assert all(p == pytest.approx(0.25, abs=1e-9) for p in probabilities.values())


@pytest.mark.parametrize(
    "own",
    [
        {"a": ArmStats(3, 1), "b": ArmStats(0, 2), "c": ArmStats(1, 8)},
        {"a": ArmStats(40, 120), "b": ArmStats(45, 115), "c": ArmStats(35, 125)},
        {"a": ArmStats(300, 700), "b": ArmStats(310, 690), "d": ArmStats(0, 1)},
        {"a": ArmStats(20, 0), "b": ArmStats(0, 20)},
    ],
)
def test_the_probabilities_are_what_thompson_sampling_would_choose(
    own: dict[str, ArmStats],
) -> None:
    """The computed chances match the share of wins over many posterior draws."""
    pooled = {"a": ArmStats(400, 600), "c": ArmStats(50, 950)}
    computed = thompson_probabilities(ARMS, own, pooled)
    rng, draws = random.Random(7), 40_000
    params = [posterior(arm, own, pooled) for arm in ARMS]
    wins = dict.fromkeys(ARMS, 0)
    for _ in range(draws):
        values = [rng.betavariate(a, b) for a, b in params]
        wins[ARMS[values.index(max(values))]] += 1
    assert sum(computed.values()) == pytest.approx(1.0)
    for arm in ARMS:
        assert computed[arm] == pytest.approx(wins[arm] / draws, abs=0.01)


def test_the_ceiling_holds_when_the_other_arms_have_almost_no_chance() -> None:
    clipped = clip({"a": 1e-30, "b": 1.0}, 0.02, 0.8)
    assert clipped == pytest.approx({"a": 0.2, "b": 0.8})
    clipped = clip({"a": 0.0, "b": 1.0, "c": 1e-17}, 0.1, 0.5)
    assert sum(clipped.values()) == pytest.approx(1.0)
    assert clipped["b"] == pytest.approx(0.5) and clipped["c"] >= clipped["a"] >= 0.1 - 1e-9


def test_the_logged_probability_is_the_one_the_draw_used() -> None:
    probabilities = {"a": 0.5, "b": 0.3, "c": 0.2}
    counts = {arm: 0 for arm in probabilities}
    rng = random.Random(5)
    for _ in range(20000):
        draw = draw_from(probabilities, rng)
        assert draw.probability == probabilities[draw.arm]
        counts[draw.arm] += 1
    assert counts["a"] / 20000 == pytest.approx(0.5, abs=0.02)


def test_the_same_seed_gives_the_same_choice() -> None:
    first = choose_arm(ARMS, {}, {}, random.Random("x"))
    second = choose_arm(ARMS, {}, {}, random.Random("x"))
    assert first == second


def test_the_bandit_finds_a_hidden_preference() -> None:
    rng = random.Random(11)
    truth = {"a": 0.2, "b": 0.8, "c": 0.2, "d": 0.2}
    stats = {arm: [0, 0] for arm in ARMS}
    chosen_b = 0
    for step in range(200):
        own = {arm: ArmStats(s, f) for arm, (s, f) in stats.items()}
        draw = choose_arm(ARMS, own, {}, rng)
        reward = rng.random() < truth[draw.arm]
        stats[draw.arm][0 if reward else 1] += 1
        chosen_b += step >= 100 and draw.arm == "b"
    assert chosen_b >= 60  # most of the second hundred, within the ceiling
