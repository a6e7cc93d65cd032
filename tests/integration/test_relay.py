"""The relay between a parent and their home visitor, through Telegram: the request from /help
or /visitor, both directions by replying, the names each side reads, and what is never passed
on (another visitor's reply, words that may mean danger)."""

from __future__ import annotations

from bot.db.models import SafetyFlag
from bot.emulator import BotApiEmulator
from tests.integration.conftest import Family, Tend
from tests.integration.program import OTHER_VISITOR, Member, family_of, visitor


async def reply_to(emu: BotApiEmulator, user_id: int, message_id: int, words: str) -> int:
    """The user replies to one of the bot's messages (Telegram's swipe-to-reply)."""
    chat = emu._users.chat(user_id)
    message = emu._state.new_message(chat, from_bot=False)
    message.text, message.entities, message.caption, message.media = words, [], None, {}
    message.reply_to_message_id = message_id
    return await emu._users._updates.push("message", emu._state.message_json(message))


async def test_a_parent_reaches_their_visitor_and_they_talk_through_the_bot(tend: Tend) -> None:
    ana = await visitor(tend)
    family = await family_of(tend, ana, 1101, "Garcia family", first_name="Rosa")
    await family.send("/help")
    offer = await family.next()
    assert offer.button_texts == ("Talk to my home visitor",)
    asked = await family.press_and_read(offer, "Talk to my home visitor")
    assert "Ana" in (asked.text or "")
    request = await ana.next()
    assert "Garcia family would like to talk" in (request.text or "")
    await reply_to(tend.emulator, ana.user_id, request.message_id, "Hi! Is Thursday at 10 ok?")
    sent = await ana.next()
    assert "Sent to Garcia family" in (sent.text or "")
    relayed = await family.next()
    assert (relayed.text or "").startswith("From Ana, your home visitor:\nHi! Is Thursday")
    await reply_to(tend.emulator, family.user_id, relayed.message_id, "Yes, Thursday works")
    assert "Sent to Ana" in ((await family.next()).text or "")
    back = await ana.next()
    assert (back.text or "").startswith("From Garcia family:\nYes, Thursday works")
    # Neither side ever sees the other's Telegram account: only the bot writes to each.
    for message in [*tend.emulator.messages_in(ana.user_id)]:
        assert "1101" not in (message.text or "") and "Rosa" not in (message.text or "")


async def test_a_replayed_request_asks_the_visitor_once(tend: Tend) -> None:
    ana = await visitor(tend)
    family = await family_of(tend, ana, 1102, "Lopez")
    first = await family.send("/visitor")
    assert "Ana" in (first.text or "")
    again = await family.send("/visitor")
    assert "already knows" in (again.text or "")
    await tend.barrier()
    requests = [
        m for m in tend.emulator.unread(ana.user_id) if "would like to talk" in (m.text or "")
    ]
    assert len(requests) == 1


async def test_another_visitor_cannot_write_to_a_family_not_theirs(tend: Tend) -> None:
    ana = await visitor(tend)
    ben = await visitor(tend, OTHER_VISITOR, "Ben")
    family = await family_of(tend, ana, 1103, "Nguyen")
    await family.send("/visitor")
    request = await ana.next()
    # Ben replies to a message id from Ana's chat: in his own chat it is no relayed message.
    await reply_to(tend.emulator, ben.user_id, request.message_id, "hello from Ben")
    await ben.next()
    await tend.barrier()
    assert all("Ben" not in (m.text or "") for m in tend.emulator.unread(family.user_id))


async def test_danger_in_a_reply_goes_to_the_safety_net_not_the_relay(tend: Tend) -> None:
    ana = await visitor(tend)
    family = await family_of(tend, ana, 1104, "Perez")
    await family.send("/visitor")
    request = await ana.next()
    await reply_to(tend.emulator, ana.user_id, request.message_id, "How are you?")
    await ana.next()
    relayed = await family.next()
    await reply_to(tend.emulator, family.user_id, relayed.message_id, "i want to kill myself")
    answer = await family.next()
    assert "988" in (answer.text or "")
    alert = await ana.next()
    assert "self-harm" in (alert.text or "") and "kill myself" not in (alert.text or "")
    assert len(await tend.rows(SafetyFlag)) == 1


async def test_a_family_without_a_visitor_is_told_so(tend: Tend) -> None:
    family = Family(tend, 1105)
    await family.onboard()
    await family.send("/help")
    reply = await family.send("/visitor")
    assert "on your own" in (reply.text or "")
    assert isinstance(Member, type)
