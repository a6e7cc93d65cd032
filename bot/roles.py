"""Who may do what: the four roles, what each may do, and the role rows in the database.

Roles are checked on the server for every privileged command and button; a button's data is
never taken as proof of anything. Admins come from the `staff_roles` table or from
`TEND_ADMIN_IDS`; everyone without a role is a parent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.models import StaffRole


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    HOME_VISITOR = "home_visitor"
    PARENT = "parent"


RANK = {Role.PARENT: 0, Role.HOME_VISITOR: 1, Role.STAFF: 2, Role.ADMIN: 3}
GRANTABLE = (Role.ADMIN, Role.STAFF, Role.HOME_VISITOR)


class Action(StrEnum):
    """Every privileged thing someone can ask the bot for."""

    INVITE = "invite"  # /invite, /invites, revoke buttons
    CASELOAD = "caseload"  # /families, /family, alert buttons, answering a family
    ALL_FAMILIES = "all_families"  # every family, not only one's own
    BROADCAST = "broadcast"  # /broadcast, /broadcasts, their buttons
    REPORTS = "reports"  # /stats, /export
    GRANT = "grant"  # /grant, /revoke, /team


# The least role an action needs (each role may do what the roles below it may).
NEEDS = {
    Action.INVITE: Role.HOME_VISITOR,
    Action.CASELOAD: Role.HOME_VISITOR,
    Action.ALL_FAMILIES: Role.STAFF,
    Action.BROADCAST: Role.STAFF,
    Action.REPORTS: Role.STAFF,
    Action.GRANT: Role.ADMIN,
}


def allows(role: Role, action: Action) -> bool:
    return RANK[role] >= RANK[NEEDS[action]]


def parse_role(value: str) -> Role:
    """A role as typed in the CLI or in chat: admin, staff, home_visitor (or home-visitor)."""
    cleaned = value.strip().lower().replace("-", "_")
    if cleaned in ("visitor", "hv"):
        cleaned = Role.HOME_VISITOR.value
    try:
        role = Role(cleaned)
    except ValueError:
        raise ValueError(f"unknown role {value!r}: use admin, staff or home_visitor") from None
    if role is Role.PARENT:
        raise ValueError("parent is not granted: everyone without a role is a parent")
    return role


@dataclass(frozen=True, slots=True)
class Member:
    """Someone with a role, as listed by `tend admin list` and /team."""

    telegram_user_id: int
    role: Role
    name: str | None
    from_settings: bool = False


async def role_of(session: AsyncSession, settings: Settings, telegram_user_id: int) -> Role:
    if telegram_user_id in settings.admin_ids:
        return Role.ADMIN
    found = await session.get(StaffRole, telegram_user_id)
    return Role(found.role) if found is not None else Role.PARENT


async def grant(
    session: AsyncSession,
    telegram_user_id: int,
    role: Role,
    *,
    now: dt.datetime,
    by: int | None = None,
    name: str | None = None,
) -> StaffRole:
    """Give (or change) someone's role."""
    row = await session.get(StaffRole, telegram_user_id)
    if row is None:
        row = StaffRole(telegram_user_id=telegram_user_id, language="en", granted_at=now)
        session.add(row)
    row.role, row.granted_by, row.granted_at = role.value, by, now
    if name:
        row.name = name[:64]
    await session.flush()
    return row


async def revoke(session: AsyncSession, telegram_user_id: int) -> bool:
    """Back to parent; whether they had a role row."""
    result = await session.execute(
        delete(StaffRole).where(StaffRole.telegram_user_id == telegram_user_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def remember_name(
    session: AsyncSession, telegram_user_id: int, name: str | None, language: str
) -> None:
    """Keep a role holder's first name and language current (what families read)."""
    row = await session.get(StaffRole, telegram_user_id)
    if row is not None:
        if name and row.name != name[:64]:
            row.name = name[:64]
        if row.language != language:
            row.language = language


async def languages_of(session: AsyncSession, telegram_user_ids: Iterable[int]) -> dict[int, str]:
    """The language each role holder reads (what their alerts are written in): the one kept
    from their Telegram settings, English for an admin named only in the settings."""
    ids = list(telegram_user_ids)
    found = dict(
        (
            await session.execute(
                select(StaffRole.telegram_user_id, StaffRole.language).where(
                    StaffRole.telegram_user_id.in_(ids)
                )
            )
        ).all()
    )
    return {user_id: found.get(user_id) or "en" for user_id in ids}


async def members(session: AsyncSession, settings: Settings) -> list[Member]:
    """Everyone with a role: the table's rows, then admins from the settings not in it."""
    rows = (await session.scalars(select(StaffRole).order_by(StaffRole.telegram_user_id))).all()
    found = [
        Member(
            row.telegram_user_id,
            Role.ADMIN if row.telegram_user_id in settings.admin_ids else Role(row.role),
            row.name,
        )
        for row in rows
    ]
    known = {member.telegram_user_id for member in found}
    found += [
        Member(admin, Role.ADMIN, None, from_settings=True)
        for admin in settings.admin_ids
        if admin not in known
    ]
    return found


async def ids_with_at_least(session: AsyncSession, settings: Settings, role: Role) -> list[int]:
    """Telegram ids of everyone whose role is `role` or above (admins from settings included)."""
    wanted = [r.value for r in Role if RANK[r] >= RANK[role]]
    rows = (
        await session.scalars(
            select(StaffRole.telegram_user_id)
            .where(StaffRole.role.in_(wanted))
            .order_by(StaffRole.telegram_user_id)
        )
    ).all()
    return list(dict.fromkeys([*settings.admin_ids, *rows]))


async def name_of(session: AsyncSession, telegram_user_id: int) -> str | None:
    row = await session.get(StaffRole, telegram_user_id)
    return row.name if row is not None else None
