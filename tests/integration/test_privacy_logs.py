"""At DEBUG, the log of a whole parent journey holds no words, names, Telegram ids or token."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterator

import pytest

from bot.logging_setup import QUIETED, redact, setup_logging
from bot.texts import text
from tests.integration.conftest import START, TOKEN, Family, Tend

PARENT_ID = 5551234987
FIRST_NAME = "Quillonia"
CHILD = "Zephyrine"
WORDS = (
    "Marmalade giraffes danced beside the windowsill",
    "Sometimes I think about hurting myself",
    "Xylophone bathtime splashing",
)
# The emulator stands in for Telegram: its own server log is not Tend's.
NOT_TEND = ("aiohttp", "bot.emulator")


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Tend's logging as `tend run` sets it up at TEND_LOG_LEVEL=DEBUG, into a buffer."""
    root = logging.getLogger()
    saved = root.level, {name: logging.getLogger(name).level for name in QUIETED}
    stream = io.StringIO()
    handler = setup_logging("DEBUG", secrets=(TOKEN,), stream=stream)
    handler.addFilter(lambda record: not record.name.startswith(NOT_TEND))
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)


async def test_a_whole_journey_at_debug_logs_no_words_names_ids_or_token(
    debug_log: io.StringIO, tend: Tend
) -> None:
    family = Family(tend, PARENT_ID, first_name=FIRST_NAME)
    await family.onboard(name=CHILD)
    await tend.warp_to(START + dt.timedelta(days=1, hours=1))  # 08:00 in New York
    nudge = await family.next()
    await family.press(nudge, nudge.buttons[0][0].text)
    for words in WORDS[:2]:
        await tend.emulator.user_sends_text(PARENT_ID, words)
        await tend.barrier()
    await tend.emulator.user_sends_photo(PARENT_ID, caption=WORDS[2])
    for command in ("/settings", "/pause 3", "/resume", "/mydata", "/help", "/nonsense"):
        await tend.emulator.user_sends_text(PARENT_ID, command)
        await tend.barrier()
    await tend.warp_to(START + dt.timedelta(days=2, hours=1))
    await tend.emulator.user_sends_text(PARENT_ID, "/delete")
    await tend.barrier()
    confirm = tend.emulator.messages_in(PARENT_ID)[-1]
    await family.press(confirm, text("en", "delete_yes"))
    await tend.barrier()
    assert await tend.parent(PARENT_ID) is None, "the journey ran to its end"

    log = debug_log.getvalue()
    assert "DEBUG" in log or "INFO" in log or "WARNING" in log, "the log captured something"
    secrets = [TOKEN, TOKEN.split(":")[1], CHILD, FIRST_NAME, str(PARENT_ID)]
    secrets += [w for words in WORDS for w in re.findall(r"\w{6,}", words)]
    leaked = [s for s in secrets if s.casefold() in log.casefold()]
    assert leaked == [], f"the log holds {leaked}:\n{log[-3000:]}"


def test_a_token_is_masked_in_any_line_even_one_tend_was_not_told_about() -> None:
    line = "GET https://api.telegram.org/bot7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe"
    assert redact(line) == "GET https://api.telegram.org/bot[token]/getMe"
    assert redact("token 123456:TEST-TOKEN refused", ["123456:TEST-TOKEN"]) == (
        "token [token] refused"
    )
