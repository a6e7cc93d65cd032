"""The `tend` command as an operator uses it: run against a Bot API server, db, invites, content."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator
from tests.conftest import TEST_TOKEN

TOKEN = TEST_TOKEN


def tend(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=120,
        check=False,
    )


async def test_tend_run_upgrades_the_database_and_answers_a_parent(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    database = tmp_path / "run.sqlite3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=os.environ
        | {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "TEND_LOG_LEVEL": "WARNING",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        emulator.add_user(5001, first_name="Rosa", language_code="es")
        await emulator.user_sends_text(5001, "/start")
        welcome = await emulator.next_message(5001, timeout=60)
        assert "Hola, Rosa" in welcome.text
        assert "ajustes" in dict(emulator.commands(language_code="es"))
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT telegram_user_id, language FROM parents").fetchall()
    assert rows == [(5001, "es")]


async def _start_tend_run(emulator: BotApiEmulator, database: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=os.environ
        | {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "TEND_LOG_LEVEL": "WARNING",
        },
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def test_a_process_killed_with_updates_queued_loses_none_of_them(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """SIGKILL while 80 parents' messages are being handled: after a restart, every one is
    handled and answered (the inbox confirms an update to Telegram only once it is stored)."""
    database = tmp_path / "kill.sqlite3"
    families = list(range(6001, 6081))
    process = await _start_tend_run(emulator, database)
    try:
        emulator.add_user(6000, first_name="First", language_code="en")
        await emulator.user_sends_text(6000, "/start")
        await emulator.next_message(6000, timeout=60)  # the bot is up
        for user_id in families:
            emulator.add_user(user_id, first_name="P", language_code="en")
            await emulator.user_sends_text(user_id, "/start")
        for _ in range(400):  # bounded: until a few are answered, then kill mid-run
            answered = sum(1 for u in families if emulator.messages_in(u))
            if answered >= 5:
                break
            await asyncio.sleep(0.05)
        process.kill()
        await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
    answered_before_kill = sum(1 for u in families if emulator.messages_in(u))
    assert answered_before_kill < len(families), "the kill came too late to prove anything"
    restarted = await _start_tend_run(emulator, database)
    try:
        for _ in range(1200):  # bounded wait, up to about a minute
            if all(emulator.messages_in(u) for u in families):
                break
            await asyncio.sleep(0.05)
    finally:
        restarted.send_signal(signal.SIGTERM)
        await asyncio.wait_for(restarted.wait(), timeout=60)
    assert [u for u in families if not emulator.messages_in(u)] == []
    with sqlite3.connect(database) as connection:
        stored = {row[0] for row in connection.execute("SELECT telegram_user_id FROM parents")}
    assert set(families) <= stored


def test_tend_run_without_a_token_says_what_to_do(tmp_path: Path) -> None:
    result = tend(
        "run", env={"TELEGRAM_BOT_TOKEN": "", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    )
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "tend demo" in result.stderr


def test_db_upgrade_then_invite_create_prints_a_deep_link(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/tend.sqlite3"}
    upgraded = tend("db", "upgrade", env=env)
    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    created = tend("invite", "create", "--bot-username", "MyTendBot", "--label", "Ana", env=env)
    assert created.returncode == 0, created.stderr
    assert "https://t.me/MyTendBot?start=" in created.stdout
    code = created.stdout.split("start=")[1].strip()
    with sqlite3.connect(tmp_path / "tend.sqlite3") as connection:
        assert connection.execute("SELECT code, label FROM invites").fetchall() == [(code, "Ana")]


def test_content_preview_shows_a_message_as_a_parent_sees_it() -> None:
    shown = tend("content", "preview", "repair-any-ruptures-happen", "--child", "Leo", env={})
    assert shown.returncode == 0
    assert "Repair tip" in shown.stdout and "Leo" in shown.stdout
    spanish = tend("content", "preview", "repair-any-ruptures-happen", "--lang", "es", env={})
    assert spanish.returncode == 0 and "Para reconectar" in spanish.stdout
    missing = tend("content", "preview", "no-such-message", env={})
    assert missing.returncode == 1 and "No message" in missing.stdout


def test_content_stats_shows_coverage_and_reading_levels() -> None:
    shown = tend("content", "stats", env={"COLUMNS": "200"})
    assert shown.returncode == 0
    assert "nudges per age month 0-59: min" in shown.stdout
    assert "Flesch-Kincaid" in shown.stdout and "Fernández-Huerta" in shown.stdout


def test_flags_in_help_take_no_value_and_run_help_names_its_variables() -> None:
    shown = tend("demo", "--help", env={})
    assert shown.returncode == 0
    assert "<bool>" not in shown.stdout and "--autoplay / --no-autoplay" in shown.stdout
    assert "--language en|es" in shown.stdout
    run_help = tend("run", "--help", env={})
    assert run_help.returncode == 0
    for variable in (
        "TELEGRAM_BOT_TOKEN",
        "DATABASE_URL",
        "TEND_DEFAULT_TIMEZONE",
        "TEND_ADMIN_IDS",
        "TEND_PROGRAM_FILE",
        "TEND_LOG_LEVEL",
    ):
        assert variable in run_help.stdout
    assert "<bool>" not in tend("content", "check", "--help", env={}).stdout


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    shown = tend("--version", env={})
    assert shown.returncode == 0 and shown.stdout.strip() == f"tend {version('tend')}"


@pytest.mark.parametrize("columns", [None, "80"])
def test_content_stats_keeps_whole_column_headers(columns: str | None) -> None:
    """Piped, or in an 80-column terminal, no header is cut to an ellipsis."""
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = columns
    shown = subprocess.run(
        [sys.executable, "-m", "bot", "content", "stats"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0
    header = next(line for line in shown.stdout.splitlines() if "month" in line and "┃" in line)
    assert "celebration" in header
    assert "…" not in shown.stdout


def test_demo_autoplay_speaks_spanish_and_keeps_the_log_out_of_the_chat(tmp_path: Path) -> None:
    played = tend("demo", "--autoplay", "--language", "es", env={"TMPDIR": str(tmp_path)})
    assert played.returncode == 0, played.stdout + played.stderr
    assert played.stdout.startswith("Demo de Tend: una mamá o un papá")
    assert "Tú › /mydata" in played.stdout and "Terminó la demo automática" in played.stdout
    said = played.stdout + played.stderr
    assert "WARNING" not in said and "bot.app" not in said
    assert "no staff are configured" in (tmp_path / "tend-demo.log").read_text("utf-8")


def test_demo_rejects_a_language_it_does_not_speak() -> None:
    refused = tend("demo", "--language", "fr", env={})
    assert refused.returncode == 2
    assert "the demo speaks en or es, not 'fr'" in refused.stderr


async def test_demo_echoes_typed_lines_and_a_number_taps_only_the_latest_message(
    tmp_path: Path,
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        env=os.environ | {"TMPDIR": str(tmp_path)},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    shown = ""

    async def type_and_wait(line: str | None, until: str, since: int = 0) -> None:
        nonlocal shown
        assert process.stdin is not None and process.stdout is not None
        if line is not None:
            process.stdin.write(f"{line}\n".encode())
            await process.stdin.drain()
        async with asyncio.timeout(60):
            while until not in shown[since:]:
                chunk = await process.stdout.read(4096)
                assert chunk, shown
                shown += chunk.decode()

    try:
        await type_and_wait(None, "Start with /start.")
        await type_and_wait("/start", "[2] Español")
        assert "You › /start" in shown
        await type_and_wait("1", "[2] No thanks")
        assert "You › (taps “English”)" in shown
        await type_and_wait("1", "[1] Skip")
        await type_and_wait("Maya", "When was")
        assert "You › Maya" in shown
        before = len(shown)
        # The latest message (the birthday question) has no buttons: "1" is words, not "Skip".
        await type_and_wait("1", "Tend ›", since=before)
        assert "You › 1" in shown[before:] and "Skip" not in shown[before:]
        process.stdin.write(b"/quit\n")
        await process.stdin.drain()
        rest, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    said = shown + rest.decode() + errors.decode()
    assert "WARNING" not in said and "Traceback" not in said
