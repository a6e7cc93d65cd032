"""The safety net through Telegram: what a parent in danger reads, and what staff receive.

Every case runs through the real Application and the emulator. Faults fail the first attempt
of both the parent's answer and the staff alert; both must still arrive within a minute.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest

from bot.db.models import Delivery, Parent, Reply, SafetyFlag
from bot.emulator import BotApiEmulator, SentMessage
from scheduler.outbox import MAX_UNCONFIRMED, Priority
from tests.integration.conftest import ADMIN_ID, Family, Tend

UTC = dt.UTC
SECOND_ADMIN = 998
ALERT_DEADLINE = 60.0


async def joined(tend: Tend, user_id: int = 301, **kwargs: Any) -> Family:
    family = Family(tend, user_id, **kwargs)
    await family.onboard(language="Español" if kwargs.get("language_code") == "es" else "English")
    return family


async def alert_for(emulator: BotApiEmulator, staff: int = ADMIN_ID) -> SentMessage:
    return await emulator.next_message(staff, timeout=ALERT_DEADLINE)


async def flags(tend: Tend) -> list[SafetyFlag]:
    return sorted(await tend.rows(SafetyFlag), key=lambda f: f.id)


async def test_thoughts_of_self_harm_get_the_crisis_line_and_staff_an_alert(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("sometimes i think about hurting myself")
    assert "988" in answer.text
    assert "1-800-799-7233" not in answer.text  # not the violence line
    alert = await alert_for(tend.emulator)
    assert "self-harm" in alert.text and "sometimes i think" not in alert.text
    assert alert.button_texts == ("I'm on it", "Show recent messages")
    (flag,) = await flags(tend)
    assert flag.category == "self_harm" and flag.rule and flag.alerted == 1
    (reply,) = await tend.replies()
    assert reply.text == "sometimes i think about hurting myself" and flag.reply_id == reply.id


async def test_a_zero_width_space_does_not_hide_the_words(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("i want to kill\u200b myself")
    assert "988" in answer.text
    (flag,) = await flags(tend)
    assert flag.category == "self_harm"


async def test_violence_at_home_in_spanish_gets_the_hotline_in_spanish(tend: Tend) -> None:
    family = await joined(tend, language_code="es")
    answer = await family.send("mi esposo me grita y me da miedo")
    assert "1-800-799-7233" in answer.text
    assert "español" in answer.text.lower()
    (flag,) = await flags(tend)
    assert flag.category == "violence_home"


async def test_a_baby_who_may_be_unwell_gets_the_emergency_number_first(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("baby is turning blue and wont wake up")
    first_line = answer.text.splitlines()[0]
    assert "911" in first_line
    (flag,) = await flags(tend)
    assert flag.category == "baby_unwell"


async def test_a_toddler_who_hits_raises_no_alarm(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("he hits me when I change his diaper")
    assert "911" not in answer.text and "988" not in answer.text
    await tend.barrier()
    assert await flags(tend) == []
    assert tend.emulator.unread(ADMIN_ID) == []


async def test_a_photo_caption_is_screened_and_kept(tend: Tend) -> None:
    family = await joined(tend)
    await tend.emulator.user_sends_photo(family.user_id, caption="I want to kill myself")
    answer = await family.next()
    assert "988" in answer.text
    await alert_for(tend.emulator)
    (reply,) = await tend.replies()
    assert reply.text == "I want to kill myself" and reply.file_id


async def test_an_edited_message_is_screened_again(tend: Tend) -> None:
    family = await joined(tend)
    await family.send("we read a book")
    message_id = tend.emulator.last_user_message_id(family.user_id)
    await tend.emulator.user_edits_message(family.user_id, message_id, "i want to end my life")
    answer = await family.next()
    assert "988" in answer.text
    (flag,) = await flags(tend)
    assert flag.category == "self_harm"


async def test_an_ambiguous_message_asks_whether_the_parent_is_safe(tend: Tend) -> None:
    family = await joined(tend)
    question = await family.send("he hits me")  # a partner, or a toddler? ask
    assert question.button_texts == ("I'm okay", "I need help")
    await tend.barrier()
    assert await flags(tend) == [] and tend.emulator.unread(ADMIN_ID) == []
    answer = await family.press_and_read(question, "I need help")
    assert "1-800-799-7233" in answer.text
    alert = await alert_for(tend.emulator)
    assert "violence" in alert.text
    (flag,) = await flags(tend)
    assert flag.rule == "asked:needs-help" and flag.category == "violence_home"


async def test_i_am_okay_under_the_question_raises_nothing(tend: Tend) -> None:
    family = await joined(tend)
    question = await family.send("me pega cuando se enoja")
    answer = await family.press_and_read(question, question.buttons[0][0].text)
    assert answer.text
    await tend.barrier()
    assert await flags(tend) == [] and tend.emulator.unread(ADMIN_ID) == []


@pytest.mark.parametrize("settings_overrides", [{"admin_ids": ()}])
async def test_with_no_staff_the_answer_never_claims_someone_was_told(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("I want to die")
    assert "988" in answer.text
    lowered = answer.text.lower()
    assert "team" not in lowered and "program" not in lowered
    (flag,) = await flags(tend)
    assert flag.alerted == 0


async def test_with_staff_the_answer_says_a_person_was_told(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("I want to die")
    assert "program" in answer.text.lower() or "team" in answer.text.lower()


@pytest.mark.parametrize("settings_overrides", [{"admin_ids": (ADMIN_ID, SECOND_ADMIN)}])
async def test_im_on_it_acknowledges_and_others_see_who_took_it(tend: Tend) -> None:
    tend.emulator.add_user(SECOND_ADMIN, first_name="Ana", language_code="en")
    family = await joined(tend)
    await family.send("I want to die")
    first = await alert_for(tend.emulator, ADMIN_ID)
    second = await alert_for(tend.emulator, SECOND_ADMIN)
    await tend.tick()  # both alerts are recorded as sent (the edit needs their message ids)
    staff = Family(tend, SECOND_ADMIN, first_name="Ana")
    await staff.press(second, "I'm on it")
    edited = await tend.emulator.wait_for_edit(ADMIN_ID, first.message_id, timeout=10)
    assert "Ana is on it" in (edited.text or "")
    (flag,) = await flags(tend)
    assert flag.acknowledged_by == SECOND_ADMIN
    assert edited.button_texts == ("Show recent messages",)
    # A tap on the old button (sent before the edit arrived) changes nothing, says who has it.
    query = await tend.emulator.user_presses_button(
        ADMIN_ID, first.message_id, first.button("I'm on it").callback_data, forge=True
    )
    toast = await tend.emulator.wait_for_callback_answer(query, timeout=10)
    assert "Ana already took" in (toast.text or "")
    (flag,) = await flags(tend)
    assert flag.acknowledged_by == SECOND_ADMIN


async def test_a_parent_cannot_press_a_staff_button(tend: Tend) -> None:
    family = await joined(tend)
    await family.send("I want to die")
    (flag,) = await flags(tend)
    nudge = await family.send("/repair")
    query = await tend.emulator.user_presses_button(
        family.user_id, nudge.message_id, f"sa:{flag.id}:ack", forge=True
    )
    await tend.emulator.wait_for_callback_answer(query, timeout=10)
    (flag,) = await flags(tend)
    assert flag.acknowledged_by is None


async def test_show_recent_messages_lists_the_family_without_their_words(tend: Tend) -> None:
    family = await joined(tend)
    await family.send("We read a book")
    await family.send("I want to die")
    alert = await alert_for(tend.emulator)
    staff = Family(tend, ADMIN_ID, first_name="Staff")
    recent = await staff.press_and_read(alert, "Show recent messages")
    assert "Recent messages" in recent.text
    assert "read a book" not in recent.text and "want to die" not in recent.text


async def test_an_alert_nobody_takes_goes_to_everyone_again(tend: Tend) -> None:
    family = await joined(tend)
    await family.send("I want to die")
    await alert_for(tend.emulator)
    tend.clock.advance(dt.timedelta(minutes=10))
    await tend.tick()
    assert tend.emulator.unread(ADMIN_ID) == []
    tend.clock.advance(dt.timedelta(minutes=6))
    await tend.tick()
    reminder = await alert_for(tend.emulator)
    assert "Still open" in reminder.text
    (flag,) = await flags(tend)
    assert flag.escalated_at is not None


async def test_no_cheerful_nudge_for_a_day_then_a_gentle_check_in(tend: Tend) -> None:
    family = await joined(tend)  # 08:00 in New York, daily; joined on Wed 25 Nov at 07:00
    await family.send("I want to die")
    await alert_for(tend.emulator)
    # Today's 08:00 nudge (an hour after the flag) does not come.
    await tend.warp_to(dt.datetime(2026, 11, 25, 13, 0, tzinfo=UTC))
    assert tend.emulator.unread(family.user_id) == []
    # Tomorrow's slot brings the check-in instead of a nudge.
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    checkin = await family.next()
    assert len(checkin.buttons) == 2
    answer = await family.press_and_read(checkin, checkin.buttons[1][0].text)
    assert answer.text
    staff_saw = [(await alert_for(tend.emulator)).text for _ in range(2)]  # + the reminder
    assert any("asked to be called" in seen for seen in staff_saw)
    (flag,) = await flags(tend)
    assert flag.checkin_answer == "call"
    # The day after, everyday messages are back.
    await tend.warp_to(dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC))
    nudge = await family.next()
    assert nudge.button_texts == ("We tried it", "Not today", "It was hard", "Why it helps")


async def test_someone_not_enrolled_still_gets_the_numbers(tend: Tend) -> None:
    stranger = Family(tend, 404)
    answer = await stranger.send("I want to kill myself")
    assert "988" in answer.text
    assert "program" not in answer.text.lower()


# --- the promise under faults: answer and alert within a minute, whatever fails first ---

FAULTS: dict[str, Any] = {
    "500": lambda e: e.faults.fail_next("sendMessage", count=2),
    "429": lambda e: e.faults.fail_next("sendMessage", count=2, retry_after=2),
    "slow": lambda e: e.faults.delay("sendMessage", 6.0, count=2),
    "dropped": lambda e: e.faults.drop_next("sendMessage", count=2, after_processing=False),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_the_answer_and_the_alert_get_through_a_fault_within_a_minute(
    tend: Tend, fault: str
) -> None:
    family = await joined(tend)
    before = len(tend.emulator.messages_in(family.user_id))
    FAULTS[fault](tend.emulator)
    started = time.monotonic()
    await tend.emulator.user_sends_text(family.user_id, "i want to kill myself")
    answer, alert = await asyncio.gather(family.next(), alert_for(tend.emulator))
    elapsed = time.monotonic() - started
    print(f"\nfault={fault}: answer and alert arrived in {elapsed:.1f} s")
    assert elapsed < ALERT_DEADLINE
    assert "988" in answer.text and "self-harm" in alert.text
    for _ in range(120):  # bounded: a timed-out copy may still be waiting to be retried
        await tend.tick()
        rows = [d for d in await tend.deliveries() if d.kind in ("safety", "alert")]
        if all(d.status == "sent" for d in rows):
            break
        await asyncio.sleep(0.25)
    assert all(d.status == "sent" for d in rows)
    copies = len(tend.emulator.messages_in(family.user_id)) - before
    assert copies <= 1 + MAX_UNCONFIRMED[Priority.NOW]


async def test_an_alert_left_in_flight_by_a_crash_is_sent_after_its_lease(tend: Tend) -> None:
    family = await joined(tend)
    engine_rows = tend.application.bot_data["tend.services"].sessions
    # A sender that died mid-send left these rows claimed; their lease has run out.
    async with engine_rows.begin() as session:
        parent = (await session.execute(Parent.__table__.select())).first()
        assert parent is not None
        past = dt.datetime.now(UTC) - dt.timedelta(seconds=1)
        session.add(
            Delivery(
                parent_id=None,
                chat_id=ADMIN_ID,
                message_id="alert:0",
                kind="alert",
                priority=0,
                local_date=dt.date(2026, 11, 25),
                status="sending",
                text="⚠️ left in flight",
                due_at=tend.clock.now(),
                created_at=tend.clock.now(),
                lease_until=past,
                attempts=1,
                unconfirmed_attempts=0,
            )
        )
    await tend.tick()
    alert = await alert_for(tend.emulator)  # once the sender's next sweep finds the lease over
    assert alert.text == "⚠️ left in flight"
    await tend.tick()  # and it is recorded as sent
    (row,) = [d for d in await tend.deliveries() if d.message_id == "alert:0"]
    assert row.status == "sent" and row.unconfirmed_attempts == 1
    assert family  # the family's own chat saw nothing of it
    assert all(r.kind != "alert" for r in await tend.rows(Reply))


async def test_with_nobody_to_alert_the_bot_warns_at_start(
    emulator: BotApiEmulator, clock: Any, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app import build_application
    from bot.config import Settings
    from tests.integration.conftest import TOKEN

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        admin_ids=(),
    )
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    try:
        with caplog.at_level("WARNING"):
            await application.post_init(application)  # type: ignore[misc]
        assert any("no staff are configured" in r.getMessage() for r in caplog.records)
    finally:
        await application.post_stop(application)  # type: ignore[misc]
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]
