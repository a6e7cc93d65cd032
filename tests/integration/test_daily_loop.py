"""The daily loop through Telegram: the nudge on time, replies stored, the bot adapting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import inbox
from bot.coaching.acknowledgements import load_acknowledgements
from bot.db import repository
from bot.db.models import Delivery, Parent
from tests.integration.conftest import Family, Tend

UTC = dt.UTC


async def joined(tend: Tend, user_id: int = 201, **kwargs: str) -> Family:
    family = Family(tend, user_id)
    await family.onboard(**kwargs)
    return family


async def test_nudge_arrives_at_the_parents_local_time_in_their_language(tend: Tend) -> None:
    family = await joined(tend, timezone="España", time="09:00")
    # 09:00 in Madrid on Nov 26 is 08:00 UTC. A minute before: nothing.
    report = await tend.warp_to(dt.datetime(2026, 11, 26, 7, 59, tzinfo=UTC))
    assert report.sent == 0
    report = await tend.warp_to(dt.datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert report.sent == 1
    nudge = await family.next()
    assert nudge.text.startswith("🌱 Connection moment")
    assert nudge.button_texts == ("We tried it", "Not today", "It was hard", "Why it helps")
    (delivery,) = await tend.deliveries()
    assert delivery.kind == "nudge" and delivery.local_date == dt.date(2026, 11, 26)


async def test_a_repeated_tick_never_sends_the_same_day_twice(tend: Tend) -> None:
    family = await joined(tend)
    moment = dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 08:00 in New York
    first = await tend.warp_to(moment)
    again = await tend.warp_to(moment + dt.timedelta(minutes=1))
    assert (first.planned, again.planned) == (1, 0)
    await family.next()
    assert len(await tend.deliveries()) == 1
    assert tend.emulator.unread(201) == []


async def test_nudges_keep_local_time_across_the_daylight_saving_change(tend: Tend) -> None:
    family = await joined(tend, time="08:00", timezone="US Eastern")
    # New York moves its clocks forward on Sunday 14 March 2027.
    await tend.warp_to(dt.datetime(2027, 3, 12, 13, 0, tzinfo=UTC))
    first = await family.next()
    await family.press_and_read(first, "We tried it")
    for day in (13, 14, 15):
        # 08:00 local is 13:00 UTC before the change (EST) and 12:00 UTC after (EDT).
        hour = 13 if day < 14 else 12
        early = await tend.warp_to(dt.datetime(2027, 3, day, hour - 1, 59, tzinfo=UTC))
        assert early.sent == 0, f"March {day}: nothing before 08:00 local"
        report = await tend.warp_to(dt.datetime(2027, 3, day, hour, 0, tzinfo=UTC))
        assert report.sent == 1, f"March {day}"
        message = await family.next()
        await family.press_and_read(message, message.button_texts[0])
    due_times = [d.due_at for d in await tend.deliveries() if d.slot == "daily"][-3:]
    assert due_times == [
        dt.datetime(2027, 3, 13, 13, 0, tzinfo=UTC),
        dt.datetime(2027, 3, 14, 12, 0, tzinfo=UTC),
        dt.datetime(2027, 3, 15, 12, 0, tzinfo=UTC),
    ]


async def test_button_reply_is_stored_with_the_delivery_it_answers(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    nudge = await family.next()
    thanks = await family.press_and_read(nudge, "We tried it")
    assert "Thank you" in thanks.text
    (delivery,) = await tend.deliveries()
    (reply,) = await tend.replies()
    assert (reply.delivery_id, reply.kind, reply.choice) == (delivery.id, "button", "tried")


async def test_it_was_hard_brings_a_repair_tip_now_and_calm_next(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    nudge = await family.next()
    intro = await family.press_and_read(nudge, "It was hard")
    assert "Hard moments happen" in intro.text
    tip = await family.next()
    assert tip.text.startswith("🤝 Repair tip")
    await tend.warp_to(dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC))
    tomorrow = await family.next()
    assert tomorrow.text.startswith("💛 Just for you")
    kinds = [d.kind for d in await tend.deliveries()]
    assert kinds == ["nudge", "repair", "calm"]


async def test_free_text_is_stored_and_linked_to_the_latest_delivery(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    await family.next()
    answer = await family.send("She giggled when I copied her")
    assert "thank you" in answer.text.lower()
    (delivery,) = await tend.deliveries()
    (reply,) = await tend.replies()
    assert reply.delivery_id == delivery.id and reply.text == "She giggled when I copied her"


async def test_hard_words_in_free_text_bring_a_repair_tip_that_fits(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    await family.next()
    intro = await family.send("I yelled at him today and feel awful")
    assert "Hard moments happen" in intro.text
    tip = await family.next()
    assert tip.text.startswith("🤝 Repair tip")
    deliveries = await tend.deliveries()
    assert deliveries[-1].kind == "repair"


async def test_three_unanswered_nudges_bring_a_gentle_check_in_and_a_slower_pace(
    tend: Tend,
) -> None:
    family = await joined(tend)
    for day in (26, 27, 28, 29):
        await tend.warp_to(dt.datetime(2026, 11, day, 13, 0, tzinfo=UTC))
        await family.next()
    deliveries = await tend.deliveries()
    assert [d.kind for d in deliveries] == ["nudge", "nudge", "nudge", "checkin"]
    check_in = tend.emulator.messages_in(201)[-1]
    assert check_in.text.startswith("💬")
    # Still quiet after three unanswered: every other day (bot/coaching/cadence.py).
    report = await tend.warp_to(dt.datetime(2026, 11, 30, 13, 0, tzinfo=UTC))
    assert report.sent == 0
    report = await tend.warp_to(dt.datetime(2026, 12, 1, 13, 0, tzinfo=UTC))
    assert report.sent == 1


async def test_no_nudge_repeats_within_thirty_days(tend: Tend) -> None:
    family = await joined(tend)
    start = dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    for day in range(30):
        await tend.warp_to(start + dt.timedelta(days=day))
        message = await family.next()
        if message.buttons:
            # The first button is always a good one (tried, helped, good): one answer back.
            await family.press_and_read(message, message.button_texts[0])
    daily = [d.message_id for d in await tend.deliveries() if d.slot == "daily"]
    assert len(daily) == 30
    # The three-tap check-in is the bot's own and comes back by design; library messages don't.
    ids = [i for i in daily if i != "checkin-quick"]
    assert len(set(ids)) == len(ids)


async def test_a_parent_who_blocks_the_bot_is_marked_inactive_and_gets_nothing(tend: Tend) -> None:
    await joined(tend)
    await tend.emulator.user_blocks_bot(201)
    await tend.barrier()
    parent = await tend.parent(201)
    assert parent is not None and parent.status == "blocked"
    report = await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    assert report.sent == 0 and await tend.deliveries() == []


async def test_a_403_on_send_marks_the_parent_inactive_and_is_never_retried(tend: Tend) -> None:
    await joined(tend)
    # The bot is down while the parent blocks it, so it learns only from the 403 on send.
    await inbox(tend.application).stop()
    await tend.emulator.user_blocks_bot(201)
    report = await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    assert report.sent == 0
    (delivery,) = await tend.deliveries()
    assert delivery.status == "failed" and delivery.last_error == "blocked or deactivated"
    parent = await tend.parent(201)
    assert parent is not None and parent.status == "blocked" and parent.next_send_at is None
    calls_before = tend.emulator.call_count("sendMessage")
    await tend.warp_to(dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC))
    assert tend.emulator.call_count("sendMessage") == calls_before


async def test_forged_or_foreign_buttons_change_nothing(tend: Tend) -> None:
    mine = await joined(tend, 201)
    other = await joined(tend, 202)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    await mine.next()
    await other.next()
    me = await tend.parent(201)
    assert me is not None
    theirs = next(d for d in await tend.deliveries() if d.parent_id != me.id)
    for data in (
        f"r:{theirs.id}:hard",
        "r:999999:tried",
        "r:abc:tried",
        "ob:summary:ok",
        "garbage",
    ):
        query = await tend.emulator.user_presses_button(201, 1, data, forge=True)
        answer = await tend.emulator.wait_for_callback_answer(query, timeout=10)
        assert answer.text is not None and "older message" in answer.text
    assert await tend.replies() == []
    assert tend.emulator.unread(201) == []


async def test_celebration_after_trying_three_times_in_a_week(tend: Tend) -> None:
    family = await joined(tend)
    answers = []
    for day in (26, 27, 28):
        await tend.warp_to(dt.datetime(2026, 11, day, 13, 0, tzinfo=UTC))
        nudge = await family.next()
        answers.append(await family.press_and_read(nudge, "We tried it"))
    # Two thank-yous, in different words (bot/coaching/acknowledgements.py rotates them).
    thanks = load_acknowledgements()["tried"]["en"]
    assert answers[0].text in thanks and answers[1].text in thanks
    assert answers[0].text != answers[1].text
    assert answers[2].text.startswith("🎉")
    assert [d.kind for d in await tend.deliveries()][-1] == "celebration"


async def test_a_four_thousand_character_reply_is_stored_whole(tend: Tend) -> None:
    family = await joined(tend)
    long_text = "We played " + "and played " * 360
    answer = await family.send(long_text[:4000])
    assert answer.text
    (reply,) = await tend.replies()
    assert reply.text == long_text[:4000]


async def test_unknown_command_points_to_help(tend: Tend) -> None:
    family = await joined(tend)
    answer = await family.send("/dance")
    assert "/help" in answer.text


async def test_repair_command_sends_a_tip_for_the_childs_age(tend: Tend) -> None:
    family = await joined(tend)
    tip = await family.send("/repair")
    assert tip.text.startswith("🤝 Repair tip")
    (delivery,) = await tend.deliveries()
    assert isinstance(delivery, Delivery) and delivery.kind == "repair" and delivery.slot is None


async def test_an_expecting_parent_who_had_a_hard_day_gets_a_calm_message(tend: Tend) -> None:
    family = await joined(tend, date="2027-04-01")
    intro = await family.send("Today was so hard")
    assert "Hard moments happen" in intro.text
    calm = await family.next()
    assert calm.text.startswith("💛 Just for you")
    tip = await family.send("/repair")
    assert tip.text.startswith("💛 Just for you")


async def test_a_database_fault_gets_a_kind_apology_and_the_next_try_works(
    tend: Tend, monkeypatch: pytest.MonkeyPatch
) -> None:
    family = await joined(tend)
    real_find = repository.find_parent
    failures = iter([True])

    async def flaky_find(session: AsyncSession, user_id: int) -> Parent | None:
        if next(failures, False):
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return await real_find(session, user_id)

    monkeypatch.setattr(repository, "find_parent", flaky_find)
    sorry = await family.send("We read a book together")
    assert "something went wrong" in sorry.text
    assert await tend.replies() == []
    thanks = await family.send("We read a book together")
    assert "thank" in thanks.text.lower()
    assert [r.text for r in await tend.replies()] == ["We read a book together"]


async def test_photos_and_voice_notes_are_kept_and_thanked(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    await family.next()
    await tend.emulator.user_sends_photo(201, caption="Story time")
    thanked = await family.next()
    assert thanked.text.startswith("Thank you for sharing this with me!")
    await tend.emulator.user_sends_voice(201)
    assert (await family.next()).text == thanked.text
    [delivery] = await tend.deliveries()
    photo, voice = await tend.replies()
    assert photo.kind == voice.kind == "media"
    assert photo.file_id and voice.file_id and photo.text == "Story time"
    assert photo.delivery_id == voice.delivery_id == delivery.id


async def test_a_reply_with_a_nul_byte_is_stored_without_it(tend: Tend) -> None:
    family = await joined(tend)
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    await family.next()
    answer = await family.send("We sang\x00 together")
    assert "went wrong" not in answer.text
    [reply] = await tend.replies()
    assert reply.text == "We sang together"
