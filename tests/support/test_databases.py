"""The test databases: URL building, a usable fresh database, a loud failure without PostgreSQL."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.support import databases


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (
            "postgresql://postgres@127.0.0.1:5432/test",
            "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dvsm_t_ab",
        ),
        (
            "postgres://u:p@db:5432/x?sslmode=disable",
            "postgresql+psycopg://u:p@db:5432/x?sslmode=disable&options=-csearch_path%3Dvsm_t_ab",
        ),
    ],
)
def test_schema_url_puts_the_schema_first_on_the_search_path(base: str, expected: str) -> None:
    assert databases.schema_url(base, "vsm_t_ab") == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql+psycopg://u@h/db", "postgresql://u@h/db"),
        ("postgres://u@h/db", "postgresql://u@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
    ],
)
def test_libpq_url_drops_the_driver(given: str, expected: str) -> None:
    assert databases.libpq_url(given) == expected


def test_a_fresh_database_is_empty_usable_and_cleaned_up(tmp_path: Path) -> None:
    with databases.fresh_database_url(tmp_path) as url:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        assert inspect(engine).get_table_names() == []
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
        assert inspect(engine).get_table_names() == ["probe"]
        if url.startswith("postgresql"):
            with engine.connect() as connection:
                schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            assert str(schema).startswith("vsm_t_")
        engine.dispose()

    if url.startswith("sqlite"):
        assert (tmp_path / "vsm.db").exists()
    else:
        base = databases.postgres_base_url()
        assert base is not None
        engine = create_engine(databases.schema_url(base, "public"))
        assert schema not in inspect(engine).get_schema_names()
        engine.dispose()


def test_an_unreachable_postgres_fails_and_says_how_to_start_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(databases.ENV, "postgresql://postgres@127.0.0.1:1/test")

    with pytest.raises(pytest.fail.Exception) as excinfo, databases.fresh_database_url(tmp_path):
        pass

    assert "pg_ctlcluster" in str(excinfo.value)
    assert databases.ENV in str(excinfo.value)


def test_a_non_postgres_test_database_url_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(databases.ENV, "mysql://root@127.0.0.1/test")

    with pytest.raises(pytest.fail.Exception):
        databases.postgres_base_url()
