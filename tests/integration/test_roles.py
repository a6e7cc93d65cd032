"""Roles through Telegram: the role-by-action matrix (every privileged command and button, for
every role), forged and replayed buttons, grants in chat, and each person's command menu."""

from __future__ import annotations

import pytest

from bot.db.models import StaffRole
from bot.roles import Role
from tests.integration.conftest import ADMIN_ID, Family, Tend
from tests.integration.program import STAFF, VISITOR, Member, grant

REFUSED = "for program staff"
PARENT_ID, DB_ADMIN = 701, 702

# Each privileged command and the least role that may use it.
COMMANDS = {
    "/invite Garcia": Role.HOME_VISITOR,
    "/invites": Role.HOME_VISITOR,
    "/families": Role.HOME_VISITOR,
    "/family Garcia": Role.HOME_VISITOR,
    "/team": Role.ADMIN,
    "/grant 12345 staff": Role.ADMIN,
    "/revoke 12345": Role.ADMIN,
    "/teamlink staff": Role.ADMIN,
    "/broadcast Hello": Role.STAFF,
    "/broadcasts": Role.STAFF,
    "/schedule 1 2026-12-01 10:00": Role.STAFF,
    "/stats": Role.STAFF,
    "/export": Role.STAFF,
}
RANK = {Role.PARENT: 0, Role.HOME_VISITOR: 1, Role.STAFF: 2, Role.ADMIN: 3}
PEOPLE = {
    Role.PARENT: PARENT_ID,
    Role.HOME_VISITOR: VISITOR,
    Role.STAFF: STAFF,
    Role.ADMIN: ADMIN_ID,
}


async def person(tend: Tend, role: Role) -> Member:
    user_id = PEOPLE[role]
    if role in (Role.HOME_VISITOR, Role.STAFF):
        await grant(tend, user_id, role)
    if role is Role.PARENT:
        await Family(tend, user_id).onboard()
    return Member(tend, user_id, "Pat")


@pytest.mark.parametrize("role", list(PEOPLE))
@pytest.mark.parametrize("command", list(COMMANDS))
async def test_every_privileged_command_checks_the_role(
    tend: Tend, role: Role, command: str
) -> None:
    member = await person(tend, role)
    reply = await member.send(command)
    allowed = RANK[role] >= RANK[COMMANDS[command]]
    assert (REFUSED not in (reply.text or "")) == allowed, (role, command, reply.text)


BUTTONS = {
    "iv:r:1": Role.HOME_VISITOR,
    "fm:p:0": Role.HOME_VISITOR,
    "fm:f:1": Role.HOME_VISITOR,
    "rg:12345:admin": Role.ADMIN,
    "bc:send:1": Role.STAFF,
    "bc:cancel:1": Role.STAFF,
}


@pytest.mark.parametrize("role", list(PEOPLE))
@pytest.mark.parametrize("data", list(BUTTONS))
async def test_every_privileged_button_checks_the_role_even_when_forged(
    tend: Tend, role: Role, data: str
) -> None:
    member = await person(tend, role)
    anchor = await member.send("/help")
    query = await member.press(anchor, data, forge=True)
    toast = member.toast(query) or ""
    if RANK[role] < RANK[BUTTONS[data]]:
        assert REFUSED in toast
    else:
        assert REFUSED not in toast
    rows = {row.telegram_user_id: row.role for row in await tend.rows(StaffRole)}
    # Only an admin's tap gives a role; nobody else's forged tap does.
    assert (12345 in rows) == (role is Role.ADMIN and data.startswith("rg:"))


async def test_an_admin_grants_a_role_in_chat_with_a_confirmation(tend: Tend) -> None:
    admin = Member(tend, ADMIN_ID, "Staff")
    tend.emulator.add_user(4242, first_name="Ana")  # has opened the bot (Telegram needs that)
    ask = await admin.send("/grant 4242 home_visitor")
    assert "4242" in (ask.text or "")
    await admin.press(ask, "Yes, give the role")
    done = await admin.next()
    assert "4242 is now home visitor" in (done.text or "")
    assert {r.telegram_user_id: r.role for r in await tend.rows(StaffRole)} == {
        4242: "home_visitor"
    }
    menu = dict(tend.emulator.commands(scope="chat:4242"))
    assert "invite" in menu and "families" in menu and "broadcast" not in menu
    team = await admin.send("/team")
    assert "4242" in (team.text or "") and str(ADMIN_ID) in (team.text or "")
    gone = await admin.send("/revoke 4242")
    assert "no role now" in (gone.text or "")
    assert await tend.rows(StaffRole) == []
    assert tend.emulator.commands(scope="chat:4242") == []


async def test_a_role_in_the_database_makes_an_admin_too(tend: Tend) -> None:
    await grant(tend, DB_ADMIN, Role.ADMIN)
    member = Member(tend, DB_ADMIN, "Dee")
    team = await member.send("/team")
    assert REFUSED not in (team.text or "")


async def test_menus_fit_each_role_and_language(tend: Tend) -> None:
    await tend.barrier()
    admin = dict(tend.emulator.commands(scope=f"chat:{ADMIN_ID}"))
    admin_es = dict(tend.emulator.commands(language_code="es", scope=f"chat:{ADMIN_ID}"))
    for command in ("invite", "families", "team"):
        assert command in admin and command in admin_es
    assert "help" in admin and len(admin) > len(dict(tend.emulator.commands()))
    assert admin["families"] != admin_es["families"]
    default = dict(tend.emulator.commands())
    assert "invite" not in default and "broadcast" not in default


async def test_a_team_link_gives_its_role_once_after_a_confirmation(tend: Tend) -> None:
    admin = Member(tend, ADMIN_ID, "Staff")
    made = await admin.send("/teamlink home_visitor")
    code = (made.text or "").split("?start=")[1].split()[0]
    assert code.startswith("role-")
    newcomer = Member(tend, 4343, "Ana")
    ask = await newcomer.send(f"/start {code}")
    assert "home visitor" in (ask.text or "")
    await newcomer.press(ask, "Yes, give the role")
    welcome = await newcomer.next()
    assert "You are now home visitor" in (welcome.text or "")
    assert {r.telegram_user_id: r.role for r in await tend.rows(StaffRole)} == {
        4343: "home_visitor"
    }
    assert "invite" in dict(tend.emulator.commands(scope="chat:4343"))
    assert await tend.parent(4343) is None  # a team link never enrolls a family
    replay = await newcomer.press(ask, "Yes, give the role")
    assert "doesn't work anymore" in (newcomer.toast(replay) or "")
    other = Member(tend, 4444, "Eve")
    refused = await other.send(f"/start {code}")
    assert "doesn't work anymore" in (refused.text or "")
    forged = await other.press(refused, "rj:role-guessed-code", forge=True)
    assert "doesn't work anymore" in (other.toast(forged) or "")
    assert 4444 not in {r.telegram_user_id for r in await tend.rows(StaffRole)}
    listing = await admin.send("/invites")
    assert "role" not in (listing.text or "")
