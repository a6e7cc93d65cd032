"""The reply side as one decision: what to say to a reply, what to send with it, what to remember.

`plan_reply` is pure over a snapshot of the parent and what they just told us (a quick-reply key
or their own words, read into `Signals`). The handler loads the snapshot, calls it, and applies
the plan: no query happens halfway through deciding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from bot.coaching import fit
from bot.coaching.acknowledgements import Ack, Versions, choose_ack
from bot.coaching.policy_v2 import (
    CARE_KINDS,
    FOCUS_DAYS,
    Decision,
    Snapshot,
    candidate_pool,
    choose_care,
    pick_best,
    rng_for,
    time_of_day,
)
from bot.coaching.signals import Signals
from messages.library import Library, Message

REPLY_VERSION = "reply-1"
# "We tried it" taps within a week that earn a celebration instead of a thank-you.
CELEBRATE_AT_TRIES = frozenset({3, 5, 7})
# Keys a check-in or calm message may carry, and what each says.
_STRESS_KEYS = frozenset({"stressed", "tired"})
_GOOD_KEYS = frozenset({"tried", "helped", "good"})
# Unchanged: the value that leaves parents.pending_need as it is.
KEEP = "keep"


@dataclass(frozen=True, slots=True)
class Answered:
    """The message a reply answers (the latest one, for typed words)."""

    kind: str
    message_id: str
    tags: frozenset[str] = frozenset()
    delivery_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReplyContext:
    snapshot: Snapshot
    key: str | None = None  # a quick reply; None for typed words
    signals: Signals | None = None
    answered: Answered | None = None
    requested: str | None = None  # "repair": /repair


@dataclass(frozen=True, slots=True)
class ReplyPlan:
    """Acknowledgements to say, in order; a library message to send now; what to remember."""

    say: tuple[Ack, ...] = ()
    follow_up: Message | None = None
    follow_up_probability: float = 1.0
    follow_up_rule: str = ""
    pool_size: int = 0
    toast: Ack | None = None
    pending_need: str | None = KEEP
    focus_topics: frozenset[str] = frozenset()
    focus_until: dt.date | None = None
    reported_topics: frozenset[str] | None = None
    positive: bool = False
    signal: str = "neutral"
    facts: frozenset[str] = field(default_factory=frozenset)


def plan_reply(ctx: ReplyContext, library: Library, versions: Versions | None = None) -> ReplyPlan:
    """The whole answer to one reply."""
    snap = ctx.snapshot
    seen = dict(snap.last_sent)

    def ack(key: str) -> Ack:
        chosen = choose_ack(key, snap.language, seen, versions=versions)
        seen[chosen.message_id] = snap.today  # two in one answer are never the same version
        return chosen

    if ctx.requested == "repair":
        return _repair(ctx, library, (), frozenset(), "requested")
    signals = ctx.signals or Signals()
    key = ctx.key
    hard = key == "hard" or signals.hard
    stressed = key in _STRESS_KEYS or signals.stress
    tried = key == "tried" or (key is None and signals.tried and not hard)
    good = key in _GOOD_KEYS or (key is None and signals.positive)
    topics = signals.topics
    base = ReplyPlan(
        toast=ack("saved") if key is not None else None,
        facts=facts_of(key, signals),
        focus_topics=topics,
        focus_until=snap.today + dt.timedelta(days=FOCUS_DAYS) if topics else None,
    )
    answered_tags = ctx.answered.tags if ctx.answered else frozenset()
    if signals.person:
        return replace(base, say=(ack("person"),), signal="person")
    if signals.question and not hard and not stressed:
        return replace(base, say=(ack("question"),), signal="question")
    if hard:
        after_care = (ctx.answered is not None and ctx.answered.kind in CARE_KINDS) or (
            snap.recent_kinds[:1] == ("repair",)
        )
        if after_care:
            # A hard moment right after a repair tip or calm message: no second tip in a row.
            return replace(
                base, say=(ack("hard_again"),), pending_need=None, signal="hard",
                reported_topics=topics,
            )  # fmt: skip
        # A hard moment gets a repair tip now and, tomorrow, something for the parent.
        tip = _repair(ctx, library, (ack("hard_intro"),), topics, "hard_moment", answered_tags)
        return replace(
            tip, toast=base.toast, facts=base.facts, focus_topics=base.focus_topics,
            focus_until=base.focus_until, pending_need="calm",
        )  # fmt: skip
    if stressed:
        fatigue = frozenset({"topic:fatigue"}) if key == "tired" else frozenset()
        return replace(
            base, say=(ack("stressed"),), pending_need="calm", signal="stressed",
            reported_topics=topics | fatigue,
        )  # fmt: skip
    if tried:
        celebration = _celebration(ctx, library)
        if celebration is not None:
            message, probability, size = celebration
            return replace(
                base, follow_up=message, follow_up_probability=probability,
                follow_up_rule="celebrate", pool_size=size, positive=True, signal="good",
            )  # fmt: skip
        return replace(base, say=(ack("tried"),), positive=True, signal="good")
    if key == "not_today":
        return replace(base, say=(ack("not_today"),))
    if key == "helped":
        return replace(base, say=(ack("helped"),), positive=True, signal="good")
    if good:
        return replace(
            base, say=(ack("delight" if key is None else "tap"),), positive=True, signal="good"
        )
    return replace(base, say=(ack("words" if key is None else "tap"),))


def reply_decision(plan: ReplyPlan, ctx: ReplyContext) -> Decision:
    """The library message a plan sends now, as a decision for the log."""
    assert plan.follow_up is not None
    snap = ctx.snapshot
    return Decision(
        kind=plan.follow_up.kind,
        message=plan.follow_up,
        rule=plan.follow_up_rule,
        probability=plan.follow_up_probability,
        draw=0.0,
        candidates={plan.follow_up.id: plan.follow_up_probability},
        pool_size=plan.pool_size,
        context={
            "age_months": snap.age_months,
            "local_hour": snap.local_hour,
            "time_of_day": time_of_day(snap.local_hour),
            "answered": ctx.answered.message_id if ctx.answered else None,
            "key": ctx.key,
            "signals": sorted(ctx.signals.flags()) if ctx.signals else [],
            "topics": sorted(ctx.signals.topics) if ctx.signals else [],
            "last_feeling": snap.last_feeling,
        },
        policy_version=REPLY_VERSION,
    )


def ack_decisions(plan: ReplyPlan) -> tuple[Decision, ...]:
    """The versions a plan shows (the toast first), as decisions: the log is also how the bot
    remembers which versions a parent saw, since answers leave the outbox once sent."""
    shown = ((plan.toast,) if plan.toast is not None else ()) + plan.say
    return tuple(
        Decision(
            kind="ack",
            message=None,
            rule=ack.key,
            probability=1.0,
            draw=0.0,
            policy_version=REPLY_VERSION,
            fixed_id=ack.message_id,
        )
        for ack in shown
    )


def celebration_due(snapshot: Snapshot) -> bool:
    """Celebrate effort at a few points in a week (the tap being answered counted), never more
    than once a week."""
    return not snapshot.celebrated_this_week and snapshot.tries_this_week in CELEBRATE_AT_TRIES


def _celebration(ctx: ReplyContext, library: Library) -> tuple[Message, float, int] | None:
    snap = ctx.snapshot
    if not celebration_due(snap):
        return None
    facts = snap.facts_this_week | {"tried"}
    pool = candidate_pool(
        snap, library, "celebration", where=lambda m: fit.celebration_is_true(m, facts)
    )
    if not pool:
        return None
    message, tied = pick_best(pool, rng_for(snap, REPLY_VERSION, "celebration"))
    return message, 1.0 / tied, len(pool)


def _repair(
    ctx: ReplyContext,
    library: Library,
    say: tuple[Ack, ...],
    topics: frozenset[str],
    rule: str,
    answered_tags: frozenset[str] = frozenset(),
) -> ReplyPlan:
    """A repair tip that fits; before the baby is born (no tips then), a calm message."""
    snap = ctx.snapshot
    rng = rng_for(snap, REPLY_VERSION, rule)
    chosen = choose_care(snap, library, "repair", topics, rng, answered_tags=answered_tags)
    if chosen is None:
        chosen = choose_care(snap, library, "calm", topics, rng)
    if chosen is None:
        return ReplyPlan(say=say, signal="hard", follow_up_rule="no_tip")
    message, probability, size = chosen
    return ReplyPlan(
        say=say,
        follow_up=message,
        follow_up_probability=probability,
        follow_up_rule=rule,
        pool_size=size,
        signal="hard",
        reported_topics=topics,
    )


def facts_of(key: str | None, signals: Signals) -> frozenset[str]:
    """What this reply makes true for a celebration this week."""
    found: set[str] = set()
    if key == "hard" or signals.hard:
        found.add("hard")
    if key == "stressed" or signals.stress:
        found.add("stressed")
    if key == "tired" or "topic:fatigue" in signals.topics:
        found.add("tired")
    if key == "not_today" or "topic:distraction" in signals.topics:
        found.add("busy")
    if key is None:
        found.add("wrote")
    return frozenset(found)
