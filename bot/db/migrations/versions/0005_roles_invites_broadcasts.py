"""roles for staff and home visitors; invites that expire; a lockout; visitor alerts; broadcasts

Staff and home visitors get a role row (admins may also come from TEND_ADMIN_IDS). Invites get
an expiry. Wrong invite codes are counted per Telegram account. Home visitors' alerts about a
family are remembered so each change is told once. Broadcasts keep their draft, audience,
schedule and progress message. Parents keep their Telegram first name for their visitor.

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_name", sa.String(length=64), nullable=True))
    op.create_table(
        "staff_roles",
        sa.Column("telegram_user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("granted_by", sa.BigInteger(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("telegram_user_id", name=op.f("pk_staff_roles")),
    )
    op.create_table(
        "invite_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_failures")),
    )
    op.create_index(
        op.f("ix_invite_failures_telegram_user_id"),
        "invite_failures",
        ["telegram_user_id"],
        unique=False,
    )
    op.create_table(
        "visitor_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name=op.f("fk_visitor_alerts_parent_id_parents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor_alerts")),
    )
    op.create_index(
        op.f("ix_visitor_alerts_parent_id"), "visitor_alerts", ["parent_id"], unique=False
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photo_file_id", sa.String(length=200), nullable=True),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=True),
        sa.Column("local_time", sa.Time(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    op.create_index(op.f("ix_broadcasts_status"), "broadcasts", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_broadcasts_status"), table_name="broadcasts")
    op.drop_table("broadcasts")
    op.drop_index(op.f("ix_visitor_alerts_parent_id"), table_name="visitor_alerts")
    op.drop_table("visitor_alerts")
    op.drop_index(op.f("ix_invite_failures_telegram_user_id"), table_name="invite_failures")
    op.drop_table("invite_failures")
    op.drop_table("staff_roles")
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.drop_column("first_name")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
