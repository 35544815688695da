"""A line of progress at least every PROGRESS_EVERY_S seconds of a long run.

pytest's `-q` dots fill a line only every 72 tests, and with test workers the slow end of a
run can take longer than that; whoever reads the output line by line (CI, `make test | tee`)
sees a line like this instead:

    [ 40 s] 812 of 1323 tests done

Registered by tests/conftest.py in the process that reports (with pytest-xdist: the controller).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

PROGRESS_EVERY_S = 20.0


class Progress:
    """Counts finished tests and writes a line when the last one is PROGRESS_EVERY_S old."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._started = self._said = time.monotonic()
        self._done = 0
        self._total: int | None = None

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._total = len(session.items) or self._total

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self._total = len(ids)  # every worker collects the whole suite

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown":
            return
        self._done += 1
        now = time.monotonic()
        if now - self._said < PROGRESS_EVERY_S:
            return
        self._said = now
        reporter = self._config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        of_total = f" of {self._total}" if self._total else ""
        reporter.write_line(f"[{now - self._started:3.0f} s] {self._done}{of_total} tests done")
