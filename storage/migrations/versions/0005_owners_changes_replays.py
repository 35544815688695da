"""stream owners, the change log, seen request signatures, cycle threads, unknown outcomes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stream_owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["stream.id"],
            name=op.f("fk_stream_owner_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_owner")),
        sa.UniqueConstraint("stream_id", "user_id", name="uq_stream_owner_user"),
    )
    op.create_index(op.f("ix_stream_owner_stream_id"), "stream_owner", ["stream_id"])
    op.create_table(
        "stream_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=32), nullable=False),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("before", sa.String(length=600), nullable=True),
        sa.Column("after", sa.String(length=600), nullable=True),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["stream.id"],
            name=op.f("fk_stream_change_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_change")),
    )
    op.create_index("ix_stream_change_stream_at", "stream_change", ["stream_id", "at"])
    op.create_table(
        "seen_signature",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("seen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_seen_signature")),
    )
    op.create_index(op.f("ix_seen_signature_seen_at"), "seen_signature", ["seen_at"])
    op.create_table(
        "cycle_thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_cycle_thread_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_thread")),
        sa.UniqueConstraint("channel_id", "ts", name="uq_cycle_thread_ts"),
    )
    op.create_index(op.f("ix_cycle_thread_cycle_id"), "cycle_thread", ["cycle_id"])
    op.execute(
        "INSERT INTO cycle_thread (cycle_id, channel_id, ts) "
        "SELECT id, channel_id, message_ts FROM cycle WHERE message_ts IS NOT NULL"
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column(
                "outcome_unknown", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
    # Every stream so far is owned by whoever created it.
    op.execute(
        "INSERT INTO stream_owner (stream_id, user_id, added_by, added_at) "
        "SELECT id, created_by, created_by, created_at FROM stream WHERE created_by <> ''"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("outcome_unknown")
    op.drop_index(op.f("ix_cycle_thread_cycle_id"), table_name="cycle_thread")
    op.drop_table("cycle_thread")
    op.drop_index(op.f("ix_seen_signature_seen_at"), table_name="seen_signature")
    op.drop_table("seen_signature")
    op.drop_index("ix_stream_change_stream_at", table_name="stream_change")
    op.drop_table("stream_change")
    op.drop_index(op.f("ix_stream_owner_stream_id"), table_name="stream_owner")
    op.drop_table("stream_owner")
