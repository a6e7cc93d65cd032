"""A real PTB Application polling the emulator: what a parent would see, end to end."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import Forbidden
from telegram.ext import Application

from bot.emulator import BotApiEmulator, ButtonNotFound, Document

from .echo_bot import PARENT, Seen

App = Application[Any, Any, Any, Any, Any, Any]


async def test_text_is_echoed(emulator: BotApiEmulator, echo_app: App) -> None:
    await emulator.user_sends_text(PARENT, "hello there")
    reply = await emulator.next_message(PARENT)
    assert reply.text == "hello there"
    assert reply.reply_to_message_id is None


async def test_deep_link_payload_reaches_command_args(
    emulator: BotApiEmulator, echo_app: App
) -> None:
    await emulator.user_sends_command(PARENT, "start", "inv-42")
    assert (await emulator.next_message(PARENT)).text == "start:inv-42"


async def test_button_press_is_answered_and_message_edited(
    emulator: BotApiEmulator, echo_app: App, seen: Seen
) -> None:
    await emulator.user_sends_command(PARENT, "menu")
    question = await emulator.next_message(PARENT)
    assert question.button_texts == ("Yes", "No", "Read more")
    assert question.button("Read more").url == "https://example.org/tend"

    query_id = await emulator.user_presses_button(PARENT, question.message_id, "choice:no")

    assert await seen.next() == ("callback", "choice:no")
    answer = await emulator.wait_for_callback_answer(query_id)
    assert (answer.text, answer.show_alert) == ("Noted: choice:no", False)
    edited = await emulator.wait_for_edit(PARENT, question.message_id)
    assert edited.text == "You chose choice:no"
    assert edited.buttons == ()  # editMessageText without reply_markup drops the keyboard
    assert edited.edit_count == 1
    assert emulator.messages_in(PARENT) == [edited]


async def test_button_found_by_text(emulator: BotApiEmulator, echo_app: App, seen: Seen) -> None:
    await emulator.user_sends_command(PARENT, "menu")
    question = await emulator.next_message(PARENT)
    await emulator.user_presses_button(PARENT, question.message_id, button_text="Yes")
    assert await seen.next() == ("callback", "choice:yes")


async def test_missing_button_raises_unless_forged(
    emulator: BotApiEmulator, echo_app: App, seen: Seen
) -> None:
    await emulator.user_sends_command(PARENT, "menu")
    question = await emulator.next_message(PARENT)
    with pytest.raises(ButtonNotFound, match="choice:maybe"):
        await emulator.user_presses_button(PARENT, question.message_id, "choice:maybe")
    with pytest.raises(ButtonNotFound, match="no callback"):
        await emulator.user_presses_button(PARENT, question.message_id, button_text="Read more")

    forged = await emulator.user_presses_button(PARENT, 999, "choice:forged", forge=True)
    assert await seen.next() == ("callback", "choice:forged")
    assert (await emulator.wait_for_callback_answer(forged)).text == "Noted: choice:forged"
    assert [m.text for m in emulator.messages_in(PARENT)] == ["Pick one"]


async def test_document_bytes_are_kept(emulator: BotApiEmulator, echo_app: App) -> None:
    await emulator.user_sends_command(PARENT, "doc")
    sent = await emulator.next_message(PARENT)
    assert sent.document == Document("export.csv", "text/csv", b"day,mood\nmon,good\n")
    assert sent.text == "Your export"


async def test_uploaded_file_can_be_downloaded_again(
    emulator: BotApiEmulator, echo_app: App
) -> None:
    sent = await echo_app.bot.send_document(PARENT, b"\x00\x01binary", filename="blob.bin")
    assert sent.document is not None and sent.document.file_name == "blob.bin"
    telegram_file = await echo_app.bot.get_file(sent.document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == b"\x00\x01binary"
    assert emulator.messages_in(PARENT)[-1].document == Document(
        "blob.bin", "application/octet-stream", b"\x00\x01binary"
    )


async def test_reply_keyboard_is_visible(emulator: BotApiEmulator, echo_app: App) -> None:
    await emulator.user_sends_command(PARENT, "keyboard")
    sent = await emulator.next_message(PARENT)
    assert sent.reply_keyboard == (("Good", "Hard"), ("Skip",))
    assert sent.buttons == ()


async def test_user_media_reaches_handlers(emulator: BotApiEmulator, echo_app: App) -> None:
    await emulator.user_sends_photo(PARENT)
    await emulator.user_sends_sticker(PARENT)
    await emulator.user_sends_voice(PARENT)
    texts = [(await emulator.next_message(PARENT)).text for _ in range(3)]
    assert texts == ["got photo", "got sticker", "got voice"]


async def test_commands_per_language_are_readable(emulator: BotApiEmulator, echo_app: App) -> None:
    from telegram import BotCommand, BotCommandScopeChat

    bot = echo_app.bot
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("pause", "Pause")])
    await bot.set_my_commands([BotCommand("start", "Empezar")], language_code="es")
    await bot.set_my_commands(
        [BotCommand("help", "Help")], scope=BotCommandScopeChat(PARENT), language_code="en"
    )

    assert emulator.commands() == [("start", "Begin"), ("pause", "Pause")]
    assert emulator.commands("es") == [("start", "Empezar")]
    assert emulator.commands("en", scope=f"chat:{PARENT}") == [("help", "Help")]
    assert [c.command for c in await bot.get_my_commands(language_code="es")] == ["start"]

    await bot.delete_my_commands(language_code="es")
    assert emulator.commands("es") == []


async def test_blocking_reaches_chat_member_handler_and_sends_are_forbidden(
    emulator: BotApiEmulator, echo_app: App, seen: Seen
) -> None:
    await emulator.user_blocks_bot(PARENT)
    assert await seen.next() == ("member", (PARENT, "member", "kicked"))

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await echo_app.bot.send_message(PARENT, "are you there?")
    assert emulator.messages_in(PARENT) == []

    await emulator.user_unblocks_bot(PARENT)
    assert await seen.next() == ("member", (PARENT, "kicked", "member"))
    await echo_app.bot.send_message(PARENT, "welcome back")
    assert (await emulator.next_message(PARENT)).text == "welcome back"
