"""causes of waiting per measurement; the meaning-of-value instrument

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-05 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("measurement") as batch:
        batch.add_column(sa.Column("wait_cause", sa.String(length=16), nullable=True))
    op.create_table(
        "value_setup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("layers", sa.JSON(), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=32), nullable=False),
        sa.Column("changed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["stream.id"],
            name=op.f("fk_value_setup_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_setup")),
        sa.UniqueConstraint("stream_id", name=op.f("uq_value_setup_stream_id")),
    )
    op.create_table(
        "value_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("layers", sa.JSON(), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.String(length=32), nullable=False),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_value_run_cycle_id_cycle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["stream.id"],
            name=op.f("fk_value_run_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_run")),
        sa.UniqueConstraint("stream_id", "number", name="uq_value_run_number"),
    )
    op.create_table(
        "value_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=32), nullable=False),
        sa.Column("layer", sa.String(length=48), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("sentence", sa.String(length=300), nullable=True),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["value_run.id"],
            name=op.f("fk_value_answer_run_id_value_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_answer")),
        sa.UniqueConstraint("run_id", "person", name="uq_value_answer_person"),
    )


def downgrade() -> None:
    op.drop_table("value_answer")
    op.drop_table("value_run")
    op.drop_table("value_setup")
    with op.batch_alter_table("measurement") as batch:
        batch.drop_column("wait_cause")
