"""Migration 0006 turns the team names steps gave as free text into team records."""

from sqlalchemy import Engine, text

from storage.migrate import upgrade_database


def _seed(engine: Engine) -> None:
    with engine.begin() as db:
        for stream_id, workspace, name in (
            (1, "T1", "Claims"),
            (2, "T1", "Billing"),
            (3, "T2", "X"),
        ):
            db.execute(
                text(
                    "INSERT INTO stream (id, enterprise_id, team_id, name, name_key, channel_id, "
                    "trigger, value, customer, time_basis, hours_per_day, days_per_week, "
                    "archived, created_by, created_at) VALUES (:id, '', :ws, :name, :key, 'C1', "
                    "'', '', '', 'calendar', 8, 5, false, 'U1', '2026-01-01 00:00:00')"
                ),
                {"id": stream_id, "ws": workspace, "name": name, "key": name.lower()},
            )
        steps = (
            (1, 1, 1, "Intake", "Front office"),
            (2, 1, 2, "Assess", "claims"),
            (3, 2, 1, "Invoice", "  Claims "),
            (4, 2, 2, "Pay", ""),
            (5, 3, 1, "Other", "CLAIMS"),
        )
        for step_id, stream_id, position, name, team in steps:
            db.execute(
                text(
                    "INSERT INTO step (id, stream_id, position, name, team, people) "
                    "VALUES (:id, :stream, :pos, :name, :team, '[]')"
                ),
                {"id": step_id, "stream": stream_id, "pos": position, "name": name, "team": team},
            )
        db.execute(
            text(
                "INSERT INTO cycle (id, stream_id, number, label, status, opened_at, opened_by, "
                "closed_by, channel_id) VALUES (1, 1, 1, '', 'closed', "
                "'2026-01-02 00:00:00', 'U1', 'U1', 'C1')"
            )
        )
        db.execute(
            text(
                "INSERT INTO cycle_step (cycle_id, step_key, position, name, people) "
                "VALUES (1, 2, 2, 'Assess', '[]'), (1, 99, 3, 'Gone', '[]')"
            )
        )


def test_team_names_become_team_records_matched_ignoring_case(empty_engine: Engine) -> None:
    upgrade_database(empty_engine, "0005")
    _seed(empty_engine)
    upgrade_database(empty_engine)
    with empty_engine.connect() as db:
        teams = db.execute(
            text("SELECT team_id, name, name_key FROM work_team ORDER BY team_id, name_key")
        ).all()
        steps = db.execute(
            text(
                "SELECT step.id, step.team, work_team.name, step.handoff_mode FROM step "
                "LEFT JOIN work_team ON work_team.id = step.work_team_id ORDER BY step.id"
            )
        ).all()
        snapshots = db.execute(
            text("SELECT step_key, team, handoff_mode FROM cycle_step ORDER BY step_key")
        ).all()
    assert [tuple(row) for row in teams] == [
        ("T1", "claims", "claims"),
        ("T1", "Front office", "front office"),
        ("T2", "CLAIMS", "claims"),
    ]
    assert [tuple(row) for row in steps] == [
        (1, "Front office", "Front office", "none"),
        (2, "claims", "claims", "none"),
        (3, "claims", "claims", "none"),
        (4, "", None, "none"),
        (5, "CLAIMS", "CLAIMS", "none"),
    ]
    assert [tuple(row) for row in snapshots] == [(2, "claims", "none"), (99, "", "none")]
