"""The parent's controls: settings, pause and resume, stop, export, delete, the command menu."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from sqlalchemy import update

from bot.db.models import Child, Delivery, Invite, Parent, Reply, SafetyFlag
from bot.db.session import make_engine, make_session_factory
from tests.integration.conftest import Family, Tend

UTC = dt.UTC
NEXT_MORNING = dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 08:00 in New York


async def joined(tend: Tend, user_id: int = 301) -> Family:
    family = Family(tend, user_id)
    await family.onboard()
    return family


async def test_command_menu_is_set_in_english_and_spanish(tend: Tend) -> None:
    await tend.barrier()
    english = dict(tend.emulator.commands())
    spanish = dict(tend.emulator.commands(language_code="es"))
    assert list(english) == [
        "settings",
        "repair",
        "pause",
        "resume",
        "stop",
        "children",
        "mydata",
        "delete",
        "help",
    ]
    assert list(spanish) == [
        "ajustes",
        "reparar",
        "pausa",
        "seguir",
        "parar",
        "peques",
        "misdatos",
        "borrar",
        "ayuda",
    ]
    assert spanish["borrar"] == "Borrar todo sobre ti"


async def test_help_lists_every_command(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("/help")
    for command in ("/settings", "/repair", "/pause", "/resume", "/stop", "/mydata", "/delete"):
        assert command in answer.text


async def test_settings_change_the_time_and_the_next_message_follows(tend: Tend) -> None:
    family = await joined(tend)
    menu = await family.send("/settings")
    ask = await family.press_and_read(menu, "Time (8:00\u202fAM)")
    saved = await family.send("18:45")
    assert "Saved" in saved.text and "6:45\u202fPM" in saved.text
    parent = await tend.parent(301)
    assert parent is not None and parent.send_time == dt.time(18, 45)
    assert "7:30" in ask.text
    # 18:45 in New York on Nov 25 is 23:45 UTC.
    assert parent.next_send_at == dt.datetime(2026, 11, 25, 23, 45, tzinfo=UTC)


async def test_settings_switch_language_and_frequency(tend: Tend) -> None:
    family = await joined(tend)
    menu = await family.send("/settings")
    ask = await family.press_and_read(menu, "Language (English)")
    saved = await family.press_and_read(ask, "Español")
    assert "Guardado" in saved.text
    menu = await family.send("/settings")
    ask = await family.press_and_read(menu, "Frecuencia (todos los días)")
    await family.press_and_read(ask, "3 días por semana")
    parent = await tend.parent(301)
    assert parent is not None and parent.language == "es" and parent.cadence == "three_a_week"
    # It is 07:00 on Wednesday 25 November in New York: today at 08:00 is a send day.
    assert parent.next_send_at == dt.datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    await tend.warp_to(dt.datetime(2026, 11, 25, 13, 0, tzinfo=UTC))
    # After Wednesday comes Friday, skipping Thursday.
    parent = await tend.parent(301)
    assert parent is not None
    assert parent.next_send_at == dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC)


async def test_settings_change_the_child(tend: Tend) -> None:
    family = await joined(tend)
    menu = await family.send("/settings")
    await family.press_and_read(menu, "Child")
    await family.send("Leo")
    saved = await family.send("2025-01-15")
    assert "Saved" in saved.text
    parent = await tend.parent(301)
    assert parent is not None and parent.child is not None
    assert (parent.child.name, parent.child.birth_date) == ("Leo", dt.date(2025, 1, 15))


async def test_pause_for_days_then_messages_come_back_by_themselves(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("/pause 3")
    assert "pause until Saturday, November 28" in answer.text
    for day in (26, 27):
        report = await tend.warp_to(dt.datetime(2026, 11, day, 13, 0, tzinfo=UTC))
        assert report.sent == 0
    await tend.warp_to(dt.datetime(2026, 11, 28, 12, 30, tzinfo=UTC))  # pause ends at 12:00 UTC
    report = await tend.warp_to(dt.datetime(2026, 11, 28, 13, 0, tzinfo=UTC))
    assert report.sent == 1
    assert (await family.next()).text.startswith("🌱")


async def test_pause_without_days_lasts_until_resume(tend: Tend) -> None:
    family = await joined(tend)
    await family.send("/pause")
    report = await tend.warp_to(dt.datetime(2026, 12, 20, 13, 0, tzinfo=UTC))
    assert report.sent == 0
    answer = await family.send("/resume")
    assert "next message" in answer.text and "tomorrow at 8:00\u202fAM" in answer.text
    report = await tend.warp_to(dt.datetime(2026, 12, 21, 13, 0, tzinfo=UTC))
    assert report.sent == 1


async def test_pause_with_a_bad_number_explains_itself(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("/pause forever")
    assert "/pause 7" in answer.text
    parent = await tend.parent(301)
    assert parent is not None and parent.status == "active"


async def test_stop_is_confirmed_and_then_nothing_more_is_sent(tend: Tend) -> None:
    family = await joined(tend)
    confirm = await family.send("/stop")
    kept = await family.press_and_edit(confirm, "No, keep them")
    assert "stay on" in kept.text
    confirm = await family.send("STOP")
    stopped = await family.press_and_edit(confirm, "Yes, stop")
    assert "stopped your messages" in stopped.text
    report = await tend.warp_to(NEXT_MORNING)
    assert report.sent == 0
    back = await family.send("/start")
    assert "Welcome back" in back.text
    report = await tend.warp_to(NEXT_MORNING + dt.timedelta(days=1))
    assert report.sent == 1


async def test_parar_works_in_spanish(tend: Tend) -> None:
    family = Family(tend, 302, language_code="es")
    await family.onboard(language="Español", time="8:00\u202fa.m.", timezone="Este de EE. UU.")
    confirm = await family.send("PARAR")
    assert "dejar de recibir" in confirm.text
    await family.press_and_edit(confirm, "Sí, parar")
    parent = await tend.parent(302)
    assert parent is not None and parent.status == "stopped"


async def test_mydata_sends_everything_as_a_file(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(NEXT_MORNING)
    nudge = await family.next()
    await family.press_and_read(nudge, "We tried it")
    await family.send("We sang together")
    export = await family.send("/mydata")
    assert export.document is not None and export.document.file_name == "tend-my-data.json"
    data = json.loads(export.document.content)
    assert data["Your children"][0]["Name"] == "Maya"
    nudges = [m for m in data["Messages I sent you"] if m["Kind"] == "connection moment"]
    assert len(nudges) == 1
    assert [r.get("Button you tapped") for r in data["Your replies"]] == ["We tried it", None]
    assert data["Your replies"][1]["Your words"] == "We sang together"


async def test_delete_erases_every_row_about_the_parent(tend: Tend) -> None:
    family = await joined(tend)
    neighbour = await joined(tend, 303)
    await tend.warp_to(NEXT_MORNING)
    nudge = await family.next()
    await neighbour.next()
    await family.press_and_read(nudge, "It was hard")
    await family.next()
    await family.send("I want to die")  # raises a safety flag too
    confirm = await family.send("/delete")
    kept = await family.press_and_edit(confirm, "No, keep it")
    assert "nothing was erased" in kept.text
    confirm = await family.send("/delete")
    gone = await family.press_and_edit(confirm, "Yes, erase it all")
    assert "Everything is erased" in gone.text
    await tend.tick()  # the sender has recorded (and dropped) the last answer

    neighbour_row = await tend.parent(303)
    assert neighbour_row is not None
    assert await tend.parent(301) is None
    for model in (Child, Delivery, Reply, SafetyFlag):
        rows = await tend.rows(model)
        assert all(row.parent_id == neighbour_row.id for row in rows), model.__name__
    assert len(await tend.rows(Parent)) == 1
    assert await tend.rows(Invite) == []


async def test_commands_before_joining_point_to_start(tend: Tend) -> None:
    family = Family(tend, 304)
    for command in ("/settings", "/pause", "/repair", "/mydata", "hello"):
        answer = await family.send(command)
        assert "/start" in answer.text


async def test_start_again_says_when_the_next_message_comes(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("/start")
    assert "You're all set" in answer.text and "comes today at 8:00\u202fAM" in answer.text


async def test_a_settings_question_left_open_does_not_swallow_the_next_reply(tend: Tend) -> None:
    family = await joined(tend)
    menu = await family.send("/settings")
    await family.press_and_read(menu, "Time (8:00\u202fAM)")
    await tend.warp_to(NEXT_MORNING)
    await family.next()
    answer = await family.send("We sang in the bath")
    assert "couldn't read that time" not in answer.text
    (reply,) = await tend.replies()
    assert reply.text == "We sang in the bath"
    parent = await tend.parent(301)
    assert parent is not None and parent.send_time == dt.time(8, 0)


async def set_unanswered(tend: Tend, user_id: int, count: int) -> None:
    engine = make_engine(tend.database_url)
    try:
        async with make_session_factory(engine).begin() as session:
            await session.execute(
                update(Parent)
                .where(Parent.telegram_user_id == user_id)
                .values(unanswered_count=count)
            )
    finally:
        await engine.dispose()


async def test_the_end_of_pause_n_is_a_fresh_start_like_resume(tend: Tend) -> None:
    family = await joined(tend)
    await set_unanswered(tend, 301, 3)
    await family.send("/pause 1")
    report = await tend.warp_to(dt.datetime(2026, 11, 26, 12, 30, tzinfo=UTC))
    assert report.resumed == 1
    parent = await tend.parent(301)
    assert parent is not None and parent.status == "active"
    assert parent.unanswered_count == 0 and parent.paused_until is None
    assert parent.next_send_at == NEXT_MORNING
    # /resume after an open pause does the same.
    await set_unanswered(tend, 301, 3)
    await family.send("/pause")
    await family.send("/resume")
    parent = await tend.parent(301)
    assert parent is not None and parent.status == "active" and parent.unanswered_count == 0


# Long enough for the parent's tap to be handled first on a slow database, short for a test.
RETRY_SECONDS = 2.0


async def queue_a_nudge_that_waits_for_a_retry(tend: Tend, family: Family) -> Delivery:
    """The morning's nudge hits a server error and waits in the outbox for its retry."""
    tend.emulator.faults.fail_next("sendMessage", count=1, status=500)
    await tend.warp_to(NEXT_MORNING)
    [nudge] = await tend.deliveries()
    assert nudge.status == "pending" and nudge.retry_at is not None
    return nudge


@pytest.mark.parametrize("settings_overrides", [{"retry_base_seconds": RETRY_SECONDS}])
async def test_a_pause_cancels_the_nudge_already_queued(tend: Tend) -> None:
    family = await joined(tend)
    await queue_a_nudge_that_waits_for_a_retry(tend, family)
    await family.send("/pause 2")
    await asyncio.sleep(RETRY_SECONDS * 1.3)  # past the retry time (with its jitter)
    await tend.tick()
    [nudge] = await tend.deliveries()
    assert nudge.status == "cancelled"
    assert all(not m.text.startswith("🌱") for m in tend.emulator.messages_in(301))


@pytest.mark.parametrize("settings_overrides", [{"retry_base_seconds": RETRY_SECONDS}])
async def test_a_stop_cancels_the_nudge_already_queued(tend: Tend) -> None:
    family = await joined(tend)
    await queue_a_nudge_that_waits_for_a_retry(tend, family)
    confirm = await family.send("/stop")
    await family.press_and_edit(confirm, "Yes, stop")
    await asyncio.sleep(RETRY_SECONDS * 1.3)
    await tend.tick()
    [nudge] = await tend.deliveries()
    assert nudge.status == "cancelled"
    assert all(not m.text.startswith("🌱") for m in tend.emulator.messages_in(301))


@pytest.mark.parametrize("settings_overrides", [{"retry_base_seconds": RETRY_SECONDS}])
async def test_delete_while_a_nudge_is_being_sent_never_delivers_it(tend: Tend) -> None:
    family = await joined(tend)
    await queue_a_nudge_that_waits_for_a_retry(tend, family)
    confirm = await family.send("/delete")
    await family.press_and_edit(confirm, "Yes, erase it all")
    await asyncio.sleep(RETRY_SECONDS * 1.3)
    await tend.tick()
    assert await tend.outbox() == []
    assert all(not m.text.startswith("🌱") for m in tend.emulator.messages_in(301))


async def test_help_while_joining_shows_what_works_now_and_the_open_question(
    tend: Tend,
) -> None:
    family = Family(tend, 305)
    welcome = await family.send("/start")
    await family.press_and_read(welcome, "English")
    await tend.emulator.user_sends_text(305, "/help")
    helped = await family.next()
    assert "still getting you set up" in helped.text
    assert "/start" in helped.text and "/delete" in helped.text
    assert "/settings" not in helped.text and "/pause" not in helped.text
    again = await family.next()
    assert again.text.startswith("Before we start")  # the consent question, asked again
    assert again.button_texts == ("Yes, let's start", "No thanks")


async def test_help_for_someone_new_points_to_start(tend: Tend) -> None:
    family = Family(tend, 306)
    answer = await family.send("/help")
    assert "/start" in answer.text and "/settings" not in answer.text


async def test_repair_after_stop_says_why_and_how_to_start_again(tend: Tend) -> None:
    family = await joined(tend)
    confirm = await family.send("/stop")
    await family.press_and_edit(confirm, "Yes, stop")
    answer = await family.send("/repair")
    assert "messages are stopped" in answer.text and "/start" in answer.text
    await family.send("/start")
    tip = await family.send("/repair")
    assert tip.text.startswith("🤝")


async def test_pause_after_stop_does_not_restart_messages(tend: Tend) -> None:
    family = await joined(tend)
    confirm = await family.send("/stop")
    await family.press_and_edit(confirm, "Yes, stop")
    answer = await family.send("/pause 1")
    assert "already stopped" in answer.text
    await tend.warp_to(dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC))
    parent = await tend.parent(301)
    assert parent is not None and parent.status == "stopped"


async def test_words_that_are_not_an_answer_to_a_settings_question_are_kept(
    tend: Tend,
) -> None:
    family = await joined(tend)
    await tend.warp_to(NEXT_MORNING)
    nudge = await family.next()
    menu = await family.send("/settings")
    ask = await family.press_and_read(menu, "Timezone (US Eastern)")
    await tend.emulator.user_sends_text(301, "We read a book together")
    said = [await family.next(), await family.next()]
    assert all("don't know that place" not in m.text for m in said)
    assert said[-1].text == ask.text  # the question again, with its buttons
    assert said[-1].button_texts == ask.button_texts
    [reply] = await tend.replies()
    assert reply.text == "We read a book together" and reply.delivery_id is not None
    [delivery] = await tend.deliveries()
    assert delivery.telegram_message_id == nudge.message_id
    parent = await tend.parent(301)
    assert parent is not None and parent.timezone == "America/New_York"
    assert parent.awaiting == "set:timezone"
    saved = await family.send("Chicago")
    assert "Saved" in saved.text


async def test_spanish_commands_work(tend: Tend) -> None:
    family = Family(tend, 307, language_code="es")
    await family.onboard(language="Español", time="8:00\u202fa.m.", timezone="Este de EE. UU.")
    helped = await family.send("/ayuda")
    assert "/ajustes" in helped.text and "/settings" not in helped.text
    menu = await family.send("/ajustes")
    assert menu.buttons
    paused = await family.send("/pausa 3")
    assert "pausa" in paused.text
    for resume in ("/seguir", "/reanudar"):
        await family.send("/pausa")
        back = await family.send(resume)
        assert "próximo mensaje" in back.text
    tip = await family.send("/reparar")
    assert tip.text.startswith("🤝")
    export = await family.send("/misdatos")
    assert export.document is not None
    erase = await family.send("/borrar")
    assert [b for b in erase.button_texts if "borrar" in b.lower()]
    stop = await family.send("/parar")
    assert stop.button_texts and "dejar de recibir" in stop.text


@pytest.mark.parametrize("days", ["²", "٣", "99999999999999999999999", "9" * 5000, "-3", "0", "91"])
async def test_pause_with_odd_numbers_explains_itself(tend: Tend, days: str) -> None:
    family = await joined(tend)
    answer = await family.send(f"/pause {days}")
    assert "/pause 7" in answer.text
    parent = await tend.parent(301)
    assert parent is not None and parent.status == "active"


@pytest.mark.parametrize("label", ["x" * 121, "Smith\x00 family"])
async def test_an_odd_invite_label_still_makes_an_invite(tend: Tend, label: str) -> None:
    staff = Family(tend, 999)
    answer = await staff.send(f"/invite {label}")
    assert "went wrong" not in (answer.text or "")
    [invite] = await tend.rows(Invite)
    assert invite.label is not None and len(invite.label) <= 120 and "\x00" not in invite.label
