"""Help lines per safety category and language, from the program's configuration file.

The file (YAML; the packaged `resources.yaml` holds the US defaults) is validated when it is
loaded: every category has at least one line in every language, every line it names exists and
has a name and a "how to reach it" in that language, and every number looks like a number. The
optional `bereavement` section lists, per language, where a family who lost a baby or a
pregnancy can find support (a line may be a website with no phone; a crisis line needs a
phone). A broken file stops the bot at start with a message saying what is wrong and where.
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
    phone: str | None  # None only for a website (bereavement support)
    text: str | None = None  # a number that takes text messages, if any
    web: str | None = None

    @property
    def line(self) -> str:
        return f"{self.name}: {self.how}"


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phone: Phone | None = None
    text: Phone | None = None
    web: Filled | None = None
    name: dict[str, Filled]
    how: dict[str, Filled]

    @model_validator(mode="after")
    def _reachable(self) -> _Line:
        if self.phone is None and self.web is None:
            raise ValueError("a line needs a phone or a web address")
        return self


class Resources(BaseModel):
    """The program's help lines. `for_category` gives a category's lines in a language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: Filled
    emergency_number: Phone
    lines: dict[str, _Line] = Field(min_length=1)
    categories: dict[Category, dict[str, list[str]]]
    # Support after the loss of a baby or a pregnancy, per language (optional: without it the
    # goodbye points to the family's home visitor and the program).
    bereavement: dict[str, list[str]] = Field(default_factory=dict)

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
                    elif line.phone is None:
                        problems.append(
                            f"lines.{line_id}: needs a phone (used by {category.value})"
                        )
        problems.extend(self._bereavement_problems())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _bereavement_problems(self) -> list[str]:
        if not self.bereavement:
            return []
        problems = []
        for language in LANGUAGES:
            ids = self.bereavement.get(language) or []
            if not ids:
                problems.append(f"bereavement.{language}: needs at least one line")
            for line_id in ids:
                line = self.lines.get(line_id)
                if line is None:
                    problems.append(f"bereavement.{language}: unknown line {line_id!r}")
                elif language not in line.name or language not in line.how:
                    problems.append(
                        f"lines.{line_id}: needs a name and how in {language!r} (bereavement)"
                    )
        for language in self.bereavement:
            if language not in LANGUAGES:
                problems.append(f"bereavement.{language}: not a language the bot speaks")
        return problems

    def for_bereavement(self, language: str) -> tuple[Resource, ...]:
        """Support after a loss, in `language` (English when that language is not listed);
        empty when the program configured none."""
        if not self.bereavement:
            return ()
        if language not in self.bereavement:
            language = "en" if "en" in self.bereavement else next(iter(self.bereavement))
        return tuple(self._resource(line_id, language) for line_id in self.bereavement[language])

    def _resource(self, line_id: str, language: str) -> Resource:
        line = self.lines[line_id]
        return Resource(
            id=line_id,
            name=line.name[language],
            how=line.how[language],
            phone=line.phone,
            text=line.text,
            web=line.web,
        )

    def for_category(self, category: Category, language: str) -> tuple[Resource, ...]:
        """The lines to offer for `category`, first one first, in `language` (English when the
        language is not configured)."""
        by_language = self.categories[Category(category)]
        if language not in by_language:
            language = "en" if "en" in by_language else next(iter(by_language))
        return tuple(self._resource(line_id, language) for line_id in by_language[language])


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
