"""The engine: URLs as hosts hand them out, SQLite's pragmas, aware UTC on both databases."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from storage.engine import make_engine, normalize_database_url
from storage.models import Step, Stream


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("POSTGRES://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///vsm.db", "sqlite:///vsm.db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_are_normalized(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


@pytest.mark.parametrize(
    ("given", "fragment"),
    [("mysql://u@h/db", "mysql:// is not supported"), ("vsm.db", "not a URL"), ("", "not a URL")],
)
def test_unsupported_database_urls_say_why(given: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        normalize_database_url(given)


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def a_stream(team: str = "T1", name: str = "Onboarding", **changes: object) -> Stream:
    fields: dict[str, object] = {
        "team_id": team,
        "name": name,
        "name_key": name.casefold(),
        "channel_id": "C1",
        "created_by": "U1",
        "created_at": datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),
    }
    fields.update(changes)
    return Stream(**fields)


def test_timestamps_come_back_aware_utc(migrated_engine: Engine) -> None:
    stream = a_stream(team="T-utc")
    with Session(migrated_engine) as session:
        session.add(stream)
        session.commit()
        stream_id = stream.id
    with Session(migrated_engine) as session:
        stored = session.exec(select(Stream).where(Stream.id == stream_id)).one()
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.created_at == datetime(2026, 3, 28, 23, 30, tzinfo=UTC)


def test_naive_timestamps_are_refused(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        session.add(a_stream(team="T-naive", created_at=datetime(2026, 1, 1)))
        with pytest.raises(StatementError, match="naive datetime"):
            session.commit()


def test_stream_names_are_unique_per_workspace(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        session.add(a_stream(team="T-uq", name="Onboarding"))
        session.add(a_stream(team="T-uq-other", name="Onboarding"))
        session.commit()
    with Session(migrated_engine) as session:
        session.add(a_stream(team="T-uq", name="ONBOARDING", name_key="onboarding"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_removing_a_stream_removes_its_steps(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        stream = a_stream(team="T-cascade")
        session.add(stream)
        session.flush()
        assert stream.id is not None
        session.add(Step(stream_id=stream.id, position=1, name="Review", people=["U1", "U2"]))
        session.commit()
        stream_id = stream.id
    with migrated_engine.begin() as connection:
        connection.execute(text("DELETE FROM stream WHERE id = :id"), {"id": stream_id})
    with Session(migrated_engine) as session:
        assert session.exec(select(Step).where(Step.stream_id == stream_id)).all() == []


def test_a_step_needs_its_stream(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        session.add(Step(stream_id=987_654, position=1, name="Orphan"))
        with pytest.raises(IntegrityError):
            session.commit()
