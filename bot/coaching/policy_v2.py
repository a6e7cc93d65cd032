"""The coaching policy: which scheduled message a parent gets, with the probability it had.

A `Policy` is injected like the clock (on `Services`, through `build_application`) and is pure
over a `Snapshot`. The adaptive policy builds a candidate pool (language, age, time of day, not
sent lately, no idea repeated within its window), applies rules (a pending repair or calm that
fits what was reported, never two care messages in a row, the cadence's pause question, a check-in
every few days, a reported topic favoured for a week, the week's practice), then lets a
Thompson-sampling bandit per parent choose among kinds of nudge, with a prior pooled across
parents and every option kept between a floor and a ceiling.

Every choice is seeded by (parent, day, policy version), so a decision is reproducible.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.coaching import bandit, fit
from bot.coaching.bandit import ArmStats
from bot.coaching.cadence import Step, step_of
from bot.coaching.checkins import ARRIVAL_QUESTION_ID, PAUSE_QUESTION_ID, QUICK_CHECKIN_ID
from messages.library import Library, Message
from messages.vocabulary import IDEA_SPACING_DAYS, NUDGE_PRACTICES

NO_REPEAT_DAYS = 30
CHECKIN_EVERY_DAYS = 4
FOCUS_DAYS = 7
FOCUS_PER_WEEK = 3
CARE_KINDS = frozenset({"repair", "calm"})
PAUSE_QUESTION = "pause_question"
ARRIVAL_QUESTION = "arrival"
ARRIVAL_FROM_DAYS = 7
ARRIVAL_EVERY_DAYS = 3
# A nudge's arm: the first of these tags it carries ("other" when none). The bandit learns
# which kinds of activity each parent answers.
ARM_TAGS = (
    "topic:reading",
    "moment:songs",
    "topic:movement",
    "moment:outdoors",
    "topic:play",
    "topic:language",
    "topic:emotions",
    "topic:routines",
    "topic:bonding",
)
OTHER_ARM = "other"
CALM_ARM = "kind:calm"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One parent, as plain data, at the moment of a decision."""

    parent_id: int
    language: str
    age_months: int
    today: dt.date
    local_hour: int = 9
    cadence: str = "daily"
    pending_need: str | None = None
    unanswered_count: int = 0
    asked_pause: bool = False
    # message id (library or acknowledgement) -> the last local date it was sent
    last_sent: Mapping[str, dt.date] = field(default_factory=dict)
    # library messages sent lately (scheduled or as answers), newest first, and the scheduled ones
    recent_kinds: tuple[str, ...] = ()
    recent_scheduled_kinds: tuple[str, ...] = ()
    days_since_checkin: int | None = None
    scheduled_count: int = 0
    # Topics the parent reported in the last FOCUS_DAYS, and what the latest stress or hard
    # moment was about (the calm and repair messages should fit it).
    focus_topics: frozenset[str] = frozenset()
    reported_topics: frozenset[str] = frozenset()
    tries_this_week: int = 0
    replies_this_week: int = 0
    celebrated_this_week: bool = False
    facts_this_week: frozenset[str] = frozenset()
    own: Mapping[str, ArmStats] = field(default_factory=dict)
    pooled: Mapping[str, ArmStats] = field(default_factory=dict)
    last_feeling: int | None = None
    last_reply_signal: str | None = None
    # Days until the due date of a baby not yet born (negative once it has passed).
    days_to_due: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """What the policy chose and everything a researcher needs to analyse it."""

    kind: str
    message: Message | None
    rule: str
    probability: float
    draw: float
    arm: str | None = None
    candidates: Mapping[str, float] = field(default_factory=dict)
    pool_size: int = 0
    context: Mapping[str, object] = field(default_factory=dict)
    policy_version: str = ""
    # The id of a message the bot writes itself (the short check-in, the pause question).
    fixed_id: str | None = None

    @property
    def message_id(self) -> str:
        if self.message is not None:
            return self.message.id
        return self.fixed_id or self.kind


class Policy(Protocol):
    """Chooses a parent's scheduled message; pure over the snapshot."""

    @property
    def version(self) -> str: ...

    def choose(self, snapshot: Snapshot, library: Library) -> Decision: ...


def arm_of(message: Message) -> str:
    return _arm_of_tags(message.tags)


@functools.lru_cache(maxsize=4096)
def _arm_of_tags(tags: frozenset[str]) -> str:
    return next((tag for tag in ARM_TAGS if tag in tags), OTHER_ARM)


def week_practice(snapshot: Snapshot) -> str:
    """The practice this week's nudges share (look, follow, chat, take turns, stretch)."""
    week = snapshot.today.isocalendar()
    index = (week.year * 53 + week.week + snapshot.parent_id) % len(NUDGE_PRACTICES)
    return NUDGE_PRACTICES[index]


def time_of_day(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def days_since(snapshot: Snapshot, message_id: str) -> int:
    sent = snapshot.last_sent.get(message_id)
    return 10_000 if sent is None else (snapshot.today - sent).days


def idea_dates(snapshot: Snapshot, library: Library) -> dict[str, dt.date]:
    """idea key -> the last date a message with that idea went to this parent."""
    found: dict[str, dt.date] = {}
    for message_id, day in snapshot.last_sent.items():
        message = library.get(message_id, snapshot.language)
        if message is not None and message.idea_key != message.id:
            key = message.idea_key
            found[key] = max(day, found.get(key, day))
    return found


def candidate_pool(
    snapshot: Snapshot,
    library: Library,
    kind: str,
    *,
    where: Callable[[Message], bool] | None = None,
) -> list[Message]:
    """Messages of `kind` that fit the age, the language, the hour and `where`, not sent in 30
    days and sharing no idea with one sent in 14. When nothing is left, the rules loosen in
    order: the oldest sent come back first; the hour and the idea spacing hold longest."""
    everything, at_hour = fitting_at_hour(
        library, snapshot.language, kind, snapshot.age_months, snapshot.local_hour
    )
    fitting = everything if where is None else [m for m in everything if where(m)]
    if not fitting:
        return []
    timely = (at_hour if where is None else [m for m in at_hour if where(m)]) or fitting
    if not snapshot.last_sent:
        return list(timely)  # nothing sent yet: nothing is too soon or a repeat
    too_soon = {
        idea
        for idea, day in idea_dates(snapshot, library).items()
        if (snapshot.today - day).days < IDEA_SPACING_DAYS
    }
    spaced = timely
    if too_soon:
        spaced = [m for m in timely if m.idea_key not in too_soon] or timely
    recent = {
        message_id
        for message_id, day in snapshot.last_sent.items()
        if (snapshot.today - day).days < NO_REPEAT_DAYS
    }
    fresh = [m for m in spaced if m.id not in recent]
    if fresh:
        return fresh
    oldest = max(days_since(snapshot, m.id) for m in spaced)
    return [m for m in spaced if days_since(snapshot, m.id) == oldest]


def fitting_at_hour(
    library: Library, language: str, kind: str, age_months: int, hour: int
) -> tuple[Sequence[Message], Sequence[Message]]:
    """The messages of a kind for an age and language, and those of them that fit the hour:
    the same for every parent in that case, so worked out once per library."""
    everything = library.selection(
        ("fitting", language, kind, age_months),
        lambda: library.candidates(language=language, kind=kind, age_months=age_months),
    )
    at_hour = library.selection(
        ("fitting at hour", language, kind, age_months, hour),
        lambda: (m for m in everything if fit.fits_time(m, hour)),
    )
    return everything, at_hour


def pick_best(
    pool: Sequence[Message], rng: random.Random, score: Callable[[Message], int] | None = None
) -> tuple[Message, int]:
    """The best-scoring, longest-unsent messages; one drawn. Returns it and how many tied."""
    key: Callable[[Message], int] = score or (lambda m: 0)
    top = max(key(m) for m in pool)
    finalists = sorted((m for m in pool if key(m) == top), key=lambda m: m.id)
    return rng.choice(finalists), len(finalists)


def rng_for(snapshot: Snapshot, version: str, purpose: str) -> random.Random:
    return random.Random(f"{version}:{snapshot.parent_id}:{snapshot.today.isoformat()}:{purpose}")


def choose_care(
    snapshot: Snapshot,
    library: Library,
    kind: str,
    reported: frozenset[str],
    rng: random.Random,
    *,
    answered_tags: frozenset[str] = frozenset(),
) -> tuple[Message, float, int] | None:
    """A repair tip or calm message that fits what was reported (and the nudge answered):
    returns it, its probability and the pool size."""
    if kind == "repair":
        allowed = fit.reported_situations(reported, answered_tags)
        pool = candidate_pool(
            snapshot, library, "repair", where=lambda m: fit.repair_fits(m, allowed)
        )
    else:
        pool = candidate_pool(snapshot, library, "calm", where=lambda m: fit.calm_fits(m, reported))
    if not pool:
        return None
    wanted = reported | (answered_tags & fit.SITUATION_TAGS)
    message, tied = pick_best(pool, rng, lambda m: fit.fit_score(m, wanted))
    return message, 1.0 / tied, len(pool)


@dataclass(frozen=True, slots=True)
class NudgeOptions:
    """The nudges a bandit draw chooses among: each arm's messages, and how many in all."""

    pool_size: int
    by_arm: Mapping[str, Sequence[Message]]


# Languages x ages x hours x practices is a few thousand: more means libraries came and went.
FRESH_OPTIONS_KEPT = 20_000


@dataclass(frozen=True, slots=True)
class AdaptivePolicy:
    """Rules first, then a clipped Thompson-sampling bandit over kinds of nudge."""

    # adaptive-2: the bandit's probabilities computed exactly rather than from 300 draws (so the
    # same seed no longer gives adaptive-1's choices).
    version: str = "adaptive-2"
    floor: float = bandit.FLOOR
    ceiling: float = bandit.CEILING
    # False: arms are drawn uniformly (the "random choice" the bandit is measured against).
    learn: bool = True
    # False: no weekly practice theme (for comparisons).
    themes: bool = True
    # False: nothing a parent reported changes what comes (the non-adaptive baseline).
    adapt: bool = True
    # The nudge options of parents with nothing sent yet (`_fresh_options`), worked out once.
    _fresh: dict[tuple[object, ...], tuple[Library, NudgeOptions]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def choose(self, snapshot: Snapshot, library: Library) -> Decision:
        step = step_of(snapshot.unanswered_count, asked_pause=snapshot.asked_pause)
        context = self._context(snapshot, step)
        if self._ask_arrival(snapshot):
            return Decision(
                ARRIVAL_QUESTION, None, "arrival_question", 1.0, 0.0, context=context,
                policy_version=self.version, fixed_id=ARRIVAL_QUESTION_ID,
            )  # fmt: skip
        if not self.adapt:
            snapshot = replace(
                snapshot, pending_need=None, focus_topics=frozenset(), facts_this_week=frozenset()
            )
        if step is Step.ASK_PAUSE and self.adapt:
            return Decision(
                PAUSE_QUESTION, None, "ask_pause", 1.0, 0.0, context=context,
                policy_version=self.version, fixed_id=PAUSE_QUESTION_ID,
            )  # fmt: skip
        last_scheduled = snapshot.recent_scheduled_kinds[:1]
        last_any = snapshot.recent_kinds[:1]
        need = snapshot.pending_need
        # Never two care messages in a row, and never two repair tips without a nudge between.
        if (
            need in CARE_KINDS
            and not (set(last_scheduled) & CARE_KINDS)
            and not (need == "repair" and "repair" in last_any)
        ):
            assert need is not None
            chosen = choose_care(
                snapshot,
                library,
                need,
                snapshot.reported_topics,
                rng_for(snapshot, self.version, need),
            )
            if chosen is not None:
                message, probability, size = chosen
                return Decision(
                    need, message, f"{need}_pending", probability, 0.0,
                    candidates={message.id: probability}, pool_size=size,
                    context=context, policy_version=self.version,
                )  # fmt: skip
        # Every few days, and never two in a row (a slowed rhythm must still carry nudges).
        checkin_due = (
            snapshot.days_since_checkin is None or snapshot.days_since_checkin >= CHECKIN_EVERY_DAYS
        ) and snapshot.recent_scheduled_kinds[:1] != ("checkin",)
        if checkin_due and snapshot.scheduled_count >= CHECKIN_EVERY_DAYS - 1:
            if not self._quick_was_last(snapshot):
                return Decision(
                    "checkin", None, "checkin_quick", 1.0, 0.0, context=context,
                    policy_version=self.version, fixed_id=QUICK_CHECKIN_ID,
                )  # fmt: skip
            pool = candidate_pool(
                snapshot,
                library,
                "checkin",
                where=lambda m: not any(c.key == "skip" for c in m.choices),
            )
            if pool:
                message, tied = pick_best(pool, rng_for(snapshot, self.version, "checkin"))
                return Decision(
                    "checkin", message, "checkin_due", 1.0 / tied, 0.0,
                    candidates={message.id: 1.0 / tied}, pool_size=len(pool),
                    context=context, policy_version=self.version,
                )  # fmt: skip
        return self._nudge(snapshot, library, context)

    def _nudge(self, snapshot: Snapshot, library: Library, context: dict[str, object]) -> Decision:
        if snapshot.last_sent or snapshot.focus_topics:
            rule, options = self._nudge_options(snapshot, library)
        else:
            rule, options = "bandit", self._fresh_options(snapshot, library)
        rng = rng_for(snapshot, self.version, "nudge")
        by_arm = dict(options.by_arm)
        if self._under_strain(snapshot):
            # Stress brings calm messages: calm competes as one more arm, so the bandit learns
            # whether this parent finds them helpful (never two care messages in a row).
            calm = candidate_pool(
                snapshot,
                library,
                "calm",
                where=lambda m: fit.calm_fits(m, snapshot.reported_topics),
            )
            if calm:
                by_arm[CALM_ARM] = calm
        arms = sorted(by_arm)
        if self.learn:
            drawn = bandit.choose_arm(
                arms, snapshot.own, snapshot.pooled, rng, floor=self.floor, ceiling=self.ceiling
            )
        else:
            drawn = bandit.draw_from({a: 1.0 / len(arms) for a in arms}, rng)
        in_arm = by_arm[drawn.arm]
        never = [m for m in in_arm if m.id not in snapshot.last_sent] or in_arm
        if drawn.arm == CALM_ARM:
            wanted = snapshot.reported_topics
            message, tied = pick_best(never, rng, lambda m: fit.fit_score(m, wanted))
        else:
            message, tied = pick_best(never, rng)
        return Decision(
            message.kind,
            message,
            rule,
            drawn.probability / tied,
            drawn.draw,
            arm=drawn.arm,
            candidates=drawn.probabilities,
            pool_size=options.pool_size,
            context=context,
            policy_version=self.version,
        )

    def _nudge_options(self, snapshot: Snapshot, library: Library) -> tuple[str, NudgeOptions]:
        """The rule, and the nudges the bandit chooses among by arm."""
        pool = candidate_pool(snapshot, library, "nudge")
        if not pool:
            raise LookupError(
                f"the library has no nudge for age {snapshot.age_months} in {snapshot.language}"
            )
        rule = "bandit"
        focused = (
            [m for m in pool if m.tags & snapshot.focus_topics] if snapshot.focus_topics else []
        )
        if focused and self._focus_today(snapshot, library):
            pool, rule = focused, "focus"
        elif self.themes:
            # The week builds on one practice; the bandit chooses among its kinds of nudge.
            practice = week_practice(snapshot)
            pool = [m for m in pool if m.practice == practice] or pool
        by_arm: dict[str, list[Message]] = {}
        for m in pool:
            by_arm.setdefault(arm_of(m), []).append(m)
        return rule, NudgeOptions(len(pool), by_arm)

    def _fresh_options(self, snapshot: Snapshot, library: Library) -> NudgeOptions:
        """`_nudge_options` for a parent with nothing sent and no focus: the same for every
        such parent of a language, age, hour and week's practice, so worked out once (a tick
        of new families, or a benchmark's, repeats it thousands of times)."""
        practice = week_practice(snapshot) if self.themes else None
        key = (id(library), snapshot.language, snapshot.age_months, snapshot.local_hour, practice)
        found = self._fresh.get(key)
        if found is not None and found[0] is library:
            return found[1]
        if len(self._fresh) >= FRESH_OPTIONS_KEPT:
            self._fresh.clear()
        _, worked_out = self._nudge_options(snapshot, library)
        options = NudgeOptions(
            worked_out.pool_size, {arm: tuple(ms) for arm, ms in worked_out.by_arm.items()}
        )
        self._fresh[key] = (library, options)
        return options

    @staticmethod
    def _ask_arrival(snapshot: Snapshot) -> bool:
        """From a week before the due date, every few days until the parent says."""
        if snapshot.days_to_due is None or snapshot.days_to_due > ARRIVAL_FROM_DAYS:
            return False
        asked = snapshot.last_sent.get(ARRIVAL_QUESTION_ID)
        return asked is None or (snapshot.today - asked).days >= ARRIVAL_EVERY_DAYS

    @staticmethod
    def _focus_today(snapshot: Snapshot, library: Library) -> bool:
        """A reported topic is favoured, not imposed: up to FOCUS_PER_WEEK matching messages in
        the week, never two days running."""
        week_ago = snapshot.today - dt.timedelta(days=FOCUS_DAYS)
        recent = [(day, mid) for mid, day in snapshot.last_sent.items() if day > week_ago]
        matching = []
        for day, mid in recent:
            message = library.get(mid, snapshot.language)
            if message is not None and message.tags & snapshot.focus_topics:
                matching.append(day)
        yesterday = snapshot.today - dt.timedelta(days=1)
        return len(matching) < FOCUS_PER_WEEK and yesterday not in matching

    def _under_strain(self, snapshot: Snapshot) -> bool:
        """Stress, tiredness or a hard moment reported this week (or a low check-in), and the
        last scheduled message was not already for the parent."""
        strained = bool(snapshot.facts_this_week & {"stressed", "tired", "hard"}) or (
            snapshot.last_feeling is not None and snapshot.last_feeling <= 2
        )
        recent_care = bool(set(snapshot.recent_scheduled_kinds[:1]) & CARE_KINDS)
        return self.adapt and strained and not recent_care

    @staticmethod
    def _quick_was_last(snapshot: Snapshot) -> bool:
        """Check-ins take turns: the three-tap check-in, then a reflection from the library."""
        quick = snapshot.last_sent.get(QUICK_CHECKIN_ID)
        if quick is None or snapshot.days_since_checkin is None:
            return False
        return (snapshot.today - quick).days <= snapshot.days_since_checkin

    def _context(self, snapshot: Snapshot, step: Step) -> dict[str, object]:
        return {
            "age_months": snapshot.age_months,
            "local_hour": snapshot.local_hour,
            "time_of_day": time_of_day(snapshot.local_hour),
            "cadence_step": step.value,
            "unanswered": snapshot.unanswered_count,
            "days_since_checkin": snapshot.days_since_checkin,
            "last_feeling": snapshot.last_feeling,
            "last_reply": snapshot.last_reply_signal,
            "focus_topics": sorted(snapshot.focus_topics),
            "week_practice": week_practice(snapshot) if self.themes else None,
        }


def non_adaptive_policy() -> AdaptivePolicy:
    """The baseline the persona benchmark measures against: the same candidate pool (age,
    language, hour, no repeats, idea spacing) and check-ins, but nothing a parent reports
    changes what comes, and kinds of nudge are drawn uniformly."""
    return AdaptivePolicy(version="baseline-1", learn=False, themes=False, adapt=False)


@dataclass(frozen=True, slots=True)
class RulesV1Policy:
    """The first rules (bot/coaching/policy.py), kept as the non-adaptive baseline."""

    version: str = "rules-v1"

    def choose(self, snapshot: Snapshot, library: Library) -> Decision:
        from bot.coaching.policy import ParentSnapshot, choose_scheduled_message

        message = choose_scheduled_message(
            ParentSnapshot(
                parent_id=snapshot.parent_id,
                language=snapshot.language,
                age_months=snapshot.age_months,
                today=snapshot.today,
                pending_need=snapshot.pending_need,
                unanswered_count=snapshot.unanswered_count,
                last_sent=snapshot.last_sent,
                days_since_checkin=snapshot.days_since_checkin,
                scheduled_count=snapshot.scheduled_count,
            ),
            library,
        )
        return Decision(
            message.kind,
            message,
            "rules_v1",
            1.0,
            0.0,
            arm=arm_of(message) if message.kind == "nudge" else None,
            context={"age_months": snapshot.age_months, "local_hour": snapshot.local_hour},
            policy_version=self.version,
        )
