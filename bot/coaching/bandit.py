"""Thompson sampling over arms (kinds of nudge), with a prior pooled across parents and
selection probabilities held between a floor and a ceiling.

The probabilities are computed first (Monte Carlo over the Beta posteriors with a seeded
generator, then clipped), and the arm is drawn from them with one uniform number. So the
probability logged with a decision is exactly the one the draw used, which is what a
micro-randomized analysis needs.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Pseudo-observations the pooled prior may weigh at most: a parent's own replies soon count more.
PRIOR_STRENGTH = 10.0
FLOOR = 0.02
CEILING = 0.80
SAMPLES = 300


@dataclass(frozen=True, slots=True)
class ArmStats:
    """Rewards (a positive reply within 24 h) and misses for one arm."""

    successes: int = 0
    failures: int = 0


@dataclass(frozen=True, slots=True)
class Draw:
    """The arm chosen, its probability, the uniform number that chose it, and all arms' odds."""

    arm: str
    probability: float
    draw: float
    probabilities: Mapping[str, float]


def posterior(
    arm: str, own: Mapping[str, ArmStats], pooled: Mapping[str, ArmStats]
) -> tuple[float, float]:
    """Beta(alpha, beta) for one arm: a uniform Beta(1, 1), the pooled rewards scaled down to at
    most PRIOR_STRENGTH observations, then this parent's own rewards."""
    shared = pooled.get(arm, ArmStats())
    seen = shared.successes + shared.failures
    scale = min(1.0, PRIOR_STRENGTH / seen) if seen else 0.0
    mine = own.get(arm, ArmStats())
    alpha = 1.0 + shared.successes * scale + mine.successes
    beta = 1.0 + shared.failures * scale + mine.failures
    return alpha, beta


def thompson_probabilities(
    arms: Sequence[str],
    own: Mapping[str, ArmStats],
    pooled: Mapping[str, ArmStats],
    rng: random.Random,
    *,
    samples: int = SAMPLES,
) -> dict[str, float]:
    """P(arm has the highest sampled reward rate), estimated with `samples` draws."""
    if len(arms) == 1:
        return {arms[0]: 1.0}
    params = [posterior(arm, own, pooled) for arm in arms]
    wins = [0] * len(arms)
    for _ in range(samples):
        values = [rng.betavariate(a, b) for a, b in params]
        wins[values.index(max(values))] += 1
    return {arm: wins[i] / samples for i, arm in enumerate(arms)}


def clip(probabilities: Mapping[str, float], floor: float, ceiling: float) -> dict[str, float]:
    """Probabilities held in [floor, ceiling] that still sum to one, in the same order as
    before: p = clip(scale * q) with the one scale that makes them sum to one (bisection)."""
    arms = list(probabilities)
    n = len(arms)
    if n == 1:
        return {arms[0]: 1.0}
    floor = min(floor, 1.0 / n)
    ceiling = max(ceiling, 1.0 / n)

    def clipped(scale: float) -> dict[str, float]:
        return {a: min(ceiling, max(floor, scale * probabilities[a])) for a in arms}

    low, high = 0.0, 1.0
    while sum(clipped(high).values()) < 1.0 and high < 1e12:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if sum(clipped(middle).values()) < 1.0:
            low = middle
        else:
            high = middle
    found = clipped(high)
    short = 1.0 - sum(found.values())
    if short > 1e-12:  # arms with no chance at all cannot be scaled up: they share the rest
        zero = [a for a in arms if probabilities[a] <= 0] or arms
        for arm in zero:
            found[arm] += short / len(zero)
    total = sum(found.values())
    return {a: found[a] / total for a in arms}


def choose_arm(
    arms: Sequence[str],
    own: Mapping[str, ArmStats],
    pooled: Mapping[str, ArmStats],
    rng: random.Random,
    *,
    floor: float = FLOOR,
    ceiling: float = CEILING,
) -> Draw:
    """Thompson sampling, clipped; the arm drawn from the clipped probabilities."""
    ordered = sorted(arms)
    probabilities = clip(thompson_probabilities(ordered, own, pooled, rng), floor, ceiling)
    return draw_from(probabilities, rng)


def draw_from(probabilities: Mapping[str, float], rng: random.Random) -> Draw:
    """One uniform number picks an arm by its cumulative probability (in sorted arm order)."""
    u = rng.random()
    total = 0.0
    ordered = sorted(probabilities)
    for arm in ordered:
        total += probabilities[arm]
        if u < total:
            return Draw(arm, probabilities[arm], u, dict(probabilities))
    last = ordered[-1]
    return Draw(last, probabilities[last], u, dict(probabilities))
