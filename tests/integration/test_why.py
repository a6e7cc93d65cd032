"""A nudge shows its title, and "Why it helps" answers with its why, through Telegram."""

from __future__ import annotations

import datetime as dt

from bot.services import SERVICES_KEY, Services
from tests.integration.conftest import Family, Tend

UTC = dt.UTC
MORNING = dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 08:00 in New York


def library_of(tend: Tend) -> Services:
    found = tend.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


async def test_a_nudge_shows_its_title_and_the_tap_shows_why_it_helps(tend: Tend) -> None:
    family = Family(tend, 201)
    await family.onboard()
    await tend.warp_to(MORNING)
    nudge = await family.next()
    (delivery,) = await tend.deliveries()
    message = library_of(tend).library.get(delivery.message_id, "en")
    assert message is not None and message.title and message.why
    assert nudge.text is not None
    header, title, blank, *_ = nudge.text.splitlines()
    assert (header, title, blank) == ("🌱 Connection moment", message.title, "")
    # The quick replies keep their row; the why has a row of its own under them.
    assert [b.text for b in nudge.buttons[0]] == ["We tried it", "Not today", "It was hard"]
    assert [b.text for b in nudge.buttons[-1]] == ["Why it helps"]
    assert nudge.button("Why it helps").callback_data == f"w:{delivery.id}"
    query = await family.press(nudge, "Why it helps")
    answer = await tend.emulator.wait_for_callback_answer(query)
    assert answer.text == message.why and answer.show_alert
    # A pop-up only: nothing is stored as a reply and no message is sent.
    await tend.barrier()
    assert await tend.replies() == []
    assert tend.emulator.unread(201) == []


async def test_the_title_and_the_why_in_spanish(tend: Tend) -> None:
    family = Family(tend, 301, language_code="es")
    await family.onboard(language="Español", time="8:00\u202fa.m.", timezone="Este de EE. UU.")
    await tend.warp_to(MORNING)
    nudge = await family.next()
    (delivery,) = await tend.deliveries()
    message = library_of(tend).library.get(delivery.message_id, "es")
    assert message is not None and message.title and message.why
    assert nudge.text is not None
    assert nudge.text.splitlines()[:3] == ["🌱 Momento para conectar", message.title, ""]
    assert nudge.button_texts == ("Lo intentamos", "Hoy no", "Fue difícil", "¿Por qué ayuda?")
    query = await family.press(nudge, "¿Por qué ayuda?")
    answer = await tend.emulator.wait_for_callback_answer(query)
    assert answer.text == message.why and answer.show_alert


async def test_a_repair_tip_on_request_has_no_why_button(tend: Tend) -> None:
    family = Family(tend, 201)
    await family.onboard()
    tip = await family.send("/repair")
    assert tip.text is not None and tip.text.startswith("🤝 Repair tip\n\n")
    assert "Why it helps" not in tip.button_texts


async def test_a_forged_why_on_someone_elses_delivery_shows_nothing_of_theirs(tend: Tend) -> None:
    mine, other = Family(tend, 201), Family(tend, 202)
    await mine.onboard()
    await other.onboard()
    await tend.warp_to(MORNING)
    await mine.next()
    their_nudge = await other.next()
    me = await tend.parent(201)
    assert me is not None
    theirs = next(d for d in await tend.deliveries() if d.parent_id != me.id)
    their_message = library_of(tend).library.get(theirs.message_id, "en")
    assert their_message is not None and their_message.why
    assert their_nudge.button("Why it helps").callback_data == f"w:{theirs.id}"
    for data in (f"w:{theirs.id}", "w:999999", "w:abc", "w:", f"w:{theirs.id}:x"):
        query = await tend.emulator.user_presses_button(201, 1, data, forge=True)
        answer = await tend.emulator.wait_for_callback_answer(query, timeout=10)
        assert answer.text is not None and "older message" in answer.text, data
        assert their_message.why not in answer.text and not answer.show_alert
    await tend.barrier()
    assert tend.emulator.unread(201) == [] and await tend.replies() == []
