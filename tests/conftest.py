"""Fixtures shared by the whole suite: databases, the fake Slack, the running bot, a driver.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set (see tests/support/databases.py).
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from standin.server import FakeSlack
from tests.support import databases
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver
from tests.support.progress import Progress

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"

# Hypothesis fails an example slower than its 200 ms default deadline. With two test workers,
# bot processes and other people's work on two cores, a parser example was seen at 280 ms
# while it takes well under 1 ms alone: the deadline stays, ten times longer, to catch a
# pathological slowness (a regular expression that backtracks) without failing on a busy
# machine.
settings.register_profile("vsm", deadline=2000)
settings.load_profile("vsm")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the process that reports, not a test worker
        config.pluginmanager.register(Progress(config), "vsm-progress")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The suite's database: a SQLite file, or a fresh schema in TEST_DATABASE_URL."""
    with databases.fresh_database_url(tmp_path_factory.mktemp("database")) as url:
        yield url


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for one test (same kind as database_url)."""
    with databases.fresh_database_url(tmp_path / "database") as url:
        yield url


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    """The loopback fake Slack Web API every bot process talks to."""
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake
    assert fake.internal_errors == [], "FakeSlack itself failed; see the errors"


@pytest.fixture(scope="session")
def bot(
    database_url: str, fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """The real bot (`vsm-bot serve`, 2 workers), started once for the session."""
    process = BotProcess(
        database_url,
        fake_slack.api_url,
        BOT_TOKEN,
        SIGNING_SECRET,
        tmp_path_factory.mktemp("bot"),
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture
def slack(bot: BotProcess, fake_slack: FakeSlack) -> Iterator[SlackDriver]:
    """Slack's side towards the running bot, for a workspace no other test uses."""
    driver = SlackDriver(bot.url, SIGNING_SECRET, fake_slack)
    yield driver
    driver.close()
