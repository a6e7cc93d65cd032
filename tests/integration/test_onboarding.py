"""Joining through Telegram: invite links, self-signup, every question, re-asks, the summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.db.models import Invite, Parent
from bot.db.session import make_engine, make_session_factory
from tests.integration.conftest import Family, Tend


async def add_invite(tend: Tend, code: str, **values: Any) -> None:
    engine = make_engine(tend.database_url)
    async with make_session_factory(engine).begin() as session:
        session.add(Invite(code=code, created_at=tend.clock.now(), uses=0, **values))
    await engine.dispose()


async def test_self_signup_walks_through_every_question_and_enrolls(tend: Tend) -> None:
    family = Family(tend, 101)
    welcome = await family.send("/start")
    assert "Sam" in welcome.text and "Tend" in welcome.text
    assert welcome.button_texts == ("English", "Español")
    consent = await family.press_and_read(welcome, "English")
    assert "/delete" in consent.text and "/mydata" in consent.text
    ask_name = await family.press_and_read(consent, "Yes, let's start")
    assert "name" in ask_name.text and "Skip" in ask_name.button_texts
    ask_date = await family.send("Maya")
    assert "Maya" in ask_date.text
    assert "03/14/2026" in ask_date.text  # the hint is written month-first, as it is read
    ask_time = await family.send("10/25/2026")
    assert "8:00\u202fAM" in ask_time.button_texts
    ask_zone = await family.send("7:30")
    assert "US Eastern" in ask_zone.button_texts
    summary = await family.send("Madrid")
    assert "Maya" in summary.text and "7:30\u202fAM" in summary.text and "(España)" in summary.text
    done = await family.press_and_read(summary, "Looks right")
    assert "first message" in done.text

    parent = await tend.parent(101)
    assert parent is not None and parent.status == "active"
    assert parent.consented_at is not None
    assert parent.timezone == "Europe/Madrid" and parent.send_time == dt.time(7, 30)
    assert parent.child is not None and parent.child.name == "Maya"
    assert parent.child.birth_date == dt.date(2026, 10, 25)  # English: month first
    # 12:00 UTC on Nov 25 is 13:00 in Madrid: the first message is tomorrow at 07:30 local.
    assert parent.next_send_at == dt.datetime(2026, 11, 26, 6, 30, tzinfo=dt.UTC)


async def test_invite_code_in_the_deep_link_is_recorded_and_counted(tend: Tend) -> None:
    await add_invite(tend, "visit-ana-01", label="Ana's caseload")
    done = await Family(tend, 102).onboard(code="visit-ana-01")
    assert "first message" in done.text
    parent = await tend.parent(102)
    invites = await tend.rows(Invite)
    assert parent is not None and parent.invite_id == invites[0].id
    assert invites[0].uses == 1


async def test_unknown_invite_code_is_refused_kindly_and_nothing_is_stored(tend: Tend) -> None:
    reply = await Family(tend, 103).send("/start not-a-real-code")
    assert "invite link doesn't work" in reply.text
    assert await tend.parent(103) is None


@pytest.mark.parametrize("settings_overrides", [{"self_signup": False}])
async def test_without_self_signup_only_invited_parents_can_join(tend: Tend) -> None:
    closed = await Family(tend, 104).send("/start")
    assert "home visitor" in closed.text
    assert await tend.parent(104) is None
    await add_invite(tend, "open-sesame")
    welcome = await Family(tend, 105).send("/start open-sesame")
    assert welcome.button_texts == ("English", "Español")


async def test_spanish_speaker_is_welcomed_in_spanish_and_onboards_in_spanish(tend: Tend) -> None:
    family = Family(tend, 106, language_code="es-MX")
    welcome = await family.send("/start")
    assert "Hola" in welcome.text
    consent = await family.press_and_read(welcome, "Español")
    ask_name = await family.press_and_read(consent, "Sí, empecemos")
    ask_date = await family.press_and_read(ask_name, "Saltar")
    assert "tu bebé" in ask_date.text
    ask_time = await family.send("14 de marzo de 2026")
    ask_zone = await family.press_and_read(ask_time, "7:00\u202fp.m.")
    summary = await family.press_and_read(ask_zone, "México")
    assert "(sin nombre)" in summary.text and "14 de marzo de 2026" in summary.text
    done = await family.press_and_read(summary, "Está bien")
    assert "primer mensaje" in done.text
    parent = await tend.parent(106)
    assert parent is not None and parent.language == "es"
    assert parent.timezone == "America/Mexico_City"
    assert parent.child is not None and parent.child.name is None


async def test_due_date_enrolls_a_parent_who_is_expecting(tend: Tend) -> None:
    await Family(tend, 107).onboard(date="2027-02-01")
    parent = await tend.parent(107)
    assert parent is not None and parent.child is not None
    assert parent.child.due_date == dt.date(2027, 2, 1) and parent.child.birth_date is None


@pytest.mark.parametrize(
    ("step", "bad_answer", "kind_words"),
    [
        ("date", "31/02/2026", "couldn't read that date"),
        ("date", "2015-01-01", "under 5"),
        ("date", "🎉🎉🎉", "couldn't read that date"),
        ("date", "x" * 4000, "a lot to read"),
        ("time", "25:99", "couldn't read that time"),
        ("time", "3:00", "stay quiet"),
        ("zone", "Atlantis", "don't know that place"),
    ],
)
async def test_bad_answers_are_re_asked_kindly_and_the_question_stays_open(
    tend: Tend, step: str, bad_answer: str, kind_words: str
) -> None:
    family = Family(tend, 108)
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "English")
    await family.press_and_read(consent, "Yes, let's start")
    await family.send("Maya")
    if step in ("time", "zone"):
        await family.send("2026-05-10")
    if step == "zone":
        await family.send("08:00")
    re_ask = await family.send(bad_answer)
    assert kind_words in re_ask.text
    # The same question is still open: a good answer moves on.
    good = {"date": "2026-05-10", "time": "08:00", "zone": "Chicago"}[step]
    moved_on = await family.send(good)
    assert moved_on.text != re_ask.text
    parent = await tend.parent(108)
    assert parent is not None and parent.status == "onboarding"


async def test_stickers_photos_and_voice_notes_during_onboarding_get_a_kind_reply(
    tend: Tend,
) -> None:
    family = Family(tend, 109)
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "English")
    await family.press_and_read(consent, "Yes, let's start")
    for send in (
        tend.emulator.user_sends_sticker,
        tend.emulator.user_sends_photo,
        tend.emulator.user_sends_voice,
    ):
        await send(109)
        reply = await family.next()
        assert "only read text" in reply.text
    ask_date = await family.send("Maya")
    assert "born" in ask_date.text


async def test_summary_can_be_corrected_before_confirming(tend: Tend) -> None:
    family = Family(tend, 110)
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "English")
    await family.press_and_read(consent, "Yes, let's start")
    await family.send("Maya")
    ask_time = await family.send("2026-05-10")
    ask_zone = await family.press_and_read(ask_time, "8:00\u202fAM")
    summary = await family.press_and_read(ask_zone, "US Central")
    ask_name = await family.press_and_read(summary, "Change name")
    assert "name" in ask_name.text
    summary_again = await family.send("Mayita")
    assert "Mayita" in summary_again.text and "Looks right" in summary_again.button_texts
    await family.press_and_read(summary_again, "Looks right")
    parent = await tend.parent(110)
    assert parent is not None and parent.child is not None and parent.child.name == "Mayita"


async def test_declining_consent_erases_the_parent(tend: Tend) -> None:
    family = Family(tend, 111)
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "English")
    bye = await family.press_and_read(consent, "No thanks")
    assert "haven't kept anything" in bye.text
    assert await tend.parent(111) is None
    assert await tend.rows(Parent) == []


async def test_old_onboarding_buttons_change_nothing(tend: Tend) -> None:
    family = Family(tend, 112)
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "English")
    await family.press_and_read(consent, "Yes, let's start")
    # Pressing the language button again, from the first message, is stale now.
    query = await tend.emulator.user_presses_button(112, welcome.message_id, "ob:language:es")
    answer = await tend.emulator.wait_for_callback_answer(query, timeout=10)
    assert answer.text is not None and "older message" in answer.text
    parent = await tend.parent(112)
    assert parent is not None and parent.language == "en"


# --- their language, their way of writing -----------------------------------------------------


async def up_to_the_date(family: Family, *, spanish: bool = False) -> None:
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "Español" if spanish else "English")
    await family.press_and_read(consent, consent.buttons[0][0].text)
    await family.send("Maya")


async def test_a_date_that_reads_two_ways_is_confirmed_by_name_in_english(tend: Tend) -> None:
    family = Family(tend, 121)
    await up_to_the_date(family)
    which = await family.send("05/03/2026")
    # Month-first is how US English writes dates, so May 3 is offered first.
    assert "Did you mean May 3 or March 5?" in which.text
    assert which.button_texts == ("May 3, 2026", "March 5, 2026")
    ask_time = await family.press_and_read(which, "March 5, 2026")
    assert "What time" in ask_time.text
    parent = await tend.parent(121)
    assert parent is not None and parent.child is not None
    assert parent.child.birth_date == dt.date(2026, 3, 5)
    assert parent.awaiting == "ob:send_time"
    # The choice is spent: the other date on the same message changes nothing now.
    query = await tend.emulator.user_presses_button(
        121, which.message_id, which.button("May 3, 2026").callback_data
    )
    answer = await tend.emulator.wait_for_callback_answer(query, timeout=10)
    assert answer.text is not None and "older message" in answer.text
    parent = await tend.parent(121)
    assert parent is not None and parent.child is not None
    assert parent.child.birth_date == dt.date(2026, 3, 5)


async def test_a_date_that_reads_two_ways_is_day_first_in_spanish(tend: Tend) -> None:
    family = Family(tend, 122, language_code="es")
    await up_to_the_date(family, spanish=True)
    which = await family.send("05/03/2026")
    assert "¿Quisiste decir 5 de marzo o 3 de mayo?" in which.text
    assert which.button_texts == ("5 de marzo de 2026", "3 de mayo de 2026")
    ask_time = await family.press_and_read(which, "5 de marzo de 2026")
    assert "hora" in ask_time.text
    parent = await tend.parent(122)
    assert parent is not None and parent.child is not None
    assert parent.child.birth_date == dt.date(2026, 3, 5)


async def test_a_date_that_reads_one_possible_way_is_taken_without_asking(tend: Tend) -> None:
    # Today is November 25, 2026: 12/07/2027 in English is too far away, so it is July 12.
    family = Family(tend, 123)
    await up_to_the_date(family)
    ask_time = await family.send("12/07/2027")
    assert "What time" in ask_time.text
    parent = await tend.parent(123)
    assert parent is not None and parent.child is not None
    assert parent.child.due_date == dt.date(2027, 7, 12)


async def test_times_and_months_are_read_the_way_people_type_them(tend: Tend) -> None:
    family = Family(tend, 124)
    await up_to_the_date(family)
    await family.send("Marhc 2 2026")
    ask_zone = await family.send("730pm")
    assert "US Eastern" in ask_zone.button_texts
    summary = await family.press_and_read(ask_zone, "US Eastern")
    assert "March 2, 2026" in summary.text and "7:30\u202fPM (US Eastern)" in summary.text
    parent = await tend.parent(124)
    assert parent is not None and parent.send_time == dt.time(19, 30)
    assert parent.child is not None and parent.child.birth_date == dt.date(2026, 3, 2)


async def test_a_spanish_evening_time_is_read(tend: Tend) -> None:
    family = Family(tend, 125, language_code="es")
    await up_to_the_date(family, spanish=True)
    await family.send("2 de marzo de 2026")
    ask_zone = await family.send("7:30 de la noche")
    assert "Centro de EE. UU." in ask_zone.button_texts
    parent = await tend.parent(125)
    assert parent is not None and parent.send_time == dt.time(19, 30)


async def test_a_misspelt_place_is_offered_as_a_button_and_the_tap_sets_it(tend: Tend) -> None:
    family = Family(tend, 126)
    await up_to_the_date(family)
    await family.send("2026-05-10")
    await family.send("8:00")
    guess = await family.send("Los Angles")
    assert "don't know that place" in guess.text
    assert guess.button_texts == ("Did you mean Los Angeles?",)
    summary = await family.press_and_read(guess, "Did you mean Los Angeles?")
    assert "(US Pacific)" in summary.text and "America/" not in summary.text
    parent = await tend.parent(126)
    assert parent is not None and parent.timezone == "America/Los_Angeles"
    assert parent.awaiting == "ob:summary"


async def test_a_spanish_parent_sees_zones_by_a_spanish_name(tend: Tend) -> None:
    family = Family(tend, 127, language_code="es")
    await up_to_the_date(family, spanish=True)
    await family.send("2 de marzo de 2026")
    ask_zone = await family.send("13:15")
    assert ask_zone.button_texts[:4] == (
        "Este de EE. UU.",
        "Centro de EE. UU.",
        "Montaña de EE. UU.",
        "Pacífico de EE. UU.",
    )
    summary = await family.send("Houston")
    assert "(Centro de EE. UU.)" in summary.text and "America/Chicago" not in summary.text
    done = await family.press_and_read(summary, "Está bien")
    # 13:15 in Houston: one o'clock takes "la" in Spanish.
    assert "hoy a la 1:15\u202fp.m." in done.text
    menu = await family.send("/settings")
    assert "Zona (Centro de EE. UU.)" in menu.button_texts
    assert not any("America/" in label for label in menu.button_texts)
    parent = await tend.parent(127)
    assert parent is not None and parent.timezone == "America/Chicago"


async def test_changing_language_in_settings_confirms_in_the_new_language(tend: Tend) -> None:
    family = Family(tend, 128)
    await family.onboard()
    menu = await family.send("/settings")
    ask = await family.press_and_read(menu, "Language (English)")
    assert "Which language" in ask.text and "I'm Tend" not in ask.text
    assert ask.button_texts == ("English", "Español")
    saved = await family.press_and_read(ask, "Español")
    assert saved.text is not None and saved.text.startswith("Guardado. Desde ahora te escribo")
    assert "¡Hola" not in saved.text
    parent = await tend.parent(128)
    assert parent is not None and parent.language == "es" and parent.status == "active"
    menu = await family.send("/settings")
    assert "Idioma (español)" in menu.button_texts


async def test_a_child_name_with_a_nul_byte_is_read_without_it(tend: Tend) -> None:
    family = Family(tend, 130)
    welcome = await family.send("/start")
    consent = await family.press_and_read(welcome, "English")
    await family.press_and_read(consent, "Yes, let's start")
    ask_date = await family.send("Ma\x00ya")
    assert "When was Maya born?" in ask_date.text
    parent = await tend.parent(130)
    assert parent is not None and parent.child is not None and parent.child.name == "Maya"
    assert parent.awaiting == "ob:child_date"


async def test_unblocking_while_joining_goes_back_to_joining_not_to_welcome_back(
    tend: Tend,
) -> None:
    family = Family(tend, 131)
    welcome = await family.send("/start")
    await family.press_and_read(welcome, "English")
    await tend.emulator.user_blocks_bot(131)
    await tend.emulator.user_unblocks_bot(131)
    await tend.barrier()
    parent = await tend.parent(131)
    assert parent is not None and parent.status == "onboarding"
    again = await family.send("/start")
    assert "I'm Tend" in again.text and "Welcome back" not in again.text


async def test_stop_while_joining_explains_how_to_leave(tend: Tend) -> None:
    family = Family(tend, 132)
    welcome = await family.send("/start")
    await family.press_and_read(welcome, "English")
    answer = await family.send("STOP")
    assert "/delete" in answer.text
    parent = await tend.parent(132)
    assert parent is not None and parent.status == "onboarding"
