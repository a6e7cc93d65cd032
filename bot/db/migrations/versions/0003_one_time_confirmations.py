"""a confirmation (/stop, /delete) is bound to one request and expires

The parent row holds the one open request: its action and token (the token rides in the
buttons' callback data) and when it expires. The first answer spends it.

Revision ID: 0003
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirming", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("confirm_expires_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.drop_column("confirm_expires_at")
        batch_op.drop_column("confirming")
