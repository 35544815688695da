"""Teams as records: steps name them, `/vsm team` makes, changes, shows (the Team API card),
renames and removes one, `/vsm teams` lists them, and `/vsm handoff` records how work is
handed into a step — all through the running bot, as Slack sends the commands."""

from __future__ import annotations

import pytest

from standin.server import FakeSlack
from tests.e2e.vsm_commands import (
    assert_shows_usage,
    card,
    define,
    ok,
    refused,
    send,
    shown,
    step_lines,
)
from tests.support.driver import SlackDriver

OWNER, STRANGER, ADMIN = "U1", "USTRANGER", "UADMIN"


@pytest.fixture
def claims(slack: SlackDriver) -> SlackDriver:
    """VSM.md's claims example: four steps, three teams (one named in two spellings)."""
    define(
        slack,
        "Claims",
        '"Intake" team:"Front office"',
        '"Assessment" team:"Claims"',
        '"Approval" team:"claims"',
        '"Payment" team:"Finance"',
    )
    return slack


def test_steps_name_teams_matched_ignoring_case(claims: SlackDriver) -> None:
    lines = step_lines(card(claims, "Claims"))
    assert lines == [
        "*1. Intake* — Front office",
        "*2. Assessment* — Claims",
        "*3. Approval* — Claims",
        "*4. Payment* — Finance",
    ]
    listing = shown(ok(claims, "teams"))
    assert "• *Claims* — type not set · 2 steps" in listing
    assert "• *Finance* — type not set · 1 step" in listing
    assert "• *Front office* — type not set · 1 step" in listing


def test_team_api_card_shows_type_mission_people_steps_and_hand_offs(
    claims: SlackDriver,
) -> None:
    saved = shown(
        ok(
            claims,
            'team Claims type:stream-aligned mission:"Settle claims within a week" '
            "people:<@UANN|ann> <@UBO|bo>",
        )
    )
    assert "Changed the team *Claims*" in saved
    ok(claims, "handoff Claims 4 mode:xaas")
    text = shown(ok(claims, "team claims"))
    assert "*Type:* stream-aligned" in text
    assert "*Mission:* Settle claims within a week" in text
    assert "*People:* <@UANN>, <@UBO>" in text
    assert "• Claims: step 2 Assessment" in text
    assert "• Claims: step 3 Approval" in text
    assert "• → *Finance* (X-as-a-Service) — Claims, into step 4 Payment" in text
    assert "• ← *Front office* — Claims, into step 2 Assessment" in text
    finance = shown(ok(claims, "team fin"))  # a unique beginning is enough to show one
    assert "• ← *Claims* (X-as-a-Service) — Claims, into step 4 Payment" in finance
    assert "*Type:* type not set" in finance


def test_a_new_team_is_made_and_listed(slack: SlackDriver) -> None:
    made = shown(ok(slack, 'team "IT platform" type:platform mission:"Self-service access"'))
    assert "Made the team *IT platform*" in made
    assert "• *IT platform* — platform · 0 steps" in shown(ok(slack, "teams"))


def test_renaming_a_team_renames_it_at_its_steps(claims: SlackDriver) -> None:
    reply = shown(ok(claims, 'team claims name:"Claims handling"'))
    assert "Renamed the team *Claims* to *Claims handling*" in reply
    assert step_lines(card(claims, "Claims"))[1:3] == [
        "*2. Assessment* — Claims handling",
        "*3. Approval* — Claims handling",
    ]
    history = shown(ok(claims, "history Claims"))
    assert "Claims (type not set) → Claims handling (type not set)" in history
    taken = refused(claims, 'team "Claims handling" name:"finance"')
    assert "A team called “Finance” already exists" in shown(taken)


def test_removing_a_team_leaves_its_steps_without_one(claims: SlackDriver) -> None:
    assert "2 steps now name no team" in shown(ok(claims, "team claims remove"))
    assert step_lines(card(claims, "Claims"))[1] == "*2. Assessment*"
    assert "Claims*" not in shown(ok(claims, "teams"))
    assert "no team “claims”" in shown(refused(claims, "team claims remove"))


def test_only_those_who_keep_a_team_change_it(claims: SlackDriver, fake_slack: FakeSlack) -> None:
    reply = send(claims, "team claims type:platform", user=STRANGER)
    assert "Only whoever made *Claims*" in shown(reply)
    assert "<@U1>" in shown(reply)
    assert "*Type:* type not set" in shown(ok(claims, "team claims"))
    ok(claims, "team claims people:<@USTRANGER>")  # the stream's owner names them a member
    ok(claims, "team claims type:platform", user=STRANGER)  # and now they may
    fake_slack.set_user(ADMIN, is_admin=True)
    ok(claims, 'team finance mission:"Pay"', user=ADMIN)
    # Anyone may make a new team; its maker keeps it.
    ok(claims, 'team "Newcomers" type:enabling', user=STRANGER)
    assert "Only whoever made" in shown(send(claims, "team newcomers remove", user=OWNER))


def test_handoff_modes_and_their_bad_input(claims: SlackDriver) -> None:
    reply = shown(ok(claims, "handoff Claims 2 mode:collaboration"))
    assert "Hand-off into step 2 of *Claims* (Intake → Assessment): collaboration" in reply
    assert "Front office → Claims · cross-team" in reply
    again = shown(ok(claims, "handoff Claims 3 mode:facilitating"))
    assert "Claims → Claims · within-team" in again
    assert "hand-offs are into steps 2 to 4" in shown(refused(claims, "handoff Claims 1 mode:none"))
    assert "no hand-off into step 5" in shown(refused(claims, "handoff Claims 5 mode:none"))
    bad = refused(claims, "handoff Claims 2 mode:sometimes")
    assert "interaction mode `sometimes`" in shown(bad)
    assert_shows_usage(refused(claims, "handoff Claims 2"), "handoff")
    assert "Only the owners of *Claims*" in shown(
        send(claims, "handoff Claims 2 mode:none", user=STRANGER)
    )
    history = shown(ok(claims, "history Claims"))
    assert "collaboration" in history


def test_bad_team_input_gets_the_right_form(slack: SlackDriver) -> None:
    bad = refused(slack, "team Claims type:tribe")
    assert "team type `tribe`" in shown(bad)
    assert_shows_usage(refused(slack, "team"), "team")
    assert "There is no team “nope” to rename" in shown(refused(slack, 'team nope name:"x"'))
    assert "takes no options" in shown(refused(slack, "team Claims remove type:platform"))
    define(slack, "Single", '"Only"')
    assert "no hand-off yet" in shown(refused(slack, "handoff Single 1 mode:none"))
    assert "“Zzz”" in shown(refused(slack, "team Zzz"))
