"""The summary's numbers, end to end: VSM.md's worked example answered in the thread by the people
at each step, read back from the summary as shown and, to the second, from `vsm-bot export`.
Then the before/after: a baseline, an improved second cycle, a third; carried-over and never
measured steps.
"""

import json
from typing import Any

from tests.e2e.measuring import (
    EXAMPLE_LEAD_S,
    EXAMPLE_PROCESS_S,
    EXAMPLE_WAIT_S,
    EXAMPLE_WORKING_LEAD_S,
    PEOPLE,
    STREAM,
    answer,
    answer_example,
    close,
    define_example,
    example_line,
    open_cycle,
    row,
    rows,
    total,
    value_of,
)
from tests.e2e.vsm_commands import card, shown
from tests.support.cli_in_process import run_main
from tests.support.driver import SlackDriver

H, D = 3600, 86_400


def export(slack: SlackDriver, database_url: str) -> dict[str, Any]:
    """`vsm-bot export Onboarding --format json` for this workspace."""
    result = run_main(
        ["export", STREAM, "--team", slack.team_id, "--format", "json"],
        {"DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def baseline(slack: SlackDriver, *, options: str = "") -> str:
    """The worked example measured and closed as cycle 1; returns its summary."""
    define_example(slack, options=options)
    thread = open_cycle(slack, "measure onboarding")
    answer_example(slack, thread)
    return close(slack)


def measure(slack: SlackDriver, answers: dict[int, str]) -> str:
    """A further cycle in which the person at each step in `answers` says that; its summary."""
    thread = open_cycle(slack, "measure onboarding")
    for position, text in answers.items():
        answer(slack, thread, f"{position}: {text}", PEOPLE[position - 1])
    return close(slack)


# Cycle 2: waits at steps 3 and 4 cut, step 1's input better, step 2's work slower.
IMPROVED = {
    1: "wait 2d, pt 3h, ca 85%",
    2: "wait 1d, pt 2h, ca 90%",
    3: "wait 1d, pt 1h, ca 95%",
    4: "wait 2d, pt 6h, ca 60%",
    5: "wait 1d, pt 30m, ca 98%",
}


def test_the_worked_example_to_the_second(slack: SlackDriver, database_url: str) -> None:
    summary = baseline(slack)

    assert value_of(summary, "Lead time") == "12.5 d"
    assert value_of(summary, "Process time") == "11.3 h"
    assert value_of(summary, "Activity ratio") == "3.8%"  # 3.76% to one decimal
    assert value_of(summary, "Rolled %C&A") == "35.2%"  # 35.19% to one decimal
    assert (
        ":hourglass_flowing_sand: *Bottleneck:* step 4 Data migration — longest wait 5 d; "
        "42.1% of lead time is at this step."
    ) in summary.splitlines()
    assert "_This is the baseline: later cycles are compared with it._" in summary.splitlines()
    assert [
        (r.position, r.name, r.wait, r.pt, r.lead, r.ca, r.respondents)
        for r in rows(summary).values()
    ] == [
        (1, "Contract review", "2 d", "3 h", "2.1 d", "70%", 1),
        (2, "Account setup", "1 d", "45 m", "1 d", "90%", 1),
        (3, "Kickoff call", "3 d", "1 h", "3 d", "95%", 1),
        (4, "Data migration", "5 d", "6 h", "5.3 d", "60%", 1),
        (5, "Go-live check", "1 d", "30 m", "1 d", "98%", 1),
    ]
    assert "Answered by 5: <@UANN>, <@UBO>, <@UCY>, <@UDI>, <@UED>" in summary
    assert "Partial" not in summary

    [cycle] = export(slack, database_url)["cycles"]
    assert cycle["totals"]["wait_time_s"] == EXAMPLE_WAIT_S
    assert cycle["totals"]["process_time_s"] == EXAMPLE_PROCESS_S
    assert cycle["totals"]["lead_time_s"] == EXAMPLE_LEAD_S
    assert abs(cycle["totals"]["activity_ratio"] - 40_500 / 1_077_300) < 1e-12
    assert round(cycle["totals"]["activity_ratio"], 4) == 0.0376
    assert round(cycle["totals"]["rolled_ca"], 4) == 0.3519
    assert cycle["totals"]["bottleneck"] == 4
    assert [(s["wait_time_s"], s["process_time_s"], s["lead_time_s"]) for s in cycle["steps"]] == [
        (2 * D, 3 * H, 2 * D + 3 * H),
        (1 * D, 45 * 60, 1 * D + 45 * 60),
        (3 * D, 1 * H, 3 * D + 1 * H),
        (5 * D, 6 * H, 5 * D + 6 * H),
        (1 * D, 30 * 60, 1 * D + 30 * 60),
    ]


def test_the_worked_example_on_a_working_basis_of_eight_hours(
    slack: SlackDriver, database_url: str
) -> None:
    summary = baseline(slack, options="basis:working hours:8")

    assert value_of(summary, "Lead time") == "13.4 wd"
    assert value_of(summary, "Process time") == "1.4 wd"  # 11 h 15 m of 8-hour days
    assert value_of(summary, "Activity ratio") == "10.5%"  # 10.49% to one decimal
    assert value_of(summary, "Rolled %C&A") == "35.2%"
    assert (row(summary, 4).wait, row(summary, 4).lead) == ("5 wd", "5.8 wd")
    [cycle] = export(slack, database_url)["cycles"]
    assert cycle["totals"]["lead_time_s"] == EXAMPLE_WORKING_LEAD_S
    assert cycle["totals"]["wait_time_s"] == 12 * 8 * H
    assert abs(cycle["totals"]["activity_ratio"] - 40_500 / 386_100) < 1e-12


def test_a_second_cycle_is_compared_with_the_baseline(slack: SlackDriver) -> None:
    baseline(slack)

    summary = measure(slack, IMPROVED)

    # Before → after and the change, computed from the values as shown: 12.5 d → 7.5 d is
    # −40% (the seconds, 1,077,300 → 649,800, would say −39.7%).
    assert total(summary, "Lead time") == (
        "*Lead time:* 12.5 d → 7.5 d (−40% vs cycle 1, :large_green_circle: better)"
    )
    assert total(summary, "Process time") == (
        "*Process time:* 11.3 h → 12.5 h (+10.6% vs cycle 1, :red_circle: worse)"
    )
    # Percentages change in points: 3.8% → 6.9% is +3.1 points, not +84.2%.
    assert total(summary, "Activity ratio") == (
        "*Activity ratio:* 3.8% → 6.9% (+3.1 pts vs cycle 1, :large_green_circle: better)"
    )
    assert total(summary, "Rolled %C&A") == (
        "*Rolled %C&A:* 35.2% → 42.7% (+7.5 pts vs cycle 1, :large_green_circle: better)"
    )
    assert value_of(summary, "Lead time") == "7.5 d"
    assert (
        ":arrow_right: *Moved lead time most since cycle 1:* step 4 Data migration, "
        "5.3 d → 2.3 d (−3 d), mostly its wait: 5 d → 2 d."
    ) in summary.splitlines()
    assert "This is the baseline" not in summary
    assert "lead time 12.5 d → 7.5 d (−40% vs cycle 1)" in summary.splitlines()[0]
    assert not any(r.carried_over for r in rows(summary).values())


def test_a_third_cycle_is_compared_with_the_baseline_and_the_previous_cycle(
    slack: SlackDriver,
) -> None:
    baseline(slack)
    measure(slack, IMPROVED)

    summary = measure(slack, {**IMPROVED, 1: "wait 1d, pt 3h, ca 85%"})

    assert total(summary, "Lead time") == (
        "*Lead time:* 12.5 d → 6.5 d (−48% vs cycle 1, :large_green_circle: better)"
        " · 7.5 d → 6.5 d (−13.3% vs cycle 2, :large_green_circle: better)"
    )
    assert total(summary, "Process time") == (
        "*Process time:* 11.3 h → 12.5 h (+10.6% vs cycle 1, :red_circle: worse)"
        " · 12.5 h → 12.5 h (±0% vs cycle 2, :white_circle: same)"
    )
    assert total(summary, "Activity ratio") == (
        "*Activity ratio:* 3.8% → 8% (+4.2 pts vs cycle 1, :large_green_circle: better)"
        " · 6.9% → 8% (+1.1 pts vs cycle 2, :large_green_circle: better)"
    )
    assert total(summary, "Rolled %C&A") == (
        "*Rolled %C&A:* 35.2% → 42.7% (+7.5 pts vs cycle 1, :large_green_circle: better)"
        " · 42.7% → 42.7% (±0 pts vs cycle 2, :white_circle: same)"
    )
    # What moved most is measured against the previous cycle.
    assert (
        ":arrow_right: *Moved lead time most since cycle 2:* step 1 Contract review, "
        "2.1 d → 1.1 d (−1 d), mostly its wait: 2 d → 1 d."
    ) in summary.splitlines()


def test_a_step_nobody_answered_is_carried_over_and_marked(slack: SlackDriver) -> None:
    baseline(slack)

    summary = measure(slack, {n: text for n, text in IMPROVED.items() if n != 5})

    go_live = row(summary, 5)
    assert (go_live.wait, go_live.pt, go_live.ca) == ("1 d", "30 m", "98%")
    assert (go_live.respondents, go_live.carried_over) == (0, True)
    assert not any(row(summary, n).carried_over for n in range(1, 5))
    assert "* carried over from an earlier cycle (nobody answered it this time)" in summary
    # The carried values count in the totals: the same as cycle 2 with everyone answering.
    assert value_of(summary, "Lead time") == "7.5 d"
    assert "Partial" not in summary


def test_a_step_never_measured_makes_the_totals_partial_and_is_named(slack: SlackDriver) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    for position in (1, 2, 3, 4):
        answer(slack, thread, example_line(position), PEOPLE[position - 1])
    answer(slack, thread, "5: ca 98%", PEOPLE[4])  # rated, but no times

    summary = close(slack)

    assert (
        ":warning: _Partial: no wait or process time yet for Go-live check; the totals leave it "
        "out._"
    ) in summary.splitlines()
    # 12.5 d less step 5's 1 d 30 m: 989,100 s
    assert value_of(summary, "Lead time") == "11.4 d"
    go_live = row(summary, 5)
    assert (go_live.wait, go_live.pt, go_live.lead, go_live.ca) == ("—", "—", "—", "98%")
    assert "*Latest numbers* (cycle 1): lead time *11.4 d*" in shown(card(slack, STREAM))
    assert "_(partial)_" in shown(card(slack, STREAM))
