"""Simulated parents over 60 days through the real bot (emulator, planner, policy, reply side),
under the adaptive policy, a non-adaptive baseline and, for the bandit, random choice.

Run: `pytest --benchmarks tests/benchmarks/personas -s` (prints the report; about five minutes).
Each parent is a seeded persona that reads what the bot sent and answers as such a parent would:
a steady one, a stressed one, one whose toddler will not sleep, one who fades away and comes
back, and three with a hidden preference for one kind of nudge.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.app import build_application, inbox, ticker
from bot.coaching.acknowledgements import load_acknowledgements
from bot.coaching.policy_v2 import AdaptivePolicy, Policy, arm_of, non_adaptive_policy
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.emulator import BotApiEmulator, SentMessage
from messages.library import Library, load_library
from messages.vocabulary import KINDS
from scheduler.clock import WarpClock
from tests.conftest import TEST_TOKEN
from tests.integration.conftest import ADMIN_ID, START, Family
from tests.integration.conftest import Tend as _Tend

pytestmark = pytest.mark.benchmark

DAYS = 60
SIX_WEEKS = 42
SEND_UTC = dt.time(13, 0)  # 08:00 in New York
FIRST_DAY = dt.date(2026, 11, 26)
HEADERS = {
    "🌱": "nudge",
    "🤝": "repair",
    "💛": "calm",
    "💬": "checkin",
    "🎉": "celebration",
}


@dataclass
class Seen:
    """What one persona received, by day."""

    scheduled: list[tuple[int, str, str]] = field(default_factory=list)  # day, kind, message id
    answers: list[tuple[int, str]] = field(default_factory=list)  # day, text of the bot's answer
    library_kinds: list[tuple[int, str]] = field(default_factory=list)  # every library message
    rewards: int = 0


Act = Callable[["Persona", int, SentMessage, str, random.Random], "str | None"]


@dataclass
class Persona:
    name: str
    user_id: int
    born: str
    act: Act
    preferred: str | None = None
    seen: Seen = field(default_factory=Seen)
    current_arm: str | None = None


def tap(label: str) -> str:
    return f"tap:{label}"


def steady(p: Persona, day: int, message: SentMessage, kind: str, rng: random.Random) -> str | None:
    roll = rng.random()
    if kind == "nudge":
        return tap("We tried it") if roll < 0.7 else tap("Not today") if roll < 0.85 else None
    return _answer_other(message, kind, roll, feeling="4", hardest="Nothing right now")


def stressed(
    p: Persona, day: int, message: SentMessage, kind: str, rng: random.Random
) -> str | None:
    roll = rng.random()
    if kind == "calm":
        return tap("That helped") if roll < 0.7 else None
    if kind == "nudge":
        if roll < 0.45:
            return rng.choice(
                (
                    "so tired today, he was up all night",
                    "feeling really overwhelmed this week",
                    "I snapped at him and I feel awful",
                    "estoy agotada",
                    "I'm exhausted, I can't do this",
                )
            )
        return tap("It was hard") if roll < 0.7 else tap("We tried it") if roll < 0.9 else None
    return _answer_other(message, kind, roll, feeling="2", hardest="My own stress")


def sleepless(
    p: Persona, day: int, message: SentMessage, kind: str, rng: random.Random
) -> str | None:
    if day == 10 and kind == "nudge":
        return "he won't sleep, bedtime is a battle every night"
    return steady(p, day, message, kind, rng)


def fading(p: Persona, day: int, message: SentMessage, kind: str, rng: random.Random) -> str | None:
    if 10 <= day < 40:
        return None
    return steady(p, day, message, kind, rng)


def hidden_preference(
    p: Persona, day: int, message: SentMessage, kind: str, rng: random.Random
) -> str | None:
    """Says "tried it" mostly to one kind of nudge; "not today" to the rest (so the pace holds)."""
    if kind != "nudge":
        return _answer_other(message, kind, rng.random(), feeling="4", hardest="Nothing right now")
    liked = p.current_arm == p.preferred
    return tap("We tried it") if rng.random() < (0.85 if liked else 0.15) else tap("Not today")


def _answer_other(
    message: SentMessage, kind: str, roll: float, *, feeling: str, hardest: str
) -> str | None:
    texts = message.button_texts
    if kind == "checkin" and texts and texts[0].startswith("1 "):
        return tap(next(t for t in texts if t.startswith(feeling)))
    if kind == "checkin" and hardest in texts:
        return tap(hardest)
    if kind == "pause":
        return tap("Keep them coming")
    if texts and roll < 0.6:
        return tap(texts[0])
    return None


def personas() -> list[Persona]:
    return [
        Persona("steady", 401, "2026-02-20", steady),
        Persona("stressed", 402, "2025-09-15", stressed),
        Persona("sleepless toddler", 403, "2025-03-10", sleepless),
        Persona("fading", 404, "2026-02-01", fading),
        Persona("likes reading", 405, "2024-04-20", hidden_preference, "topic:reading"),
        Persona("likes talk", 406, "2025-03-01", hidden_preference, "topic:language"),
        Persona("likes play", 407, "2025-03-20", hidden_preference, "topic:play"),
    ]


class Tend(_Tend):
    async def latest_daily(self, user_id: int) -> str | None:
        """The message id of a parent's latest scheduled message."""
        from sqlalchemy import select

        from bot.db.models import Delivery, Parent
        from bot.db.session import make_engine, make_session_factory

        engine = make_engine(self.database_url)
        try:
            async with make_session_factory(engine)() as session:
                found: str | None = await session.scalar(
                    select(Delivery.message_id)
                    .join(Parent, Parent.id == Delivery.parent_id)
                    .where(Parent.telegram_user_id == user_id, Delivery.slot.is_not(None))
                    .order_by(Delivery.id.desc())
                    .limit(1)
                )
                return found
        finally:
            await engine.dispose()


@asynccontextmanager
async def running_bot(
    emulator: BotApiEmulator, database_url: str, policy: Policy
) -> AsyncIterator[Tend]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TEST_TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        admin_ids=(ADMIN_ID,),
        self_signup=True,
        default_timezone="America/New_York",
        rate_per_chat_per_second=1000.0,
        rate_per_second=1000.0,
    )
    clock = WarpClock(START, frozen=True)
    application = build_application(settings, clock=clock, run_ticks=False, policy=policy)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()
    await inbox(application).start()
    try:
        yield Tend(application, emulator, clock, database_url)
    finally:
        await inbox(application).stop()
        await application.post_stop(application)  # type: ignore[misc]
        await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]


async def settle(tend: Tend) -> None:
    """Every update handled and every answer sent."""
    await tend.barrier()
    async with asyncio.timeout(30):
        await ticker(tend.application).tick()


async def simulate(
    policy: Policy, cast: list[Persona], library: Library, tmp: Path, label: str
) -> list[Persona]:
    emulator = BotApiEmulator(token=TEST_TOKEN, bot_username="TendBenchBot")
    await emulator.start(host="127.0.0.1", port=0)
    url = f"sqlite+aiosqlite:///{tmp / f'{label}.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    emulator.add_user(ADMIN_ID, first_name="Staff", language_code="en")
    acks = {
        text
        for versions in load_acknowledgements().values()
        for t in versions.values()
        for text in t
    }
    try:
        async with running_bot(emulator, url, policy) as tend:
            families = {}
            for persona in cast:
                family = Family(tend, persona.user_id)
                await family.onboard(date=persona.born)
                families[persona.user_id] = family
            read = {p.user_id: len(emulator.messages_in(p.user_id)) for p in cast}
            for day in range(DAYS):
                today = FIRST_DAY + dt.timedelta(days=day)
                await tend.warp_to(dt.datetime.combine(today, SEND_UTC, tzinfo=dt.UTC))
                for persona in cast:
                    rng = random.Random(f"{label}:{persona.name}:{day}")
                    await _live_one_day(
                        tend, families[persona.user_id], persona, day, rng, read, acks, library
                    )
    finally:
        await emulator.stop()
    await record(url, cast)
    return cast


async def _live_one_day(
    tend: Tend,
    family: Family,
    persona: Persona,
    day: int,
    rng: random.Random,
    read: dict[int, int],
    acks: set[str],
    library: Library,
) -> None:
    for _ in range(6):  # a message, the answer to a reply, the next check-in question...
        messages = tend.emulator.messages_in(persona.user_id)
        fresh = messages[read[persona.user_id] :]
        read[persona.user_id] = len(messages)
        actionable: tuple[SentMessage, str] | None = None
        for message in fresh:
            if message.text in acks:
                persona.seen.answers.append((day, message.text))
            kind = _kind_of(message)
            if kind is not None:
                actionable = (message, kind)
        if actionable is None:
            return
        message, kind = actionable
        arm = None
        if kind == "nudge":
            latest = await tend.latest_daily(persona.user_id)
            found = library.get(latest, "en") if latest else None
            arm = arm_of(found) if found is not None else None
        persona.current_arm = arm
        action = persona.act(persona, day, message, kind, rng)
        if action is None:
            return
        if action.startswith("tap:"):
            label = action.removeprefix("tap:")
            if label not in message.button_texts:
                return
            await family.press(message, label)
        else:
            await tend.emulator.user_sends_text(persona.user_id, action)
        await settle(tend)


def _kind_of(message: SentMessage) -> str | None:
    text = message.text or ""
    if message.button_texts == ("Pause for two weeks", "Keep them coming"):
        return "pause"
    for mark, kind in HEADERS.items():
        if text.startswith(mark):
            return kind
    return None


async def record(url: str, cast: list[Persona]) -> None:
    """What each persona received and answered, from the database after the run."""
    from sqlalchemy import select

    from bot.db.models import Delivery, Parent, Reply
    from bot.db.session import make_engine, make_session_factory

    engine = make_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            ids = dict((await session.execute(select(Parent.telegram_user_id, Parent.id))).all())
            rows = (await session.scalars(select(Delivery).where(Delivery.kind.in_(KINDS)))).all()
            tried = (
                await session.execute(
                    select(Reply.parent_id, Delivery.kind)
                    .join(Delivery, Delivery.id == Reply.delivery_id)
                    .where(Reply.choice == "tried")
                )
            ).all()
    finally:
        await engine.dispose()
    for persona in cast:
        pid = ids[persona.user_id]
        mine = sorted((r for r in rows if r.parent_id == pid), key=lambda r: r.id)
        persona.seen.library_kinds = [((r.local_date - FIRST_DAY).days, r.kind) for r in mine]
        persona.seen.scheduled = [
            ((r.local_date - FIRST_DAY).days, r.kind, r.message_id) for r in mine if r.slot
        ]
        persona.seen.rewards = sum(1 for p, kind in tried if p == pid and kind == "nudge")


# --- the figures --------------------------------------------------------------------------


def care_share(persona: Persona, *, scheduled_only: bool) -> float:
    kinds = (
        [k for _, k, _ in persona.seen.scheduled]
        if scheduled_only
        else [k for _, k in persona.seen.library_kinds]
    )
    return sum(k in ("repair", "calm") for k in kinds) / max(1, len(kinds))


def sleep_share(persona: Persona, library: Library) -> float:
    week = [mid for day, kind, mid in persona.seen.scheduled if 11 <= day <= 17 and kind == "nudge"]
    tagged = [mid for mid in week if "topic:sleep" in library.get(mid, "en").tags]  # type: ignore[union-attr]
    return len(tagged) / max(1, len(week))


def per_week(persona: Persona) -> list[int]:
    weeks = [0] * ((DAYS + 6) // 7)
    for day, _, _ in persona.seen.scheduled:
        weeks[day // 7] += 1
    return weeks


def most_repeated_ack(cast: list[Persona]) -> int:
    return max(
        (
            max(Counter(t for d, t in p.seen.answers if d < SIX_WEEKS).values(), default=0)
            for p in cast
        ),
        default=0,
    )


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_personas_over_sixty_days(tmp_path: Path) -> None:
    library = load_library()

    async def run() -> dict[str, list[Persona]]:
        adaptive = await simulate(AdaptivePolicy(), personas(), library, tmp_path, "adaptive")
        baseline = await simulate(non_adaptive_policy(), personas(), library, tmp_path, "baseline")
        choosy = [p for p in personas() if p.preferred]
        random_ = await simulate(AdaptivePolicy(learn=False), choosy, library, tmp_path, "random")
        return {"adaptive": adaptive, "baseline": baseline, "random": random_}

    runs = await run()
    by = {label: {p.name: p for p in cast} for label, cast in runs.items()}
    stressed_a, stressed_b = by["adaptive"]["stressed"], by["baseline"]["stressed"]
    lines = [
        "Persona benchmark: 60 simulated days, adaptive policy vs non-adaptive baseline",
        f"stressed parent, share of repair and calm (all library messages): "
        f"adaptive {care_share(stressed_a, scheduled_only=False):.0%}, "
        f"baseline {care_share(stressed_b, scheduled_only=False):.0%}",
        f"stressed parent, share of repair and calm (scheduled messages): "
        f"adaptive {care_share(stressed_a, scheduled_only=True):.0%}, "
        f"baseline {care_share(stressed_b, scheduled_only=True):.0%}",
        f"sleep-tagged nudges in the week after reporting sleep: "
        f"adaptive {sleep_share(by['adaptive']['sleepless toddler'], library):.0%}, "
        f"baseline {sleep_share(by['baseline']['sleepless toddler'], library):.0%}",
        f"fading parent, scheduled messages per week (silent days 10-39): "
        f"adaptive {per_week(by['adaptive']['fading'])}, "
        f"baseline {per_week(by['baseline']['fading'])}",
    ]
    for name in ("likes reading", "likes talk", "likes play"):
        lines.append(
            f"{name}: 'tried it' rewards, bandit {by['adaptive'][name].seen.rewards} vs "
            f"random {by['random'][name].seen.rewards}"
        )
    bandit = sum(by["adaptive"][n].seen.rewards for n in by["random"])
    random_total = sum(p.seen.rewards for p in runs["random"])
    lines.append(f"bandit cumulative reward {bandit} vs random choice {random_total}")
    lines.append(
        "largest number of times one acknowledgement repeated to a parent in six weeks: "
        f"adaptive {most_repeated_ack(runs['adaptive'])}, "
        f"baseline {most_repeated_ack(runs['baseline'])}"
    )
    print("\n" + "\n".join(lines))
    assert care_share(stressed_a, scheduled_only=False) >= 2 * care_share(
        stressed_b, scheduled_only=False
    )
    assert sleep_share(by["adaptive"]["sleepless toddler"], library) > sleep_share(
        by["baseline"]["sleepless toddler"], library
    )
    fader, fader_baseline = per_week(by["adaptive"]["fading"]), per_week(by["baseline"]["fading"])
    assert sum(fader[2:6]) <= sum(fader_baseline[2:6]) and max(fader[6:]) >= 4
    assert bandit > random_total
    assert most_repeated_ack(runs["adaptive"]) <= 6
