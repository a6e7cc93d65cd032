"""A parent with nothing sent yet gets, from options worked out once, what working them out
for that parent alone would give."""

from __future__ import annotations

import datetime as dt

from bot.coaching.bandit import ArmStats
from bot.coaching.policy_v2 import AdaptivePolicy, Snapshot, non_adaptive_policy
from messages.library import load_library

TODAY = dt.date(2026, 11, 26)
# Sent, but no message of the library: the snapshot goes the long way, with the same pool.
NOT_IN_THE_LIBRARY = {"no-such-message": TODAY - dt.timedelta(days=400)}


def _fresh(parent_id: int, **changes: object) -> Snapshot:
    snapshot = Snapshot(
        parent_id=parent_id,
        language="es" if parent_id % 2 else "en",
        age_months=parent_id // 10 % 12,  # a dozen ages, each at every hour and language
        today=TODAY + dt.timedelta(days=parent_id // 120 % 9),
        local_hour=(6, 9, 13, 16, 20)[parent_id % 5],
        own={"topic:play": ArmStats(parent_id % 4, 1)} if parent_id % 5 == 0 else {},
        pooled={"topic:reading": ArmStats(30, 12), "moment:songs": ArmStats(4, 20)},
        facts_this_week=frozenset({"stressed"}) if parent_id % 7 == 0 else frozenset(),
    )
    return Snapshot(**{**{f: getattr(snapshot, f) for f in Snapshot.__slots__}, **changes})


def test_the_shared_options_choose_what_each_parents_own_would() -> None:
    library = load_library()
    for policy in (AdaptivePolicy(), non_adaptive_policy()):
        for parent_id in range(1, 400):
            shared = policy.choose(_fresh(parent_id), library)
            alone = policy.choose(_fresh(parent_id, last_sent=NOT_IN_THE_LIBRARY), library)
            assert shared == alone, parent_id


def test_options_follow_the_library_they_were_worked_out_for() -> None:
    policy = AdaptivePolicy()
    first, second = load_library(), load_library()
    snapshot = _fresh(1)
    chosen = policy.choose(snapshot, first)
    assert policy.choose(snapshot, second) == chosen  # equal libraries, equal choices
    assert chosen.message is not None
    again = policy.choose(snapshot, second).message
    assert any(m is again for m in second.messages)  # a message of the library asked about
