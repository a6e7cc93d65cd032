"""Whether a message fits a moment: the time of day, what a parent said, what really happened.

Pure rules over a `Message`, shared by the reply side and the scheduled side of the policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from messages.library import Message

# Tags that say a repair tip assumes a situation (see messages/en/repair/repair.yaml).
SITUATION_TAGS = frozenset(
    {
        "topic:separation", "topic:tantrums", "topic:yelling", "topic:siblings",
        "topic:distraction", "topic:feeding", "topic:sleep", "topic:crying", "topic:play",
        "moment:bath", "moment:dressing", "moment:travel",
    }
)  # fmt: skip
# A moment a parent reports under a nudge also comes from the nudge's own tags.
_MOMENT_TOPICS = {
    "moment:feeding": "topic:feeding",
    "moment:bedtime": "topic:sleep",
    "moment:play": "topic:play",
    "moment:bath": "moment:bath",
    "moment:dressing": "moment:dressing",
    "moment:travel": "moment:travel",
}
# What a tired or sleepless parent's calm message may be about.
_FATIGUE_TAGS = frozenset({"topic:fatigue", "topic:sleep"})

# Looking back on the day only makes sense once some of it has happened...
_LOOKS_BACK = re.compile(
    r"\b(was there|did you|did something|have you had|was something|what was)\b[^.?!]*\btoday\b"
    r"|\bthis morning\b"
    r"|\b(hubo|hiciste|te fue|pas[oó]|estuvo|comiste|tomaste)\b[^.?!¿]*\bhoy\b"
    r"|\besta ma[nñ]ana\b",
    re.IGNORECASE,
)
# ...and waking up, or starting the day, only in the morning.
_MORNING = re.compile(
    r"\b(start the morning|good morning|when \{child\} wakes|empieza la ma[nñ]ana|buenos d[ií]as"
    r"|cuando \{child\} (se )?despierte)\b",
    re.IGNORECASE,
)
MORNING_ENDS = 12
LOOK_BACK_FROM = 15
LATE_MORNING_FROM = 12


@lru_cache(maxsize=65_536)
def fits_time(message: Message, hour: int) -> bool:
    """A look-back question after mid-afternoon (one about this morning from noon), a
    good-morning before noon; everything else at any hour."""
    text = message.text
    if _LOOKS_BACK.search(text):
        this_morning = "this morning" in text.lower() or "esta ma" in text.lower()
        return hour >= (LATE_MORNING_FROM if this_morning else LOOK_BACK_FROM)
    waking = "moment:waking" in message.tags and "nap" not in text.lower()
    if waking or _MORNING.search(text):
        return 4 <= hour < MORNING_ENDS
    # A bedtime idea fits a morning message too: it is a plan for tonight.
    return True


def situations_of(message: Message) -> frozenset[str]:
    return message.tags & SITUATION_TAGS


def reported_situations(reported: Iterable[str], answered_tags: Iterable[str]) -> frozenset[str]:
    """What a hard moment may have been about: the topics named, and the nudge it answered."""
    from_nudge = {_MOMENT_TOPICS[t] for t in answered_tags if t in _MOMENT_TOPICS}
    from_nudge |= set(answered_tags) & SITUATION_TAGS
    return frozenset(reported) | frozenset(from_nudge)


def repair_fits(message: Message, allowed: frozenset[str]) -> bool:
    """A general tip always fits; a tip that assumes a situation only when it was reported."""
    return situations_of(message) <= allowed


def fit_score(message: Message, reported: frozenset[str]) -> int:
    """How much of what was reported the message speaks to."""
    wanted = set(reported)
    if wanted & _FATIGUE_TAGS:
        wanted |= _FATIGUE_TAGS
    return len(message.tags & wanted)


def calm_fits(message: Message, reported: frozenset[str]) -> bool:
    """A calm message about a situation (a night, a feed) only for a parent who reported it."""
    situations = situations_of(message) - {"topic:sleep"} if reported & _FATIGUE_TAGS else None
    return (situations_of(message) if situations is None else situations) <= reported


# What a celebration claims, and the fact this week that makes the claim true. A claim nobody
# can report (a slow breath before reacting, asking for help) is never made.
NEVER = "never"
CELEBRATION_CLAIMS = {
    "practice:calm-body": NEVER,
    "practice:ask-help": NEVER,
    "practice:repair": "repaired",
    "topic:stress": "stressed",
    "topic:fatigue": "tired",
    "topic:distraction": "busy",
    "topic:emotions": "hard",
    "practice:reflect": "wrote",
}


def celebration_is_true(message: Message, facts: frozenset[str]) -> bool:
    """Every claim the celebration makes happened this week (trying is what brings it)."""
    return all(CELEBRATION_CLAIMS[tag] in facts for tag in message.tags & CELEBRATION_CLAIMS.keys())
