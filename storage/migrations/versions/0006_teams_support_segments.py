"""teams as records, hand-off modes, each cycle's structure, support streams, segments

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 17:45:00

Every team name steps gave so far becomes a team record of its workspace: names that differ
only in case or spacing are one team, called as its earliest step wrote it, and those steps
now name it so. Cycles measured before keep each step's team as the step names it now (the
nearest to what they were measured with that the database knows).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fold(name: str) -> str:
    # As vsm.names.fold was when this migration was written; a migration must not move.
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    op.create_table(
        "work_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=240), nullable=False),
        sa.Column("team_type", sa.String(length=24), nullable=True),
        sa.Column("mission", sa.String(length=300), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_team")),
        sa.UniqueConstraint("enterprise_id", "team_id", "name_key", name="uq_work_team_name"),
    )
    with op.batch_alter_table("step") as batch:
        batch.add_column(sa.Column("work_team_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("handoff_mode", sa.String(length=16), server_default="none", nullable=False)
        )
        batch.create_foreign_key(
            op.f("fk_step_work_team_id_work_team"),
            "work_team",
            ["work_team_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_step_work_team_id"), ["work_team_id"])
    with op.batch_alter_table("cycle_step") as batch:
        batch.add_column(sa.Column("team", sa.String(length=80), server_default="", nullable=False))
        batch.add_column(sa.Column("team_type", sa.String(length=24), nullable=True))
        batch.add_column(
            sa.Column("handoff_mode", sa.String(length=16), server_default="none", nullable=False)
        )
    op.create_table(
        "support_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_stream_id", sa.Integer(), nullable=False),
        sa.Column("served_stream_id", sa.Integer(), nullable=False),
        sa.Column("served_step_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["support_stream_id"],
            ["stream.id"],
            name=op.f("fk_support_link_support_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["served_stream_id"],
            ["stream.id"],
            name=op.f("fk_support_link_served_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["served_step_id"],
            ["step.id"],
            name=op.f("fk_support_link_served_step_id_step"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_link")),
        sa.UniqueConstraint("support_stream_id", "served_step_id", name="uq_support_link_step"),
    )
    op.create_index(
        op.f("ix_support_link_support_stream_id"), "support_link", ["support_stream_id"]
    )
    op.create_index(op.f("ix_support_link_served_stream_id"), "support_link", ["served_stream_id"])
    op.create_table(
        "segment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("first_step_id", sa.Integer(), nullable=False),
        sa.Column("last_step_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["stream.id"],
            name=op.f("fk_segment_stream_id_stream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment")),
        sa.UniqueConstraint("stream_id", "name_key", name="uq_segment_name"),
    )
    op.create_index(op.f("ix_segment_stream_id"), "segment", ["stream_id"])
    _teams_from_step_names()


def _teams_from_step_names() -> None:
    """Make a team of every team name steps give, per workspace, matched ignoring case."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT step.id, step.team, stream.enterprise_id, stream.team_id "
            "FROM step JOIN stream ON stream.id = step.stream_id "
            "WHERE step.team <> '' ORDER BY step.id"
        )
    ).all()
    teams: dict[tuple[str, str, str], tuple[str, list[int]]] = {}
    for step_id, team, enterprise, workspace in rows:
        name = " ".join(str(team).split())
        if not name:
            continue
        key = (enterprise, workspace, _fold(name))
        teams.setdefault(key, (name, []))[1].append(step_id)
    now = datetime.now(UTC)
    work_team = sa.table(
        "work_team",
        sa.column("enterprise_id"),
        sa.column("team_id"),
        sa.column("name"),
        sa.column("name_key"),
        sa.column("mission"),
        sa.column("people", sa.JSON()),
        sa.column("created_by"),
        sa.column("created_at", storage.types.UTCDateTime(timezone=True)),
    )
    for (enterprise, workspace, name_key), (name, step_ids) in teams.items():
        connection.execute(
            work_team.insert().values(
                enterprise_id=enterprise,
                team_id=workspace,
                name=name,
                name_key=name_key,
                mission="",
                people=[],
                created_by="",
                created_at=now,
            )
        )
        team_id = connection.execute(
            sa.text(
                "SELECT id FROM work_team WHERE enterprise_id = :e AND team_id = :t "
                "AND name_key = :k"
            ),
            {"e": enterprise, "t": workspace, "k": name_key},
        ).scalar_one()
        for step_id in step_ids:
            connection.execute(
                sa.text("UPDATE step SET work_team_id = :team, team = :name WHERE id = :step"),
                {"team": team_id, "name": name, "step": step_id},
            )
    connection.execute(
        sa.text(
            "UPDATE cycle_step SET team = "
            "(SELECT step.team FROM step WHERE step.id = cycle_step.step_key) "
            "WHERE EXISTS (SELECT 1 FROM step WHERE step.id = cycle_step.step_key)"
        )
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_segment_stream_id"), table_name="segment")
    op.drop_table("segment")
    op.drop_index(op.f("ix_support_link_served_stream_id"), table_name="support_link")
    op.drop_index(op.f("ix_support_link_support_stream_id"), table_name="support_link")
    op.drop_table("support_link")
    with op.batch_alter_table("cycle_step") as batch:
        batch.drop_column("handoff_mode")
        batch.drop_column("team_type")
        batch.drop_column("team")
    with op.batch_alter_table("step") as batch:
        batch.drop_index(op.f("ix_step_work_team_id"))
        batch.drop_constraint(op.f("fk_step_work_team_id_work_team"), type_="foreignkey")
        batch.drop_column("handoff_mode")
        batch.drop_column("work_team_id")
    op.drop_table("work_team")
