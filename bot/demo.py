"""`tend demo`: the real bot against our Bot API emulator, a terminal chat and a warpable clock.

No token, no network: a throwaway SQLite database, the emulator on a local port, and you as the
parent. `/warp 1d` moves the clock so tomorrow's message arrives now; a number presses a button.
`--autoplay` plays a scripted parent through joining and a week of days, then exits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from rich.console import Console
from rich.markup import escape
from telegram.ext import Application

from bot.app import build_application, inbox, ticker
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.emulator import BotApiEmulator, SentMessage
from scheduler.clock import WarpClock

DEMO_TOKEN = "100000:DEMO-TOKEN"
PARENT_ID = 4242
WAIT_SECONDS = 10.0
_WARP = re.compile(r"^/warp\s+(\d+)\s*([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
LANGUAGES = ("en", "es")
# What the terminal says around the chat, in the demo parent's language.
DEMO_TEXT = {
    "en": {
        "intro": "[bold]Tend demo[/bold]: you are a parent chatting with the bot. Type to reply, "
        "a number to tap a button of the latest message, [cyan]/warp 1d[/cyan] (or 3h, 30m) to "
        "move time, [cyan]/quit[/cyan] to leave. Start with [cyan]/start[/cyan].",
        "autoplay": "[bold]Tend demo[/bold]: a parent joins, then lives a week with the bot.",
        "you": "You",
        "taps": "(taps “{label}”)",
        "warp": "⏩ clock is now {moment} UTC; messages sent: {sent}",
        "finished": "Autoplay finished: {lines} lines.",
        "stopped": "Demo stopped: {problem}",
        "log": "The bot's log is in {path}.",
    },
    "es": {
        "intro": "[bold]Demo de Tend[/bold]: eres una mamá o un papá que chatea con el bot. "
        "Escribe para responder, un número para tocar un botón del último mensaje, "
        "[cyan]/warp 1d[/cyan] (o 3h, 30m) para adelantar el tiempo y [cyan]/quit[/cyan] para "
        "salir. Empieza con [cyan]/start[/cyan].",
        "autoplay": "[bold]Demo de Tend[/bold]: una mamá o un papá se une y pasa una semana con "
        "el bot.",
        "you": "Tú",
        "taps": "(tocas “{label}”)",
        "warp": "⏩ ahora el reloj marca {moment} UTC; mensajes enviados: {sent}",
        "finished": "Terminó la demo automática: {lines} líneas.",
        "stopped": "La demo se detuvo: {problem}",
        "log": "El registro del bot está en {path}.",
    },
}


@dataclass
class DemoChat:
    """The terminal side of the chat: prints what the bot sends, remembers its buttons."""

    emulator: BotApiEmulator
    console: Console
    language: str = "en"
    # The buttons of the latest message only: a number never taps an older message.
    buttons: list[tuple[int, str, str]] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)

    def say(self, key: str, **values: object) -> str:
        return DEMO_TEXT[self.language][key].format(**values)

    def show_bot(self, message: SentMessage) -> None:
        self.console.print(
            f"\n[bold green]Tend[/bold green] › {escape(message.text or '')}", highlight=False
        )
        self.transcript.append(f"Tend: {message.text}")
        flat = [b for row in message.buttons for b in row if b.callback_data]
        self.buttons = [(message.message_id, b.text, b.callback_data or "") for b in flat]
        if flat:
            labels = escape("  ".join(f"[{i}] {b.text}" for i, b in enumerate(flat, start=1)))
            self.console.print(f"  [cyan]{labels}[/cyan]", highlight=False)
            self.transcript.append(f"  buttons: {' | '.join(b.text for b in flat)}")
        if message.document is not None:
            size = len(message.document.content)
            self.console.print(
                f"  [magenta]📎 {message.document.file_name} ({size} bytes)[/magenta]"
            )
            self.transcript.append(f"  file: {message.document.file_name}")

    def show_parent(self, said: str) -> None:
        you = self.say("you")
        self.console.print(f"[bold blue]{you}[/bold blue] › {escape(said)}", highlight=False)
        self.transcript.append(f"{you}: {said}")

    def show_tap(self, label: str) -> None:
        self.show_parent(self.say("taps", label=label))

    async def read(self, count: int = 1) -> list[SentMessage]:
        found = [
            await self.emulator.next_message(PARENT_ID, timeout=WAIT_SECONDS) for _ in range(count)
        ]
        for message in found:
            self.show_bot(message)
        return found

    async def type(self, said: str, replies: int = 1) -> list[SentMessage]:
        self.show_parent(said)
        await self.emulator.user_sends_text(PARENT_ID, said)
        return await self.read(replies)

    async def press(self, label: str, replies: int = 1) -> list[SentMessage]:
        for message_id, text, data in self.buttons:
            if text == label:
                self.show_tap(text)
                query = await self.emulator.user_presses_button(PARENT_ID, message_id, data)
                await self.emulator.wait_for_callback_answer(query, timeout=WAIT_SECONDS)
                return await self.read(replies)
        raise LookupError(f"no button {label!r} on the last message")


async def run_demo(*, autoplay: bool, language: str = "en", log_path: Path | None = None) -> int:
    if language not in LANGUAGES:
        raise ValueError(f"the demo speaks {' or '.join(LANGUAGES)}, not {language!r}")
    console = Console()
    emulator = BotApiEmulator(token=DEMO_TOKEN, bot_username="TendDemoBot")
    await emulator.start(host="127.0.0.1", port=0)
    workdir = tempfile.TemporaryDirectory(prefix="tend-demo-")
    database_url = f"sqlite+aiosqlite:///{Path(workdir.name) / 'demo.sqlite3'}"
    await asyncio.to_thread(upgrade, database_url)
    clock = WarpClock(frozen=autoplay)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(DEMO_TOKEN),
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        self_signup=True,
        tick_seconds=5.0,
        # One person at a terminal: no need to space their messages a second apart.
        rate_per_chat_per_second=20.0,
    )
    application = build_application(settings, clock=clock, run_ticks=not autoplay)
    emulator.add_user(PARENT_ID, first_name="Alex", language_code=language)
    chat = DemoChat(emulator, console, language)
    await _start(application)
    try:
        if autoplay:
            console.print(chat.say("autoplay"))
            await _autoplay(chat, application, clock, language)
            console.print(f"\n[green]{chat.say('finished', lines=len(chat.transcript))}[/green]")
            return 0
        await _interactive(chat, application, clock)
        return 0
    except (TimeoutError, LookupError) as problem:
        console.print(f"[red]{escape(chat.say('stopped', problem=problem))}[/red]")
        if log_path is not None:
            console.print(chat.say("log", path=log_path), highlight=False)
        return 1
    finally:
        await _stop(application)
        await emulator.stop()
        workdir.cleanup()


async def _start(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    await inbox(application).start()


async def _stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await inbox(application).stop()
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def _warp(
    chat: DemoChat,
    application: Application[Any, Any, Any, Any, Any, Any],
    clock: WarpClock,
    amount: int,
    unit: str,
) -> int:
    moment = clock.advance(dt.timedelta(**{_UNITS[unit]: amount}))
    report = await ticker(application).tick()
    shown = f"{moment:%a %d %b %H:%M}" if chat.language == "en" else f"{moment:%d/%m %H:%M}"
    chat.console.print(f"[dim]{chat.say('warp', moment=shown, sent=report.sent)}[/dim]")
    chat.transcript.append(f"-- warp {amount}{unit}: {moment:%a %d %b %H:%M} UTC --")
    return report.sent


async def _interactive(
    chat: DemoChat, application: Application[Any, Any, Any, Any, Any, Any], clock: WarpClock
) -> None:
    chat.console.print(chat.say("intro"))
    typed_on_a_terminal = sys.stdin.isatty() and chat.console.is_terminal

    async def printer() -> None:
        while True:
            message = await chat.emulator.next_message(PARENT_ID, timeout=3600)
            chat.show_bot(message)

    printing = asyncio.create_task(printer())
    try:
        while True:
            line = (await asyncio.to_thread(input, "")).strip()
            if typed_on_a_terminal:
                # The terminal echoed the line as typed: put it back as the parent's turn.
                chat.console.file.write("\x1b[1A\x1b[2K")
            if line in ("/quit", "/exit"):
                return
            warp = _WARP.match(line)
            if warp:
                chat.show_parent(line)
                await _warp(chat, application, clock, int(warp[1]), warp[2])
            elif line.isdigit() and 1 <= int(line) <= len(chat.buttons):
                message_id, text, data = chat.buttons[int(line) - 1]
                chat.show_tap(text)
                await chat.emulator.user_presses_button(PARENT_ID, message_id, data)
            elif line:
                chat.show_parent(line)
                await chat.emulator.user_sends_text(PARENT_ID, line)
    except EOFError:
        return
    finally:
        printing.cancel()


async def _autoplay(
    chat: DemoChat,
    application: Application[Any, Any, Any, Any, Any, Any],
    clock: WarpClock,
    language: str,
) -> None:
    """A parent joins, then lives a week with the bot: taps, words, a hard day, a pause."""
    es = language == "es"
    birthday = (clock.now() - dt.timedelta(days=250)).date().isoformat()
    await chat.type("/start")
    await chat.press("Español" if es else "English")
    await chat.press("Sí, empecemos" if es else "Yes, let's start")
    await chat.type("Maya")
    await chat.type(birthday)
    await chat.press("8:00\u202fa.m." if es else "8:00\u202fAM")
    await chat.press("Este de EE. UU." if es else "US Eastern")
    await chat.press("Está bien" if es else "Looks right")
    days: list[tuple[str, str, int]] = [
        ("press", "Lo intentamos" if es else "We tried it", 1),
        ("type", "Se rió cuando copié su cara" if es else "She laughed when I copied her face", 1),
        ("press", "Fue difícil" if es else "It was hard", 2),
        ("type", "Hoy estoy agotada, no dormimos" if es else "I'm exhausted today, no sleep", 1),
        ("press", "Hoy no" if es else "Not today", 1),
        ("press", "Lo intentamos" if es else "We tried it", 1),
        ("press", "Lo intentamos" if es else "We tried it", 1),
    ]
    for action, what, replies in days:
        if await _warp(chat, application, clock, 1, "d") != 1:
            raise LookupError("the day's message did not go out")
        messages = await chat.read()
        if not messages[0].buttons:
            continue
        if action == "press" and what in messages[0].button_texts:
            await chat.press(what, replies)
        elif action == "press":
            await chat.press(messages[0].button_texts[0], 1)
        else:
            await chat.type(what, replies)
    await chat.type("/repair")
    await chat.type("/pause 2")
    await _warp(chat, application, clock, 1, "d")
    await chat.type("/resume")
    await chat.type("/mydata")
    await chat.type("/help")
