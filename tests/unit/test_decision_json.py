"""The decision log's JSON is json.dumps(..., sort_keys=True, default=str), kept or not."""

from __future__ import annotations

import datetime as dt
import json

from bot.coaching.policy_v2 import Decision
from bot.db.adaptation import decision_values

NOW = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC)
CONTEXTS: list[dict[str, object]] = [
    {"b": 1, "a": [2, "x"], "c": None},
    {"b": 1.0, "a": (2, "x"), "c": None},  # equal as keys to the first, not the same JSON
    {"b": True, "a": [], "c": dt.date(2026, 11, 26)},
    {"nested": {"z": 1, "y": [1, [2]]}},  # not hashable: encoded without the cache
    {"focus_topics": ["topic:sleep"], "age_months": 7, "week_practice": None},
]


def _logged(context: dict[str, object], candidates: dict[str, float]) -> tuple[str, str]:
    decision = Decision("nudge", None, "bandit", 0.5, 0.1, candidates=candidates, context=context)
    values = decision_values(
        1, decision, delivery_id=2, now=NOW, local_date=NOW.date(), slot="daily"
    )
    return values["context"], values["candidates"]


def test_the_json_is_what_json_dumps_writes_whatever_came_before() -> None:
    for _ in range(2):  # the second round reads what the first kept
        for context in CONTEXTS:
            candidates = {"topic:play": 0.25, "other": 0.75, "kind:calm": 1}
            assert _logged(context, candidates) == (
                json.dumps(context, sort_keys=True, default=str),
                json.dumps(candidates, sort_keys=True, default=str),
            )
