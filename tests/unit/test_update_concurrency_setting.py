"""How many chats' updates are handled at once: the setting when given, else by database."""

from __future__ import annotations

import pytest

from bot.config import Settings


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, telegram_bot_token="1:x", **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("sqlite+aiosqlite:///tend.sqlite3", 1),
        ("postgresql+asyncpg://tend@db/tend", 32),
    ],
)
def test_unset_it_follows_the_database(database_url: str, expected: int) -> None:
    assert settings(database_url=database_url).updates_at_once == expected


def test_a_given_number_wins_on_either_database() -> None:
    assert (
        settings(database_url="sqlite+aiosqlite:///x.db", update_concurrency=8).updates_at_once == 8
    )
    assert (
        settings(database_url="postgresql+asyncpg://t@db/t", update_concurrency=1).updates_at_once
        == 1
    )


def test_the_example_env_file_loads_as_it_is_copied() -> None:
    """`cp .env.example .env` must start: its empty optional settings count as unset."""
    loaded = Settings(_env_file=".env.example")  # type: ignore[call-arg]
    assert loaded.http_port is None and loaded.update_concurrency is None
    assert loaded.updates_at_once == 1  # the example's database is SQLite
