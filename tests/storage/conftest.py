"""Engines for storage tests, on the database kind this run tests."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from storage.engine import make_engine
from storage.migrate import upgrade_database


@pytest.fixture
def empty_engine(fresh_database_url: str) -> Iterator[Engine]:
    """An engine on an empty database of its own."""
    engine = make_engine(fresh_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """An engine on the suite's migrated database; tests keep apart by workspace."""
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()
