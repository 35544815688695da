"""Defining value streams through the running bot: new, list, show, rename, archive, help."""

from tests.e2e.vsm_commands import (
    USAGE,
    card,
    define,
    list_rows,
    ok,
    refused,
    send,
    shown,
    step_lines,
    step_names,
)
from tests.support.driver import SlackDriver

# ---- new ------------------------------------------------------------------------------------


def test_new_with_a_name_only_is_homed_in_the_channel_it_was_typed_in(
    slack: SlackDriver,
) -> None:
    reply = ok(slack, "new Onboarding", channel="C7")

    assert "Created *Onboarding*, homed in this channel." in reply.all_text
    text = shown(reply)
    assert "Home: <#C7>" in text
    assert "*Trigger:* _not set_" in text
    assert "*Value:* _not set_" in text
    assert "calendar time" in text
    assert "Home: <#C7>" in shown(card(slack, "Onboarding", channel="C1"))


def test_new_stores_trigger_value_customer_and_a_working_basis(slack: SlackDriver) -> None:
    created = ok(
        slack,
        'new "Customer onboarding" trigger:"Contract signed" value:"Customer live" '
        'customer:"New customers" basis:working hours:7.5 days:4',
    )

    for reply in (created, card(slack, "Customer onboarding")):
        text = shown(reply)
        assert "*Trigger:* Contract signed" in text
        assert "*Value:* Customer live" in text
        assert "Customer: New customers" in text
        assert "working time: 1 d = 7.5 h, 1 w = 4 d" in text


def test_a_working_basis_defaults_to_8_hour_days_and_5_day_weeks(slack: SlackDriver) -> None:
    ok(slack, "new Support basis:working")

    assert "working time: 1 d = 8 h, 1 w = 5 d" in shown(card(slack, "Support"))


def test_new_reads_curly_quotes_and_key_equals_value(slack: SlackDriver) -> None:
    ok(slack, "new “Order to cash” trigger=“PO arrives” value=Paid customer=‘Retail shops’")

    text = shown(card(slack, "Order to cash"))
    assert "*Trigger:* PO arrives" in text
    assert "*Value:* Paid" in text
    assert "Customer: Retail shops" in text


# ---- list -----------------------------------------------------------------------------------


def test_list_in_an_empty_workspace_says_how_to_start(slack: SlackDriver) -> None:
    reply = ok(slack, "list")

    assert "No value streams in this workspace yet" in reply.all_text
    assert "/vsm new" in shown(reply)
    assert list_rows(reply) == []


def test_list_shows_this_channels_streams_first_others_with_their_channel_archived_last(
    slack: SlackDriver,
) -> None:
    for name, channel in [("Beta", "C1"), ("gamma", "C2"), ("alpha", "C1"), ("Delta", "C2")]:
        ok(slack, f"new {name}", channel=channel)
    define(slack, "Omega", "Pack", "Ship")
    ok(slack, "archive Omega")
    ok(slack, 'step add Beta "Pick"')

    here = ok(slack, "list", channel="C1")
    there = ok(slack, "list", channel="C2")

    assert list_rows(here) == [
        "• *alpha* — 0 steps",
        "• *Beta* — 1 step",
        "• *Delta* — 0 steps · <#C2>",
        "• *gamma* — 0 steps · <#C2>",
    ]
    assert list_rows(there) == [
        "• *Delta* — 0 steps",
        "• *gamma* — 0 steps",
        "• *alpha* — 0 steps · <#C1>",
        "• *Beta* — 1 step · <#C1>",
    ]
    for reply in (here, there):
        lines = shown(reply).splitlines()
        assert lines[-1] == "Archived: Omega"
        assert "4 value streams" in reply.text


def test_list_from_a_channel_without_streams_names_every_home(slack: SlackDriver) -> None:
    ok(slack, "new Sales", channel="C2")

    reply = ok(slack, "list", channel="C9")

    assert "In other channels" in reply.all_text
    assert list_rows(reply) == ["• *Sales* — 0 steps · <#C2>"]


# ---- show -----------------------------------------------------------------------------------


def test_show_gives_trigger_then_numbered_steps_with_team_and_people_then_value(
    slack: SlackDriver,
) -> None:
    define(
        slack,
        "Onboarding",
        '"Contract review" team:Legal people:<@U1|ann> <@U2>',
        "Kickoff",
        options='trigger:"Contract signed" value:"Customer live"',
    )

    reply = card(slack, "Onboarding")

    lines = shown(reply).splitlines()
    assert reply.blocks[0]["type"] == "header"
    assert reply.blocks[0]["text"]["text"] == "Onboarding"
    trigger = lines.index(":arrow_forward: *Trigger:* Contract signed")
    first = lines.index("*1. Contract review* — Legal · <@U1>, <@U2>")
    second = lines.index("*2. Kickoff*")
    value = lines.index(":checkered_flag: *Value:* Customer live")
    assert trigger < first < second < value
    assert reply.text == "Onboarding: 2 steps"


def test_show_finds_a_stream_ignoring_case_by_a_unique_beginning_or_in_quotes(
    slack: SlackDriver,
) -> None:
    define(slack, "Onboarding", "Kickoff")
    ok(slack, 'new "Order to cash"')

    for typed in ("Onboarding", "ONBOARDING", "onb", '"onboarding"', "“Onboarding”"):
        reply = ok(slack, f"show {typed}")
        assert reply.blocks[0]["text"]["text"] == "Onboarding", typed
        assert step_lines(reply) == ["*1. Kickoff*"], typed
    assert ok(slack, "show ord").blocks[0]["text"]["text"] == "Order to cash"


def test_an_exact_name_wins_over_a_longer_name_it_begins(slack: SlackDriver) -> None:
    ok(slack, "new Sales")
    ok(slack, 'new "Sales ops"')

    assert ok(slack, "show sales").blocks[0]["text"]["text"] == "Sales"


def test_show_marks_an_archived_stream(slack: SlackDriver) -> None:
    ok(slack, "new Sales")
    assert "_archived_" not in card(slack, "Sales").all_text

    ok(slack, "archive Sales")

    assert "_archived_" in card(slack, "Sales").all_text


# ---- rename ---------------------------------------------------------------------------------


def test_rename_shows_the_new_name_and_the_old_one_is_gone(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Kickoff")

    reply = ok(slack, 'rename Onboarding "Client onboarding"')

    assert "Renamed *Onboarding* to *Client onboarding*." in reply.all_text
    renamed = card(slack, "Client onboarding")
    assert step_lines(renamed) == ["*1. Kickoff*"]
    gone = refused(slack, "show Onboarding")
    assert "I don't know a stream called “Onboarding”" in shown(gone)
    assert list_rows(ok(slack, "list")) == ["• *Client onboarding* — 1 step"]


def test_a_stream_may_be_renamed_to_its_own_name_in_other_case(slack: SlackDriver) -> None:
    ok(slack, "new onboarding")

    reply = ok(slack, "rename onboarding ONBOARDING")

    assert "Renamed *onboarding* to *ONBOARDING*." in reply.all_text
    assert card(slack, "onboarding").blocks[0]["text"]["text"] == "ONBOARDING"


def test_rename_to_a_name_in_use_is_refused_and_changes_nothing(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Kickoff")
    ok(slack, "new Sales", channel="C2")
    before = ok(slack, "list").all_text

    reply = refused(slack, "rename Onboarding SALES")

    assert "A stream called “Sales” already exists" in shown(reply)
    assert USAGE["rename"] in shown(reply)
    assert ok(slack, "list").all_text == before


# ---- archive / unarchive --------------------------------------------------------------------


def test_archive_puts_a_stream_away_and_says_how_to_bring_it_back(slack: SlackDriver) -> None:
    define(slack, "Sales", "Qualify")

    reply = ok(slack, "archive Sales")

    assert "Archived *Sales*" in reply.all_text
    assert '/vsm unarchive "Sales"' in shown(reply)
    listing = ok(slack, "list")
    assert list_rows(listing) == []
    assert "Archived: Sales" in shown(listing)


def test_an_archived_stream_refuses_step_changes_with_a_hint(slack: SlackDriver) -> None:
    define(slack, "Sales", "Qualify", "Close")
    ok(slack, "archive Sales")

    for command in (
        "step add Sales Demo",
        "step edit Sales 1 team:Ops",
        "step move Sales 1 2",
        "step remove Sales 1",
    ):
        reply = refused(slack, command)
        assert "“Sales” is archived" in shown(reply), command
        assert '/vsm unarchive "Sales"' in shown(reply), command
    assert step_names(card(slack, "Sales")) == ["Qualify", "Close"]


def test_an_archived_name_stays_taken(slack: SlackDriver) -> None:
    ok(slack, "new Sales")
    ok(slack, "new Support")
    ok(slack, "archive Sales")

    again = refused(slack, "new sales")
    renamed = refused(slack, "rename Support Sales")

    for reply in (again, renamed):
        assert "A stream called “Sales” already exists (archived)" in shown(reply)
    assert list_rows(ok(slack, "list")) == ["• *Support* — 0 steps"]


def test_unarchive_brings_a_stream_back_with_its_steps(slack: SlackDriver) -> None:
    define(slack, "Sales", "Qualify")
    ok(slack, "archive Sales")

    reply = ok(slack, "unarchive sales")

    assert "*Sales* is active again." in reply.all_text
    ok(slack, "step add Sales Close")
    assert step_names(card(slack, "Sales")) == ["Qualify", "Close"]
    assert "_archived_" not in card(slack, "Sales").all_text


def test_archiving_twice_or_unarchiving_an_active_stream_says_so(slack: SlackDriver) -> None:
    ok(slack, "new Sales")
    ok(slack, "archive Sales")

    assert "*Sales* was already archived." in ok(slack, "archive Sales").all_text
    ok(slack, "unarchive Sales")
    assert "*Sales* is not archived." in ok(slack, "unarchive Sales").all_text


def test_a_prefix_does_not_reach_an_archived_stream(slack: SlackDriver) -> None:
    ok(slack, "new Sales")
    ok(slack, "archive Sales")

    reply = refused(slack, "show sal")

    assert "I don't know a stream called “sal”" in shown(reply)


# ---- help -----------------------------------------------------------------------------------


def test_help_lists_every_command_with_its_form(slack: SlackDriver) -> None:
    reply = ok(slack, "help")

    text = shown(reply)
    for usage in USAGE.values():
        assert usage in text
    assert "/vsm help <command>" in text


def test_help_for_one_command_gives_its_form_and_an_example(slack: SlackDriver) -> None:
    reply = ok(slack, "help step add")

    text = shown(reply)
    assert USAGE["step add"] in text
    assert 'Example: `/vsm step add onboarding "Contract review"' in text.replace("_", "")
    assert USAGE["new"] not in text
    assert USAGE["step edit"] not in text


def test_help_for_a_group_gives_each_of_its_commands(slack: SlackDriver) -> None:
    text = shown(ok(slack, "help step"))

    for command in ("step add", "step edit", "step move", "step remove"):
        assert USAGE[command] in text
    assert USAGE["new"] not in text


def test_an_empty_command_is_help(slack: SlackDriver) -> None:
    assert ok(slack, "").payload == ok(slack, "help").payload
    assert ok(slack, "   ").payload == ok(slack, "help").payload


# ---- what people typed comes back escaped once ----------------------------------------------

HOSTILE = "R&D <core> & co"  # Slack sends it as `R&amp;D &lt;core&gt; &amp; co`
HOSTILE_MRKDWN = "R&amp;D &lt;core&gt; &amp; co"


def test_a_name_with_ampersand_and_angle_brackets_comes_back_escaped_once(
    slack: SlackDriver,
) -> None:
    created = ok(slack, f'new "{HOSTILE}" trigger:"<idea> & plan" value:"a > b"')
    ok(slack, f'step add "{HOSTILE}" "Review & <sign>" team:"Legal & <Ops>" people:<@U1>')

    replies = [created, card(slack, HOSTILE), ok(slack, "list"), ok(slack, "show r&d")]
    for reply in replies:
        assert HOSTILE_MRKDWN in reply.all_text
    shown_card = card(slack, HOSTILE)
    assert shown_card.blocks[0]["text"]["text"] == HOSTILE  # plain_text: not escaped
    assert "*Trigger:* &lt;idea&gt; &amp; plan" in shown_card.all_text
    assert "*Value:* a &gt; b" in shown_card.all_text
    assert "*1. Review &amp; &lt;sign&gt;* — Legal &amp; &lt;Ops&gt; · <@U1>" in (
        shown_card.all_text
    )


def test_escaped_names_are_escaped_once_in_refusals_too(slack: SlackDriver) -> None:
    ok(slack, f'new "{HOSTILE}"')

    taken = refused(slack, f'new "{HOSTILE}"')
    typo = refused(slack, 'show "R&D <cor> & co"')

    assert f"A stream called “{HOSTILE_MRKDWN}” already exists" in taken.all_text
    assert f"Did you mean “{HOSTILE_MRKDWN}”?" in typo.all_text


def test_every_reply_is_ephemeral(slack: SlackDriver) -> None:
    define(slack, "Sales", "Qualify")
    for command in ("list", "show Sales", "help", "rename Sales Sales", "show Nope", "bogus"):
        assert send(slack, command).response_type == "ephemeral"
