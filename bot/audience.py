"""Who a broadcast reaches: filters staff choose (language, child's age band, home visitor,
status, joined before or after a date), read from `key:value` words, and the families that fit.

Only families who can hear from us are ever included: active (not paused, stopped, blocked or
still joining) and not hushed after a safety flag.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.caseload import AGE_BANDS, age_band, child_months, shown_status
from bot.db.models import Invite, Parent

STATUSES = ("active", "quiet")
KEYS = ("lang", "age", "visitor", "status", "after", "before")


class AudienceError(ValueError):
    """A filter word that cannot be read; the message says which and how."""


@dataclass(frozen=True, slots=True)
class Audience:
    languages: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    visitors: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    joined_after: dt.date | None = None
    joined_before: dt.date | None = None

    @property
    def everyone(self) -> bool:
        return not (
            self.languages
            or self.age_bands
            or self.visitors
            or self.statuses
            or self.joined_after
            or self.joined_before
        )

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("joined_after", "joined_before"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        data = json.loads(raw or "{}")
        return cls(
            languages=tuple(data.get("languages", ())),
            age_bands=tuple(data.get("age_bands", ())),
            visitors=tuple(int(v) for v in data.get("visitors", ())),
            statuses=tuple(data.get("statuses", ())),
            joined_after=_date(data.get("joined_after")),
            joined_before=_date(data.get("joined_before")),
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_filters(words: Sequence[str]) -> tuple[Audience, list[str]]:
    """Leading `key:value` words (lang:es age:12-23 visitor:501 status:quiet after:2026-11-01
    before:2026-12-01; commas for several values) and the words after them."""
    values: dict[str, list[str]] = {}
    rest = list(words)
    while rest and ":" in rest[0] and rest[0].split(":", 1)[0].lower() in KEYS:
        key, value = rest.pop(0).split(":", 1)
        values.setdefault(key.lower(), []).extend(v for v in value.split(",") if v)
    try:
        audience = Audience(
            languages=tuple(_pick(values.get("lang", []), ("en", "es"), "lang")),
            age_bands=tuple(_pick(values.get("age", []), tuple(AGE_BANDS), "age")),
            visitors=tuple(int(v) for v in values.get("visitor", [])),
            statuses=tuple(_pick(values.get("status", []), STATUSES, "status")),
            joined_after=_one_date(values.get("after")),
            joined_before=_one_date(values.get("before")),
        )
    except ValueError as error:
        raise AudienceError(str(error)) from None
    return audience, rest


def _pick(given: list[str], allowed: tuple[str, ...], key: str) -> list[str]:
    for value in given:
        if value not in allowed:
            raise ValueError(f"{key}:{value} is not known; use one of {', '.join(allowed)}")
    return given


def _one_date(given: list[str] | None) -> dt.date | None:
    if not given:
        return None
    try:
        return dt.date.fromisoformat(given[-1])
    except ValueError:
        raise ValueError(f"{given[-1]} is not a date like 2026-11-01") from None


def describe(audience: Audience) -> str:
    """The filters as staff typed them ("everyone" when there are none)."""
    if audience.everyone:
        return "everyone"
    parts = []
    for key, values in (
        ("lang", audience.languages),
        ("age", audience.age_bands),
        ("visitor", tuple(str(v) for v in audience.visitors)),
        ("status", audience.statuses),
    ):
        if values:
            parts.append(f"{key}:{','.join(values)}")
    if audience.joined_after:
        parts.append(f"after:{audience.joined_after.isoformat()}")
    if audience.joined_before:
        parts.append(f"before:{audience.joined_before.isoformat()}")
    return " ".join(parts)


async def recipients(
    session: AsyncSession, audience: Audience, now: dt.datetime, *, quiet_days: float
) -> list[Parent]:
    """The families that fit, who can hear from us now, by id."""
    query = (
        select(Parent)
        .where(
            Parent.status == "active",
            Parent.consented_at.is_not(None),
            (Parent.hushed_until.is_(None)) | (Parent.hushed_until <= now),
        )
        .options(selectinload(Parent.children))
        .order_by(Parent.id)
    )
    if audience.languages:
        query = query.where(Parent.language.in_(audience.languages))
    if audience.visitors:
        query = query.join(Invite, Parent.invite_id == Invite.id).where(
            Invite.created_by.in_(audience.visitors)
        )
    if audience.joined_after:
        start = dt.datetime.combine(audience.joined_after, dt.time(), dt.UTC)
        query = query.where(Parent.created_at >= start)
    if audience.joined_before:
        end = dt.datetime.combine(audience.joined_before, dt.time(), dt.UTC)
        query = query.where(Parent.created_at < end)
    found = list((await session.scalars(query)).all())
    if audience.age_bands:
        today = now.date()
        found = [p for p in found if age_band(child_months(p, today)) in audience.age_bands]
    if audience.statuses:
        found = [p for p in found if shown_status(p, now, quiet_days) in audience.statuses]
    return found
