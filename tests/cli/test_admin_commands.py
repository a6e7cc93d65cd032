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
