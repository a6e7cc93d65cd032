"""Shared fixtures: the database under test (SQLite, or PostgreSQL when a URL is given)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.migrate import upgrade
from bot.emulator import BotApiEmulator

POSTGRES_ENV = "TEND_TEST_DATABASE_URL"
TEST_TOKEN = "123456:TEST-TOKEN"
os.environ.setdefault("PTB_TIMEDELTA", "true")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        default=os.environ.get(POSTGRES_ENV, ""),
        help=f"run the database tests on this PostgreSQL URL (or set {POSTGRES_ENV})",
    )
    parser.addoption("--benchmarks", action="store_true", help="run tests/benchmarks too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Benchmarks are opt-in (`pytest --benchmarks tests/benchmarks -s`): left out otherwise."""
    if config.getoption("--benchmarks"):
        return
    benchmarks = [item for item in items if "benchmark" in item.keywords]
    if benchmarks:
        config.hook.pytest_deselected(items=benchmarks)
        items[:] = [item for item in items if "benchmark" not in item.keywords]


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """Our Bot API server on a free local port, for the bot under test to talk to."""
    emu = BotApiEmulator(token=TEST_TOKEN, bot_username="TendTestBot")
    await emu.start(host="127.0.0.1", port=0)
    yield emu
    await emu.stop()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    url: str = request.config.getoption("--postgres")
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture
async def database_url(postgres_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database for one test."""
    if postgres_url:
        engine = create_async_engine(postgres_url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
        url = postgres_url
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'tend.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    yield url


@pytest.fixture(autouse=True)
def _no_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A developer's own .env must never leak into a test."""
    monkeypatch.chdir(tmp_path)
    yield
