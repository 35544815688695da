"""The portfolio, end to end: `/vsm portfolio` sets this channel's streams side by side (`all`:
the workspace's), and `/vsm portfolio rank` ranks their proposed improvements together, those
at their stream's bottleneck first, flagged where readiness shows a barrier."""

import pytest

from tests.e2e.measuring import HOME, PEOPLE, answer, close, define_example, open_cycle
from tests.e2e.vsm_commands import define, ok, shown
from tests.support.driver import SlackDriver

ELSEWHERE = "C2"
AWARENESS = "I understand why this value stream needs to change."


def lines_of(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


@pytest.fixture
def three_streams(slack: SlackDriver) -> SlackDriver:
    """Onboarding (the worked example, decisions in its waits, a readiness barrier, two
    proposals) and Renewals (one proposal) homed here; Hiring elsewhere, never measured."""
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    said = {
        1: "1: wait 2d for approval, pt 3h, ca 70%",
        2: "2: wait 1d, pt 45m, ca 90%",
        3: "3: wait 3d (queue) pt 1h ca 95%",
        4: "4: wait 5d why:decision pt 6h ca 60%",
        5: "5: wait 1d pt 30m ca 98%",
    }
    for position, person in enumerate(PEOPLE, start=1):
        answer(slack, thread, said[position], person)
    for person in PEOPLE[:3]:
        answer(slack, thread, "survey 2 4 4 4 4 4", person)
    close(slack)
    ok(slack, 'improve onboarding "Kickoff script" step:3 expect:"wait -1d" effort:S')
    ok(slack, 'improve onboarding "Data template" step:4 expect:"wait -2d" effort:L')
    define(
        slack, "Renewals", '"Quote" people:<@URON|ron>', '"Sign" people:<@USAM|sam>', channel=HOME
    )
    renewals = open_cycle(slack, "measure renewals")
    answer(slack, renewals, "1: wait 1d pt 1h", "URON")
    answer(slack, renewals, "2: wait 2d pt 2h", "USAM")
    close(slack, "Renewals")
    ok(slack, 'improve renewals "Auto-quote" step:1 expect:"wait -1d" effort:L')
    define(slack, "Hiring", '"Screen"', channel=ELSEWHERE)
    return slack


def test_the_portfolio_sets_this_channels_streams_side_by_side(three_streams: SlackDriver) -> None:
    text = shown(ok(three_streams, "portfolio"))

    assert lines_of(text, "*") == ["*Onboarding*", "*Renewals*"]  # not Hiring: homed elsewhere
    # Onboarding: one closed cycle (the worked example): 12.5 d, 3.8%, 35.2%.
    assert "• Lead time *12.5 d* (cycle 1) · activity ratio 3.8% · rolled %C&A 35.2%" in text
    # Readiness (2 + 4 × 5) / 6 = 3.7; the first question's mean of 2 is a barrier.
    assert (
        f"• Readiness: 3.7 of 5 · :warning: barrier: {AWARENESS} · value alignment: — · "
        "waiting for decisions: 58.3% of the wait"
    ) in text
    assert "• Lead time *3.1 d* (cycle 1) · activity ratio 4%" in text
    assert "• Readiness: — · value alignment: — · waiting for decisions: —" in text


def test_all_shows_the_workspaces_streams_with_their_channels(three_streams: SlackDriver) -> None:
    text = shown(ok(three_streams, "portfolio all"))

    assert lines_of(text, "*") == [
        f"*Onboarding* (<#{HOME}>)", f"*Renewals* (<#{HOME}>)", f"*Hiring* (<#{ELSEWHERE}>)"
    ]  # fmt: skip
    assert "• Not measured yet." in text


def test_rank_lists_the_proposals_of_all_the_streams_bottleneck_first_and_flags_barriers(
    three_streams: SlackDriver,
) -> None:
    text = shown(ok(three_streams, "portfolio rank"))

    ranked = [line for line in text.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    # Data template is at Onboarding's bottleneck (step 4, 5 d); then by gain per effort:
    # Kickoff script 1 d / S 1 = 1 d per unit; Auto-quote 1 d / L 3 = 8 h per unit.
    assert ranked == [
        "1. *Onboarding #2 Data template* at Data migration — saves 2 d of lead time, effort L:"
        f" 16 h per unit · :hourglass_flowing_sand: at the bottleneck · :warning: readiness"
        f" barrier: {AWARENESS}",
        "2. *Onboarding #1 Kickoff script* at Kickoff call — saves 1 d of lead time, effort S:"
        f" 1 d per unit · :warning: readiness barrier: {AWARENESS}",
        "3. *Renewals #1 Auto-quote* at Quote — saves 1 d of lead time, effort L: 8 h per unit",
    ]


def test_a_channel_without_streams_says_so(three_streams: SlackDriver) -> None:
    text = shown(ok(three_streams, "portfolio", channel="C3"))

    assert "No value streams are homed in <#C3> yet." in text
    assert "`/vsm portfolio all`" in text


def test_rank_without_proposals_says_how_to_propose_one(slack: SlackDriver) -> None:
    define(slack, "Renewals", '"Quote"', channel=HOME)

    text = shown(ok(slack, "portfolio rank"))

    assert "No improvement is proposed in the value streams of <#C1> (1 stream)." in text
    assert '`/vsm improve "<stream>" "<title>" step:<n> expect:"wait -2d" effort:S`' in text
