"""The parent's controls: settings, pause and resume, stop, export, delete, the command menu."""

from __future__ import annotations

import datetime as dt
import json

from bot.db.models import Child, Delivery, Invite, Parent, Reply, SafetyFlag
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
    assert data["Your child"]["Name"] == "Maya"
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
