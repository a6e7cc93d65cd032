"""Home visitors' tools: /invite with a QR code, /invites with revoke buttons, the caseload
(/families, /family) and its buttons. Every one checks the caller's role on the server, and a
home visitor reaches only their own families and codes."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.error import TelegramError

from bot import caseload, invites
from bot.db.models import Invite
from bot.handlers.access import permitted
from bot.handlers.common import Answer, Context, guess_language, readable
from bot.roles import Action, Role, allows
from bot.services import services
from bot.texts import text
from bot.texts.formats import spoken_date
from bot.views import Say, callback_id

log = logging.getLogger(__name__)

MAX_LABEL = 60


async def create_invite(update: Update, context: Context) -> None:
    """/invite [label]: a single-use, expiring code as a deep link and a QR code."""
    role = await permitted(update, context, Action.INVITE)
    user, chat = update.effective_user, update.effective_chat
    if role is None or user is None or chat is None:
        return
    svc = services(context)
    language = guess_language(update)
    label = readable(" ".join(context.args or []))[:MAX_LABEL] or None  # PostgreSQL: no NUL
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        invite = await invites.create(
            session,
            created_by=user.id,
            label=label,
            now=now,
            days=svc.settings.invite_days,
            max_uses=svc.settings.invite_max_uses,
        )
    link = invites.deep_link(context.bot.username, invite.code)
    body = text(
        language,
        "invite_made",
        label=invite.label or text(language, "invite_no_label"),
        expires=_expires(language, invite),
        link=link,
    )
    # A one-off to the visitor's own chat: the photo goes straight out, not through the outbox.
    try:
        await context.bot.send_photo(
            chat.id, invites.qr_png(link), caption=body, filename="tend-invite.png"
        )
    except TelegramError:
        log.warning("could not send an invite's QR code; sending the link alone")
        answer = Answer()
        answer.say(Say(body))
        await answer.send(update, context)


def _expires(language: str, invite: Invite) -> str:
    return spoken_date(language, invite.expires_at.date()) if invite.expires_at else "—"


async def list_invites(update: Update, context: Context) -> None:
    """/invites: open codes (a visitor's own; staff see everyone's), a revoke button each."""
    role = await permitted(update, context, Action.INVITE)
    user = update.effective_user
    if role is None or user is None:
        return
    answer = Answer()
    answer.say(await _invites_view(update, context, role, user.id))
    await answer.send(update, context)


async def _invites_view(update: Update, context: Context, role: Role, user_id: int) -> Say:
    svc = services(context)
    language = guess_language(update)
    owner = None if allows(role, Action.ALL_FAMILIES) else user_id
    async with svc.sessions() as session:
        found = await invites.open_invites(session, svc.clock.now(), created_by=owner)
    if not found:
        return Say(text(language, "invites_none"))
    shown = found[:20]
    lines = [text(language, "invites_header")]
    buttons = []
    for invite in shown:
        label = invite.label or text(language, "invite_no_label")
        lines.append(
            text(
                language,
                "invites_line",
                label=label,
                expires=_expires(language, invite),
                uses=invite.uses,
                allowed=invite.max_uses if invite.max_uses is not None else "∞",
            )
        )
        buttons.append(
            ((text(language, "invite_btn_revoke", label=label[:18]), f"iv:r:{invite.id}"),)
        )
    return Say("\n".join(lines), tuple(buttons))


async def answer_invite_button(update: Update, context: Context) -> None:
    """A tap on "Revoke" under /invites (iv:r:<invite>): only one's own code, unless staff."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    role = await permitted(update, context, Action.INVITE)
    if role is None:
        return
    svc = services(context)
    language = guess_language(update)
    parts = (query.data or "").split(":")
    invite_id = callback_id(parts[2]) if len(parts) == 3 and parts[1] == "r" else None
    answer = Answer()
    owner = None if allows(role, Action.ALL_FAMILIES) else user.id
    async with svc.sessions.begin() as session:
        invite = (
            await invites.revoke(session, invite_id, svc.clock.now(), owner=owner)
            if invite_id is not None
            else None
        )
    if invite is None:
        answer.toast = text(language, "button_expired")
    else:
        answer.toast = text(
            language, "invite_revoked", label=invite.label or text(language, "invite_no_label")
        )
        answer.say(Say(answer.toast))
    await answer.send(update, context)


PAGE = 8


def _visitor_filter(role: Role, user_id: int) -> int | None:
    """Whose families the caller may see: their own, or everyone's for staff and admins."""
    return None if allows(role, Action.ALL_FAMILIES) else user_id


def _age(language: str, months: int | None) -> str:
    if months is None:
        return "—"
    if months < 0:
        return text(language, "caseload_expecting")
    return text(language, "caseload_months", months=months)


def _ago(language: str, moment: dt.datetime | None, now: dt.datetime) -> str:
    if moment is None:
        return text(language, "caseload_never")
    days = (now - moment).days
    return (
        text(language, "caseload_today")
        if days < 1
        else text(language, "caseload_days_ago", days=days)
    )


async def _caseload_view(
    update: Update, context: Context, role: Role, user_id: int, page: int
) -> Say:
    svc = services(context)
    language = guess_language(update)
    now = svc.clock.now()
    async with svc.sessions() as session:
        rows = await caseload.families(
            session,
            now,
            visitor_id=_visitor_filter(role, user_id),
            quiet_days=svc.settings.quiet_days,
        )
    if not rows:
        return Say(text(language, "caseload_empty"))
    pages = (len(rows) + PAGE - 1) // PAGE
    page = max(0, min(page, pages - 1))
    shown = rows[page * PAGE : (page + 1) * PAGE]
    lines = [text(language, "caseload_header", count=len(rows), page=page + 1, pages=pages)]
    for row in shown:
        status = text(language, f"status_{row.status}")
        if row.flagged:
            status = "⚠️ " + text(language, "status_flagged") + " · " + status
        lines.append(
            text(
                language,
                "caseload_line",
                who=row.who,
                age=_age(language, row.age_months),
                status=status,
                last=_ago(language, row.last_reply_at, now),
                week=row.replies_7d,
            )
        )
    buttons: list[tuple[tuple[str, str], ...]] = [
        ((row.who[:28], f"fm:f:{row.parent_id}"),) for row in shown
    ]
    turns = []
    if page > 0:
        turns.append((text(language, "caseload_prev"), f"fm:p:{page - 1}"))
    if page < pages - 1:
        turns.append((text(language, "caseload_next"), f"fm:p:{page + 1}"))
    if turns:
        buttons.append(tuple(turns))
    return Say("\n".join(lines), tuple(buttons))


async def show_families(update: Update, context: Context) -> None:
    """/families: the caller's caseload, a page at a time."""
    role = await permitted(update, context, Action.CASELOAD)
    user = update.effective_user
    if role is None or user is None:
        return
    answer = Answer()
    answer.say(await _caseload_view(update, context, role, user.id, 0))
    await answer.send(update, context)


async def _family_view(
    update: Update, context: Context, role: Role, user_id: int, parent_id: int
) -> Say | None:
    svc = services(context)
    language = guess_language(update)
    now = svc.clock.now()
    async with svc.sessions() as session:
        found = await caseload.family(session, parent_id, visitor_id=_visitor_filter(role, user_id))
        if found is None:
            return None
        parent, label = found
        events = await caseload.history(
            session, parent.id, now, include_words=svc.settings.alert_includes_words
        )
    lines = [
        text(
            language,
            "family_header",
            who=caseload.who(parent, label),
            age=_age(language, caseload.child_months(parent, now.date())),
            status=text(
                language, f"status_{caseload.shown_status(parent, now, svc.settings.quiet_days)}"
            ),
        )
    ]
    for event in events[-40:]:
        lines.append(
            f"{event.at:%b %d %H:%M} · "
            + text(language, f"family_{event.kind}", detail=event.detail)
        )
    if not events:
        lines.append(text(language, "family_nothing"))
    return Say("\n".join(lines))


async def show_family(update: Update, context: Context) -> None:
    """/family <label or first name>: one family's last two weeks."""
    role = await permitted(update, context, Action.CASELOAD)
    user = update.effective_user
    if role is None or user is None:
        return
    svc = services(context)
    language = guess_language(update)
    name = " ".join(context.args or [])
    answer = Answer()
    if not name:
        answer.say(Say(text(language, "family_which")))
        await answer.send(update, context)
        return
    async with svc.sessions() as session:
        matches = await caseload.find_by_name(
            session, name, visitor_id=_visitor_filter(role, user.id)
        )
    if not matches:
        answer.say(Say(text(language, "family_not_found")))
    elif len(matches) > 1:
        answer.say(
            Say(
                text(language, "family_several"),
                tuple(((caseload.who(p, label)[:28], f"fm:f:{p.id}"),) for p, label in matches[:8]),
            )
        )
    else:
        view = await _family_view(update, context, role, user.id, matches[0][0].id)
        answer.say(view or Say(text(language, "family_not_found")))
    await answer.send(update, context)


async def answer_caseload_button(update: Update, context: Context) -> None:
    """Caseload buttons: fm:p:<page> turns the page, fm:f:<family> opens one family (own only)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    role = await permitted(update, context, Action.CASELOAD)
    if role is None:
        return
    parts = (query.data or "").split(":")
    number = callback_id(parts[2]) if len(parts) == 3 else None
    answer = Answer()
    view: Say | None = None
    if number is not None and parts[1] == "p":
        view = await _caseload_view(update, context, role, user.id, number)
    elif number is not None and parts[1] == "f":
        view = await _family_view(update, context, role, user.id, number)
    if view is None:
        answer.toast = text(guess_language(update), "button_expired")
    else:
        answer.say(view)
    await answer.send(update, context)
