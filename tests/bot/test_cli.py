"""The `vsm-bot` command line: one clear line for each thing that stops it.

Settings and database checks run `bot.cli.main` in the test's process (run_main); the console
script as a process is checked where the process shows more: nothing on stderr but the line
(no log record), and `db upgrade` run twice.
"""

import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text

from standin.server import FakeSlack
from storage.engine import make_engine
from storage.migrate import current_revision, head_revision
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.botproc import BotProcess, base_env, bot_command, run_cli
from tests.support.cli_in_process import run_main
from tests.support.databases import sqlite_url

# A log record as bot/cli.py formats it; anything else on stderr is said to the person.
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")
UNREACHABLE_POSTGRES = "postgresql://vsm:s3cret-password@127.0.0.1:1/vsm"


def said(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines of stderr meant for the person (log records left out)."""
    lines = result.stderr.splitlines()
    return [line for line in lines if line.strip() and not LOG_RECORD.match(line)]


def assert_stops_with_one_line(
    result: subprocess.CompletedProcess[str], code: int, *names: str
) -> str:
    """The command exited `code` with one line that names each of `names`, and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output
    lines = said(result)
    assert len(lines) == 1, output
    for name in names:
        assert name in lines[0]
    return lines[0]


@pytest.fixture
def good_env(tmp_path: Path) -> dict[str, str]:
    """Settings that pass every check, on a SQLite file nothing has touched."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-cli-test",
        "SLACK_SIGNING_SECRET": "cli-secret",
        "DATABASE_URL": sqlite_url(tmp_path),
    }


# ---- settings -------------------------------------------------------------------------------


def test_serve_without_a_bot_token_names_it_on_one_line() -> None:
    result = run_cli(["serve"], {})

    line = assert_stops_with_one_line(result, 2, "SLACK_BOT_TOKEN")
    assert result.stderr.strip() == line  # nothing else at all: not even a log record
    assert "xoxb-" in line  # and says what it looks like


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_BOT_TOKEN", "abc"),
        ("PORT", "abc"),
        ("PORT", "70000"),
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "vsm.db"),
        ("SLACK_API_URL", "ftp://x"),
        ("WEB_CONCURRENCY", "0"),
    ],
)
def test_a_malformed_setting_is_named_on_one_line(
    good_env: dict[str, str], variable: str, value: str
) -> None:
    result = run_main(["serve"], {**good_env, variable: value})

    line = assert_stops_with_one_line(result, 2, variable)
    assert result.stderr.strip() == line


def test_socket_without_an_app_token_names_it(good_env: dict[str, str]) -> None:
    result = run_main(["socket"], good_env)

    assert_stops_with_one_line(result, 2, "SLACK_APP_TOKEN", "xapp-")


def test_run_over_http_without_a_signing_secret_names_it(good_env: dict[str, str]) -> None:
    env = {k: v for k, v in good_env.items() if k != "SLACK_SIGNING_SECRET"}

    result = run_main(["run"], env)

    assert_stops_with_one_line(result, 2, "SLACK_SIGNING_SECRET")


# ---- the database ---------------------------------------------------------------------------


def test_serve_on_a_database_not_yet_migrated_says_to_run_db_upgrade(
    good_env: dict[str, str], fresh_database_url: str
) -> None:
    result = run_main(["serve"], {**good_env, "DATABASE_URL": fresh_database_url})

    assert_stops_with_one_line(result, 1, "`vsm-bot db upgrade`")


def test_db_upgrade_on_an_unreachable_postgresql_says_so_on_one_line() -> None:
    result = run_main(["db", "upgrade"], {"DATABASE_URL": UNREACHABLE_POSTGRES})

    assert_stops_with_one_line(result, 1, "DATABASE_URL", "127.0.0.1:1")
    assert "s3cret-password" not in result.stderr + result.stdout


def test_db_upgrade_twice_is_fine(fresh_database_url: str) -> None:
    env = {"DATABASE_URL": fresh_database_url}

    first = run_cli(["db", "upgrade"], env)
    second = run_cli(["db", "upgrade"], env)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in first.stderr + second.stderr
    engine = make_engine(fresh_database_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


# ---- health ---------------------------------------------------------------------------------


def healthz(bot: BotProcess) -> int:
    try:
        with urllib.request.urlopen(f"{bot.url}/healthz", timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def remove_the_bots_tables(database_url: str) -> None:
    """PostgreSQL: drop the bot's schema. SQLite: drop every table in its file."""
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                schema = connection.execute(text("SELECT current_schema()")).scalar_one()
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            else:
                tables = MetaData()
                tables.reflect(bind=connection)
                tables.drop_all(bind=connection)
    finally:
        engine.dispose()


def test_healthz_is_503_once_the_bots_schema_is_gone(
    fresh_database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    bot = BotProcess(
        fresh_database_url, fake_slack.api_url, BOT_TOKEN, SIGNING_SECRET, tmp_path, workers=1
    )
    bot.start()
    try:
        assert healthz(bot) == 200

        remove_the_bots_tables(fresh_database_url)

        assert healthz(bot) == 503
    finally:
        bot.stop()


# ---- tokens Slack refuses, and a Slack out of reach -----------------------------------------


@pytest.fixture
def migrated(fresh_database_url: str) -> str:
    upgrade = run_cli(["db", "upgrade"], {"DATABASE_URL": fresh_database_url})
    assert upgrade.returncode == 0, upgrade.stderr
    return fresh_database_url


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["clock"], ["run", "--port", "1"]])
@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive", "token_revoked"])
def test_a_bot_token_slack_refuses_stops_the_start_on_one_line(
    migrated: str, command: list[str], error: str
) -> None:
    with FakeSlack(token=BOT_TOKEN) as fake:
        fake.error("auth.test", error, times=5)
        result = run_cli(
            command,
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": migrated,
            },
        )
    line = assert_stops_with_one_line(result, 1, "SLACK_BOT_TOKEN", error)
    assert "Slack refused SLACK_BOT_TOKEN" in line


def test_an_app_token_slack_refuses_stops_socket_mode_on_one_line(migrated: str) -> None:
    with FakeSlack(token=BOT_TOKEN, app_token="xapp-the-right-one") as fake:
        result = run_cli(
            ["socket"],
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_APP_TOKEN": "xapp-a-wrong-one",
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": migrated,
            },
        )
    line = assert_stops_with_one_line(result, 1, "SLACK_APP_TOKEN")
    assert "invalid_auth" in line


def test_a_slack_out_of_reach_is_waited_for_one_line_per_try(migrated: str, tmp_path: Path) -> None:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": "http://127.0.0.1:1/api/",  # nothing listens on port 1
        "DATABASE_URL": migrated,
    }
    process = subprocess.Popen(
        [*bot_command(), "serve", "--port", "1"],
        env=base_env(env),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: list[str] = []
        assert process.stderr is not None
        while len([line for line in lines if "trying again" in line]) < 2:
            line = process.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
    finally:
        process.kill()
        process.wait(timeout=10)
    text = "".join(lines)
    assert "Traceback" not in text
    tries = [line for line in lines if "trying again" in line]
    assert "auth.test: cannot reach Slack at http://127.0.0.1:1/api/" in tries[0]
    assert "trying again in 1 s" in tries[0]
    assert "trying again in 2 s" in tries[1]
