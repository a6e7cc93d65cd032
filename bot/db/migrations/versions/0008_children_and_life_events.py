"""several children per parent; a child's end (graduated, loss); which child a decision was for

A parent's existing child stays as their child #1: the one-child-per-parent unique constraint
goes (an index on parent_id stays), and nothing is copied. `parents.last_child_id` remembers
the child the last scheduled message was for (turns alternate from it; check-ins ask about
it). `decisions.child_ids` records which child (or children, "12+13") a decision was for.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_constraint("uq_children_parent_id", type_="unique")
        batch_op.create_index("ix_children_parent_id", ["parent_id"], unique=False)
        batch_op.add_column(sa.Column("ended", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_child_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("child_ids", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("child_ids")
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Not a batch: recreating `parents` would drop it, and with foreign keys on, SQLite
        # deletes every row that cascades from a dropped table (children, deliveries...).
        op.execute("ALTER TABLE parents DROP COLUMN last_child_id")
    else:
        with op.batch_alter_table("parents", schema=None) as batch_op:
            batch_op.drop_column("last_child_id")
    # Only the first child of each parent can survive the one-child constraint.
    op.execute(
        "DELETE FROM children WHERE id NOT IN (SELECT min(id) FROM children GROUP BY parent_id)"
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
        batch_op.drop_column("ended")
        batch_op.drop_index("ix_children_parent_id")
        batch_op.create_unique_constraint("uq_children_parent_id", ["parent_id"])
