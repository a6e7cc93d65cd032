"""Helpers for tests of home visitors and staff: roles in the database, invites made through
Telegram, families joining by them."""

from __future__ import annotations

from bot import roles
from bot.db.session import make_engine, make_session_factory
from bot.emulator import SentMessage
from bot.roles import Role
from tests.integration.conftest import Family, Tend

VISITOR = 501
OTHER_VISITOR = 502
STAFF = 601


async def grant(tend: Tend, telegram_id: int, role: Role, name: str | None = None) -> None:
    engine = make_engine(tend.database_url)
    try:
        async with make_session_factory(engine).begin() as session:
            await roles.grant(session, telegram_id, role, now=tend.clock.now(), name=name)
    finally:
        await engine.dispose()


class Member:
    """A home visitor or staff member talking to the bot."""

    def __init__(self, tend: Tend, user_id: int, first_name: str, language_code: str = "en"):
        self.tend, self.user_id, self.emu = tend, user_id, tend.emulator
        self.emu.add_user(user_id, first_name=first_name, language_code=language_code)

    async def send(self, text: str) -> SentMessage:
        await self.emu.user_sends_text(self.user_id, text)
        return await self.next()

    async def next(self) -> SentMessage:
        return await self.emu.next_message(self.user_id, timeout=10)

    async def press(self, message: SentMessage, label: str, *, forge: bool = False) -> str:
        data = label if forge else message.button(label).callback_data
        query = await self.emu.user_presses_button(
            self.user_id, message.message_id, data, forge=forge
        )
        await self.emu.wait_for_callback_answer(query, timeout=10)
        return query

    def toast(self, query: str) -> str | None:
        answer = self.emu.callback_answer(query)
        return answer.text if answer is not None else None

    async def invite(self, label: str = "") -> tuple[SentMessage, str]:
        """/invite [label]: the photo message, and the code from its link."""
        message = await self.send(f"/invite {label}".strip())
        assert message.has_photo and message.text is not None
        code = message.text.split("?start=")[1].split()[0]
        return message, code


async def visitor(tend: Tend, user_id: int = VISITOR, name: str = "Ana") -> Member:
    await grant(tend, user_id, Role.HOME_VISITOR)
    return Member(tend, user_id, name)


async def staff_member(tend: Tend, user_id: int = STAFF, name: str = "Lee") -> Member:
    await grant(tend, user_id, Role.STAFF)
    return Member(tend, user_id, name)


async def family_of(
    tend: Tend, member: Member, user_id: int, label: str = "", **onboard: str
) -> Family:
    """A family that joined by one of the member's invites."""
    _, code = await member.invite(label)
    family = Family(tend, user_id, first_name=onboard.pop("first_name", "Sam"))
    await family.onboard(code=code, **onboard)
    return family
