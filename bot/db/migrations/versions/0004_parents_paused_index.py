"""an index for the planner's pause check: parents by (status, paused_until)

Every tick asks for paused parents whose pause has run out. With only (status, next_send_at)
indexed, that read every paused parent's row: at 1,000,000 parents, 2% paused, about 17,000
table pages on PostgreSQL (130-420 ms) and 40-130 ms on SQLite, for a tick that had nothing
to do. With this index it reads only the parents whose pause has ended (well under 1 ms).

Revision ID: 0004
Revises: 0006
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.create_index("ix_parents_paused", ["status", "paused_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.drop_index("ix_parents_paused")
