"""The fixed vocabulary of the content library: kinds, tags, placeholders, limits.

Content writers and the coaching policy share these words, so a tag written in YAML always
means something the bot can act on.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "es")

KINDS: Final = ("nudge", "repair", "calm", "checkin", "celebration")

# Ages are whole months since birth; negative months count down to the due date
# (-9 is nine months before it, -1 the last month of pregnancy).
MIN_AGE_MONTHS: Final = -9
MAX_AGE_MONTHS: Final = 59

PRACTICE_TAGS: Final = frozenset(
    {
        "practice:look",  # notice what the child is focused on
        "practice:follow",  # follow the child's lead
        "practice:chat",  # talk, name things, narrate
        "practice:take-turns",  # back and forth, wait for the child's turn
        "practice:stretch",  # build on it, a little more each time
        "practice:name-it",  # put words to feelings and actions
        "practice:faces-voices",  # eye contact, mirroring, sounds, rhythm
        "practice:touch",  # holding, skin to skin, gentle touch
        "practice:endings-beginnings",  # goodbyes, hellos, transitions
        "practice:repair",  # reconnect after a rupture
        "practice:calm-body",  # the caregiver's own regulation
        "practice:self-kindness",  # a kind word to yourself
        "practice:ask-help",  # reaching out for support
        "practice:notice-wins",  # noticing effort and small wins
        "practice:reflect",  # thinking back on how it went
    }
)

MOMENT_TAGS: Final = frozenset(
    {
        "moment:feeding",
        "moment:diaper",
        "moment:bath",
        "moment:bedtime",
        "moment:waking",
        "moment:dressing",
        "moment:waiting",
        "moment:travel",
        "moment:outdoors",
        "moment:chores",
        "moment:reading",
        "moment:songs",
        "moment:play",
        "moment:anytime",
    }
)

TOPIC_TAGS: Final = frozenset(
    {
        "topic:sleep",
        "topic:crying",
        "topic:feeding",
        "topic:tantrums",
        "topic:play",
        "topic:reading",
        "topic:language",
        "topic:movement",
        "topic:emotions",
        "topic:siblings",
        "topic:separation",
        "topic:stress",
        "topic:fatigue",
        "topic:yelling",
        "topic:distraction",
        "topic:bonding",
        "topic:routines",
        "topic:prenatal",
    }
)

ALL_TAGS: Final = PRACTICE_TAGS | MOMENT_TAGS | TOPIC_TAGS

# Check-in quick replies carry one of these keys; the policy reads the key, never the label.
CHOICE_KEYS: Final = ("good", "okay", "hard", "stressed", "tired", "skip")

# The only placeholders a text may use. {child} is the child's name, or a gentle
# fallback when the parent did not give one; {Child} is the same, capitalised.
PLACEHOLDERS: Final = frozenset({"child", "Child"})

# What {child} becomes when the name is unknown, by language and age.
CHILD_FALLBACKS: Final = {
    "en": ((12, "your baby"), (36, "your little one"), (10_000, "your child")),
    "es": ((12, "tu bebé"), (10_000, "tu peque")),
}

# Longest name the bot accepts; length checks fill {child} with a name this long.
MAX_CHILD_NAME_LENGTH: Final = 20
LONGEST_TEST_NAME: Final = "Alexandria-Josephine"

# A nudge's own fields: a short title, one plain line of why, an idea key, one practice.
MAX_TITLE_LENGTH: Final = 40
MAX_WHY_LENGTH: Final = 160
NUDGE_PRACTICES: Final = ("look", "follow", "chat", "take-turns", "stretch")
# Messages sharing an idea key are not sent within this many days of each other.
IDEA_SPACING_DAYS: Final = 14

MAX_LENGTH: Final = {"nudge": 320, "calm": 320, "repair": 450, "checkin": 320, "celebration": 320}

# Readability: Flesch-Kincaid grade for English; Fernández-Huerta ease for Spanish
# (70 and above is "fairly easy", the Spanish scale's equivalent of grade 6).
MAX_ENGLISH_GRADE: Final = 6.0
MIN_SPANISH_EASE: Final = 70.0
# Both scores average over a text, so one sentence that runs on hides behind short ones (the
# English median grade is under 1). No sentence may be longer than this, in any language.
# Texts that are too choppy were measured too: the fewest words per sentence on average was
# 4.7 (English) and 3.8 (Spanish, a list of feelings), so no lower limit is set.
MAX_SENTENCE_WORDS: Final = 25

# Two texts in one language whose word sequences match at least this much are near-duplicates.
NEAR_DUPLICATE_RATIO: Final = 0.75
# ... and two texts that differ by this many words or fewer are duplicates whatever the ratio.
MIN_WORD_DIFFERENCE: Final = 3


def child_fallback(language: str, age_months: int) -> str:
    """What {child} reads as when the parent did not tell us the child's name."""
    for below, phrase in CHILD_FALLBACKS[language]:
        if age_months < below:
            return phrase
    raise AssertionError("fallback table must end with an open bound")


# --- the checks that measure what matters (messages/checks.py) --------------------------------

# Repeated ideas: two nudges in one language whose content words overlap this much and whose
# ages overlap must share an `idea` key, so the policy keeps them 14 days apart. The measure
# is an idf-weighted Jaccard similarity of content-word stems plus moment/topic tags
# (messages/checks.py `idea_repeats`; stop words in messages/content_words.yaml). On the
# library at 2cf0988, 0.22 picked out pairs such as two "same goodnight words" rituals and
# two finger-food nudges, and nothing that was plainly a different idea.
IDEA_SIMILARITY: Final = 0.22

# Balance, per language and per age month 0-59, counting each nudge in every month it fits.
MIN_READING_PER_MONTH: Final = 8  # shared and dialogic reading: topic:reading or moment:reading
MIN_PRACTICE_PER_MONTH: Final = 4  # each of NUDGE_PRACTICES, by the nudge's `practice` field
MIN_MOMENTS_PER_MONTH: Final = 8  # distinct moment: tags among the nudges that fit
MIN_TOPIC_MESSAGES: Final = 4  # messages (any kind) per topic: tag, per language

# Words a "why" line may not use: plain words only.
WHY_JARGON: Final = {
    "en": (
        "neural",
        "neuron",
        "synap",
        "cortex",
        "cortical",
        "prefrontal",
        "executive function",
        "cortisol",
        "oxytocin",
        "dopamine",
        "amygdala",
        "myelin",
        "serve and return",
        "scaffold",
        "dyadic",
        "attunement",
        "self-regulation",
        "cognitive",
    ),
    "es": (
        "neuron",
        "neural",
        "sinap",
        "corteza",
        "prefrontal",
        "funciones ejecutivas",
        "función ejecutiva",
        "cortisol",
        "oxitocina",
        "dopamina",
        "amígdala",
        "mielina",
        "andamiaje",
        "diádic",
        "sintonía afectiva",
        "autorregulación",
        "cognitiv",
    ),
}

# The bot's own texts (bot/texts/<language>.yaml): a button's fixed words, and any other text.
# Most of the bot's buttons sit alone on their row, and a full-width button shows about 30
# characters on a phone (check-in choices, two to a row, keep their 24).
MAX_BUTTON_LENGTH: Final = 30
MAX_BOT_TEXT_LENGTH: Final = 1000
