"""SQLite runs one clock: the lock beside its file, taken by one clock at a time; PostgreSQL
(and a database in memory) need none."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.app import build_core
from bot.clock import start_background_clock
from bot.clock_lock import ClockLock
from bot.settings import Settings
from storage.migrate import upgrade_database
from tests.support.cli_in_process import clear_bot_settings

WAIT_TIMEOUT = 10.0


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://postgres@127.0.0.1:5432/test", "sqlite://", "sqlite:///:memory:"],
)
def test_only_a_sqlite_file_has_a_clock_lock(url: str) -> None:
    assert ClockLock.for_engine(create_engine(url)) is None


def test_one_clock_at_a_time_holds_the_lock_beside_the_sqlite_file(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'vsm.db'}")
    first, second = ClockLock.for_engine(engine), ClockLock.for_engine(engine)
    assert first is not None
    assert second is not None
    assert first.path == tmp_path / "vsm.db.clock-lock"

    assert first.try_acquire()
    assert not second.try_acquire()
    assert second.holder() == str(os.getpid())

    first.release()
    assert second.try_acquire()
    assert not first.try_acquire()
    second.release()


def test_a_background_clock_waits_for_the_lock_then_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_bot_settings(monkeypatch)  # only what the test says: nothing from the shell
    url = f"sqlite:///{tmp_path / 'vsm.db'}"
    settings = Settings(
        slack_bot_token="xoxb-unused",  # nothing is sent: no work is due
        slack_api_url="http://127.0.0.1:9/api/",
        database_url=url,
        _env_file=None,
    )
    core = build_core(settings)
    upgrade_database(core.engine)
    other = ClockLock.for_engine(core.engine)
    assert other is not None
    assert other.try_acquire()
    scheduler = start_background_clock(core)
    try:
        assert not scheduler.running
        other.release()
        deadline = time.monotonic() + WAIT_TIMEOUT
        while not scheduler.running:
            assert time.monotonic() < deadline, "the clock never started"
            time.sleep(0.02)
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        core.engine.dispose()
