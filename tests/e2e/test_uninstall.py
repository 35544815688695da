"""A workspace that uninstalls the app (or revokes its bot token) is no longer served: its
tokens go, its schedules and digests stop, nothing more is posted there; its data stays until
an operator forgets it with `vsm-bot workspace forget T… --confirm T…`.
"""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from standin import payloads
from standin.server import FakeSlack
from tests.conftest import SIGNING_SECRET
from tests.e2e.clocking import next_instant, schedule, tick_process
from tests.e2e.installing import add_to_slack, oauth_bot
from tests.e2e.vsm_commands import ok
from tests.support.botproc import BotProcess
from tests.support.driver import JSON, SlackDriver, SlackRequest

WHEN = "every 1 weeks at 9:00 window:1d tz:UTC"


@pytest.fixture(scope="module")
def installing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with oauth_bot(tmp_path_factory.mktemp("uninstall")) as made:
        yield made


@pytest.fixture
def fake(installing: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return installing[0]


@pytest.fixture
def bot(installing: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return installing[1]


def installed(
    fake: FakeSlack, bot: BotProcess, team_id: str, enterprise_id: str | None = None
) -> SlackDriver:
    """Install the app into the workspace; a driver for it."""
    fake.oauth.next_install(
        team_id, enterprise_id, enterprise_id is not None, team_name=f"Team {team_id}"
    )
    assert add_to_slack(bot.url).status == 200
    return SlackDriver(bot.url, SIGNING_SECRET, fake, team_id=team_id, enterprise_id=enterprise_id)


def measured_and_digested(slack: SlackDriver, channel: str) -> datetime:
    """A stream measured every week and the channel's weekly digest; when both are next due."""
    due = schedule(slack, f"Stream of {slack.team_id}", WHEN, channel)
    digest = next_instant(ok(slack, "digest weekly on mon at 9:00 tz:UTC", channel=channel))
    return max(due, digest)


def gone(slack: SlackDriver, event: dict[str, Any], *, org_wide: bool = False) -> int:
    """Slack tells the bot the app is gone (the event comes signed, as Slack sends it)."""
    envelope = payloads.event_callback(slack.workspace, event, event_id=payloads.new_event_id())
    envelope["authorizations"][0]["is_enterprise_install"] = org_wide
    envelope["is_enterprise_install"] = org_wide
    return slack.send(SlackRequest(json.dumps(envelope).encode(), JSON)).status


def workspace_list(bot: BotProcess) -> str:
    result = bot.run_cli(["workspace", "list"])
    assert result.returncode == 0, result.stderr
    return result.stdout


def line_of(listing: str, team_id: str) -> str:
    [line] = [line for line in listing.splitlines() if line.startswith(team_id)]
    return line


def test_an_uninstalled_workspace_is_stopped_and_its_data_kept(
    fake: FakeSlack, bot: BotProcess
) -> None:
    slack = installed(fake, bot, "T0GONE")
    due = measured_and_digested(slack, "C0GONE")
    # A cycle open when the app goes: its window ends, and what it says has nowhere to go.
    ok(slack, 'measure "Stream of T0GONE" window:1h', channel="C0GONE")
    assert "installed" in line_of(workspace_list(bot), "T0GONE")

    assert gone(slack, {"type": "app_uninstalled"}) == 200
    fake.uninstall("T0GONE")  # Slack's side: the tokens stop working

    line = line_of(workspace_list(bot), "T0GONE")
    assert "not installed (data kept)" in line
    assert " 1 " in line  # its stream is still there
    mark = fake.mark()
    ticked = tick_process(bot, due)  # logs no ERROR: a message for a workspace gone is no fault
    assert "cancelled 1" in ticked.stdout  # no answers came: its end is still recorded
    assert "the app is not installed there" in ticked.stderr
    assert [c for c in fake.calls_since(mark) if c.team_id == "T0GONE"] == []
    reply = slack.command("list")
    assert "reinstall" in reply.all_text.lower()


def test_a_reinstalled_workspace_finds_its_streams_again(fake: FakeSlack, bot: BotProcess) -> None:
    slack = installed(fake, bot, "T0BACK")
    measured_and_digested(slack, "C0BACK")
    assert gone(slack, {"type": "app_uninstalled"}) == 200

    again = installed(fake, bot, "T0BACK")

    assert "Stream of T0BACK" in ok(again, "list").all_text
    assert "installed" in line_of(workspace_list(bot), "T0BACK")


def test_a_revoked_bot_token_stops_the_workspace_and_a_persons_does_not(
    fake: FakeSlack, bot: BotProcess
) -> None:
    slack = installed(fake, bot, "T0REVOKE")
    due = measured_and_digested(slack, "C0REVOKE")

    revoked_person = {"type": "tokens_revoked", "tokens": {"oauth": ["U0SOMEONE"]}}
    assert gone(slack, revoked_person) == 200
    assert "not installed" not in line_of(workspace_list(bot), "T0REVOKE")

    revoked_bot = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}}
    assert gone(slack, revoked_bot) == 200
    assert "not installed (data kept)" in line_of(workspace_list(bot), "T0REVOKE")
    mark = fake.mark()
    tick_process(bot, due)
    assert [c for c in fake.calls_since(mark) if c.team_id == "T0REVOKE"] == []


def test_an_org_wide_uninstall_stops_every_workspace_of_the_org(
    fake: FakeSlack, bot: BotProcess
) -> None:
    one = installed(fake, bot, "T0ORGONE", "E0GONE")
    two = SlackDriver(bot.url, SIGNING_SECRET, fake, team_id="T0ORGTWO", enterprise_id="E0GONE")
    due = max(measured_and_digested(one, "C0ORGONE"), measured_and_digested(two, "C0ORGTWO"))
    org_line = [line for line in workspace_list(bot).splitlines() if "E0GONE" in line]
    assert [line.split()[0] for line in org_line] == ["(org-wide)", "T0ORGONE", "T0ORGTWO"]

    assert gone(one, {"type": "app_uninstalled"}, org_wide=True) == 200

    listing = workspace_list(bot)
    assert "not installed (data kept)" in line_of(listing, "T0ORGONE")
    assert "not installed (data kept)" in line_of(listing, "T0ORGTWO")
    assert "(org-wide)" not in listing
    mark = fake.mark()
    tick_process(bot, due)
    assert [c for c in fake.calls_since(mark) if c.enterprise_id == "E0GONE"] == []


def test_forgetting_a_workspace_takes_the_team_id_twice(fake: FakeSlack, bot: BotProcess) -> None:
    slack = installed(fake, bot, "T0FORGET")
    measured_and_digested(slack, "C0FORGET")

    still_installed = bot.run_cli(["workspace", "forget", "T0FORGET", "--confirm", "T0FORGET"])
    assert still_installed.returncode == 1
    assert "still has the app installed" in still_installed.stderr
    assert gone(slack, {"type": "app_uninstalled"}) == 200

    asked = bot.run_cli(["workspace", "forget", "T0FORGET"])
    assert asked.returncode == 1
    assert "--confirm T0FORGET" in asked.stdout
    mistyped = bot.run_cli(["workspace", "forget", "T0FORGET", "--confirm", "T0FORGOT"])
    assert mistyped.returncode == 1
    assert "nothing deleted" in mistyped.stderr
    assert "T0FORGET" in workspace_list(bot)

    done = bot.run_cli(["workspace", "forget", "T0FORGET", "--confirm", "T0FORGET"])

    assert done.returncode == 0, done.stderr
    assert "stream 1" in done.stdout
    assert "T0FORGET" not in workspace_list(bot)
    unknown = bot.run_cli(["workspace", "forget", "T0FORGET", "--confirm", "T0FORGET"])
    assert unknown.returncode == 1
    assert "no workspace T0FORGET" in unknown.stderr
