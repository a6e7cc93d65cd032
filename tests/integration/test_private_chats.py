"""Tend talks to parents in private chats only: a group is told once to write privately, and
nothing said there is stored."""

from __future__ import annotations

from bot.db.models import Delivery, Parent, Reply
from tests.integration.conftest import Family, Tend

GROUP = -100123
POINTER = "Please write to me privately: https://t.me/TendTestBot"


async def test_start_in_a_group_enrolls_nobody_and_points_to_a_private_chat(tend: Tend) -> None:
    family = Family(tend, 601)
    tend.emulator.add_group(GROUP, "Cousins")
    await tend.emulator.user_sends_text_in_group(GROUP, 601, "/start")
    pointer = await tend.emulator.next_message(GROUP, timeout=10)
    assert POINTER in pointer.text and pointer.buttons == ()
    for words in ("/mydata", "/help", "Maya", "/start"):
        await tend.emulator.user_sends_text_in_group(GROUP, 601, words)
    await tend.barrier()
    await tend.tick()
    # Said once: nothing more in the group, no export, nothing in the parent's own chat.
    assert tend.emulator.unread(GROUP) == []
    assert tend.emulator.messages_in(601) == []
    assert await tend.rows(Parent) == []
    assert await tend.rows(Reply) == []
    assert await tend.rows(Delivery) == []
    # In private, joining works as usual.
    welcome = await family.send("/start")
    assert "I'm Tend" in welcome.text


async def test_an_enrolled_parent_in_a_group_gets_no_export_and_no_erase(tend: Tend) -> None:
    family = Family(tend, 602)
    await family.onboard()
    tend.emulator.add_group(GROUP, "Family")
    await tend.emulator.user_sends_text_in_group(GROUP, 602, "/mydata")
    pointer = await tend.emulator.next_message(GROUP, timeout=10)
    assert POINTER in pointer.text
    for words in ("/delete", "/stop", "It was hard today", "/pause 7"):
        await tend.emulator.user_sends_text_in_group(GROUP, 602, words)
    await tend.barrier()
    assert tend.emulator.unread(GROUP) == []
    assert all(m.document is None for m in tend.emulator.messages_in(GROUP))
    parent = await tend.parent(602)
    assert parent is not None and parent.status == "active" and parent.chat_id == 602
    assert await tend.replies() == []


async def test_being_added_to_a_group_says_once_to_write_privately(tend: Tend) -> None:
    Family(tend, 603, language_code="es")
    tend.emulator.add_group(GROUP, "Familia")
    await tend.emulator.user_adds_bot_to_group(GROUP, 603)
    pointer = await tend.emulator.next_message(GROUP, timeout=10)
    assert "Escríbeme en privado: https://t.me/TendTestBot" in pointer.text
    await tend.emulator.user_sends_text_in_group(GROUP, 603, "/start")
    await tend.barrier()
    assert tend.emulator.unread(GROUP) == []
    assert await tend.rows(Parent) == []


async def test_a_group_message_with_no_sender_is_handled_quietly(tend: Tend) -> None:
    tend.emulator.add_group(GROUP, "Channel-like group")
    # An anonymous admin writes as the group: the message has no `from`.
    await tend.emulator.user_sends_text_in_group(GROUP, None, "hello everyone")
    await tend.emulator.user_sends_text_in_group(GROUP, None, "/start")
    pointer = await tend.emulator.next_message(GROUP, timeout=10)
    assert POINTER in pointer.text
    await tend.barrier()
    assert tend.emulator.unread(GROUP) == []
    assert await tend.rows(Parent) == []


async def test_removing_the_bot_from_a_group_does_not_stop_the_parent(tend: Tend) -> None:
    family = Family(tend, 604)
    await family.onboard()
    tend.emulator.add_group(GROUP, "Family")
    await tend.emulator.user_adds_bot_to_group(GROUP, 604)
    await tend.emulator.next_message(GROUP, timeout=10)
    await tend.emulator.user_removes_bot_from_group(GROUP, 604)
    await tend.barrier()
    parent = await tend.parent(604)
    assert parent is not None and parent.status == "active" and parent.next_send_at is not None
