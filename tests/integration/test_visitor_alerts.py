"""Alerts to the family's own home visitor: a safety flag at once (visitor first, staff too),
a family quiet for N days, a family that stopped or blocked the bot, each told once."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.db.models import SafetyFlag
from bot.roles import Role
from tests.integration.conftest import ADMIN_ID, Tend
from tests.integration.program import (
    OTHER_VISITOR,
    Member,
    family_of,
    grant,
    staff_member,
    visitor,
)


async def test_a_safety_flag_reaches_the_familys_own_visitor_and_the_admins(tend: Tend) -> None:
    ana = await visitor(tend)
    ben = await visitor(tend, OTHER_VISITOR, "Ben")
    family = await family_of(tend, ana, 1001, "Garcia family")
    answer = await family.send("sometimes i think about hurting myself")
    assert "988" in (answer.text or "")
    alert = await ana.next()
    assert "Garcia family" in (alert.text or "") and "self-harm" in (alert.text or "")
    admin_alert = await tend.emulator.next_message(ADMIN_ID, timeout=10)
    assert "Garcia family" in (admin_alert.text or "")
    (flag,) = await tend.rows(SafetyFlag)
    assert flag.alerted == 2
    await tend.barrier()
    assert tend.emulator.unread(ben.user_id) == []
    # Another visitor's forged "I'm on it" does nothing; the family's own visitor takes it.
    query = await ben.press(alert, f"sa:{flag.id}:ack", forge=True)
    assert "no longer open" in (ben.toast(query) or "")
    query = await ana.press(alert, "I'm on it")
    assert "Thank you" in (ana.toast(query) or "")
    (flag,) = await tend.rows(SafetyFlag)
    assert flag.acknowledged_by == ana.user_id


@pytest.mark.parametrize("settings_overrides", [{"quiet_days": 3.0}])
async def test_a_quiet_family_is_told_to_their_visitor_once(tend: Tend) -> None:
    ana = await visitor(tend)
    await family_of(tend, ana, 1002, "Lopez")
    await tend.warp_to(tend.clock.now() + dt.timedelta(days=2))
    tend.emulator.unread(1002)
    assert tend.emulator.unread(ana.user_id) == []
    await tend.warp_to(tend.clock.now() + dt.timedelta(days=1, hours=1))
    alert = await ana.next()
    assert "Lopez hasn't replied for 3 days" in (alert.text or "")
    await tend.warp_to(tend.clock.now() + dt.timedelta(hours=6))
    await tend.barrier()
    assert [m for m in tend.emulator.unread(ana.user_id) if "Lopez" in (m.text or "")] == []


async def test_a_family_that_blocks_the_bot_is_told_to_their_visitor(tend: Tend) -> None:
    ana = await visitor(tend)
    await family_of(tend, ana, 1003, "Nguyen")
    await tend.emulator.user_blocks_bot(1003)
    await tend.barrier()
    await tend.tick()
    alert = await ana.next()
    assert "Nguyen blocked the bot" in (alert.text or "")


async def test_an_alert_nobody_takes_reaches_staff_in_the_database_too(tend: Tend) -> None:
    ana = await visitor(tend)
    lee = await staff_member(tend)
    family = await family_of(tend, ana, 1004, "Diaz")
    await family.send("I want to die")
    assert "Diaz" in ((await ana.next()).text or "")
    assert "Diaz" in ((await lee.next()).text or "")
    tend.clock.advance(dt.timedelta(minutes=16))
    await tend.tick()
    reminder = await lee.next()
    assert "Still open" in (reminder.text or "")


async def test_each_staff_member_reads_alerts_in_their_own_language(tend: Tend) -> None:
    """A Spanish-speaking visitor gets the alert, its buttons, the toast, the "on it" edit and
    the recent messages in Spanish; the admin beside her still reads English."""
    await grant(tend, 503, Role.HOME_VISITOR)
    lucia = Member(tend, 503, "Lucía", language_code="es")
    family = await family_of(tend, lucia, 1010, "Familia Pérez")
    await family.send("sometimes i think about hurting myself")
    alert = await lucia.next()
    assert (alert.text or "").startswith("⚠️ Alerta de seguridad: Familia Pérez")
    assert "pensamientos de suicidio" in (alert.text or "")
    assert alert.button_texts == ("Yo me encargo", "Ver mensajes recientes")
    admin_alert = await tend.emulator.next_message(ADMIN_ID, timeout=10)
    assert (admin_alert.text or "").startswith("⚠️ Safety alert: Familia Pérez")
    assert admin_alert.button_texts == ("I'm on it", "Show recent messages")
    await tend.tick()  # the alerts are recorded as sent: the edits need their message ids
    query = await lucia.press(alert, "Yo me encargo")
    assert lucia.toast(query) == "Gracias. El resto del equipo ya ve que la tienes tú."
    hers = await tend.emulator.wait_for_edit(lucia.user_id, alert.message_id, timeout=10)
    assert "✓ Lucía se está encargando." in (hers.text or "")
    theirs = await tend.emulator.wait_for_edit(ADMIN_ID, admin_alert.message_id, timeout=10)
    assert "✓ Lucía is on it." in (theirs.text or "")
    recent = await lucia.press(hers, "Ver mensajes recientes")
    assert recent
    listing = await lucia.next()
    assert (listing.text or "").startswith("Mensajes recientes con la familia")
    assert "← Familia: (sus propias palabras)" in (listing.text or "")
