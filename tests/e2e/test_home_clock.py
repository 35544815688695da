"""The clock publishes the Home tabs a scheduled cycle changes: when it opens, the people
named at its steps find what they owe without opening the tab again; when it closes, it is
gone. A module of its own bot, as the clock's tests are: a tick does every workspace's work."""

from collections.abc import Iterator
from datetime import timedelta

import pytest

from standin.server import FakeSlack
from tests.e2e.clocking import Clock, schedule, tick
from tests.e2e.clocking import own_bot as make_own_bot
from tests.e2e.surfaces import home_until, open_home, text_of
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with make_own_bot(tmp_path_factory.mktemp("home-clock")) as made:
        yield made


@pytest.fixture(scope="module")
def fake_slack(own: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return own[0]


@pytest.fixture(scope="module")
def bot(own: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return own[1]


def test_a_cycle_the_clock_opens_and_closes_shows_in_the_home_by_itself(
    slack: SlackDriver, clock: Clock
) -> None:
    due = schedule(slack, "Releases", "every 1 weeks at 9:00 window:1d tz:UTC", "CREL")
    open_home(slack, "UBO", lambda v: "Releases" in text_of(v))

    tick(clock, due)
    owed = home_until(slack, "UBO", lambda v: "Answers you owe" in text_of(v))
    assert "*Releases*, cycle 1 in <#CREL>: 2. Account setup" in text_of(owed)

    tick(clock, due + DAY)  # nobody answered: cancelled at the window's end
    home_until(slack, "UBO", lambda v: "Answers you owe" not in text_of(v))
