"""`vsm-bot clock` as a process: it ticks soon after it starts and stops cleanly on SIGTERM;
and a bad `--now` stops `tick` with one line (bot.cli.main, in the test's process)."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from standin.server import FakeSlack
from storage.engine import make_engine
from storage.models import DigestSchedule
from storage.schedules import save_digest_schedule
from storage.tenant import Tenant
from tests.bot.test_cli import assert_stops_with_one_line
from tests.conftest import BOT_TOKEN
from tests.support import databases
from tests.support.botproc import base_env, bot_command
from tests.support.cli_in_process import run_main

CHANNEL = "CCLOCK"
FIRST_TICK_TIMEOUT = 15.0  # the clock's first tick runs as it starts
STOP_TIMEOUT = 20.0


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake
    assert fake.internal_errors == []


@pytest.fixture
def env(fresh_database_url: str, fake: FakeSlack) -> dict[str, str]:
    """The clock's settings, on a migrated database of its own."""
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": fresh_database_url,
        "LOG_LEVEL": "INFO",
    }
    upgrade = run_main(["db", "upgrade"], settings)
    assert upgrade.returncode == 0, upgrade.stderr
    return settings


def add_due_digest(database_url: str, channel: str = CHANNEL) -> None:
    """A channel's weekly digest whose time came a minute ago."""
    now = datetime.now(UTC)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            save_digest_schedule(
                session=session,
                tenant=Tenant(team_id="TCLOCK"),
                schedule=DigestSchedule(
                    team_id="TCLOCK",
                    channel_id=channel,
                    weekday=now.weekday(),
                    at_time=f"{now:%H:%M}",
                    zone="UTC",
                    anchor=date.today(),
                    next_run_at=now - timedelta(minutes=1),
                    created_by="U1",
                    created_at=now,
                ),
            )
            session.commit()
    finally:
        engine.dispose()


def start_clock(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """`vsm-bot clock` started, its output going to `log_path`."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [*bot_command(), "clock"],
            env=base_env(env),
            cwd=log_path.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for_line(log_path: Path, text: str, timeout: float = FIRST_TICK_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while text not in log_path.read_text():
        assert time.monotonic() < deadline, f"no {text!r} in:\n{log_path.read_text()}"
        time.sleep(0.05)


def stop(clock: subprocess.Popen[bytes]) -> int:
    clock.send_signal(signal.SIGTERM)
    try:
        return clock.wait(timeout=STOP_TIMEOUT)
    finally:
        if clock.poll() is None:
            clock.kill()
            clock.wait()


def test_the_clock_ticks_when_it_starts_and_stops_cleanly_on_sigterm(
    env: dict[str, str], fake: FakeSlack, tmp_path: Path
) -> None:
    add_due_digest(env["DATABASE_URL"])
    log_path = tmp_path / "clock.log"
    clock = start_clock(env, log_path)
    try:
        [digest] = fake.wait_for("chat.postMessage", timeout=FIRST_TICK_TIMEOUT)
        clock.send_signal(signal.SIGTERM)
        code = clock.wait(timeout=STOP_TIMEOUT)
    finally:
        if clock.poll() is None:
            clock.kill()
            clock.wait()

    output = log_path.read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert "sent 1 of 1" in output  # the running tick was finished, not cut off
    assert digest.ok
    assert digest.params["channel"] == CHANNEL
    assert digest.params["text"].startswith("No value streams are homed in this channel yet")
    assert len(fake.calls("chat.postMessage")) == 1  # the digest's next run is next week


WAITS = "runs on this SQLite database; this one waits and takes over when it stops"
STARTED = "clock: started, ticking every"


def test_a_second_clock_waits_on_sqlite_and_runs_beside_the_first_on_postgresql(
    env: dict[str, str], fake: FakeSlack, tmp_path: Path
) -> None:
    on_sqlite = databases.postgres_base_url() is None
    url = env["DATABASE_URL"]
    add_due_digest(url, channel="CFIRST")
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_clock(env, first_log)
    second: subprocess.Popen[bytes] | None = None
    try:
        fake.wait_for("chat.postMessage", timeout=FIRST_TICK_TIMEOUT)
        add_due_digest(url, channel="CSECOND")
        second = start_clock(env, second_log)
        if on_sqlite:
            wait_for_line(second_log, WAITS)
            assert f"another clock (pid {first.pid})" in second_log.read_text()
            assert STARTED not in second_log.read_text()
            assert stop(first) == 0, first_log.read_text()
            wait_for_line(second_log, "the other clock stopped; this one runs now")
        # The second clock ticks as it starts: the digest due by then goes out, once.
        fake.wait_for("chat.postMessage", timeout=FIRST_TICK_TIMEOUT, count=2)
        wait_for_line(second_log, STARTED)
        codes = [stop(clock) for clock in (first, second)]
    finally:
        for clock in (first, second):
            if clock is not None and clock.poll() is None:
                clock.kill()
                clock.wait()
    assert codes == [0, 0]
    logs = first_log.read_text() + second_log.read_text()
    assert (WAITS in logs) is on_sqlite  # PostgreSQL runs any number of clocks
    assert "Traceback" not in logs
    assert sorted(c.params["channel"] for c in fake.calls("chat.postMessage")) == [
        "CFIRST",
        "CSECOND",
    ]


def test_tick_with_an_instant_that_is_not_one_stops_with_one_line(env: dict[str, str]) -> None:
    result = run_main(["tick", "--now", "nonsense"], env)

    line = assert_stops_with_one_line(result, 2, "--now", "nonsense")
    assert "ISO-8601" in line
