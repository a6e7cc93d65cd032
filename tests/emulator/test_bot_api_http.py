"""The Bot API over raw HTTP: exact answers and errors, whatever the request encoding."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.emulator import BotApiEmulator

from .echo_bot import PARENT


class Api:
    """Calls one emulator's Bot API like a bare HTTP client."""

    def __init__(self, session: aiohttp.ClientSession, emulator: BotApiEmulator) -> None:
        self.session = session
        self.root = f"{emulator.base_url}{emulator.token}"
        self.emulator = emulator

    async def __call__(
        self, method: str, *, token: str | None = None, **params: Any
    ) -> tuple[int, dict[str, Any]]:
        root = self.root if token is None else f"{self.emulator.base_url}{token}"
        async with self.session.post(f"{root}/{method}", json=params) as response:
            return response.status, await response.json()

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self(method, **params)
        assert (status, body["ok"]) == (200, True), body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        status, body = await self(method, **params)
        assert body == {"ok": False, "error_code": status, "description": body["description"]}
        return status, body["description"]


@pytest.fixture
async def api(emulator: BotApiEmulator) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, emulator)


async def test_get_me_describes_the_bot(api: Api) -> None:
    assert await api.ok("getMe") == {
        "id": 123456,
        "is_bot": True,
        "first_name": "Tend",
        "username": "TendTestBot",
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def test_wrong_token_is_unauthorized(api: Api) -> None:
    status, body = await api("getMe", token="123456:WRONG")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


async def test_unknown_method_is_not_found(api: Api) -> None:
    assert await api.error("sendTelepathy") == (404, "Not Found: method not found")


async def test_method_names_are_case_insensitive(api: Api) -> None:
    assert (await api.ok("GETME"))["username"] == "TendTestBot"


async def test_form_get_and_json_requests_are_understood(
    api: Api, emulator: BotApiEmulator
) -> None:
    url = f"{api.root}/sendMessage"
    async with api.session.post(url, data={"chat_id": str(PARENT), "text": "form"}) as response:
        assert response.status == 200
    async with api.session.get(url, params={"chat_id": str(PARENT), "text": "query"}) as response:
        assert response.status == 200
    await api.ok("sendMessage", chat_id=PARENT, text="json")
    assert [m.text for m in emulator.messages_in(PARENT)] == ["form", "query", "json"]


async def test_sent_message_has_telegram_shape(api: Api) -> None:
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]}
    message = await api.ok("sendMessage", chat_id=PARENT, text="Hi", reply_markup=markup)
    assert isinstance(message.pop("date"), int)
    assert message == {
        "message_id": 1,
        "from": {"id": 123456, "is_bot": True, "first_name": "Tend", "username": "TendTestBot"},
        "chat": {"id": PARENT, "first_name": "Parent", "type": "private"},
        "text": "Hi",
        "reply_markup": markup,
    }


async def test_message_ids_increase_per_chat_across_both_sides(
    api: Api, emulator: BotApiEmulator
) -> None:
    emulator.add_user(2002)
    assert (await api.ok("sendMessage", chat_id=PARENT, text="a"))["message_id"] == 1
    await emulator.user_sends_text(PARENT, "reply")  # message 2
    assert (await api.ok("sendMessage", chat_id=PARENT, text="b"))["message_id"] == 3
    assert (await api.ok("sendMessage", chat_id=2002, text="c"))["message_id"] == 1


async def test_missing_parameters_are_bad_requests(api: Api) -> None:
    assert await api.error("sendMessage", text="x") == (400, "Bad Request: chat_id is empty")
    assert await api.error("sendMessage", chat_id=PARENT) == (
        400,
        "Bad Request: message text is empty",
    )
    assert await api.error("sendMessage", chat_id=PARENT, text="   ") == (
        400,
        "Bad Request: message text is empty",
    )


async def test_unknown_chat_is_not_found(api: Api) -> None:
    assert await api.error("sendMessage", chat_id=999, text="x") == (
        400,
        "Bad Request: chat not found",
    )


async def test_blocked_user_is_forbidden(api: Api, emulator: BotApiEmulator) -> None:
    await emulator.user_blocks_bot(PARENT)
    assert await api.error("sendMessage", chat_id=PARENT, text="x") == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    assert await api.error("sendChatAction", chat_id=PARENT, action="typing") == (
        403,
        "Forbidden: bot was blocked by the user",
    )


async def test_identical_edit_is_not_modified(api: Api) -> None:
    sent = await api.ok("sendMessage", chat_id=PARENT, text="same")
    status, description = await api.error(
        "editMessageText", chat_id=PARENT, message_id=sent["message_id"], text="same"
    )
    assert status == 400
    assert description.startswith("Bad Request: message is not modified: ")


async def test_edit_text_without_markup_removes_the_keyboard(
    api: Api, emulator: BotApiEmulator
) -> None:
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = await api.ok("sendMessage", chat_id=PARENT, text="Q", reply_markup=markup)
    edited = await api.ok(
        "editMessageText", chat_id=PARENT, message_id=sent["message_id"], text="A"
    )
    assert "reply_markup" not in edited and isinstance(edited["edit_date"], int)
    assert emulator.messages_in(PARENT)[0].buttons == ()


async def test_edit_reply_markup_and_delete(api: Api, emulator: BotApiEmulator) -> None:
    sent = await api.ok("sendMessage", chat_id=PARENT, text="Q")
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    ids = {"chat_id": PARENT, "message_id": sent["message_id"]}
    await api.ok("editMessageReplyMarkup", **ids, reply_markup=markup)
    assert emulator.messages_in(PARENT)[0].button_texts == ("Go",)
    assert (await emulator.wait_for_edit(PARENT, sent["message_id"])).button_texts == ("Go",)

    assert await api.ok("deleteMessage", **ids) is True
    assert emulator.messages_in(PARENT) == []
    assert await api.error("deleteMessage", **ids) == (
        400,
        "Bad Request: message to delete not found",
    )
    assert await api.error("editMessageText", **ids, text="late") == (
        400,
        "Bad Request: message to edit not found",
    )


async def test_html_becomes_text_and_entities(api: Api, emulator: BotApiEmulator) -> None:
    message = await api.ok(
        "sendMessage",
        chat_id=PARENT,
        text='<b>Hi</b> 👶 <a href="https://t.me/x">link</a> &lt;3',
        parse_mode="HTML",
    )
    assert message["text"] == "Hi 👶 link <3"
    assert message["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "offset": 6, "length": 4, "url": "https://t.me/x"},
    ]
    assert emulator.messages_in(PARENT)[0].text == "Hi 👶 link <3"


async def test_broken_markup_is_rejected_like_telegram(api: Api) -> None:
    status, description = await api.error(
        "sendMessage", chat_id=PARENT, text="<b>open", parse_mode="HTML"
    )
    assert (status, description) == (
        400,
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
    )
    status, description = await api.error(
        "sendMessage", chat_id=PARENT, text="Done.", parse_mode="MarkdownV2"
    )
    assert description == (
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped "
        "with the preceding '\\'"
    )


async def test_reply_parameters(api: Api, emulator: BotApiEmulator) -> None:
    await emulator.user_sends_text(PARENT, "question")
    reply = await api.ok(
        "sendMessage", chat_id=PARENT, text="answer", reply_parameters={"message_id": 1}
    )
    assert reply["reply_to_message"]["text"] == "question"
    assert emulator.messages_in(PARENT)[0].reply_to_message_id == 1
    assert await api.error(
        "sendMessage", chat_id=PARENT, text="x", reply_parameters={"message_id": 99}
    ) == (400, "Bad Request: message to be replied not found")


async def test_invalid_buttons_are_rejected(api: Api) -> None:
    too_long = {"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}
    assert await api.error("sendMessage", chat_id=PARENT, text="x", reply_markup=too_long) == (
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    )


async def test_reply_keyboard_remove_and_force_reply(api: Api, emulator: BotApiEmulator) -> None:
    await api.ok("sendMessage", chat_id=PARENT, text="a", reply_markup={"remove_keyboard": True})
    await api.ok("sendMessage", chat_id=PARENT, text="b", reply_markup={"force_reply": True})
    removed, forced = emulator.messages_in(PARENT)
    assert removed.removes_keyboard and not removed.forces_reply
    assert forced.forces_reply and forced.reply_keyboard is None


async def test_callback_answers_once(api: Api, emulator: BotApiEmulator) -> None:
    query_id = await emulator.user_presses_button(PARENT, 1, "x", forge=True)
    assert await api.ok("answerCallbackQuery", callback_query_id=query_id, show_alert=True)
    answer = await emulator.wait_for_callback_answer(query_id)
    assert (answer.text, answer.show_alert) == (None, True)
    status, description = await api.error("answerCallbackQuery", callback_query_id=query_id)
    assert (status, description.startswith("Bad Request: query is too old")) == (400, True)


async def test_descriptions_per_language(api: Api, emulator: BotApiEmulator) -> None:
    await api.ok("setMyDescription", description="A minute a day")
    await api.ok("setMyShortDescription", short_description="Coaching", language_code="es")
    assert emulator.description() == "A minute a day"
    assert emulator.short_description("es") == "Coaching"
    assert await api.ok("getMyDescription") == {"description": "A minute a day"}


async def test_close_and_log_out_answer_true(api: Api) -> None:
    assert await api.ok("close") is True
    assert await api.ok("logOut") is True


async def test_calls_are_logged(api: Api, emulator: BotApiEmulator) -> None:
    await api.ok("sendMessage", chat_id=PARENT, text="x", reply_markup=json.dumps(None))
    await api.error("sendMessage", chat_id=42, text="x")
    assert [(c.method, c.status) for c in emulator.calls] == [
        ("sendMessage", 200),
        ("sendMessage", 400),
    ]
    assert emulator.calls[0].params["text"] == "x"
    assert emulator.call_count("sendmessage") == 2
