"""Loads the YAML content library, validates its shape, and selects messages for a parent."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from messages import vocabulary as vocab

LIBRARY_ROOT = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Every field a message may carry; anything else is a typo and fails loading.
KNOWN_FIELDS = frozenset(
    {"id", "kind", "age_months", "tags", "text", "choices", "title", "why", "idea", "practice"}
)
# Every nudge carries these too (a title, one line of why, an idea key, one practice); other
# kinds may.
NUDGE_FIELDS = ("title", "why", "idea", "practice")


@dataclass(frozen=True, slots=True)
class Choice:
    """One quick reply under a check-in: what the button says, and what it means."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Message:
    """One message in one language, as a content writer wrote it."""

    id: str
    language: str
    kind: str
    age_min: int
    age_max: int
    tags: frozenset[str]
    text: str
    choices: tuple[Choice, ...] = ()
    source: str = ""
    title: str | None = None
    why: str | None = None
    idea: str | None = None
    practice: str | None = None

    @property
    def idea_key(self) -> str:
        """What the policy keeps 14 days apart: the idea, or the id when none is given."""
        return self.idea or self.id

    def fits_age(self, age_months: int) -> bool:
        return self.age_min <= age_months <= self.age_max

    def render(self, child_name: str | None, age_months: int) -> str:
        """The text a parent reads: placeholders filled, with a gentle fallback for no name."""
        name = child_name or vocab.child_fallback(self.language, age_months)
        capitalised = name if child_name else name[:1].upper() + name[1:]
        return self.text.replace("{child}", name).replace("{Child}", capitalised)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a content writer must fix, said in their words."""

    where: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass(slots=True)
class Library:
    """Every message, indexed by language and id."""

    messages: tuple[Message, ...]
    load_problems: tuple[Problem, ...] = ()
    _by_key: dict[tuple[str, str], Message] = field(default_factory=dict, repr=False)
    _fitting: dict[tuple[str, str, int], tuple[Message, ...]] = field(
        default_factory=dict, repr=False
    )
    _selections: dict[Hashable, tuple[Message, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {(m.language, m.id): m for m in self.messages}

    def get(self, message_id: str, language: str) -> Message | None:
        return self._by_key.get((language, message_id))

    def in_language(self, language: str) -> Iterator[Message]:
        return (m for m in self.messages if m.language == language)

    def candidates(
        self,
        *,
        language: str,
        kind: str,
        age_months: int,
        tags: Iterable[str] = (),
    ) -> list[Message]:
        """Messages of a kind that fit the child's age and language, best tag matches first."""
        wanted = frozenset(tags)
        key = (language, kind, age_months)
        if key not in self._fitting:
            self._fitting[key] = tuple(
                m
                for m in self.messages
                if m.language == language and m.kind == kind and m.fits_age(age_months)
            )
        fitting = list(self._fitting[key])
        if wanted:
            fitting.sort(key=lambda m: -len(m.tags & wanted))
        return fitting

    def selection(
        self, key: Hashable, select: Callable[[], Iterable[Message]]
    ) -> tuple[Message, ...]:
        """A selection of messages a caller derives from the library alone (say, what fits an
        age at an hour), made once per key and kept as long as the library: the library never
        changes after loading, so neither does the selection."""
        found = self._selections.get(key)
        if found is None:
            found = self._selections[key] = tuple(select())
        return found


def load_library(root: Path = LIBRARY_ROOT) -> Library:
    """Read every YAML file under root/<language>/; shape problems are collected, not raised."""
    messages: list[Message] = []
    problems: list[Problem] = []
    for language in vocab.LANGUAGES:
        for path in sorted((root / language).rglob("*.yaml")):
            where = str(path.relative_to(root))
            try:
                entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            except yaml.YAMLError as exc:
                problems.append(Problem(where, "yaml", f"is not valid YAML ({exc})"))
                continue
            if not isinstance(entries, list):
                problems.append(Problem(where, "schema", "must be a list of messages"))
                continue
            for index, entry in enumerate(entries):
                message, found = parse_message(entry, language, f"{where} #{index + 1}")
                problems.extend(found)
                if message is not None:
                    messages.append(message)
    return Library(tuple(messages), tuple(problems))


def parse_message(entry: object, language: str, where: str) -> tuple[Message | None, list[Problem]]:
    """Turn one YAML entry into a Message, or say in plain words why it cannot be one."""
    if not isinstance(entry, dict):
        return None, [Problem(where, "schema", "each message must be a mapping with id, kind, ...")]
    problems: list[Problem] = []
    message_id = entry.get("id")
    if isinstance(message_id, str):
        where = f"{where.split(' #')[0]} {message_id}"
    missing = [k for k in ("id", "kind", "age_months", "tags", "text") if k not in entry]
    if entry.get("kind") == "nudge":
        missing += [k for k in NUDGE_FIELDS if entry.get(k) is None]
    if missing:
        return None, [Problem(where, "schema", f"is missing {', '.join(missing)}")]
    unknown = set(entry) - KNOWN_FIELDS
    if unknown:
        problems.append(
            Problem(
                where,
                "schema",
                f"has unknown fields {sorted(map(str, unknown))} "
                f"(known: {', '.join(sorted(KNOWN_FIELDS))})",
            )
        )
    if not isinstance(message_id, str) or not _ID.match(message_id):
        problems.append(Problem(where, "schema", "id must be lowercase words joined by dashes"))
    kind = entry["kind"]
    if kind not in vocab.KINDS:
        problems.append(Problem(where, "schema", f"kind {kind!r} is not one of {vocab.KINDS}"))
    ages = entry["age_months"]
    if not (
        isinstance(ages, list)
        and len(ages) == 2
        and all(isinstance(a, int) for a in ages)
        and vocab.MIN_AGE_MONTHS <= ages[0] <= ages[1] <= vocab.MAX_AGE_MONTHS
    ):
        problems.append(
            Problem(
                where,
                "schema",
                f"age_months must be [youngest, oldest] between {vocab.MIN_AGE_MONTHS} "
                f"and {vocab.MAX_AGE_MONTHS}, youngest first",
            )
        )
        ages = [0, -1]
    tags = entry["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(Problem(where, "schema", "tags must be a list of words"))
        tags = []
    text = entry["text"]
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(where, "schema", "text is empty"))
        text = ""
    choices: list[Choice] = []
    for raw in entry.get("choices") or []:
        if isinstance(raw, dict) and isinstance(raw.get("key"), str) and raw.get("label"):
            choices.append(Choice(raw["key"], str(raw["label"])))
        else:
            problems.append(Problem(where, "schema", "each choice needs a key and a label"))
    title = _optional_text(entry, "title", where, problems)
    why = _optional_text(entry, "why", where, problems)
    idea = entry.get("idea")
    if idea is not None and not (isinstance(idea, str) and _ID.match(idea)):
        problems.append(Problem(where, "schema", "idea must be lowercase words joined by dashes"))
        idea = None
    practice = entry.get("practice")
    if practice is not None and practice not in vocab.NUDGE_PRACTICES:
        problems.append(
            Problem(
                where,
                "schema",
                f"practice {practice!r} is not one of {', '.join(vocab.NUDGE_PRACTICES)}",
            )
        )
        practice = None
    if problems or not isinstance(message_id, str):
        return None, problems
    return (
        Message(
            id=message_id,
            language=language,
            kind=kind,
            age_min=ages[0],
            age_max=ages[1],
            tags=frozenset(tags),
            text=" ".join(text.split()),
            choices=tuple(choices),
            source=where.split(" ")[0],
            title=title,
            why=why,
            idea=idea,
            practice=practice,
        ),
        [],
    )


def _optional_text(
    entry: dict[object, object], name: str, where: str, problems: list[Problem]
) -> str | None:
    """A one-line text field that may be absent; its length is a check, not a load failure."""
    value = entry.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(where, "schema", f"{name} must be a non-empty line of text"))
        return None
    return " ".join(value.split())


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)
