"""Thompson sampling over arms (kinds of nudge), with a prior pooled across parents and
selection probabilities held between a floor and a ceiling.

The probabilities are computed first (the chance that each arm's posterior draw is the highest,
by quadrature over the Beta densities, then clipped), and the arm is drawn from them with one
uniform number. So the probability logged with a decision is exactly the one the draw used,
which is what a micro-randomized analysis needs. The probabilities depend on the posteriors
alone, so parents in the same state share one computation (cached).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Pseudo-observations the pooled prior may weigh at most: a parent's own replies soon count more.
PRIOR_STRENGTH = 10.0
FLOOR = 0.02
CEILING = 0.80
# Midpoint-rule nodes on (0, 1): the chances come within about 1e-3 of exact even for posteriors
# of a few hundred observations (a 300-draw Monte Carlo estimate was off by up to 0.03).
GRID = 256
_NODES = (np.arange(GRID) + 0.5) / GRID
_LOG_X = np.log(_NODES)
_LOG_1_MINUS_X = np.log1p(-_NODES)


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
    alpha = beta = 1.0
    shared = pooled.get(arm)
    if shared is not None and (seen := shared.successes + shared.failures):
        scale = min(1.0, PRIOR_STRENGTH / seen)
        alpha += shared.successes * scale
        beta += shared.failures * scale
    mine = own.get(arm)
    if mine is not None:
        alpha += mine.successes
        beta += mine.failures
    return alpha, beta


def thompson_probabilities(
    arms: Sequence[str], own: Mapping[str, ArmStats], pooled: Mapping[str, ArmStats]
) -> dict[str, float]:
    """P(arm has the highest sampled reward rate): what Thompson sampling would choose."""
    if len(arms) == 1:
        return {arms[0]: 1.0}
    chances = _chances(tuple(posterior(arm, own, pooled) for arm in arms))
    return dict(zip(arms, chances, strict=True))


@functools.lru_cache(maxsize=65_536)
def _chances(params: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
    """For each Beta(alpha, beta): the integral of its density times every other's CDF."""
    shape = np.array(params) - 1.0
    log_density = shape[:, :1] * _LOG_X + shape[:, 1:] * _LOG_1_MINUS_X
    mass = np.exp(log_density - log_density.max(axis=1, keepdims=True))
    mass /= mass.sum(axis=1, keepdims=True)
    # P(X < node) at each node's midpoint; in logs, so the others' product is one sum.
    log_below = np.log(np.maximum(np.cumsum(mass, axis=1) - mass / 2, 1e-300))
    others_below = np.exp(log_below.sum(axis=0) - log_below)
    chances = np.einsum("kn,kn->k", mass, others_below)
    return tuple(float(c) for c in chances / chances.sum())


def clip(probabilities: Mapping[str, float], floor: float, ceiling: float) -> dict[str, float]:
    """Probabilities held in [floor, ceiling] that still sum to one, in the same order as
    before: p = clip(scale * q) with the one scale that makes them sum to one."""
    arms = list(probabilities)
    n = len(arms)
    if n == 1:
        return {arms[0]: 1.0}
    clipped = _clipped(tuple(probabilities[a] for a in arms), floor, ceiling)
    return dict(zip(arms, clipped, strict=True))


@functools.lru_cache(maxsize=65_536)
def _clipped(q: tuple[float, ...], floor: float, ceiling: float) -> tuple[float, ...]:
    n = len(q)
    floor = min(floor, 1.0 / n)
    ceiling = max(ceiling, 1.0 / n)
    total_q = sum(q)
    if total_q > 0 and all(floor <= x / total_q <= ceiling for x in q):
        return tuple(x / total_q for x in q)  # the usual case: nothing to clip

    def at(scale: float) -> list[float]:
        return [min(ceiling, max(floor, scale * x)) for x in q]

    # The clipped sum grows piecewise linearly with the scale, bending where an arm leaves the
    # floor or reaches the ceiling: find the piece where it crosses one, then solve on it.
    bends = sorted({bound / x for x in q if x > 0 for bound in (floor, ceiling)})
    low = 0.0
    found: list[float] | None = None
    for high in bends:
        total_high = sum(at(high))
        if total_high >= 1.0:
            total_low = sum(at(low))
            if total_high == total_low:
                found = at(high)
            else:
                found = at(low + (high - low) * (1.0 - total_low) / (total_high - total_low))
            break
        low = high
    if found is None:  # every arm with a chance is at the ceiling and the sum is still short
        found = at(bends[-1] if bends else 0.0)
    short = 1.0 - sum(found)
    if short > 1e-12:  # arms with no chance at all cannot be scaled up: they share the rest
        zero = [i for i, x in enumerate(q) if x <= 0] or list(range(n))
        for i in zero:
            found[i] += short / len(zero)
    total = sum(found)
    return tuple(p / total for p in found)


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
    probabilities = clip(thompson_probabilities(ordered, own, pooled), floor, ceiling)
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
