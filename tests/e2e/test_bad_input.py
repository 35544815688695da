"""Malformed commands: an ephemeral reply that says what was wrong and shows the right form,
HTTP 200 (never a 500), and nothing stored."""

import pytest

from tests.e2e.vsm_commands import (
    assert_shows_usage,
    define,
    refused,
    shown,
    workspace_state,
)
from tests.support.driver import Reply, SlackDriver

STREAMS = ("Onboarding", "Onboard two")
STEP_COMMANDS = ("step add", "step edit", "step move", "step remove")
TOO_LONG = 'new Sales trigger:"' + "t" * 2981 + '"'
assert len(TOO_LONG) == 3001


def seed(slack: SlackDriver) -> list[str]:
    """A workspace with two streams whose names begin alike; returns what a person sees."""
    define(
        slack,
        "Onboarding",
        '"Contract review" team:Legal people:<@U1>',
        "Kickoff",
        options='trigger:"Contract signed"',
    )
    define(slack, "Onboard two", channel="C2")
    return workspace_state(slack, *STREAMS)


def refused_and_nothing_stored(slack: SlackDriver, command: str) -> Reply:
    """Send `command` to a seeded workspace; it must be refused and change nothing."""
    before = seed(slack)
    reply = refused(slack, command)
    assert workspace_state(slack, *STREAMS) == before, f"/vsm {command!r} changed something"
    return reply


BAD = [
    # missing arguments
    pytest.param("new", ["Missing <stream>."], ["new"], id="new-without-name"),
    pytest.param("show", ["Missing <stream>."], ["show"], id="show-without-name"),
    pytest.param("rename Onboarding", ["Missing <new name>."], ["rename"], id="rename-one-name"),
    pytest.param("archive", ["Missing <stream>."], ["archive"], id="archive-without-name"),
    pytest.param("step add Onboarding", ["Missing <step>."], ["step add"], id="add-no-step"),
    pytest.param("step edit Onboarding", ["Missing <n>."], ["step edit"], id="edit-no-n"),
    pytest.param("step move Onboarding 1", ["Missing <to>."], ["step move"], id="move-no-to"),
    pytest.param("step remove Onboarding", ["Missing <n>."], ["step remove"], id="remove-no-n"),
    pytest.param(
        "step",
        ["After `/vsm step`, use one of: `add`, `edit`, `move`, `remove`."],
        STEP_COMMANDS,
        id="step-alone",
    ),
    pytest.param(
        "step foo Onboarding",
        ["I do not know `/vsm step foo`.", "use one of: `add`, `edit`, `move`, `remove`."],
        STEP_COMMANDS,
        id="step-unknown",
    ),
    pytest.param("help nope", ["There is no command “nope”."], ["help"], id="help-unknown"),
    # too much
    pytest.param(
        "new Sales ops",
        ["I did not expect `ops`.", "Names with spaces go in quotes."],
        ["new"],
        id="unquoted-two-words",
    ),
    pytest.param("list all", ["I did not expect `all`."], ["list"], id="list-with-argument"),
    pytest.param(
        "new Sales <@U1>",
        ["I did not expect the mention `@U1` in `/vsm new`; it takes no mentions."],
        ["new"],
        id="stray-mention",
    ),
    pytest.param(
        "show Onboarding <@U2|bo>",
        ["I did not expect the mention `@bo` in `/vsm show`"],
        ["show"],
        id="stray-mention-with-label",
    ),
    pytest.param(
        "step add Onboarding Demo <@U2> people:<@U1>",
        ["I did not expect the mention `@U2`", "mentions go after `people:`"],
        ["step add"],
        id="mention-before-people",
    ),
    # unknown streams and prefixes
    pytest.param(
        "show Onbordng",
        ["I don't know a stream called “Onbordng”.", "Did you mean “Onboarding”"],
        ["show"],
        id="unknown-stream-suggested",
    ),
    pytest.param(
        "step add Onbording Demo",
        ["I don't know a stream called “Onbording”.", "Did you mean “Onboarding”"],
        ["step add"],
        id="unknown-stream-on-change",
    ),
    pytest.param(
        "show onboard",
        ["“onboard” could be the stream “Onboard two”, “Onboarding”.", "Give more of the name."],
        ["show"],
        id="ambiguous-prefix",
    ),
    pytest.param(
        "step remove onboard 1",
        ["“onboard” could be the stream"],
        ["step remove"],
        id="ambiguous-prefix-on-change",
    ),
    # options
    pytest.param(
        "new Sales colour:red",
        ["`/vsm new` has no option `colour:`.", "It takes `trigger:`, `value:`, `customer:`"],
        ["new"],
        id="unknown-option",
    ),
    pytest.param(
        "new Sales trigger:a trigger=b",
        ["`trigger:` is given twice; give it once."],
        ["new"],
        id="repeated-option",
    ),
    pytest.param(
        "step add Onboarding Demo team:a team:b",
        ["`team:` is given twice; give it once."],
        ["step add"],
        id="repeated-team",
    ),
    pytest.param(
        "new Sales basis:weekly",
        ["`basis:weekly` will not do: `basis:` takes one of `basis:calendar`, `basis:working`."],
        ["new"],
        id="bad-basis",
    ),
    pytest.param(
        "new Sales basis:working hours:0",
        ["`hours:0` will not do: `hours:` takes a number from 1 to 24"],
        ["new"],
        id="hours-0",
    ),
    pytest.param(
        "new Sales basis:working hours:eight",
        ["`hours:eight` will not do"],
        ["new"],
        id="hours-not-a-number",
    ),
    pytest.param(
        "new Sales hours:8",
        ["add basis:working to use them"],
        ["new"],
        id="hours-on-calendar-basis",
    ),
    pytest.param(
        "new Sales basis:calendar days:4",
        ["add basis:working to use them"],
        ["new"],
        id="days-on-calendar-basis",
    ),
    pytest.param(
        "new Sales basis:working hours:7.3333",
        ["A working day of 7.3333 hours is not a whole number of seconds"],
        ["new"],
        id="hours-not-whole-seconds",
    ),
    pytest.param(
        'new Sales trigger:"' + "t" * 301 + '"',
        ["`trigger:` takes one line of at most 300 characters"],
        ["new"],
        id="trigger-too-long",
    ),
    pytest.param(
        "step add Onboarding Demo at:0",
        ["`at:0` will not do: `at:` takes a whole number from 1 to 50"],
        ["step add"],
        id="at-0",
    ),
    pytest.param(
        "step add Onboarding Demo at:4",
        ["at: can be 1 to 3 for “Onboarding”; 4 is out of range."],
        ["step add"],
        id="at-past-the-end",
    ),
    pytest.param(
        "step add Onboarding Demo people:@bob",
        ["`people:@bob` will not do", "mentions"],
        ["step add"],
        id="people-not-mentions",
    ),
    pytest.param(
        "step add Onboarding Demo people:" + " ".join(f"<@U{n:03d}>" for n in range(21)),
        ["`people:` takes at most 20 people"],
        ["step add"],
        id="21-people",
    ),
    pytest.param(
        "step edit Onboarding 1",
        ["Nothing to change: give name:, team: or people:."],
        ["step edit"],
        id="edit-nothing",
    ),
    pytest.param(
        "step edit Onboarding 1 name:",
        ["`name:` takes one line of 1 to 80 characters"],
        ["step edit"],
        id="edit-empty-name",
    ),
    # numbers and positions
    pytest.param(
        "step move Onboarding one 2",
        ["`one` will not do: <n> is a whole number from 1 to 50."],
        ["step move"],
        id="n-not-a-number",
    ),
    pytest.param(
        "step remove Onboarding 0",
        ["`0` will not do: <n> is a whole number from 1 to 50."],
        ["step remove"],
        id="n-0",
    ),
    pytest.param(
        "step move Onboarding 1 3",
        ["“Onboarding” has steps 1 to 2; there is no step 3."],
        ["step move"],
        id="move-past-the-end",
    ),
    # what cannot be read at all
    pytest.param(
        'new "Sales ops',
        ['The quote at `"Sales ops` is never closed; add the closing quote.'],
        ["new"],
        id="unclosed-quote",
    ),
    pytest.param(
        "new “Sales ops",
        ["The quote at `“Sales ops` is never closed"],
        ["new"],
        id="unclosed-curly-quote",
    ),
    pytest.param(
        "new Bell\x07",
        ["I cannot read control characters (found `U+0007`)"],
        ["new"],
        id="control-character",
    ),
    pytest.param(
        'new "' + "N" * 81 + '"',
        ["is 81 characters; <stream> can have at most 80."],
        ["new"],
        id="81-character-name",
    ),
    pytest.param(
        TOO_LONG,
        ["That command is 3001 characters long; I read at most 3000."],
        ["new"],
        id="3001-characters",
    ),
    # names in use
    pytest.param(
        "new ONBOARDING",
        ["A stream called “Onboarding” already exists. Pick another name."],
        ["new"],
        id="stream-name-taken",
    ),
    pytest.param(
        'rename "Onboard two" onboarding',
        ["A stream called “Onboarding” already exists."],
        ["rename"],
        id="rename-to-taken",
    ),
    pytest.param(
        "step add Onboarding kickoff",
        ["Step 2 is already called “Kickoff”."],
        ["step add"],
        id="step-name-taken",
    ),
]


@pytest.mark.parametrize(("command", "says", "forms"), BAD)
def test_bad_input_says_what_was_wrong_shows_the_form_and_stores_nothing(
    slack: SlackDriver, command: str, says: list[str], forms: list[str]
) -> None:
    reply = refused_and_nothing_stored(slack, command)

    for fragment in says:
        assert fragment in shown(reply)
    assert_shows_usage(reply, *forms)


def test_an_unknown_subcommand_is_refused_with_a_guess(slack: SlackDriver) -> None:
    text = shown(refused_and_nothing_stored(slack, "stp add Onboarding Demo"))

    assert "I do not know `/vsm stp`." in text
    assert "Did you mean `/vsm step add`?" in text


def test_an_unknown_subcommand_with_nothing_close_points_to_help(slack: SlackDriver) -> None:
    text = shown(refused_and_nothing_stored(slack, "frobnicate Onboarding"))

    assert "I do not know `/vsm frobnicate`. Try `/vsm help`." in text
    assert "Did you mean" not in text


def test_an_unknown_subcommand_shows_the_form_of_the_command_it_guesses(
    slack: SlackDriver,
) -> None:
    reply = refused(slack, "stp add Onboarding Demo")

    assert_shows_usage(reply, "step add")


def test_a_malformed_command_is_answered_with_http_200(slack: SlackDriver) -> None:
    for command in ("new Bell\x07", 'new "open', TOO_LONG, "step move x 1 99999999999"):
        result = slack.command_raw(command)
        assert result.status == 200, (command, result.status, result.text[:300])
