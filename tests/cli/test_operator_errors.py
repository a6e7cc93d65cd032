"""`tend run` misconfigured, as an operator first tries it: one line saying what to fix, non-zero.

Each case runs the real command in a subprocess; the emulator answers getMe where one is needed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.emulator import BotApiEmulator
from tests.conftest import TEST_TOKEN

WRONG_TOKEN = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def said(self) -> str:
        return self.stdout + self.stderr

    def one_line(self) -> str:
        """What `tend run` printed, asserted to be a single line and no traceback."""
        lines = [line for line in self.said.splitlines() if line.strip()]
        assert "Traceback" not in self.said and "╭" not in self.said, self.said
        assert len(lines) == 1, self.said
        return lines[0]


async def tend_run(env: dict[str, str], tmp_path: Path) -> Outcome:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=os.environ | {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tend.sqlite3'}"} | env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return Outcome(process.returncode, stdout.decode(), stderr.decode())


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_rejected_token_is_one_line_never_printed_and_creates_no_database(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    outcome = await tend_run(
        {"TELEGRAM_BOT_TOKEN": WRONG_TOKEN, "TELEGRAM_API_BASE_URL": emulator.base_url}, tmp_path
    )
    assert outcome.code != 0
    line = outcome.one_line()
    assert "TELEGRAM_BOT_TOKEN" in line and "@BotFather" in line
    assert WRONG_TOKEN not in outcome.said and WRONG_TOKEN.split(":")[1] not in outcome.said
    assert not (tmp_path / "tend.sqlite3").exists()


async def test_no_network_says_the_bot_api_cannot_be_reached(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{closed_port()}/bot"
    outcome = await tend_run(
        {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_BASE_URL": base}, tmp_path
    )
    assert outcome.code != 0
    line = outcome.one_line()
    assert "cannot reach the Telegram Bot API" in line and "network" in line
    assert TEST_TOKEN not in outcome.said
    assert not (tmp_path / "tend.sqlite3").exists()


async def test_a_database_url_that_is_not_one_names_the_variable(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    outcome = await tend_run(
        {
            "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": "mysqlx://tend:hunter2@db/tend",
        },
        tmp_path,
    )
    assert outcome.code != 0
    line = outcome.one_line()
    assert line.startswith("tend: DATABASE_URL:") and "postgresql+asyncpg://" in line
    assert "hunter2" not in outcome.said


async def test_a_database_that_cannot_be_reached_hides_its_password(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    outcome = await tend_run(
        {
            "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": f"postgresql://tend:hunter2@127.0.0.1:{closed_port()}/tend",
        },
        tmp_path,
    )
    assert outcome.code != 0
    line = outcome.one_line()
    assert "DATABASE_URL: cannot open the database" in line and "127.0.0.1" in line
    assert "hunter2" not in outcome.said


async def test_a_sqlite_file_in_a_missing_folder_names_the_variable(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    outcome = await tend_run(
        {
            "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'no-such-folder' / 'tend.sqlite3'}",
        },
        tmp_path,
    )
    assert outcome.code != 0
    assert "DATABASE_URL: cannot open the database" in outcome.one_line()


async def test_a_bad_timezone_is_the_one_line_shown(tmp_path: Path) -> None:
    outcome = await tend_run(
        {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TEND_DEFAULT_TIMEZONE": "Mars/Olympus"}, tmp_path
    )
    assert outcome.code == 2
    assert outcome.one_line() == (
        "tend: TEND_DEFAULT_TIMEZONE: unknown timezone 'Mars/Olympus'; "
        "use an IANA name like Europe/Madrid"
    )
    assert not (tmp_path / "tend.sqlite3").exists()


async def test_a_bad_program_file_names_the_variable_and_the_problem(tmp_path: Path) -> None:
    program = tmp_path / "program.yaml"
    program.write_text("self_harm: [unclosed\n", "utf-8")
    outcome = await tend_run(
        {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TEND_PROGRAM_FILE": str(program)}, tmp_path
    )
    assert outcome.code == 2
    line = outcome.one_line()
    assert line.startswith("tend: TEND_PROGRAM_FILE:") and str(program) in line
    missing = await tend_run(
        {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TEND_PROGRAM_FILE": str(tmp_path / "nope.yaml")},
        tmp_path,
    )
    assert missing.code == 2 and "nope.yaml" in missing.one_line()
    assert not (tmp_path / "tend.sqlite3").exists()


async def test_bad_admin_ids_and_log_level_are_named(tmp_path: Path) -> None:
    ids = await tend_run({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TEND_ADMIN_IDS": "12, Ana"}, tmp_path)
    assert ids.code == 2 and ids.one_line().startswith("tend: TEND_ADMIN_IDS: use the staff's")
    level = await tend_run({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TEND_LOG_LEVEL": "LOUD"}, tmp_path)
    assert level.code == 2 and "TEND_LOG_LEVEL" in level.one_line()


def test_db_upgrade_on_an_unreachable_database_is_one_line_without_the_password(
    tmp_path: Path,
) -> None:
    import subprocess

    url = f"postgresql://tend:hunter2@127.0.0.1:{closed_port()}/tend"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": url},
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    outcome = Outcome(result.returncode, result.stdout, result.stderr)
    assert outcome.code == 1
    assert outcome.one_line().startswith("tend: DATABASE_URL: cannot open the database")
    assert "hunter2" not in outcome.said
