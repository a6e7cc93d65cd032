"""`tend admin` and `tend invite` as an operator uses them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_commands import tend


def test_admin_grant_list_and_revoke(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/tend.sqlite3", "TEND_ADMIN_IDS": "7"}
    granted = tend("admin", "grant", "4242", "home-visitor", env=env)
    assert granted.returncode == 0, granted.stderr
    listed = tend("admin", "list", env=env)
    assert "4242\thome_visitor" in listed.stdout and "7\tadmin (TEND_ADMIN_IDS)" in listed.stdout
    wrong = tend("admin", "grant", "4242", "parent", env=env)
    assert wrong.returncode == 2
    revoked = tend("admin", "revoke", "4242", env=env)
    assert revoked.returncode == 0 and "no role now" in revoked.stdout
    assert "4242" not in tend("admin", "list", env=env).stdout


def test_invite_create_warns_when_the_bot_username_cannot_be_known(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/tend.sqlite3", "TELEGRAM_BOT_TOKEN": ""}
    refused = tend("invite", "create", "--label", "Ana", env=env)
    assert refused.returncode == 2 and "--bot-username" in refused.stderr
    assert "YourTendBot" not in refused.stdout


def test_invite_create_list_revoke_with_a_qr_code(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/tend.sqlite3"}
    qr = tmp_path / "invite.png"
    created = tend(
        "invite",
        "create",
        "--bot-username",
        "MyTendBot",
        "--visitor",
        "4242",
        "--qr",
        str(qr),
        env=env,
    )
    assert created.returncode == 0, created.stderr
    assert "Opens until:" in created.stdout
    assert qr.read_bytes().startswith(b"\x89PNG")
    with sqlite3.connect(tmp_path / "tend.sqlite3") as connection:
        ((invite_id, visitor, max_uses),) = connection.execute(
            "SELECT id, created_by, max_uses FROM invites"
        ).fetchall()
    assert visitor == 4242 and max_uses == 1
    assert str(invite_id) in tend("invite", "list", env=env).stdout
    assert tend("invite", "revoke", str(invite_id), env=env).returncode == 0
    assert str(invite_id) + "\t" not in tend("invite", "list", env=env).stdout


def test_broadcast_dry_run_counts_the_audience_and_sends_nothing(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/tend.sqlite3"}
    assert tend("db", "upgrade", env=env).returncode == 0
    with sqlite3.connect(tmp_path / "tend.sqlite3") as connection:
        for user_id, language, status in (
            (1, "es", "active"),
            (2, "en", "active"),
            (3, "es", "paused"),
        ):
            connection.execute(
                "INSERT INTO parents (telegram_user_id, chat_id, language, timezone, send_time,"
                " cadence, status, unanswered_count, created_at, consented_at)"
                " VALUES (?, ?, ?, 'America/New_York', '08:00:00', 'daily', ?, 0,"
                " '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
                (user_id, user_id, language, status),
            )
    shown = tend("broadcast", "--dry-run", "lang:es", "Hola", "familias", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Audience (lang:es): 1 families." in shown.stdout and "Hola familias" in shown.stdout
    assert "Dry run" in shown.stdout
    with sqlite3.connect(tmp_path / "tend.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM broadcasts").fetchone() == (0,)
    queued = tend("broadcast", "Hello", "everyone", env=env)
    assert queued.returncode == 0 and "scheduled" in queued.stdout
    with sqlite3.connect(tmp_path / "tend.sqlite3") as connection:
        assert connection.execute("SELECT status, text FROM broadcasts").fetchall() == [
            ("scheduled", "Hello everyone")
        ]


def test_report_writes_the_chart_and_export_needs_the_secret(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/tend.sqlite3"}
    chart = tmp_path / "chart.png"
    shown = tend("report", "--chart", str(chart), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Active families: 0" in shown.stdout and chart.read_bytes().startswith(b"\x89PNG")
    refused = tend("export", "deliveries", env=env)
    assert refused.returncode == 2 and "TEND_EXPORT_SECRET" in refused.stderr
    out = tmp_path / "export.csv"
    exported = tend(
        "export", "deliveries", "--out", str(out), env={**env, "TEND_EXPORT_SECRET": "k"}
    )
    assert exported.returncode == 0
    assert out.read_text().startswith("family,language,age_band,home_visitor,message,")
