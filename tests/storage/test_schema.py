"""Migrations produce exactly the models' schema, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (the tables)
from storage.migrate import current_revision, head_revision, upgrade_database


def schema_differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_migrations_produce_the_models_schema(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade_database(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert schema_differences(empty_engine) == []


def test_an_empty_database_differs_from_the_models(empty_engine: Engine) -> None:
    # The comparison above can fail: on an empty database it reports every table.
    differences = schema_differences(empty_engine)
    added = {
        diff[1].name for diff in differences if isinstance(diff, tuple) and diff[0] == "add_table"
    }
    assert {"stream", "step"} <= added


def test_upgrade_twice_changes_nothing(empty_engine: Engine) -> None:
    upgrade_database(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    upgrade_database(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == tables
    assert {"stream", "step", "alembic_version"} <= tables


def test_downgrade_to_nothing_and_back(empty_engine: Engine) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    upgrade_database(empty_engine)
    config = alembic_config()
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "stream" not in inspect(empty_engine).get_table_names()
    upgrade_database(empty_engine)
    assert schema_differences(empty_engine) == []
