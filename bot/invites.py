"""Invite codes: made by a home visitor, single-use and expiring, spent when a family consents.

A code carries 96 random bits. Opening the link only notes the invite on the new parent; the
use is spent at consent, in one atomic update, so two families opening the same single-use
link cannot both join by it. A Telegram account that sends five wrong codes within an hour is
refused any code for an hour, so codes cannot be guessed by trying.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets

import segno
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Invite, InviteFailure, Parent

CODE_BYTES = 12  # 96 bits, 16 characters of [A-Za-z0-9_-]: fits Telegram's 64-character payload
WRONG_CODES_ALLOWED = 5
WRONG_CODE_WINDOW = dt.timedelta(hours=1)
LOCKOUT = dt.timedelta(hours=1)


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


def qr_png(link: str) -> bytes:
    """The link as a QR code to show on a phone or print (PNG)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


async def create(
    session: AsyncSession,
    *,
    created_by: int | None,
    label: str | None,
    now: dt.datetime,
    days: float,
    max_uses: int | None,
    code: str | None = None,
) -> Invite:
    invite = Invite(
        code=code or new_code(),
        label=(label or "").strip()[:120] or None,
        created_by=created_by,
        created_at=now,
        uses=0,
        max_uses=max_uses,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(invite)
    await session.flush()
    return invite


def usable(invite: Invite | None, now: dt.datetime) -> bool:
    return (
        invite is not None
        and invite.revoked_at is None
        and (invite.expires_at is None or invite.expires_at > now)
        and (invite.max_uses is None or invite.uses < invite.max_uses)
    )


async def spend(session: AsyncSession, invite_id: int, now: dt.datetime) -> bool:
    """Count one use, only if the invite is still open; whether it was."""
    result = await session.execute(
        update(Invite)
        .where(
            Invite.id == invite_id,
            Invite.revoked_at.is_(None),
            (Invite.expires_at.is_(None)) | (Invite.expires_at > now),
            (Invite.max_uses.is_(None)) | (Invite.uses < Invite.max_uses),
        )
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def spend_at_consent(
    session: AsyncSession, parent: Parent, now: dt.datetime, *, first_name: str | None
) -> bool:
    """At consent: spend the invite the parent opened; False when it closed meanwhile (used
    by another family, revoked or expired), and the parent is then no longer linked to it."""
    parent.first_name = (first_name or "")[:64] or None
    if parent.invite_id is None:
        return True
    if await spend(session, parent.invite_id, now):
        return True
    parent.invite_id = None
    return False


async def open_invites(
    session: AsyncSession, now: dt.datetime, *, created_by: int | None = None
) -> list[Invite]:
    """Codes that still open, newest first (one visitor's, or everyone's)."""
    query = (
        select(Invite)
        .where(
            Invite.revoked_at.is_(None),
            (Invite.expires_at.is_(None)) | (Invite.expires_at > now),
            (Invite.max_uses.is_(None)) | (Invite.uses < Invite.max_uses),
            Invite.code.not_like("role-%"),  # team links (bot.handlers.staff) are not families'
        )
        .order_by(Invite.created_at.desc(), Invite.id.desc())
    )
    if created_by is not None:
        query = query.where(Invite.created_by == created_by)
    return list((await session.scalars(query)).all())


async def revoke(
    session: AsyncSession, invite_id: int, now: dt.datetime, *, owner: int | None = None
) -> Invite | None:
    """Close a code (only the owner's, when `owner` is given); the invite, or None."""
    invite = await session.get(Invite, invite_id)
    if invite is None or (owner is not None and invite.created_by != owner):
        return None
    if invite.revoked_at is None:
        invite.revoked_at = now
    return invite


async def locked_out(session: AsyncSession, telegram_user_id: int, now: dt.datetime) -> bool:
    found = await session.scalar(
        select(InviteFailure.id).where(
            InviteFailure.telegram_user_id == telegram_user_id,
            InviteFailure.locked_until > now,
        )
    )
    return found is not None


async def record_wrong_code(session: AsyncSession, telegram_user_id: int, now: dt.datetime) -> bool:
    """Note a wrong code; True when this one locks the account out."""
    mine = InviteFailure.telegram_user_id == telegram_user_id
    await session.execute(
        delete(InviteFailure).where(mine, InviteFailure.failed_at < now - LOCKOUT * 24)
    )
    failure = InviteFailure(telegram_user_id=telegram_user_id, failed_at=now)
    session.add(failure)
    await session.flush()
    recent = await session.scalar(
        select(func.count(InviteFailure.id)).where(
            mine,
            InviteFailure.failed_at > now - WRONG_CODE_WINDOW,
            InviteFailure.locked_until.is_(None),
        )
    )
    if int(recent or 0) < WRONG_CODES_ALLOWED:
        return False
    failure.locked_until = now + LOCKOUT
    # The failures that led here are settled by the lockout; counting starts again after it.
    await session.execute(
        update(InviteFailure)
        .where(mine, InviteFailure.locked_until.is_(None))
        .values(locked_until=now)
        .execution_options(synchronize_session=False)
    )
    return True


async def visitor_of(session: AsyncSession, parent: Parent) -> int | None:
    """The home visitor a family joined through: whoever made their invite."""
    if parent.invite_id is None:
        return None
    invite = await session.get(Invite, parent.invite_id)
    return invite.created_by if invite is not None else None


async def consent_allowed(
    session: AsyncSession,
    parent: Parent,
    now: dt.datetime,
    *,
    first_name: str | None,
    self_signup: bool,
) -> bool:
    """At consent: False only when the family's invite closed meanwhile and the program has no
    self-signup (then they cannot join)."""
    return await spend_at_consent(session, parent, now, first_name=first_name) or self_signup
