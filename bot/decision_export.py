"""`tend export decisions`: the decision log as CSV, one row per decision, for a
micro-randomized-trial style analysis. Parents appear only under a pseudonym."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from typing import IO

from sqlalchemy import select

from bot.db.adaptation import pseudonym
from bot.db.models import Decision, Delivery, Parent
from bot.db.session import make_engine, make_session_factory

# The README's "Decision log" section explains each column.
COLUMNS = (
    "decision_id",
    "decided_at",
    "local_date",
    "participant",
    "child",
    "slot",
    "policy_version",
    "rule",
    "kind",
    "message_id",
    "arm",
    "probability",
    "draw",
    "pool_size",
    "candidates",
    "age_months",
    "local_hour",
    "time_of_day",
    "cadence_step",
    "unanswered",
    "days_since_checkin",
    "last_feeling",
    "last_reply",
    "focus_topics",
    "week_practice",
    "delivery_status",
    "sent_at",
    "outcome",
    "reward",
    "outcome_at",
)
_CONTEXT = (
    "age_months",
    "local_hour",
    "time_of_day",
    "cadence_step",
    "unanswered",
    "days_since_checkin",
    "last_feeling",
    "last_reply",
    "focus_topics",
    "week_practice",
)


def child_pseudonyms(participant: str, child_ids: str | None) -> str:
    """Which child a decision was for, as stable pseudonyms within the participant ("a+b" for
    a nudge two children shared); empty when it was for none."""
    if not child_ids:
        return ""
    return "+".join(
        hashlib.blake2b(f"tend-child:{participant}:{one}".encode(), digest_size=4).hexdigest()
        for one in child_ids.split("+")
    )


def _iso(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat() if value is not None else ""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


async def export_decisions(database_url: str, out: IO[str], *, now: dt.datetime) -> int:
    """Write every decision (oldest first); returns how many. A message decision older than 24
    hours with no reply is written with reward 0 (the outcome window has closed); the bot's
    acknowledgements (kind `ack`) carry no reward."""
    engine = make_engine(database_url)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    try:
        async with make_session_factory(engine)() as session:
            rows = await session.execute(
                select(Decision, Parent.created_at, Delivery.status, Delivery.sent_at)
                .join(Parent, Parent.id == Decision.parent_id)
                .outerjoin(Delivery, Delivery.id == Decision.delivery_id)
                .order_by(Decision.id)
            )
            for decision, created_at, status, sent_at in rows.all():
                context = json.loads(decision.context or "{}")
                reward = decision.reward
                closed = decision.decided_at < now - dt.timedelta(hours=24)
                if reward is None and closed and decision.kind != "ack":
                    reward = 0
                writer.writerow(
                    [
                        decision.id,
                        _iso(decision.decided_at),
                        decision.local_date.isoformat(),
                        participant := pseudonym(decision.parent_id, created_at),
                        child_pseudonyms(participant, decision.child_ids),
                        decision.slot,
                        decision.policy_version,
                        decision.rule,
                        decision.kind,
                        decision.message_id,
                        decision.arm or "",
                        f"{decision.probability:.6f}",
                        f"{decision.draw:.6f}",
                        decision.pool_size,
                        decision.candidates,
                        *(_cell(context.get(name)) for name in _CONTEXT),
                        status or "",
                        _iso(sent_at),
                        decision.outcome or ("none" if reward == 0 else ""),
                        "" if reward is None else reward,
                        _iso(decision.outcome_at),
                    ]
                )
                count += 1
    finally:
        await engine.dispose()
    return count
