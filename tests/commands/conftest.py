"""Use cases run in-process against the suite's real database (SQLite or PostgreSQL)."""

from collections.abc import Iterator
from itertools import count

import pytest
from sqlalchemy import Engine

from commands.renderer import make_renderer
from commands.services import Services
from storage.engine import make_engine
from storage.migrate import upgrade_database
from storage.tenant import Tenant

_workspaces = count(1)


@pytest.fixture(scope="session")
def use_case_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def services(use_case_engine: Engine) -> Services:
    """The use cases' edges: the real database, the real renderer, no Slack."""
    return Services(engine=use_case_engine, renderer=make_renderer())


@pytest.fixture
def tenant(worker_id: str) -> Tenant:
    """A workspace no other test uses."""
    return Tenant(team_id=f"TUC{worker_id}{next(_workspaces)}")
