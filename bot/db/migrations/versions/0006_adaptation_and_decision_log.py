"""adaptation: what parents reported lately, the pause question, the decision log, check-ins

Parents keep the topics they reported (favoured for a week) and when the bot asked whether to
pause. Every policy decision is logged with its probability, draw, candidates, context and
outcome. The short check-in's answers (feeling, hardest thing, connection) are kept.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("focus_topics", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("focus_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reported_topics", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("asked_pause_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=16), nullable=False),
        sa.Column("policy_version", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.String(length=120), nullable=False),
        sa.Column("arm", sa.String(length=40), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("draw", sa.Float(), nullable=False),
        sa.Column("pool_size", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reward", sa.Integer(), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_decisions_delivery_id_deliveries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name=op.f("fk_decisions_parent_id_parents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index("ix_decisions_arm_outcome", ["arm", "reward"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_delivery_id"), ["delivery_id"])
        batch_op.create_index(batch_op.f("ix_decisions_parent_id"), ["parent_id"])
    op.create_table(
        "checkin_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_checkin_answers_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name=op.f("fk_checkin_answers_parent_id_parents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_answers")),
        sa.UniqueConstraint(
            "delivery_id", "question", name=op.f("uq_checkin_answers_delivery_id_question")
        ),
    )
    with op.batch_alter_table("checkin_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_answers_parent_id"), ["parent_id"])


def downgrade() -> None:
    op.drop_table("checkin_answers")
    op.drop_table("decisions")
    with op.batch_alter_table("parents", schema=None) as batch_op:
        batch_op.drop_column("asked_pause_at")
        batch_op.drop_column("reported_topics")
        batch_op.drop_column("focus_until")
        batch_op.drop_column("focus_topics")
