"""Buttons are answered once, and old, forged or late buttons are safe and say what happened."""

from __future__ import annotations

import datetime as dt

from bot.db.models import Reply
from tests.integration.conftest import Family, Tend

UTC = dt.UTC
NEXT_MORNING = dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 08:00 in New York
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


async def joined(tend: Tend, user_id: int = 501, **onboarding: str) -> Family:
    family = Family(tend, user_id)
    await family.onboard(**onboarding)
    return family


async def forge(family: Family, message_id: int, data: str | None) -> str | None:
    """Press exactly this callback data on that message; the toast the bot answered with."""
    query_id = await family.emu.user_presses_button(family.user_id, message_id, data, forge=True)
    answered = await family.emu.wait_for_callback_answer(query_id, timeout=10)
    return answered.text


async def test_a_quick_reply_is_answered_once_however_often_it_is_tapped(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(NEXT_MORNING)
    nudge = await family.next()
    tried = nudge.button("We tried it").callback_data
    assert tried is not None
    thanks = await family.press_and_read(nudge, "We tried it")
    assert "Thank you for trying" in thanks.text
    shown = await tend.emulator.wait_for_edit(501, nudge.message_id, timeout=10)
    # The reply row becomes the answer chosen; the why button stays.
    assert shown.button_texts == ("✓ We tried it", "Why it helps")
    assert await forge(family, nudge.message_id, tried) == "You already answered this one ✓"
    await family.press(shown, "✓ We tried it")
    hard = tried.replace(":tried", ":hard")
    for _ in range(3):
        assert await forge(family, nudge.message_id, hard) == "You already answered this one ✓"
    await tend.barrier()
    await tend.tick()
    assert tend.emulator.unread(501) == []  # no second thank-you, no repair tips
    buttons = [r for r in await tend.replies() if r.kind == "button"]
    assert [r.choice for r in buttons] == ["tried"]


async def test_no_after_delete_spends_the_question_and_its_old_yes_erases_nothing(
    tend: Tend,
) -> None:
    family = await joined(tend)
    confirm = await family.send("/delete")
    yes = confirm.button("Yes, erase it all").callback_data
    kept = await family.press_and_edit(confirm, "No, keep it")
    assert kept.text == "Okay, nothing was erased." and kept.buttons == ()
    toast = await forge(family, confirm.message_id, yes)
    assert toast == "That question is already answered, so this button does nothing now."
    assert await tend.parent(501) is not None


async def test_no_after_stop_spends_the_question_and_its_old_yes_stops_nothing(
    tend: Tend,
) -> None:
    family = await joined(tend)
    confirm = await family.send("/stop")
    yes = confirm.button("Yes, stop").callback_data
    kept = await family.press_and_edit(confirm, "No, keep them")
    assert "stay on" in kept.text and kept.buttons == ()
    await forge(family, confirm.message_id, yes)
    parent = await tend.parent(501)
    assert parent is not None and parent.status == "active"


async def test_only_the_latest_confirmation_works(tend: Tend) -> None:
    family = await joined(tend)
    first = await family.send("/delete")
    await family.send("/delete")
    toast = await forge(family, first.message_id, first.button("Yes, erase it all").callback_data)
    assert toast is not None and "already answered" in toast
    assert await tend.parent(501) is not None


async def test_a_confirmation_expires(tend: Tend) -> None:
    family = await joined(tend)
    confirm = await family.send("/stop")
    tend.clock.set(tend.clock.now() + dt.timedelta(minutes=31))
    expired = await family.press_and_edit(confirm, "Yes, stop")
    assert "from a while ago" in expired.text and "/stop" in expired.text
    parent = await tend.parent(501)
    assert parent is not None and parent.status == "active"


async def test_old_style_confirmation_buttons_do_nothing(tend: Tend) -> None:
    family = await joined(tend)
    confirm = await family.send("/delete")
    toast = await forge(family, confirm.message_id, "delete:yes")
    assert toast is not None and "already answered" in toast
    assert await tend.parent(501) is not None


async def test_a_late_tap_still_says_what_was_done_in_a_new_message(tend: Tend) -> None:
    family = await joined(tend)
    confirm = await family.send("/delete")
    tend.emulator.faults.fail_next("answerCallbackQuery", count=1, status=400, description=TOO_OLD)
    await tend.emulator.user_presses_button(
        501, confirm.message_id, confirm.button("No, keep it").callback_data
    )
    said = await family.next()
    assert said.text == "Okay, nothing was erased."
    edited = await tend.emulator.wait_for_edit(501, confirm.message_id, timeout=10)
    assert edited.text == "Okay, nothing was erased."


async def test_a_late_tap_on_a_dead_button_says_so_in_a_new_message(tend: Tend) -> None:
    family = await joined(tend)
    menu = await family.send("/settings")
    tend.emulator.faults.fail_next("answerCallbackQuery", count=1, status=400, description=TOO_OLD)
    await tend.emulator.user_presses_button(501, menu.message_id, "zz:old", forge=True)
    said = await family.next()
    assert said.text == "That button is from an older message, so it doesn't do anything now."


async def test_an_unknown_button_is_answered_in_the_parents_own_language(tend: Tend) -> None:
    # Their Telegram app is in English, but they chose Spanish.
    family = Family(tend, 502, language_code="en")
    await family.onboard(language="Español", time="8:00\u202fa.m.", timezone="Este de EE. UU.")
    menu = await family.send("/ajustes")
    toast = await forge(family, menu.message_id, "zz:retired")
    assert toast == "Ese botón es de un mensaje anterior, así que ya no hace nada."


async def test_bad_button_data_gets_a_kind_toast_not_an_error(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(NEXT_MORNING)
    nudge = await family.next()
    expired = "That button is from an older message, so it doesn't do anything now."
    for data in (
        "r:²:tried",
        "r:99999999999999999999:tried",
        "r:-1:tried",
        "r:1:tried:extra",
        "set:",
        "ob:",
        "stop:",
        None,
    ):
        toast = await forge(family, nudge.message_id, data)
        assert toast, data
        if data is not None and data.startswith("r:"):
            assert toast == expired, data
    await tend.barrier()
    assert all("went wrong" not in m.text for m in tend.emulator.unread(501))
    assert [r for r in await tend.rows(Reply) if r.kind == "button"] == []


async def test_every_button_under_a_delivery_refuses_forged_rows_kindly(tend: Tend) -> None:
    """Check-in, pause, arrival, graduation, why and quick-reply buttons all read their row
    the same way (bot/handlers/taps.py): a row that is not a plain number, is too big, is
    someone else's or is of the wrong kind, or a choice that is not offered, gets the "older
    message" toast and stores nothing."""
    mine = await joined(tend, 201)
    other = await joined(tend, 202)
    await tend.warp_to(NEXT_MORNING)
    nudge = await mine.next()
    await other.next()
    me = await tend.parent(201)
    assert me is not None
    own = next(d for d in await tend.deliveries() if d.parent_id == me.id)
    theirs = next(d for d in await tend.deliveries() if d.parent_id != me.id)
    shapes = ("ck:{}:feeling:3", "cd:{}:pause", "ar:{}:born", "gr:{}:keep", "w:{}", "r:{}:tried")
    forged_rows = ("²", "١٢", "9" * 40, "-1", str(theirs.id))
    data = [shape.format(row) for shape in shapes for row in forged_rows]
    data += [
        f"ck:{own.id}:feeling:9",  # not an answer to that question
        f"ck:{own.id}:mood:3",  # no such question
        f"cd:{own.id}:forever",
        f"ar:{own.id}:born:twice",
        f"gr:{own.id}:keep",  # a nudge, not a graduation
        f"w:{own.id}:extra",
        f"r:{own.id}:maybe",
    ]
    for forged in data:
        toast = await forge(mine, nudge.message_id, forged)
        assert toast is not None and "older message" in toast, forged
    assert await tend.replies() == []
    assert tend.emulator.unread(201) == []
