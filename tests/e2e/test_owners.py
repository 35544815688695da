"""Stream owners decide: a member who owns nothing can read, answer and propose but change
nothing; owners and workspace admins change a stream; every change is in its history; a
stream homed in a private channel stays out of sight of those outside it."""

from __future__ import annotations

import pytest

from standin.server import FakeSlack
from tests.e2e.vsm_commands import define, ok, refused, send, shown, workspace_state
from tests.support.driver import Reply, SlackDriver

OWNER, STRANGER, ADMIN = "UOWNER", "USTRANGER", "UADMIN"
HOME, ELSEWHERE = "C1", "C7"


def locked(reply: Reply) -> bool:
    first = reply.blocks[0] if reply.blocks else {}
    return str((first.get("text") or {}).get("text", "")).startswith(":lock:")


def not_allowed(slack: SlackDriver, text: str, user: str = STRANGER, channel: str = HOME) -> Reply:
    """A change `user` may not make: refused with who may, and nothing changed."""
    reply = send(slack, text, user=user, channel=channel)
    assert locked(reply), f"/vsm {text!r} by {user} was not refused: {reply.text}"
    return reply


def seed(slack: SlackDriver) -> None:
    """Onboarding, owned by OWNER, with two steps, an open cycle, a target, a schedule, an
    improvement and a digest in its home channel."""
    define(
        slack,
        "Onboarding",
        '"Contract review" people:<@UANN>',
        '"Kickoff" people:<@UBO>',
        channel=HOME,
    )


def as_owner(slack: SlackDriver, text: str) -> Reply:
    return ok(slack, text, user=OWNER, channel=HOME)


@pytest.fixture
def owned(slack: SlackDriver) -> SlackDriver:
    ok(slack, 'new "Onboarding"', user=OWNER, channel=HOME)
    as_owner(slack, 'step add Onboarding "Contract review" people:<@UANN>')
    as_owner(slack, 'step add Onboarding "Kickoff" people:<@UBO>')
    as_owner(slack, "target Onboarding lead:5d")
    as_owner(slack, "schedule Onboarding every 2 weeks at 9:00 tz:UTC")
    as_owner(slack, 'improve Onboarding "Intake form" step:1 owner:<@UANN>')
    as_owner(slack, "digest weekly")
    as_owner(slack, "measure Onboarding")
    return slack


CHANGES = [
    pytest.param('rename Onboarding "Mine now"', "rename it", id="rename"),
    pytest.param("archive Onboarding", "archive it", id="archive"),
    pytest.param('step add Onboarding "Sneaky"', "change its steps", id="step-add"),
    pytest.param('step edit Onboarding 1 name:"Other"', "change its steps", id="step-edit"),
    pytest.param("step move Onboarding 1 2", "change its steps", id="step-move"),
    pytest.param("step remove Onboarding 1", "change its steps", id="step-remove"),
    pytest.param("cancel Onboarding", "cancel its cycle", id="cancel"),
    pytest.param("close Onboarding", "close its cycle", id="close"),
    pytest.param("target Onboarding off", "change its target", id="target-off"),
    pytest.param("target Onboarding lead:1d", "change its target", id="target-set"),
    pytest.param("schedule Onboarding off", "change its schedule", id="schedule-off"),
    pytest.param("schedule Onboarding every 1 weeks", "change its schedule", id="schedule-set"),
    pytest.param("survey Onboarding reset", "change its survey", id="survey-reset"),
    pytest.param("survey Onboarding edit", "change its survey", id="survey-edit"),
    pytest.param("owners Onboarding add <@USTRANGER>", "change its owners", id="owners-add"),
    pytest.param("improvement Onboarding 1 dropped", "move its improvements on", id="kaizen"),
    pytest.param("digest off", "change this channel's digest", id="digest-off"),
]


@pytest.mark.parametrize(("command", "doing"), CHANGES)
def test_a_member_who_owns_nothing_changes_nothing(
    owned: SlackDriver, command: str, doing: str
) -> None:
    slack = owned
    before = workspace_state(slack, "Onboarding")
    history = shown(ok(slack, "history Onboarding"))

    reply = not_allowed(slack, command)

    text = shown(reply)
    assert f"Only the owners of *Onboarding* (<@{OWNER}>) or a workspace admin can {doing}" in (
        text
    )
    assert "Nothing was changed." in text
    assert workspace_state(slack, "Onboarding") == before
    assert shown(ok(slack, "history Onboarding")) == history


def test_everyone_may_read_answer_and_propose(owned: SlackDriver) -> None:
    slack = owned
    for command in (
        "show Onboarding",
        "list",
        "improvements Onboarding",
        "schedule Onboarding",
        "target Onboarding",
        "survey Onboarding",
        "owners Onboarding",
        "history Onboarding",
    ):
        ok(slack, command, user=STRANGER)
    added = ok(slack, 'improve Onboarding "Checklist" step:2', user=STRANGER)
    assert "#2" in shown(added)


def test_an_admin_may_change_any_stream(owned: SlackDriver, fake_slack: FakeSlack) -> None:
    slack = owned
    fake_slack.set_user(ADMIN, is_admin=True)

    ok(slack, 'rename Onboarding "Onboarding v2"', user=ADMIN)

    assert "Onboarding v2: 2 steps" in shown(ok(slack, 'show "Onboarding v2"'))
    assert f"<@{ADMIN}>" in shown(ok(slack, 'history "Onboarding v2"'))


def test_owners_add_others_who_then_may_change(owned: SlackDriver) -> None:
    slack = owned
    reply = as_owner(slack, "owners Onboarding add <@UNEW|new> <@UOWNER>")
    assert f"added <@UNEW>. Now owned by <@{OWNER}>, <@UNEW>." in shown(reply)

    ok(slack, 'step add Onboarding "Handover"', user="UNEW")

    card = shown(ok(slack, "show Onboarding"))
    assert f"Owners: <@{OWNER}>, <@UNEW>" in card
    assert "Handover" in card


def test_the_last_owner_cannot_be_removed(owned: SlackDriver) -> None:
    reply = refused(owned, "owners Onboarding remove <@UOWNER>", user=OWNER)
    assert "would have no owner left" in shown(reply)


def test_an_improvement_s_own_owner_may_move_it_on(owned: SlackDriver) -> None:
    reply = ok(owned, "improvement Onboarding 1 doing", user="UANN")
    assert "doing" in shown(reply)
    not_allowed(owned, "improvement Onboarding 1 done", user="UBO")


def test_the_digest_of_a_channel_without_streams_is_anyone_s(slack: SlackDriver) -> None:
    ok(slack, "digest weekly", user=STRANGER, channel="C5")
    ok(slack, "digest off", user="UOTHER", channel="C5")


def test_history_records_who_changed_what_newest_first(owned: SlackDriver) -> None:
    slack = owned
    as_owner(slack, 'rename Onboarding "Onboard"')
    as_owner(slack, 'step edit Onboard 2 name:"Kickoff call"')

    lines = [line for line in shown(ok(slack, "history Onboard")).splitlines() if "•" in line]

    assert (
        f"<@{OWNER}> · changed step *Kickoff call*: 2. Kickoff (<@UBO>) → 2. Kickoff call"
        in (lines[0])
    )
    assert f"<@{OWNER}> · renamed it: Onboarding → Onboard" in lines[1]
    assert "created the stream" in lines[-1]


def test_history_comes_in_pages(slack: SlackDriver) -> None:
    ok(slack, 'new "Paged"')
    for n in range(20):
        ok(slack, f'step add Paged "Step {n}"')

    first = shown(ok(slack, "history Paged"))
    second = shown(ok(slack, "history Paged 2"))

    assert "Page 1 of 2 (21 changes)" in first
    assert '`/vsm history "Paged" 2`' in first
    assert "added step *Step 19*" in first
    assert "created the stream" in second
    assert "added step *Step 19*" not in second


def test_the_export_lists_owners_and_changes(owned: SlackDriver, database_url: str) -> None:
    from tests.support.botproc import run_cli

    result = run_cli(
        ["export", "Onboarding", "--format", "json", "--team", owned.team_id],
        {"DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    import json

    export = json.loads(result.stdout)
    assert export["owners"] == [OWNER]
    whats = [change["what"] for change in export["changes"]]
    assert whats == [
        "create",
        "step.add",
        "step.add",
        "target.set",
        "schedule.set",
        "cycle.open",
    ]
    assert {change["by"] for change in export["changes"]} == {OWNER}


# ---- private channels ------------------------------------------------------------------------


@pytest.fixture
def private(slack: SlackDriver, fake_slack: FakeSlack) -> SlackDriver:
    fake_slack.set_channel("G1PRIVATE", members=[OWNER, "UMEMBER"])
    ok(slack, 'new "Secret plan"', user=OWNER, channel="G1PRIVATE")
    ok(slack, 'step add "Secret plan" "Scheme"', user=OWNER, channel="G1PRIVATE")
    ok(slack, 'new "Open plan"', user=OWNER, channel=HOME)
    return slack


def test_a_private_channel_s_stream_is_not_listed_to_outsiders(private: SlackDriver) -> None:
    outsider = shown(ok(private, "list", user=STRANGER))
    member = shown(ok(private, "list", user="UMEMBER"))

    assert "Open plan" in outsider
    assert "Secret plan" not in outsider
    assert "Secret plan" in member


@pytest.mark.parametrize(
    "command",
    [
        'show "Secret plan"',
        'export "Secret plan"',
        'compare "Secret plan"',
        'history "Secret plan"',
        'improve "Secret plan" "Peek"',
        "show Secret",  # a unique beginning of the name finds nothing either
    ],
)
def test_a_private_channel_s_stream_is_unknown_to_outsiders(
    private: SlackDriver, command: str
) -> None:
    reply = refused(private, command, user=STRANGER)
    assert "I don't know a stream called" in shown(reply)
    assert private.calls("files.completeUploadExternal") == []


def test_a_member_of_the_private_channel_sees_its_stream(private: SlackDriver) -> None:
    assert "Secret plan: 1 step" in shown(ok(private, 'show "Secret plan"', user="UMEMBER"))
