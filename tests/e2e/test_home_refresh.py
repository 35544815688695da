"""Home tabs published in the background, in-process on the bot's own database and stand-in:
many refreshes asked for one person at once make few publishes, and the last one published
shows what the database held after the last ask."""

import json
from collections.abc import Iterator

import pytest

from commands.home import home_audience, home_for, home_opened
from commands.listeners.home import HomeRefresher
from storage.tenant import Tenant
from tests.e2e.clocking import ClockCore
from tests.e2e.surfaces import current_home, text_of
from tests.e2e.vsm_commands import define, ok
from tests.support.driver import SlackDriver


@pytest.fixture
def homes(module_clock: ClockCore) -> Iterator[HomeRefresher]:
    refresher = HomeRefresher(module_clock.core.services)
    yield refresher
    assert refresher.wait_until_idle()


def test_the_last_view_published_is_never_older_than_the_last_ask(
    slack: SlackDriver, homes: HomeRefresher, module_clock: ClockCore
) -> None:
    tenant = Tenant(team_id=slack.team_id)
    define(slack, "Onboarding", '"Step 0" people:<@UCY|cy>')
    home_opened(module_clock.core.services, tenant, "UCY")
    asks = 0
    for n in range(1, 8):
        ok(slack, f'step add "Onboarding" "Step {n}"')
        for _ in range(3):
            homes.refresh(tenant, ["UCY"])
            asks += 1

    assert homes.wait_until_idle()
    assert "8 steps" in text_of(current_home(slack, "UCY") or {})
    published = [
        c
        for c in slack.calls("views.publish")
        if json.loads(c.params["view"]["private_metadata"])["team"] == slack.team_id
    ]
    assert len(published) < asks + 7  # asks made while a view was being built were merged


def test_only_people_who_once_opened_the_home_have_it_published_again(
    slack: SlackDriver, homes: HomeRefresher, module_clock: ClockCore
) -> None:
    tenant = Tenant(team_id=slack.team_id)
    define(slack, "Onboarding", '"Review" people:<@UCY|cy> <@UNEVER|never>')
    home_opened(module_clock.core.services, tenant, "UCY")

    homes.refresh(tenant, ["UCY", "UNEVER"])

    assert homes.wait_until_idle()
    assert "Onboarding" in text_of(current_home(slack, "UCY") or {})
    assert current_home(slack, "UNEVER") is None  # their first opening publishes it


def test_the_home_use_case_reads_one_workspace_only(
    slack: SlackDriver, module_clock: ClockCore
) -> None:
    define(slack, "Onboarding", '"Review" people:<@UCY|cy>')
    services = module_clock.core.services

    mine = home_for(services, Tenant(team_id=slack.team_id), "UCY")
    elsewhere = home_for(services, Tenant(team_id="T0THEROTHER"), "UCY")

    assert [s.stream.name for s in mine.streams] == ["Onboarding"]
    assert elsewhere.streams == ()
    assert elsewhere.workspace_streams == 0
    assert home_audience(services, Tenant(team_id=slack.team_id), "Onboarding") == ("U1", "UCY")
    assert home_audience(services, Tenant(team_id="T0THEROTHER"), "Onboarding") == ()
