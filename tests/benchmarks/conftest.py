"""What the benchmarks share: the JSON report, a fresh database per run, bulk seeding, the bot.

Run them all (SQLite, and PostgreSQL when a URL is given) with the README's command; figures
are printed and written to the report (`--benchmark-report PATH` or TEND_BENCHMARK_REPORT,
default `benchmark-report.json` where pytest was started). Entries are merged into an existing
report by benchmark and database, so a benchmark run on its own updates its own entries.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import sqlite3
import statistics
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import Application

from bot.app import build_application, inbox
from bot.config import Settings
from bot.db.migrate import upgrade
from scheduler.clock import WarpClock
from tests.benchmarks.remote_emulator import RemoteEmulator, remote_emulator

REPORT_ENV = "TEND_BENCHMARK_REPORT"
# Thursday 26 November 2026, 13:00 UTC: 08:00 in New York, every seeded parent's send time.
DUE = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC)
_RESULTS: dict[str, dict[str, Any]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--benchmark-report",
        default=os.environ.get(REPORT_ENV, "benchmark-report.json"),
        help=f"where the benchmarks write their JSON report (or set {REPORT_ENV})",
    )


def env_int(name: str, default: int) -> int:
    """A size a developer may shrink for a quick run (TEND_BENCH_...)."""
    return int(os.environ.get(name, default))


def env_sizes(name: str, default: str) -> list[int]:
    return [int(part) for part in os.environ.get(name, default).split(",") if part.strip()]


# --- the report ---


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import sqlalchemy
    import telegram

    try:
        import sniffio

        sniffio_version: str | None = sniffio.__version__
    except ImportError:
        sniffio_version = None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "python_telegram_bot": telegram.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "sniffio": sniffio_version,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        # Other work on the machine skews every figure: the 1-minute load when recorded.
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


class Report:
    """`report.record(benchmark, database, figures)`: printed now, written at the end."""

    def record(self, benchmark: str, database: str, figures: dict[str, Any]) -> None:
        figures = {**figures, "machine": machine()}
        _RESULTS.setdefault(benchmark, {})[database] = figures
        print(f"\n[{benchmark} / {database}]\n" + json.dumps(figures, indent=2, default=str))


@pytest.fixture
def report() -> Report:
    return Report()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _RESULTS:
        return
    raw = session.config.getoption("--benchmark-report", default=None) or os.environ.get(
        REPORT_ENV, "benchmark-report.json"
    )
    path = Path(raw)
    if not path.is_absolute():
        path = session.config.invocation_params.dir / path
    merged: dict[str, Any] = {}
    if path.exists():
        with contextlib.suppress(ValueError):
            merged = json.loads(path.read_text())
    benchmarks = merged.setdefault("benchmarks", {})
    for name, by_database in _RESULTS.items():
        benchmarks.setdefault(name, {}).update(by_database)
    merged["machine"] = machine()
    path.write_text(json.dumps(merged, indent=2, default=str) + "\n")
    print(f"\nbenchmark report: {path}")


# --- figures ---


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(max(ms), 2),
    }


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc; peak RSS elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- the database ---


@dataclass(frozen=True)
class BenchDb:
    name: str  # "sqlite" | "postgresql"
    url: str

    @property
    def sqlite_path(self) -> str:
        return self.url.split("///", 1)[1]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "bench_db" in metafunc.fixturenames:
        metafunc.parametrize("bench_db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
async def bench_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BenchDb]:
    """A migrated, empty database: SQLite in a temp dir, or the PostgreSQL URL given
    (`--postgres` / TEND_TEST_DATABASE_URL; use a database of its own, it is wiped)."""
    if request.param == "postgresql":
        url: str = request.config.getoption("--postgres")
        if not url:
            pytest.skip("no PostgreSQL URL (TEND_TEST_DATABASE_URL)")
        url = url.replace("postgresql://", "postgresql+asyncpg://", 1)
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bench.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    yield BenchDb(request.param, url)


# --- seeding, in bulk ---

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite


def _sqlite_seed(path: str, first_id: int, count: int, due: dt.datetime, spread: bool) -> None:
    """executemany in batches of 50,000 rows, one transaction; children from the parents."""
    created = (due - dt.timedelta(days=30)).replace(tzinfo=None).strftime(_SQLITE_TIME)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        insert = (
            "INSERT INTO parents (telegram_user_id, chat_id, language, timezone, send_time,"
            " cadence, status, next_send_at, paused_until, unanswered_count, created_at,"
            " consented_at) VALUES (?, ?, ?, 'America/New_York', '08:00:00.000000', 'daily',"
            " ?, ?, ?, 0, ?, ?)"
        )
        batch = 50_000
        for start in range(0, count, batch):
            rows = []
            for i in range(start, min(count, start + batch)):
                status, paused = _status(i, spread, due)
                moment = due + dt.timedelta(minutes=1 + i % 1439) if spread else due
                rows.append(
                    (
                        first_id + i,
                        first_id + i,
                        "es" if i % 3 == 0 else "en",
                        status,
                        moment.replace(tzinfo=None).strftime(_SQLITE_TIME),
                        paused.replace(tzinfo=None).strftime(_SQLITE_TIME) if paused else None,
                        created,
                        created,
                    )
                )
            connection.executemany(insert, rows)
        connection.execute(
            "INSERT INTO children (parent_id, name, birth_date) SELECT id, NULL,"
            " date('2026-11-01', '-' || ((id % 60) * 30) || ' days') FROM parents"
            " WHERE telegram_user_id >= ? AND telegram_user_id < ?",
            (first_id, first_id + count),
        )
        connection.commit()
    finally:
        connection.close()


def _status(i: int, spread: bool, due: dt.datetime) -> tuple[str, dt.datetime | None]:
    """With `spread`, a realistic mix: 2% paused for a week, 3% stopped, the rest active."""
    if spread and i % 50 == 7:
        return "paused", due + dt.timedelta(days=7)
    if spread and i % 100 in (11, 13, 17):
        return "stopped", None
    return "active", None


async def _postgres_seed(
    url: str, first_id: int, count: int, due: dt.datetime, spread: bool
) -> None:
    """One INSERT ... SELECT over generate_series per table: the rows never leave the server."""
    engine = create_async_engine(url)
    moment = (
        "(CAST(:due AS timestamptz) + make_interval(mins => 1 + (i % 1439)))"
        if spread
        else "CAST(:due AS timestamptz)"
    )
    status = (
        "CASE WHEN i % 50 = 7 THEN 'paused' WHEN i % 100 IN (11, 13, 17) THEN 'stopped'"
        " ELSE 'active' END"
        if spread
        else "'active'"
    )
    paused = (
        "CASE WHEN i % 50 = 7 THEN CAST(:due AS timestamptz) + interval '7 days' END"
        if spread
        else "NULL"
    )
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO parents (telegram_user_id, chat_id, language, timezone,"
                    " send_time, cadence, status, next_send_at, paused_until, unanswered_count,"
                    " created_at, consented_at)"
                    " SELECT CAST(:first AS bigint) + i, CAST(:first AS bigint) + i,"
                    " CASE WHEN i % 3 = 0 THEN 'es' ELSE 'en' END, 'America/New_York', '08:00',"
                    f" 'daily', {status}, {moment}, {paused},"
                    " 0, CAST(:created AS timestamptz), CAST(:created AS timestamptz)"
                    " FROM generate_series(0, CAST(:count AS integer) - 1) AS i"
                ),
                {
                    "first": first_id,
                    "count": count,
                    "due": due,
                    "created": due - dt.timedelta(days=30),
                },
            )
            await connection.execute(
                text(
                    "INSERT INTO children (parent_id, name, birth_date) SELECT id, NULL,"
                    " DATE '2026-11-01' - (id % 60) * 30 FROM parents"
                    " WHERE telegram_user_id >= CAST(:first AS bigint)"
                    " AND telegram_user_id < CAST(:last AS bigint)"
                ),
                {"first": first_id, "last": first_id + count},
            )
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def seed_parents(
    db: BenchDb,
    count: int,
    *,
    first_user_id: int = 10_000,
    due: dt.datetime = DUE,
    spread: bool = False,
) -> None:
    """`count` parents (chat id = user id, from `first_user_id`), children of every age.

    Not `spread`: all active and due at `due`. `spread`: next sends spread over the day after
    `due` (so nobody is due at `due`), 2% paused and 3% stopped.
    """
    if db.name == "sqlite":
        await asyncio.to_thread(_sqlite_seed, db.sqlite_path, first_user_id, count, due, spread)
    else:
        await _postgres_seed(db.url, first_user_id, count, due, spread)


# --- the bot ---


@pytest.fixture
async def remote() -> AsyncIterator[RemoteEmulator]:
    async with remote_emulator() as emulator:
        yield emulator


def bench_settings(db: BenchDb, remote: RemoteEmulator, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": remote.token,
        "telegram_api_base_url": remote.base_url,
        "database_url": db.url,
        "default_timezone": "America/New_York",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings, clock: WarpClock, *, polling: bool = False
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """The real Application and its sender (and, with `polling`, the inbox and handlers)."""
    application = build_application(settings, clock=clock, run_ticks=False)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    if polling:
        await application.start()
        await inbox(application).start()
    try:
        yield application
    finally:
        if polling:
            await inbox(application).stop()
        await application.post_stop(application)  # type: ignore[misc]
        if polling:
            await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _quiet_logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Logging every send would cost as much as the send; these benchmarks (this folder's
    own, not its subfolders') keep warnings only."""
    if request.node.path.parent == Path(__file__).parent:
        caplog.set_level("WARNING")
    yield


def sends_summary(sends: list[list[Any]], *, per_chat_interval: float = 1.0) -> dict[str, Any]:
    """From the emulator's (chat, status, time) list (one message a chat is expected):
    delivered, chats reached, duplicates, 429s, achieved rate over the window from the first
    attempt to the last delivery, and per-chat violations (an attempt within
    `per_chat_interval` of the previous delivery to the same chat)."""
    ordered = sorted(sends, key=lambda send: send[2])
    delivered = [send for send in ordered if send[1] == 200]
    last_ok: dict[int, float] = {}
    violations = 0
    for chat, status, at in ordered:
        previous = last_ok.get(chat)
        if previous is not None and at - previous < per_chat_interval - 0.001:
            violations += 1
        if status == 200:
            last_ok[chat] = at
    window = delivered[-1][2] - ordered[0][2] if delivered else 0.0
    chats = len({send[0] for send in delivered})
    return {
        "attempts": len(ordered),
        "delivered": len(delivered),
        # Chats that got a message: nothing is lost when this is every chat.
        "chats_reached": chats,
        # A message that reached its chat twice (the design bounds these; see scheduler.outbox).
        "duplicates": len(delivered) - chats,
        "status_429": sum(1 for send in ordered if send[1] == 429),
        "other_errors": sum(1 for send in ordered if send[1] not in (200, 429)),
        "window_s": round(window, 2),
        "rate_per_s": round((len(delivered) - 1) / window, 2) if window > 0 else None,
        "per_chat_violations": violations,
    }


class SqlCounter:
    """Statements and commits an engine runs while counting (what a message costs the DB)."""

    def __init__(self, engine: Any) -> None:
        self.statements = 0
        self.commits = 0
        self._engine = engine.sync_engine

    def _statement(self, *_: Any) -> None:
        self.statements += 1

    def _commit(self, *_: Any) -> None:
        self.commits += 1

    def __enter__(self) -> SqlCounter:
        event.listen(self._engine, "before_cursor_execute", self._statement)
        event.listen(self._engine, "commit", self._commit)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._statement)
        event.remove(self._engine, "commit", self._commit)

    def per(self, count: int) -> dict[str, float]:
        return {
            "sql_statements_per": round(self.statements / max(1, count), 2),
            "commits_per": round(self.commits / max(1, count), 2),
        }
