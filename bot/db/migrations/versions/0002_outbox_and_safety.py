"""one outbox for every message; an inbox of updates; safety flags tracked to a person

Deliveries carry their chat, buttons, priority, a lease and a wall-clock retry time, and may
have no parent (staff alerts). Safety flags record the rule that matched, who was alerted and
who took it. Parents can be hushed after a flag.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox")),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_handled_at"), ["handled_at"], unique=False)
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("buttons", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("unconfirmed_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.drop_column("claimed_at")
        batch_op.drop_index("ix_deliveries_pending")
        batch_op.create_index("ix_deliveries_claim", ["status", "priority", "due_at"], unique=False)
    op.execute(
        "UPDATE deliveries SET chat_id = "
        "(SELECT parents.chat_id FROM parents WHERE parents.id = deliveries.parent_id)"
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("parent_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("safety_flags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("alerted", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("acknowledged_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_name", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("checkin_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("checkin_answer", sa.String(length=16), nullable=True))
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hushed_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_id", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_table("inbox")
    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.drop_column("file_id")
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.drop_column("hushed_until")
    with op.batch_alter_table("safety_flags", schema=None) as batch_op:
        for column in (
            "checkin_answer",
            "checkin_at",
            "escalated_at",
            "acknowledged_at",
            "acknowledged_name",
            "acknowledged_by",
            "alerted",
            "rule",
        ):
            batch_op.drop_column(column)
    op.execute("DELETE FROM deliveries WHERE parent_id IS NULL")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("parent_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index("ix_deliveries_claim")
        batch_op.create_index("ix_deliveries_pending", ["status", "due_at"], unique=False)
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        for column in (
            "unconfirmed_attempts",
            "lease_until",
            "retry_at",
            "buttons",
            "priority",
            "chat_id",
        ):
            batch_op.drop_column(column)
