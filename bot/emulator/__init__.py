"""A local Telegram Bot API server for tests, the demo and benchmarks.

    emu = BotApiEmulator(token="123456:TEST-TOKEN", bot_username="TendTestBot")
    await emu.start(port=0)
    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url) \
        .base_file_url(emu.base_file_url).build()
    ...
    emu.add_user(1001, first_name="Parent", language_code="en")
    await emu.user_sends_command(1001, "start", "invite-code")
    reply = await emu.next_message(1001)
    await emu.user_presses_button(1001, reply.message_id, button_text="Yes")
    emu.faults.rate_limit()            # 429s with retry_after like Telegram
    await emu.stop()

Out of process: `python -m bot.emulator --port 8081` and the HTTP control API under /control/.
"""

from bot.emulator.errors import ButtonNotFound, EmulatorError, UnknownUser
from bot.emulator.faults import Faults
from bot.emulator.records import ApiCall, Button, CallbackAnswer, Document, Entity, SentMessage
from bot.emulator.server import BotApiEmulator

__all__ = [
    "ApiCall",
    "BotApiEmulator",
    "Button",
    "ButtonNotFound",
    "CallbackAnswer",
    "Document",
    "EmulatorError",
    "Entity",
    "Faults",
    "SentMessage",
    "UnknownUser",
]
