"""Help lines per safety category and language, from the program's configuration file.

The file (YAML; the packaged `resources.yaml` holds the US defaults) is validated when it is
loaded: every category has at least one line in every language, every line it names exists and
has a name and a "how to reach it" in that language, and every number looks like a number. A
broken file stops the bot at start with a message saying what is wrong and where.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from bot.coaching.safety import Category
from messages.vocabulary import LANGUAGES

DEFAULT_FILE = Path(__file__).resolve().parent / "resources.yaml"

_PHONEISH = re.compile(r"^\+?[0-9][0-9 ()\-.]*$")


def _phoneish(value: str) -> str:
    value = value.strip()
    if not value or not _PHONEISH.match(value) or sum(ch.isdigit() for ch in value) < 3:
        raise ValueError(f"{value!r} does not look like a phone number")
    return value


def _filled(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


Phone = Annotated[str, AfterValidator(_phoneish)]
Filled = Annotated[str, AfterValidator(_filled)]


class Resource(BaseModel):
    """One help line as a parent reads it, in one language."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    how: str  # e.g. "call or text 988"
    phone: str
    text: str | None = None  # a number that takes text messages, if any

    @property
    def line(self) -> str:
        return f"{self.name}: {self.how}"


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phone: Phone
    text: Phone | None = None
    name: dict[str, Filled]
    how: dict[str, Filled]


class Resources(BaseModel):
    """The program's help lines. `for_category` gives a category's lines in a language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: Filled
    emergency_number: Phone
    lines: dict[str, _Line] = Field(min_length=1)
    categories: dict[Category, dict[str, list[str]]]

    @model_validator(mode="after")
    def _complete(self) -> Resources:
        problems: list[str] = []
        for category in Category:
            by_language = self.categories.get(category)
            if by_language is None:
                problems.append(f"categories: {category.value} is missing")
                continue
            for language in LANGUAGES:
                ids = by_language.get(language) or []
                if not ids:
                    problems.append(
                        f"categories.{category.value}.{language}: needs at least one line"
                    )
                for line_id in ids:
                    line = self.lines.get(line_id)
                    if line is None:
                        problems.append(
                            f"categories.{category.value}.{language}: unknown line {line_id!r}"
                        )
                    elif language not in line.name or language not in line.how:
                        problems.append(
                            f"lines.{line_id}: needs a name and how in {language!r}"
                            f" (used by {category.value})"
                        )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def for_category(self, category: Category, language: str) -> tuple[Resource, ...]:
        """The lines to offer for `category`, first one first, in `language` (English when the
        language is not configured)."""
        by_language = self.categories[Category(category)]
        if language not in by_language:
            language = "en" if "en" in by_language else next(iter(by_language))
        found = []
        for line_id in by_language[language]:
            line = self.lines[line_id]
            found.append(
                Resource(
                    id=line_id,
                    name=line.name[language],
                    how=line.how[language],
                    phone=line.phone,
                    text=line.text,
                )
            )
        return tuple(found)


class ResourcesError(ValueError):
    """The program's resources file cannot be used; the message says why and where."""


def load_resources(path: Path | None = None) -> Resources:
    """The program's help lines from `path`, or the packaged US defaults when None."""
    source = DEFAULT_FILE if path is None else Path(path)
    try:
        raw: Any = yaml.safe_load(source.read_text("utf-8"))
    except OSError as error:
        raise ResourcesError(f"{source}: cannot read the resources file ({error})") from None
    except yaml.YAMLError as error:
        raise ResourcesError(f"{source}: not valid YAML ({error})") from None
    if not isinstance(raw, dict):
        raise ResourcesError(f"{source}: expected a mapping with region, lines and categories")
    try:
        return Resources.model_validate(raw)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'file'}: {problem['msg']}"
            for problem in error.errors(include_url=False)
        )
        raise ResourcesError(f"{source}: invalid resources file: {details}") from None
