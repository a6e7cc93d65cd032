"""Every implemented Bot API method called through PTB's Bot: results parse, effects show."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.aiohttp_request import AiohttpRequest
from bot.emulator import BotApiEmulator, Entity

from .echo_bot import PARENT


@pytest.fixture(params=["httpx", "aiohttp"])
async def bot(emulator: BotApiEmulator, request: pytest.FixtureRequest) -> AsyncIterator[Bot]:
    """PTB's own transport and ours (bot/aiohttp_request.py): both must behave alike."""
    async with Bot(
        emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        request=AiohttpRequest() if request.param == "aiohttp" else None,
    ) as bot:
        yield bot


async def test_get_me_parses_into_the_bot_user(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot, me.first_name) == (123456, "TendTestBot", True, "Tend")
    assert me.can_join_groups is False


async def test_send_photo_with_html_caption(emulator: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_photo(
        PARENT, photo=b"\xff\xd8fake-jpeg", caption="<b>Look</b> at this", parse_mode=ParseMode.HTML
    )
    assert message.photo and message.photo[-1].width == 800
    assert message.caption == "Look at this"
    sent = await emulator.next_message(PARENT)
    assert sent.has_photo and sent.text == "Look at this"
    assert sent.entities == (Entity("bold", 0, 4),)

    edited = await bot.edit_message_caption(PARENT, message.message_id, caption="New caption")
    assert not isinstance(edited, bool) and edited.caption == "New caption"
    assert (await emulator.wait_for_edit(PARENT, message.message_id)).text == "New caption"


async def test_link_preview_and_reply_parameters_round_trip(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await emulator.user_sends_text(PARENT, "hi")
    message = await bot.send_message(
        PARENT,
        "See https://example.org",
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        reply_parameters=ReplyParameters(message_id=1),
    )
    assert message.link_preview_options == LinkPreviewOptions(is_disabled=True)
    assert message.reply_to_message is not None and message.reply_to_message.text == "hi"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(PARENT, "x", reply_parameters=ReplyParameters(message_id=77))
    sent = await bot.send_message(
        PARENT, "x", reply_parameters=ReplyParameters(77, allow_sending_without_reply=True)
    )
    assert sent.reply_to_message is None


async def test_keyboard_removal_and_force_reply(emulator: BotApiEmulator, bot: Bot) -> None:
    await bot.send_message(PARENT, "bye keyboard", reply_markup=ReplyKeyboardRemove())
    await bot.send_message(PARENT, "your child's name?", reply_markup=ForceReply())
    removed, forced = emulator.unread(PARENT)
    assert removed.removes_keyboard and forced.forces_reply
    assert emulator.unread(PARENT) == []


async def test_edit_reply_markup_delete_and_not_modified(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done")]])
    message = await bot.send_message(PARENT, "Task", reply_markup=keyboard)
    await bot.edit_message_reply_markup(PARENT, message.message_id, reply_markup=None)
    assert emulator.messages_in(PARENT)[0].buttons == ()
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(PARENT, message.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Task", PARENT, message.message_id)

    assert await bot.delete_message(PARENT, message.message_id)
    assert emulator.messages_in(PARENT) == []


async def test_next_message_skips_deleted_and_shows_edits(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    loading = await bot.send_message(PARENT, "Loading…")
    result = await bot.send_message(PARENT, "Draft")
    await bot.delete_message(PARENT, loading.message_id)
    await bot.edit_message_text("Final", PARENT, result.message_id)
    seen = await emulator.next_message(PARENT)
    assert (seen.message_id, seen.text, seen.edit_count) == (result.message_id, "Final", 1)
    with pytest.raises(BadRequest):
        await bot.send_message(PARENT, "<b>unclosed", parse_mode=ParseMode.HTML)
    with pytest.raises(TimeoutError, match=r"'Final'.*sendMessage -> 400 Bad Request: can't parse"):
        await emulator.next_message(PARENT, timeout=0.01)


async def test_chat_action_commands_and_descriptions(emulator: BotApiEmulator, bot: Bot) -> None:
    assert await bot.send_chat_action(PARENT, ChatAction.TYPING)
    assert await bot.set_my_description("Short daily nudges", language_code="en")
    assert await bot.set_my_short_description("Tend")
    assert (await bot.get_my_description("en")).description == "Short daily nudges"
    assert (await bot.get_my_short_description()).short_description == "Tend"
    assert emulator.description("en") == "Short daily nudges"
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(PARENT, "dancing")


async def test_webhook_info_when_polling(bot: Bot) -> None:
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.has_custom_certificate) == ("", 0, False)


async def test_close_and_log_out(bot: Bot) -> None:
    assert await bot.close()
    assert await bot.log_out()


async def test_user_media_can_be_downloaded(emulator: BotApiEmulator, bot: Bot) -> None:
    await emulator.user_sends_voice(PARENT, duration=7)
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.voice is not None
    voice_file = await update.message.voice.get_file()
    assert bytes(await voice_file.download_as_bytearray()).startswith(b"OggS")


async def test_writing_to_a_blocked_bot_unblocks_it_first(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await emulator.user_blocks_bot(PARENT)
    await emulator.user_sends_text(PARENT, "/start")
    kinds = ["member" if u.my_chat_member else "message" for u in await bot.get_updates()]
    assert kinds == ["member", "member", "message"]
    assert not emulator.is_blocked(PARENT)
