"""Life events end to end through the emulator: a loss told in words (asked gently, then a
goodbye with support lines, no more messages, the home visitor told), several children taking
turns (or sharing a nudge), and a child's graduation past 59 months."""

from __future__ import annotations

import datetime as dt

from bot.db.models import Child, Decision, Delivery, VisitorAlert
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority
from tests.integration.conftest import ADMIN_ID, Family, Tend
from tests.integration.program import family_of, visitor

UTC = dt.UTC
EIGHT_AM = dt.time(13, 0)  # 08:00 in New York, in UTC
NOV_26 = dt.date(2026, 11, 26)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, EIGHT_AM, tzinfo=UTC)


def day(offset: int) -> dt.datetime:
    return at(NOV_26 + dt.timedelta(days=offset))


async def quiet(tend: Tend, family: Family) -> bool:
    """Nothing the bot sent the family is still unread (after every update was handled)."""
    await tend.barrier()
    return tend.emulator.unread(family.user_id) == []


# --- a loss --------------------------------------------------------------------------------


async def test_a_loss_told_in_words_is_asked_about_then_ends_the_messages_gently(
    tend: Tend,
) -> None:
    ana = await visitor(tend)
    family = await family_of(tend, ana, 801, "Garcia family")
    await tend.warp_to(day(0))
    nudge = await family.next()
    asked = await family.send("we lost the baby last night")
    assert asked.text is not None and asked.text.startswith("I'm so sorry.")
    assert "did you lose your baby" in asked.text
    assert asked.button_texts == ("Yes", "No, I meant something else")
    # Nothing changed before the parent said yes: no ack, no tip, no alert.
    assert await quiet(tend, family)
    parent = await tend.parent(801)
    assert parent is not None and parent.status == "active"
    assert not [d for d in await tend.outbox() if d.kind == "alert"]

    await family.press(asked, "Yes")
    goodbye = await family.next()
    assert goodbye.text is not None
    assert goodbye.text.startswith("I'm so sorry for your loss.")
    assert "1-800-944-4773" in goodbye.text  # Postpartum Support International
    assert "missfoundation.org" in goodbye.text
    assert "988" in goodbye.text
    assert "I let your home visitor know" in goodbye.text
    assert "🌱" not in goodbye.text and "!" not in goodbye.text
    alert = await ana.next()
    assert alert.text is not None and alert.text.startswith("🕊 Garcia family told Tend")
    parent = await tend.parent(801)
    assert parent is not None and parent.status == "loss" and parent.next_send_at is None
    assert parent.children[0].ended == "loss"
    assert [a.kind for a in await tend.rows(VisitorAlert)] == ["loss"]

    # No more nudges or check-ins, day after day.
    for offset in range(1, 6):
        await tend.warp_to(day(offset))
    assert await quiet(tend, family)
    # An old nudge's button and their own words get no cheerful answer.
    query = await family.press(nudge, "We tried it")
    assert "older message" in (tend.emulator.callback_answer(query).text or "")  # type: ignore[union-attr]
    answer = await family.send("thank you")
    assert answer.text is not None and answer.text.startswith("Thank you for writing to me.")
    assert "1-800-944-4773" in answer.text
    assert await quiet(tend, family)
    # Their data is kept, and /start later is gentle: nothing restarts by itself.
    assert len(await tend.replies()) >= 2
    back = await family.send("/start")
    assert back.text is not None and back.text.startswith("Welcome back. I'm glad to hear")
    assert back.button_texts == ("Add a child",)
    parent = await tend.parent(801)
    assert parent is not None and parent.status == "loss"


async def test_no_to_the_loss_question_changes_nothing(tend: Tend) -> None:
    family = Family(tend, 802)
    await family.onboard()
    asked = await family.send("I think we lost the baby's sock at the park, and I lost my baby")
    assert asked.button_texts == ("Yes", "No, I meant something else")
    await family.press(asked, "No, I meant something else")
    sorry = await family.next()
    assert sorry.text == (
        "Thank you for telling me, and I'm sorry if I misread you. Your messages stay as they were."
    )
    parent = await tend.parent(802)
    assert parent is not None and parent.status == "active"
    await tend.warp_to(day(0))
    assert (await family.next()).text.startswith("🌱")  # type: ignore[union-attr]


async def test_words_near_a_loss_are_not_one(tend: Tend) -> None:
    family = Family(tend, 803)
    await family.onboard()
    answer = await family.send("my baby lost weight and I was scared of a miscarriage")
    assert answer.button_texts != ("Yes", "No, I meant something else")
    assert "did you lose your baby" not in (answer.text or "")


async def test_a_loss_without_a_visitor_tells_the_program_in_spanish(tend: Tend) -> None:
    family = Family(tend, 804, language_code="es")
    await family.onboard(language="Español", time="8:00\u202fa.m.", timezone="Este de EE. UU.")
    asked = await family.send("perdi a mi bebe")
    assert asked.text is not None and asked.text.startswith("Lo siento muchísimo.")
    await family.press(asked, "Sí")
    goodbye = await family.next()
    assert goodbye.text is not None
    assert "Le avisé a una persona de tu programa" in goodbye.text
    assert "1-833-852-6262" in goodbye.text and "988" in goodbye.text
    staff = await tend.emulator.next_message(ADMIN_ID, timeout=10)
    assert staff.text is not None and staff.text.startswith("🕊")


async def test_a_loss_cancels_what_was_queued_and_the_goodbye_goes_alone(tend: Tend) -> None:
    family = Family(tend, 805)
    await family.onboard()
    # Rows still waiting in the outbox: tomorrow's message and a late answer.
    services = tend.application.bot_data["tend.services"]
    later = day(3)
    async with services.sessions.begin() as session:
        await outbox.enqueue(
            session,
            [
                Outgoing(
                    chat_id=805, parent_id=(await tend.parent(805)).id,  # type: ignore[union-attr]
                    text="🌱 a nudge", kind="nudge", priority=Priority.DAILY,
                    local_date=later.date(), slot="daily", due_at=later,
                ),
                Outgoing(
                    chat_id=805, parent_id=(await tend.parent(805)).id,  # type: ignore[union-attr]
                    text="Thanks!", kind="answer", priority=Priority.NOW, due_at=later,
                ),
            ],
            tend.clock.now(),
        )  # fmt: skip
    asked = await family.send("Our daughter passed away")
    await family.press(asked, "Yes")
    goodbye = await family.next()
    assert goodbye.text is not None and goodbye.text.startswith("I'm so sorry for your loss.")
    # Nobody was configured but the admin, who is staff: the program was told.
    assert "a person from your program" in goodbye.text
    await tend.warp_to(later)
    assert await quiet(tend, family)
    waiting = [d for d in await tend.outbox() if d.text in ("🌱 a nudge", "Thanks!")]
    assert [d.status for d in waiting] == ["cancelled", "cancelled"]
    alerts = [d for d in await tend.outbox() if d.kind == "alert"]
    assert [d.status for d in alerts] == ["sent"]


async def test_help_says_a_loss_can_be_told_and_children_can_be_listed(tend: Tend) -> None:
    family = Family(tend, 806)
    await family.onboard()
    help_ = await family.send("/help")
    assert "If you lost your baby or your pregnancy" in (help_.text or "")
    listing = await family.send("/children")
    assert "We lost a baby or pregnancy" in listing.button_texts
    asked = await family.press_and_read(listing, "We lost a baby or pregnancy")
    assert asked.button_texts == ("Yes", "No, I meant something else")


# --- several children ----------------------------------------------------------------------


async def add_child(family: Family, name: str | None, date: str) -> str:
    asked = await family.send("/addchild")
    assert asked.text == "What is your other child's name? (You can skip this.)"
    if name is None:
        await family.press_and_read(asked, "Skip")
    else:
        await family.send(name)
    done = await family.send(date)
    return done.text or ""


async def test_two_children_take_turns_and_check_ins_ask_about_the_last_one(tend: Tend) -> None:
    family = Family(tend, 811)
    await family.onboard(name="Maya", date="2026-05-10")  # six months
    added = await add_child(family, "Leo", "2024-12-01")  # almost two
    assert added.startswith("Saved. I'll take turns between your children")
    fors = []
    for offset in range(3):
        await tend.warp_to(day(offset))
        message = await family.next()
        fors.append(message.text or "")
    assert fors[0].endswith("This one is for Maya.")
    assert fors[1].endswith("This one is for Leo.")
    assert fors[2].endswith("This one is for Maya.")
    decisions = [d for d in await tend.rows(Decision) if d.slot == "daily"]
    parent = await tend.parent(811)
    assert parent is not None
    maya, leo = (c.id for c in parent.children)
    assert [d.child_ids for d in decisions] == [str(maya), str(leo), str(maya)]


async def test_the_check_in_asks_about_the_child_the_last_nudge_was_for(tend: Tend) -> None:
    family = Family(tend, 812)
    await family.onboard(name="Maya", date="2026-05-10")
    await add_child(family, "Leo", "2024-12-01")
    texts = []
    for offset in range(6):
        await tend.warp_to(day(offset))
        texts.append(await family.next())
        if (texts[-1].text or "").startswith("💬"):
            break
    checkin_at = len(texts) - 1
    assert checkin_at >= 1
    last_for = "Leo" if "for Leo" in (texts[checkin_at - 1].text or "") else "Maya"
    feeling = texts[checkin_at]
    hardest = await family.press_and_read(feeling, feeling.buttons[0][0].text)
    connection = await family.press_and_read(hardest, hardest.buttons[0][0].text)
    assert f"connected have you felt with {last_for}?" in (connection.text or "")
    decision = next(d for d in await tend.rows(Decision) if d.kind == "checkin")
    parent = await tend.parent(812)
    assert parent is not None
    ids = {c.name: c.id for c in parent.children}
    assert decision.child_ids == str(ids[last_for])


async def test_twins_share_a_nudge_that_names_both(tend: Tend) -> None:
    family = Family(tend, 813)
    await family.onboard(name="Maya", date="2026-05-10")
    await add_child(family, "Leo", "2026-05-10")
    await tend.warp_to(day(0))
    first = await family.next()
    assert (first.text or "").endswith(
        "This one is for Maya and Leo: do it with both, taking turns."
    )
    await tend.warp_to(day(1))
    second = await family.next()
    assert "for Maya and Leo" in (second.text or "")
    decisions = [d for d in await tend.rows(Decision) if d.slot == "daily"]
    assert all("+" in (d.child_ids or "") for d in decisions)


async def test_a_child_can_be_listed_and_removed(tend: Tend) -> None:
    family = Family(tend, 814)
    await family.onboard(name="Maya", date="2026-05-10")
    await add_child(family, None, "2027-03-01")  # due in March, no name yet
    listing = await family.send("/children")
    assert "• Maya, born May 10, 2026" in (listing.text or "")
    assert "due March 1, 2027" in (listing.text or "")
    confirm = await family.press_and_read(listing, "Remove Maya")
    assert confirm.text is not None and confirm.text.startswith("Remove Maya?")
    done = await family.press_and_read(confirm, "Yes, remove")
    assert done.text == "Done. I won't send ideas for Maya any more."
    parent = await tend.parent(814)
    assert parent is not None and [c.name for c in parent.children] == [None]
    listing = await family.send("/children")
    again = await family.press_and_read(listing, listing.buttons[0][1].text)
    assert "is the only child I send ideas for" in (again.text or "")
    await tend.warp_to(day(0))
    only = await family.next()
    assert "This one is for" not in (only.text or "")
    assert only.text is not None and only.text.startswith("🌱 Before baby arrives")


async def test_a_new_child_is_validated_like_at_joining(tend: Tend) -> None:
    family = Family(tend, 815)
    await family.onboard()
    asked = await family.send("/addchild")
    ask_date = await family.send("Leo")
    assert "Leo" in (ask_date.text or "")
    wrong = await family.send("someday")
    assert wrong.text is not None and "date" in wrong.text.lower()
    assert len([c for c in await tend.rows(Child) if c.birth_date or c.due_date]) == 1
    await family.send("2025-01-15")
    parent = await tend.parent(815)
    assert parent is not None and [c.name for c in parent.enrolled_children] == ["Maya", "Leo"]
    del asked


async def test_settings_list_the_children_once_there_are_two(tend: Tend) -> None:
    family = Family(tend, 816)
    await family.onboard()
    assert "Child" in (await family.send("/settings")).button_texts
    await add_child(family, "Leo", "2025-01-15")
    menu = await family.send("/settings")
    assert "Children" in menu.button_texts and "Child" not in menu.button_texts
    listing = await family.press_and_read(menu, "Children")
    assert "Leo" in (listing.text or "") and "Maya" in (listing.text or "")


# --- graduation ----------------------------------------------------------------------------


async def test_a_child_past_59_months_graduates_and_the_parent_is_finished(tend: Tend) -> None:
    family = Family(tend, 821)
    await family.onboard(name="Sofia", date="2021-11-27")  # five on November 27
    await tend.warp_to(day(0))
    last_nudge = await family.next()
    assert last_nudge.text is not None and last_nudge.text.startswith("🌱")
    await tend.warp_to(day(1))
    goodbye = await family.next()
    assert goodbye.text is not None and goodbye.text.startswith("🎓 Sofia is five!")
    assert "If a younger child joins your family, send /addchild" in goodbye.text
    assert goodbye.buttons == ()
    parent = await tend.parent(821)
    assert parent is not None and parent.status == "finished" and parent.next_send_at is None
    assert parent.children[0].ended == "graduated"
    decision = [d for d in await tend.rows(Decision) if d.slot == "daily"][-1]
    assert (decision.kind, decision.rule, decision.child_ids) == (
        "graduation",
        "graduation",
        str(parent.children[0].id),
    )
    for offset in range(2, 5):
        await tend.warp_to(day(offset))
    assert await quiet(tend, family)
    back = await family.send("/start")
    assert back.text is not None and back.text.startswith("Welcome back! Your messages finished")
    again = await family.press_and_read(back, "Add a child")
    assert again.text == "What is your other child's name? (You can skip this.)"
    await family.send("Noa")
    restarted = await family.send("2026-09-01")
    assert (restarted.text or "").startswith("Saved. I'll take turns")
    parent = await tend.parent(821)
    assert parent is not None and parent.status == "active"


async def test_with_a_younger_sibling_the_parent_is_offered_to_keep_their_messages(
    tend: Tend,
) -> None:
    family = Family(tend, 822)
    await family.onboard(name="Sofia", date="2021-11-27")
    await add_child(family, "Leo", "2025-01-15")
    await tend.warp_to(day(0))  # the 25th's message, Sofia still four
    await family.next()
    await tend.warp_to(day(1))
    goodbye = await family.next()
    assert goodbye.text is not None and goodbye.text.startswith("🎓 Sofia is five!")
    assert "I'll keep sending ideas for Leo, as before. Is that okay?" in goodbye.text
    assert goodbye.button_texts == ("Yes, keep them coming", "No, that's all for now")
    kept = await family.press_and_read(goodbye, "Yes, keep them coming")
    assert kept.text == "Lovely. Ideas for Leo keep coming at your usual time."
    await tend.warp_to(day(2))
    nudge = await family.next()
    assert nudge.text is not None and nudge.text.startswith("🌱")
    assert "Sofia" not in nudge.text and "This one is for" not in nudge.text
    parent = await tend.parent(822)
    assert parent is not None and parent.status == "active"


async def test_no_thanks_after_a_graduation_finishes_gently(tend: Tend) -> None:
    family = Family(tend, 823)
    await family.onboard(name="Sofia", date="2021-11-27")
    await add_child(family, "Leo", "2025-01-15")
    await tend.warp_to(day(0))  # the 25th's message, Sofia still four
    await family.next()
    await tend.warp_to(day(1))
    goodbye = await family.next()
    done = await family.press_and_read(goodbye, "No, that's all for now")
    assert done.text is not None and done.text.startswith("Okay, I've stopped the messages.")
    parent = await tend.parent(823)
    assert parent is not None and parent.status == "finished"
    await tend.warp_to(day(2))
    assert await quiet(tend, family)
    replies = [r.choice for r in await tend.replies() if r.kind == "button"]
    assert "graduation_stop" in replies
    assert [d.kind for d in await tend.rows(Delivery) if d.slot == "daily"][-1] == "graduation"


async def test_the_decision_export_names_each_child_by_a_pseudonym(tend: Tend) -> None:
    import csv
    import io

    from bot.decision_export import export_decisions

    family = Family(tend, 817)
    await family.onboard(name="Maya", date="2026-05-10")
    await add_child(family, "Leo", "2024-12-01")
    for offset in range(2):
        await tend.warp_to(day(offset))
        await family.next()
    out = io.StringIO()
    await export_decisions(tend.database_url, out, now=tend.clock.now())
    daily = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["slot"] == "daily"]
    first, second = (r["child"] for r in daily)
    assert first and second and first != second and len(first) == 8
    assert "Maya" not in out.getvalue() and "Leo" not in out.getvalue()


async def test_a_photo_after_a_loss_gets_no_cheerful_thanks(tend: Tend) -> None:
    family = Family(tend, 807)
    await family.onboard()
    asked = await family.send("my baby died")
    await family.press(asked, "Yes")
    await family.next()
    await tend.emulator.user_sends_photo(807, caption=None)
    answer = await family.next()
    assert answer.text is not None and answer.text.startswith("Thank you for writing to me.")


async def test_grief_with_words_of_danger_gets_the_crisis_answer_then_the_question(
    tend: Tend,
) -> None:
    family = Family(tend, 808)
    await family.onboard()
    crisis = await family.send("my baby died and I want to die")
    assert "988" in (crisis.text or "")
    asked = await family.next()
    assert asked.button_texts == ("Yes", "No, I meant something else")
    await family.press(asked, "Yes")
    goodbye = await family.next()
    assert (goodbye.text or "").startswith("I'm so sorry for your loss.")
    parent = await tend.parent(808)
    assert parent is not None and parent.status == "loss" and parent.pending_need is None


async def test_after_a_loss_with_two_children_a_child_can_be_removed_before_starting_again(
    tend: Tend,
) -> None:
    family = Family(tend, 809)
    await family.onboard(name="Maya", date="2026-05-10")
    await add_child(family, "Leo", "2024-12-01")
    asked = await family.send("our son passed away")
    await family.press(asked, "Yes")
    await family.next()
    parent = await tend.parent(809)
    assert parent is not None and all(c.ended is None for c in parent.children)  # not told which
    await tend.emulator.user_sends_text(809, "/start")
    listing = await family.next()
    back = await family.next()
    assert "Maya" in (listing.text or "") and "Leo" in (listing.text or "")
    assert "Change Leo" not in listing.button_texts  # after a loss: remove only
    confirm = await family.press_and_read(listing, "Remove Leo")
    await family.press_and_read(confirm, "Yes, remove")
    assert back.button_texts == ("Start messages again", "Not now")
    resumed = await family.press_and_read(back, "Start messages again")
    assert (resumed.text or "").startswith("Welcome back! Your next message comes")
    await tend.warp_to(day(0))
    nudge = await family.next()
    assert "Leo" not in (nudge.text or "") and "This one is for" not in (nudge.text or "")


async def test_a_loss_told_in_an_edit_is_asked_about_once(tend: Tend) -> None:
    """A parent who corrects "we read a book" into a loss is asked gently, like typed words;
    editing it again does not ask twice while the question is open."""
    family = await family_of(tend, await visitor(tend), 807, "Rivera family")
    await tend.warp_to(day(0))
    await family.next()
    await family.send("we read a book")
    assert await quiet(tend, family)
    message_id = tend.emulator.last_user_message_id(family.user_id)
    await tend.emulator.user_edits_message(family.user_id, message_id, "we lost the baby")
    asked = await family.next()
    assert asked.text is not None and "did you lose your baby" in asked.text
    await tend.emulator.user_edits_message(family.user_id, message_id, "we lost the baby :(")
    assert await quiet(tend, family)
    await family.press(asked, "Yes")
    goodbye = await family.next()
    assert goodbye.text is not None and goodbye.text.startswith("I'm so sorry for your loss.")
    parent = await tend.parent(807)
    assert parent is not None and parent.status == "loss"
