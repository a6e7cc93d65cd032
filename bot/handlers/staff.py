"""Program staff and admins in chat: the team (/team, /grant, /revoke), each person's command
menu, and the periodic checks that serve home visitors and staff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application

from bot import invites, menus, roles
from bot.db import repository
from bot.db.models import Invite
from bot.handlers.access import permitted
from bot.handlers.common import Answer, Context, guess_language
from bot.roles import Action
from bot.services import SERVICES_KEY, Services, services
from bot.texts import text
from bot.views import Say

BASE_MENU_KEY = "tend.base_menu"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def set_role_menus(
    application: AnyApplication, base: Mapping[str, Sequence[BotCommand]]
) -> None:
    """At start: every role holder's own menu (admins from the settings too)."""
    application.bot_data[BASE_MENU_KEY] = dict(base)
    svc: Services = application.bot_data[SERVICES_KEY]
    async with svc.sessions() as session:
        found = await roles.members(session, svc.settings)
    for member in found:
        await menus.set_menu(application.bot, member.telegram_user_id, member.role, base)


async def _refresh_menu(context: Context, telegram_user_id: int) -> None:
    svc = services(context)
    async with svc.sessions() as session:
        role = await roles.role_of(session, svc.settings, telegram_user_id)
    base = context.bot_data.get(BASE_MENU_KEY, {})
    if base:
        await menus.set_menu(context.bot, telegram_user_id, role, base)


async def show_team(update: Update, context: Context) -> None:
    """/team (admins): everyone with a role."""
    if await permitted(update, context, Action.GRANT) is None:
        return
    svc = services(context)
    language = guess_language(update)
    async with svc.sessions() as session:
        found = await roles.members(session, svc.settings)
    lines = [text(language, "team_header")]
    for member in found:
        lines.append(
            text(
                language,
                "team_line",
                id=member.telegram_user_id,
                name=member.name or "—",
                role=text(language, f"role_{member.role.value}"),
            )
        )
    answer = Answer()
    answer.say(Say("\n".join(lines)))
    await answer.send(update, context)


def _parse_target(args: Sequence[str]) -> int | None:
    if not args or not (args[0].isascii() and args[0].isdigit()) or len(args[0]) > 15:
        return None
    return int(args[0])


async def ask_grant(update: Update, context: Context) -> None:
    """/grant <telegram id> <role> (admins): asks to confirm with a button."""
    if await permitted(update, context, Action.GRANT) is None:
        return
    language = guess_language(update)
    args = list(context.args or [])
    target = _parse_target(args)
    answer = Answer()
    try:
        role = roles.parse_role(args[1]) if len(args) == 2 else None
    except ValueError:
        role = None
    if target is None or role is None:
        answer.say(Say(text(language, "grant_usage")))
    else:
        answer.say(
            Say(
                text(language, "grant_confirm", id=target, role=text(language, f"role_{role}")),
                (
                    ((text(language, "grant_yes"), f"rg:{target}:{role.value}"),),
                    ((text(language, "grant_no"), "rg:no"),),
                ),
            )
        )
    await answer.send(update, context)


async def revoke_role(update: Update, context: Context) -> None:
    """/revoke <telegram id> (admins): back to parent, at once."""
    if await permitted(update, context, Action.GRANT) is None:
        return
    svc = services(context)
    language = guess_language(update)
    target = _parse_target(list(context.args or []))
    answer = Answer()
    if target is None:
        answer.say(Say(text(language, "grant_usage")))
    elif target in svc.settings.admin_ids:
        answer.say(Say(text(language, "revoke_settings_admin")))
    else:
        async with svc.sessions.begin() as session:
            had = await roles.revoke(session, target)
        answer.say(Say(text(language, "revoked" if had else "revoke_nothing", id=target)))
        if had:
            await _refresh_menu(context, target)
    await answer.send(update, context)


async def answer_grant_button(update: Update, context: Context) -> None:
    """rg:<telegram id>:<role> confirms a grant; the role is checked again at the tap."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    if await permitted(update, context, Action.GRANT) is None:
        return
    svc = services(context)
    language = guess_language(update)
    parts = (query.data or "").split(":")
    answer = Answer()
    target = _parse_target(parts[1:2]) if len(parts) == 3 else None
    try:
        role = roles.parse_role(parts[2]) if target is not None else None
    except ValueError:
        role = None
    if parts[1:] == ["no"]:
        answer.toast = text(language, "grant_cancelled")
    elif target is None or role is None:
        answer.toast = text(language, "button_expired")
    else:
        async with svc.sessions.begin() as session:
            await roles.grant(session, target, role, now=svc.clock.now(), by=user.id)
        answer.say(Say(text(language, "granted", id=target, role=text(language, f"role_{role}"))))
        await _refresh_menu(context, target)
    await answer.send(update, context)


# --- joining the team by a link (an admin's /teamlink ROLE; the person opens it and confirms) ---

ROLE_LINK_PREFIX = "role-"
ROLE_LINK_DAYS = 2.0


async def make_role_link(update: Update, context: Context) -> None:
    """/teamlink staff|home_visitor (admins): a single-use link that gives that role once the
    person who opens it confirms."""
    if await permitted(update, context, Action.GRANT) is None:
        return
    user = update.effective_user
    assert user is not None
    svc = services(context)
    language = guess_language(update)
    args = list(context.args or [])
    answer = Answer()
    try:
        role = roles.parse_role(args[0]) if len(args) == 1 else None
    except ValueError:
        role = None
    if role is None:
        answer.say(Say(text(language, "teamlink_usage")))
    else:
        async with svc.sessions.begin() as session:
            invite = await invites.create(
                session,
                created_by=user.id,
                label=f"role:{role.value}",
                now=svc.clock.now(),
                days=ROLE_LINK_DAYS,
                max_uses=1,
                code=ROLE_LINK_PREFIX + invites.new_code(),
            )
        link = invites.deep_link(context.bot.username, invite.code)
        answer.say(
            Say(text(language, "teamlink_made", role=text(language, f"role_{role}"), link=link))
        )
    await answer.send(update, context)


async def open_role_link(update: Update, context: Context) -> None:
    """/start role-<code>: asks the person to confirm the role the link gives."""
    svc = services(context)
    user = update.effective_user
    assert user is not None
    language = guess_language(update)
    code = (context.args or [""])[0]
    answer = Answer()
    async with svc.sessions.begin() as session:
        locked = await invites.locked_out(session, user.id, svc.clock.now())
        invite = None if locked else await repository.find_invite(session, code)
        role = _link_role(invite) if invites.usable(invite, svc.clock.now()) else None
        if role is None and not locked:
            await invites.record_wrong_code(session, user.id, svc.clock.now())
    if locked:
        answer.say(Say(text(language, "invite_locked")))
    elif role is None:
        answer.say(Say(text(language, "teamlink_invalid")))
    else:
        answer.say(
            Say(
                text(language, "teamlink_confirm", role=text(language, f"role_{role}")),
                (
                    ((text(language, "grant_yes"), f"rj:{code}"),),
                    ((text(language, "grant_no"), "rj:no"),),
                ),
            )
        )
    await answer.send(update, context)


def _link_role(invite: Invite | None) -> roles.Role | None:
    if invite is None or not invite.code.startswith(ROLE_LINK_PREFIX):
        return None
    try:
        return roles.parse_role((invite.label or "").removeprefix("role:"))
    except ValueError:
        return None


async def answer_role_link(update: Update, context: Context) -> None:
    """rj:<code> accepts a team link: the code itself is the proof, spent once."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    language = guess_language(update)
    code = (query.data or "").removeprefix("rj:")
    now = svc.clock.now()
    answer = Answer()
    granted: roles.Role | None = None
    async with svc.sessions.begin() as session:
        invite = await repository.find_invite(session, code) if code != "no" else None
        role = _link_role(invite)
        if code == "no":
            answer.toast = text(language, "grant_cancelled")
        elif invite is None or role is None or not await invites.spend(session, invite.id, now):
            answer.toast = text(language, "teamlink_invalid")
        else:
            await roles.grant(
                session, user.id, role, now=now, by=invite.created_by, name=user.first_name
            )
            granted = role
    if granted is not None:
        answer.say(Say(text(language, "teamlink_welcome", role=text(language, f"role_{granted}"))))
        await _refresh_menu(context, user.id)
    await answer.send(update, context)
