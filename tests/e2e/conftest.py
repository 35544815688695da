"""The clock in the test's process, for the modules that tick (see tests/e2e/clocking.py)."""

from collections.abc import Iterator

import pytest

from tests.e2e.clocking import Clock, ClockCore, clock_core
from tests.support.botproc import BotProcess


@pytest.fixture(scope="module")
def module_clock(bot: BotProcess) -> Iterator[ClockCore]:
    """The core `vsm-bot tick` would build, on the `bot` in scope (a ticking module's own),
    built once for the module."""
    with clock_core(bot) as made:
        yield made


@pytest.fixture
def clock(module_clock: ClockCore, caplog: pytest.LogCaptureFixture) -> Clock:
    """`tick(clock, moment)` runs the module's clock at `moment`, with this test's logs."""
    return Clock(module_clock, caplog)
