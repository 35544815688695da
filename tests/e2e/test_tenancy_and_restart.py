"""Each workspace sees only its own streams; what is stored survives a restart of the bot."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from standin.payloads import new_team_id
from standin.server import FakeSlack
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.vsm_commands import card, define, list_rows, ok, refused, shown, step_lines
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

MakeDriver = Callable[..., SlackDriver]


@pytest.fixture
def workspace(bot: BotProcess, fake_slack: FakeSlack) -> Iterator[MakeDriver]:
    """A factory of drivers for more workspaces on the same bot, closed afterwards."""
    drivers: list[SlackDriver] = []

    def make(team_id: str | None = None, enterprise_id: str | None = None) -> SlackDriver:
        driver = SlackDriver(bot.url, SIGNING_SECRET, fake_slack, team_id, enterprise_id)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.close()


# ---- tenancy --------------------------------------------------------------------------------


def test_two_workspaces_each_have_their_own_onboarding(workspace: MakeDriver) -> None:
    acme, globex = workspace(), workspace()
    define(acme, "Onboarding", "Contract team:Legal people:<@U1>", "Kickoff")
    define(globex, "Onboarding", '"Welcome call"', channel="C5")
    ok(acme, "new Sales")

    assert step_lines(card(acme, "Onboarding")) == ["*1. Contract* — Legal · <@U1>", "*2. Kickoff*"]
    assert step_lines(card(globex, "Onboarding")) == ["*1. Welcome call*"]
    assert list_rows(ok(acme, "list")) == ["• *Onboarding* — 2 steps", "• *Sales* — 0 steps"]
    assert list_rows(ok(globex, "list")) == ["• *Onboarding* — 1 step · <#C5>"]


def test_a_stream_of_one_workspace_cannot_be_seen_or_changed_from_another(
    workspace: MakeDriver,
) -> None:
    acme, globex = workspace(), workspace()
    define(acme, "Sales", "Qualify")
    before = card(acme, "Sales").all_text

    for command in (
        "show Sales",
        "show sa",
        "step add Sales Demo",
        "step edit Sales 1 team:Ops",
        "step remove Sales 1",
        "rename Sales Leads",
        "archive Sales",
    ):
        reply = refused(globex, command)
        assert "I don't know a stream called" in shown(reply), command
    assert card(acme, "Sales").all_text == before
    assert list_rows(ok(globex, "list")) == []
    ok(globex, "new Sales")  # the name is free in the other workspace


def test_the_same_team_in_another_enterprise_is_another_tenant(workspace: MakeDriver) -> None:
    team = new_team_id()
    plain = workspace(team)
    grid = workspace(team, "E" + team[1:])
    define(plain, "Onboarding", "Kickoff")

    assert "I don't know a stream called" in shown(refused(grid, "show Onboarding"))
    assert list_rows(ok(grid, "list")) == []
    define(grid, "Onboarding", "Badge")
    assert step_lines(card(grid, "Onboarding")) == ["*1. Badge*"]
    assert step_lines(card(plain, "Onboarding")) == ["*1. Kickoff*"]


# ---- restart --------------------------------------------------------------------------------


@pytest.fixture
def own_bot(fresh_database_url: str, fake_slack: FakeSlack, tmp_path: Path) -> Iterator[BotProcess]:
    """A bot process of this test's own, on a database of its own."""
    process = BotProcess(
        fresh_database_url, fake_slack.api_url, BOT_TOKEN, SIGNING_SECRET, tmp_path / "bot"
    )
    process.start()
    yield process
    process.stop()


def test_everything_stored_survives_a_restart(own_bot: BotProcess, fake_slack: FakeSlack) -> None:
    slack = SlackDriver(own_bot.url, SIGNING_SECRET, fake_slack)
    define(
        slack,
        "R&D <core>",
        '"Idea review" team:"Product & Co" people:<@U1|ann> <@U2>',
        "Build at:2",
        "Ship",
        options='trigger:"Idea" value:"Live" customer:"Users" basis:working hours:7.5 days:4',
        channel="C3",
    )
    ok(slack, "step move r&d 3 1")
    define(slack, "Old", "Gone")
    ok(slack, "archive Old")
    seen = [card(slack, "R&D <core>").all_text, card(slack, "Old").all_text]
    listing = ok(slack, "list").all_text

    own_bot.restart()

    assert [card(slack, "R&D <core>").all_text, card(slack, "Old").all_text] == seen
    assert ok(slack, "list").all_text == listing
    assert step_lines(card(slack, "r&d")) == [
        "*1. Ship*",
        "*2. Idea review* — Product & Co · <@U1>, <@U2>",
        "*3. Build*",
    ]
    assert "working time: 1 d = 7.5 h, 1 w = 4 d" in shown(card(slack, "r&d"))
    refused(slack, "new old")  # the archived name is still taken
