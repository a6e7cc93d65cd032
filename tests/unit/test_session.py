"""The database session factory keeps parents' words out of error messages and logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.db.session import make_engine


async def test_database_errors_never_carry_the_parameters_they_were_given() -> None:
    engine = make_engine("sqlite+aiosqlite:///:memory:")
    try:
        with pytest.raises(OperationalError) as caught:
            async with engine.begin() as connection:
                await connection.execute(
                    text("SELECT * FROM missing WHERE reply = :words"),
                    {"words": "my private words"},
                )
    finally:
        await engine.dispose()
    assert "my private words" not in str(caught.value)


async def test_sqlite_enforces_foreign_keys_so_deletes_cascade() -> None:
    engine = make_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with engine.connect() as connection:
            enabled = (await connection.execute(text("PRAGMA foreign_keys"))).scalar()
    finally:
        await engine.dispose()
    assert enabled == 1


async def test_sqlite_writes_ahead_and_syncs_at_checkpoints(tmp_path: Path) -> None:
    """WAL with synchronous=NORMAL: a commit survives the process being killed, and costs no
    fsync of its own."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'tend.sqlite3'}")
    try:
        async with engine.connect() as connection:
            journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
            synchronous = (await connection.execute(text("PRAGMA synchronous"))).scalar()
    finally:
        await engine.dispose()
    assert (journal, synchronous) == ("wal", 1)
