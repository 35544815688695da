"""The forms, end to end from the Home tab: each is read with the rules of the command it
stands in for and runs the same use case, so a form and its command accept and refuse the
same things, in the same words; field errors come back under their field."""

from typing import Any

from standin import blockkit
from standin.server import FakeSlack
from tests.conftest import SIGNING_SECRET
from tests.e2e.measuring import HOME, STREAM, cycle_message
from tests.e2e.surfaces import (
    View,
    click,
    click_home,
    find_element,
    inputs,
    open_home,
    opened_by,
    options_of,
    submit_form,
    text_of,
)
from tests.e2e.vsm_commands import card, define, ok, readable, refused, shown, step_lines
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

STEPS = ('"Contract review" team:"Legal" people:<@UANN|ann>', '"Account setup"')


def home_of(slack: SlackDriver, user: str = "U1") -> View:
    return open_home(slack, user, lambda v: STREAM in text_of(v))


def stream_id(slack: SlackDriver) -> str:
    return str(find_element(home_of(slack), "home_add_step")["value"])


def done_text(answer: dict[str, Any]) -> str:
    """What the form shows once done: a view Slack takes, as a person reads it."""
    assert answer.get("response_action") == "update", answer
    assert blockkit.view_errors(answer["view"]) == []
    return readable(text_of(answer["view"]))


def test_a_new_stream_from_the_home_is_made_by_the_same_rules_as_new(slack: SlackDriver) -> None:
    modal = click_home(slack, open_home(slack, "U1"), "home_new_stream", "U1")
    assert modal["callback_id"] == "form_new_stream"

    answer = submit_form(
        slack, modal, "U1", name="Onboarding", channel="C7", trigger="Contract signed",
        basis="working", hours="7.5",
    )  # fmt: skip

    assert "Created *Onboarding*, homed in <#C7>." in done_text(answer)
    assert "working time: 1 d = 7.5 h" in shown(card(slack, STREAM))
    again = submit_form(slack, modal, "U1", name="ONBOARDING", channel="C1")
    slash = refused(slack, 'new "ONBOARDING"')
    assert again["errors"] == {
        "name": "A stream called “Onboarding” already exists. Pick another name."
    }
    assert again["errors"]["name"] in shown(slash)


def test_the_new_stream_form_refuses_bad_fields_under_each(slack: SlackDriver) -> None:
    modal = click_home(slack, open_home(slack, "U1"), "home_new_stream", "U1")

    answer = submit_form(slack, modal, "U1", name="x" * 81, trigger="a\nb", hours="30")

    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "name": "At most 80 characters; this has 81.",
        "channel": "Pick the channel where the team works.",
        "trigger": "One line, please.",
        "hours": "Give a number from 1 to 24.",
    }
    calendar = submit_form(slack, modal, "U1", name="Ops", channel="C1", days="4")
    assert calendar["errors"] == {
        "basis": "hours: and days: set a working-time basis; add basis:working to use them."
    }
    assert "Ops" not in shown(ok(slack, "list"))


def test_steps_are_added_with_people_picked_and_changed_moved_and_removed(
    slack: SlackDriver,
) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    sid = stream_id(slack)

    add = click_home(slack, home_of(slack), "home_add_step", "U1", sid)
    answer = submit_form(
        slack, add, "U1", name="Kickoff call", team="CS", people=["UBO", "UCY"], at="2"
    )
    assert "Kickoff call" in done_text(answer)
    assert step_lines(card(slack, STREAM)) == [
        "*1. Contract review* — Legal · <@UANN>",
        "*2. Kickoff call* — CS · <@UBO>, <@UCY>",
        "*3. Account setup*",
    ]

    change = click_home(slack, home_of(slack), "home_change_step", "U1", pick=f"{sid}:2")
    assert inputs(change)["name"]["element"]["initial_value"] == "Kickoff call"
    assert inputs(change)["people"]["element"]["initial_users"] == ["UBO", "UCY"]
    both = submit_form(slack, change, "U1", name="Kick-off", position="3")
    assert both["errors"] == {
        "position": "Move the step on its own: change only its position, or put it back."
    }
    assert (
        submit_form(slack, change, "U1", name="Kick-off", people=["UBO"])["response_action"]
        == "update"
    )
    assert step_lines(card(slack, STREAM))[1] == "*2. Kick-off* — CS · <@UBO>"

    moved = click_home(slack, home_of(slack), "home_change_step", "U1", pick=f"{sid}:2")
    assert submit_form(slack, moved, "U1", position="3")["response_action"] == "update"
    assert [line.split("*")[1] for line in step_lines(card(slack, STREAM))] == [
        "1. Contract review", "2. Account setup", "3. Kick-off",
    ]  # fmt: skip

    gone = click_home(slack, home_of(slack), "home_change_step", "U1", pick=f"{sid}:1")
    assert submit_form(slack, gone, "U1", remove=["remove"])["response_action"] == "update"
    assert len(step_lines(card(slack, STREAM))) == 2


def test_a_step_form_opened_before_the_steps_moved_changes_nothing(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    sid = stream_id(slack)
    change = click_home(slack, home_of(slack), "home_change_step", "U1", pick=f"{sid}:1")
    ok(slack, 'step move "Onboarding" 1 2')

    stale = submit_form(slack, change, "U1", remove=["remove"])

    assert stale["errors"] == {
        "name": "The steps changed since this form opened; close it and pick the step again."
    }
    assert len(step_lines(card(slack, STREAM))) == 2


def test_only_owners_get_the_forms_that_change_a_stream(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    sid = stream_id(slack)
    owner_home = home_of(slack)

    _, trigger = click(slack, owner_home, find_element(owner_home, "home_add_step", sid), "UZED")
    notice = opened_by(slack, trigger)
    assert "Only the owners of *Onboarding* (<@U1>) or a workspace admin can change its steps" in (
        text_of(notice)
    )
    add = click_home(slack, owner_home, "home_add_step", "U1", sid)
    refusal = submit_form(slack, add, "UZED", name="Sneaky")  # a form that reached someone else
    assert refusal["errors"] == {
        "name": "Only the owners of “Onboarding” or a workspace admin can change its steps."
    }
    assert len(step_lines(card(slack, STREAM))) == 2


def test_measure_now_opens_a_cycle_picked_among_the_streams_one_may_change(
    slack: SlackDriver,
) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    define(slack, "Not mine", '"Step"', channel=HOME)  # also U1's
    ok(slack, 'owners "Not mine" add <@UBO|bo>')
    ok(slack, 'owners "Not mine" remove <@U1|u1>', user="UBO")
    home = home_of(slack)
    bottom = [b for b in home["blocks"] if b["type"] == "actions"][-1]
    measure = next(e for e in bottom["elements"] if e["action_id"] == "home_measure")
    _, trigger = click(slack, home, measure, "U1")
    modal = opened_by(slack, trigger)
    assert options_of(inputs(modal)["stream"]) == [stream_id(slack)]

    answer = submit_form(
        slack, modal, "U1", stream=stream_id(slack), label="Baseline", window="soon"
    )
    slash = refused(slack, 'measure "Onboarding" window:soon')
    assert answer["errors"]["window"] in shown(slash)

    answer = submit_form(slack, modal, "U1", stream=stream_id(slack), label="Baseline", window="2d")
    assert "Opened cycle 1" in done_text(answer)
    posted = slack.wait_for("chat.postMessage", lambda c: "Measuring Onboarding" in str(c.params))
    assert cycle_message(slack, posted[0].response["ts"])["channel"] == HOME


def test_the_schedule_form_sets_what_the_command_would(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    define(slack, "Twin", *STEPS, channel=HOME)
    modal = click_home(slack, home_of(slack), "home_schedule", "U1", stream_id(slack))

    bad = submit_form(slack, modal, "U1", every="2", unit="days", weekday="monday")
    assert bad["response_action"] == "errors"
    assert bad["errors"]["every"] in shown(refused(slack, 'schedule "Twin" every 2 days on monday'))
    answer = submit_form(
        slack, modal, "U1", every="2", weekday="monday", at="09:30", window="2d", tz="Europe/Berlin"
    )
    by_form = done_text(answer)
    ok(slack, 'schedule "Twin" every 2 weeks on monday at 09:30 window:2d tz:Europe/Berlin')

    assert shown(ok(slack, 'schedule "Onboarding"')).replace("Onboarding", "X") == shown(
        ok(slack, 'schedule "Twin"')
    ).replace("Twin", "X")
    assert "every 2 weeks" in by_form


def test_the_target_form_reads_like_the_target_command(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    modal = click_home(slack, home_of(slack), "home_target", "U1", stream_id(slack))

    empty = submit_form(slack, modal, "U1")
    assert empty["errors"] == {
        "lead": "Give at least one of lead time, activity ratio or rolled %C&A."
    }
    bad = submit_form(slack, modal, "U1", ratio="150%")
    assert bad["errors"]["ratio"] in shown(refused(slack, 'target "Onboarding" ratio:150%'))

    answer = submit_form(slack, modal, "U1", lead="5d", ratio="10%", by="2099-06-30")
    assert answer["response_action"] == "update"
    lines = done_text(answer).splitlines()
    assert lines[0] == ":dart: Target set for *Onboarding*:"
    assert lines[1:] == readable(text_of(ok(slack, 'target "Onboarding"').payload)).splitlines()[1:]


def test_an_improvement_proposed_with_the_form_acts_on_the_step_picked(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    sid = stream_id(slack)
    modal = click_home(slack, home_of(slack, "UANN"), "home_propose", "UANN", sid)
    where = inputs(modal)["where"]
    assert where["element"]["initial_option"]["value"] == f"{sid}:0"
    assert options_of(where) == [f"{sid}:0", f"{sid}:1", f"{sid}:2"]

    bad = submit_form(slack, modal, "UANN", title="Checklist", expect="wait soon")
    assert bad["errors"]["expect"] in shown(
        refused(slack, 'improve "Onboarding" "Checklist" expect:"wait soon"')
    )
    answer = submit_form(
        slack, modal, "UANN", where=f"{sid}:1", title="Checklist", expect="wait -2d"
    )

    assert "#1" in done_text(answer)
    listed = shown(ok(slack, 'improvements "Onboarding"'))
    assert "Checklist" in listed
    assert "Contract review" in listed


def _shown_values(modal: View) -> dict[str, Any]:
    found = {}
    for block_id, block in inputs(modal).items():
        element = block["element"]
        for key in ("initial_value", "initial_time", "initial_date"):
            if key in element:
                found[block_id] = element[key]
        if "initial_option" in element:
            found[block_id] = element["initial_option"]["value"]
    return found


def test_the_schedule_and_target_forms_show_what_is_set_and_can_turn_it_off(
    slack: SlackDriver,
) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    sid = stream_id(slack)
    ok(slack, 'schedule "Onboarding" every 2 weeks on friday at 14:15 window:36h tz:Asia/Tokyo')
    ok(slack, 'target "Onboarding" lead:"4d 12h" ratio:12.5% by:2099-01-31')
    before = shown(ok(slack, 'schedule "Onboarding"'))

    schedule = click_home(slack, home_of(slack), "home_schedule", "U1", sid)
    assert _shown_values(schedule) == {
        "every": "2", "unit": "weeks", "weekday": "friday", "at": "14:15",
        "window": "1d 12h", "tz": "Asia/Tokyo",
    }  # fmt: skip
    assert submit_form(slack, schedule, "U1")["response_action"] == "update"  # saved unchanged
    assert shown(ok(slack, 'schedule "Onboarding"')) == before
    target = click_home(slack, home_of(slack), "home_target", "U1", sid)
    assert _shown_values(target) == {"lead": "4d 12h", "ratio": "12.5%", "by": "2099-01-31"}

    stop = click_home(slack, home_of(slack), "home_schedule", "U1", sid)
    assert submit_form(slack, stop, "U1", off=["off"])["response_action"] == "update"
    assert submit_form(slack, target, "U1", off=["off"])["response_action"] == "update"
    assert "has no schedule" in shown(ok(slack, 'schedule "Onboarding"'))
    assert "off" not in inputs(click_home(slack, home_of(slack), "home_target", "U1", sid))


def test_a_form_or_button_naming_another_workspaces_stream_finds_nothing(
    slack: SlackDriver, bot: BotProcess, fake_slack: FakeSlack
) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    theirs = stream_id(slack)
    other = SlackDriver(bot.url, SIGNING_SECRET, fake_slack)
    home = open_home(other, "U1")

    _, trigger = click(
        other, home, {"action_id": "home_add_step", "type": "button", "value": theirs}, "U1"
    )
    assert "That stream is not there any more" in text_of(opened_by(other, trigger))
    add = click_home(other, home, "home_new_stream", "U1")  # any form: its metadata is forged
    forged = other.view_submission(
        "form_step_add",
        {"name": {"value": "Sneaky"}, "stream": {"value": {"type": "static_select",
                                                           "selected_option": {"value": theirs}}}},
        private_metadata="{}",
        user="U1",
        view_id=add["id"],
    )  # fmt: skip
    assert forged == {
        "response_action": "errors",
        "errors": {"stream": "That stream is not there any more (or is archived)."},
    }
    garbage = other.view_submission("form_nonsense", {"x": {"value": "y"}}, user="U1")
    assert garbage["response_action"] == "errors"
    assert len(step_lines(card(slack, STREAM))) == 2
