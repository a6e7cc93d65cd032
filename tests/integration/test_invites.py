"""Invites through Telegram: a QR code and a deep link from getMe, single use, spent at consent,
expiry, revocation, the wrong-code lockout, and a label the family never sees."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import invites
from bot.db.models import Invite, Parent
from tests.integration.conftest import Family, Tend
from tests.integration.program import OTHER_VISITOR, family_of, visitor

PNG = b"\x89PNG\r\n\x1a\n"


def photo_bytes(tend: Tend, chat_id: int, message_id: int) -> bytes:
    stored = tend.emulator._users.chat(chat_id).messages[message_id].photo
    assert stored is not None
    return bytes(stored.content)


async def test_an_invite_is_a_qr_code_and_a_deep_link_to_this_bot(tend: Tend) -> None:
    ana = await visitor(tend)
    message, code = await ana.invite("Garcia family")
    assert f"https://t.me/TendTestBot?start={code}" in (message.text or "")
    assert "Garcia family" in (message.text or "")
    png = photo_bytes(tend, ana.user_id, message.message_id)
    assert png.startswith(PNG)
    assert png == invites.qr_png(f"https://t.me/TendTestBot?start={code}")
    assert len(code) >= 16  # 12 random bytes: 96 bits
    (invite,) = await tend.rows(Invite)
    assert invite.created_by == ana.user_id and invite.max_uses == 1
    assert invite.expires_at == tend.clock.now() + dt.timedelta(days=14)


async def test_the_family_never_sees_the_label(tend: Tend) -> None:
    ana = await visitor(tend)
    family = await family_of(tend, ana, 801, "Garcia family")
    for message in tend.emulator.messages_in(family.user_id):
        assert "Garcia" not in (message.text or "")


async def test_a_use_is_spent_at_consent_not_when_the_link_is_opened(tend: Tend) -> None:
    ana = await visitor(tend)
    _, code = await ana.invite("Lopez")
    first, second = Family(tend, 802), Family(tend, 803)
    welcome_one = await first.send(f"/start {code}")
    welcome_two = await second.send(f"/start {code}")  # both open it: nothing is spent yet
    assert welcome_two.button_texts == ("English", "Español")
    (invite,) = await tend.rows(Invite)
    assert invite.uses == 0
    consent = await first.press_and_read(welcome_one, "English")
    await first.press_and_read(consent, consent.buttons[0][0].text)
    (invite,) = await tend.rows(Invite)
    assert invite.uses == 1
    consent_two = await second.press_and_read(welcome_two, "English")
    await second.press_and_read(consent_two, consent_two.buttons[0][0].text)
    parent_two = await tend.parent(803)
    # Self-signup is on: the second family joins, but not through the spent invite.
    assert parent_two is not None and parent_two.invite_id is None
    (invite,) = await tend.rows(Invite)
    assert invite.uses == 1


@pytest.mark.parametrize("settings_overrides", [{"self_signup": False}])
async def test_without_self_signup_a_spent_invite_turns_the_second_family_away(
    tend: Tend,
) -> None:
    ana = await visitor(tend)
    _, code = await ana.invite()
    await Family(tend, 804).onboard(code=code)
    late = Family(tend, 805)
    welcome = await late.send(f"/start {code}")
    assert "invite link doesn't work" in (welcome.text or "")
    assert await tend.parent(805) is None


async def test_an_expired_invite_does_not_open(tend: Tend) -> None:
    ana = await visitor(tend)
    _, code = await ana.invite()
    tend.clock.set(tend.clock.now() + dt.timedelta(days=14, minutes=1))
    reply = await Family(tend, 806).send(f"/start {code}")
    assert "invite link doesn't work" in (reply.text or "")


@pytest.mark.parametrize("settings_overrides", [{"invite_days": 2.0, "invite_max_uses": 3}])
async def test_expiry_and_uses_are_settable(tend: Tend) -> None:
    ana = await visitor(tend)
    await ana.invite()
    (invite,) = await tend.rows(Invite)
    assert invite.max_uses == 3
    assert invite.expires_at == tend.clock.now() + dt.timedelta(days=2)


async def test_invites_lists_open_codes_and_revokes_one(tend: Tend) -> None:
    ana = await visitor(tend)
    _, code = await ana.invite("Garcia")
    await ana.invite("Nguyen")
    listing = await ana.send("/invites")
    assert "Garcia" in (listing.text or "") and "Nguyen" in (listing.text or "")
    await ana.press(listing, "Revoke Garcia")
    confirmed = await ana.next()
    assert "Revoked: Garcia" in (confirmed.text or "")
    reply = await Family(tend, 807).send(f"/start {code}")
    assert "invite link doesn't work" in (reply.text or "")
    again = await ana.send("/invites")
    assert "Garcia" not in (again.text or "") and "Nguyen" in (again.text or "")


async def test_a_visitor_cannot_revoke_another_visitors_invite(tend: Tend) -> None:
    ana = await visitor(tend)
    ben = await visitor(tend, OTHER_VISITOR, "Ben")
    _, code = await ana.invite("Garcia")
    (invite,) = await tend.rows(Invite)
    listing = await ben.send("/invites")
    assert "no open invites" in (listing.text or "")
    query = await ben.press(listing, f"iv:r:{invite.id}", forge=True)
    assert "older message" in (ben.toast(query) or "")
    (invite,) = await tend.rows(Invite)
    assert invite.revoked_at is None
    done = await Family(tend, 808).onboard(code=code)
    assert "first message" in (done.text or "")


async def test_five_wrong_codes_in_an_hour_lock_the_account_for_an_hour(tend: Tend) -> None:
    ana = await visitor(tend)
    _, code = await ana.invite()
    guesser = Family(tend, 809)
    for attempt in range(5):
        reply = await guesser.send(f"/start wrong-code-{attempt}")
        assert "invite link doesn't work" in (reply.text or "")
    refused = await guesser.send(f"/start {code}")  # even a good code, for an hour
    assert "Too many invite codes" in (refused.text or "")
    parent = await tend.parent(809)
    assert parent is None or parent.invite_id is None
    tend.clock.set(tend.clock.now() + dt.timedelta(minutes=61))
    welcome = await guesser.send(f"/start {code}")
    assert welcome.button_texts == ("English", "Español")


async def test_four_wrong_codes_and_then_the_right_one_still_join(tend: Tend) -> None:
    ana = await visitor(tend)
    _, code = await ana.invite()
    family = Family(tend, 810)
    for attempt in range(4):
        await family.send(f"/start typo-{attempt}")
    done = await family.onboard(code=code)
    assert "first message" in (done.text or "")
    parent = await tend.parent(810)
    assert parent is not None and parent.invite_id is not None
    assert parent.first_name == "Sam"


async def test_a_parent_is_not_given_an_invite(tend: Tend) -> None:
    family = Family(tend, 811)
    await family.onboard()
    reply = await family.send("/invite Someone")
    assert "for program staff" in (reply.text or "")
    assert await tend.rows(Invite) == []
    assert isinstance(await tend.parent(811), Parent)
