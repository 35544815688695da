"""`/vsm compare` and the latest numbers on `/vsm show`, end to end, on the worked example."""

from tests.e2e.measuring import (
    PEOPLE,
    STREAM,
    answer,
    answer_example,
    close,
    define_example,
    open_cycle,
    rows,
)
from tests.e2e.vsm_commands import card, ok, refused, shown
from tests.support.driver import SlackDriver
from tests.support.usage import USAGE

COMPARE_USAGE = USAGE["compare"]


def measure(slack: SlackDriver, answers: dict[int, str]) -> None:
    thread = open_cycle(slack, "measure onboarding")
    for position, text in answers.items():
        answer(slack, thread, f"{position}: {text}", PEOPLE[position - 1])
    close(slack)


def three_cycles(slack: SlackDriver) -> None:
    """The worked example as cycle 1, step 4's wait cut to 2 d in cycle 2, then step 3's to
    1 d in cycle 3 (the other steps carried over)."""
    define_example(slack)
    thread = open_cycle(slack, 'measure onboarding label:"Baseline"')
    answer_example(slack, thread)
    close(slack)
    measure(slack, {4: "wait 2d"})
    measure(slack, {3: "wait 1d"})


def lines(reply_text: str) -> list[str]:
    return reply_text.splitlines()


def test_compare_shows_the_baseline_beside_the_latest_by_default(slack: SlackDriver) -> None:
    three_cycles(slack)

    text = shown(ok(slack, "compare onboarding"))

    assert "Onboarding · cycle 1 → cycle 3" in lines(text)
    # Every change from the values as shown: 12.5 d → 7.5 d is −40% (not the −40.1% of the
    # seconds), 3 d → 1 d is −66.7% (not −65.8%); percentages in points.
    assert ("*Lead time:* 12.5 d → 7.5 d (−40% vs cycle 1, :large_green_circle: better)") in lines(
        text
    )
    assert "*Wait time:* 12 d → 7 d (−41.7% vs cycle 1, :large_green_circle: better)" in lines(text)
    assert "*Process time:* 11.3 h → 11.3 h (±0% vs cycle 1, :white_circle: same)" in lines(text)
    assert (
        "*Activity ratio:* 3.8% → 6.3% (+2.5 pts vs cycle 1, :large_green_circle: better)"
    ) in lines(text)
    assert "*Rolled %C&A:* 35.2% → 35.2% (±0 pts vs cycle 1, :white_circle: same)" in lines(text)
    assert "3. Kickoff call: 3 d → 1 d (−66.7%)" in lines(text)
    assert "4. Data migration: 5.3 d → 2.3 d (−56.6%)" in lines(text)
    assert (
        ":arrow_right: *Moved lead time most:* step 4 Data migration, 5.3 d → 2.3 d (−3 d), "
        "mostly its wait: 5 d → 2 d."
    ) in lines(text)
    assert "Cycle 1: Baseline" in lines(text)


def test_compare_takes_two_cycle_numbers(slack: SlackDriver) -> None:
    three_cycles(slack)

    text = shown(ok(slack, "compare onboarding 2 3"))

    assert "Onboarding · cycle 2 → cycle 3" in lines(text)
    assert ("*Lead time:* 9.5 d → 7.5 d (−21.1% vs cycle 2, :large_green_circle: better)") in lines(
        text
    )
    assert "4. Data migration: 2.3 d → 2.3 d (±0%)" in lines(text)
    assert (
        ":arrow_right: *Moved lead time most:* step 3 Kickoff call, 3 d → 1 d (−2 d), "
        "mostly its wait: 3 d → 1 d."
    ) in lines(text)
    # Backwards works too: later numbers first show the change the other way.
    assert "*Lead time:* 7.5 d → 12.5 d (+66.7% vs cycle 3, :red_circle: worse)" in lines(
        shown(ok(slack, "compare onboarding 3 1"))
    )


def test_compare_needs_two_closed_cycles(slack: SlackDriver) -> None:
    define_example(slack)
    none = refused(slack, "compare onboarding")
    thread = open_cycle(slack, "measure onboarding")
    answer_example(slack, thread)
    close(slack)

    one = refused(slack, "compare onboarding")

    assert "“Onboarding” has 0 closed cycles; comparing needs two." in shown(none)
    assert "“Onboarding” has 1 closed cycle; comparing needs two." in shown(one)
    assert f"Use: `{COMPARE_USAGE}`" in shown(one)


def test_compare_refuses_a_cycle_that_is_not_closed_and_lists_the_closed_ones(
    slack: SlackDriver,
) -> None:
    three_cycles(slack)
    open_cycle(slack, "measure onboarding")  # cycle 4, open
    ok(slack, "cancel onboarding")
    open_cycle(slack, "measure onboarding")  # cycle 5, open

    for command, number in [("compare onboarding 1 4", 4), ("compare onboarding 5 2", 5)]:
        text = shown(refused(slack, command))
        assert f"Cycle {number} of “Onboarding” is not a closed cycle. Closed cycles: 1, 2, 3." in (
            text
        )
    assert "Cycle 9 of “Onboarding” is not a closed cycle." in shown(
        refused(slack, "compare onboarding 1 9")
    )
    assert "Give two cycle numbers" in shown(refused(slack, "compare onboarding 2"))
    assert "Give two different cycles." in shown(refused(slack, "compare onboarding 2 2"))


def test_show_has_the_latest_numbers_and_the_open_cycles_progress(slack: SlackDriver) -> None:
    three_cycles(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "1: wait 1d", PEOPLE[0])
    answer(slack, thread, "4: pt 5h", PEOPLE[3])
    answer(slack, thread, "4: ca 70%", PEOPLE[3])  # the same step again: still two steps

    text = shown(card(slack, STREAM))

    assert (
        "*Latest numbers* (cycle 3): lead time 12.5 d → *7.5 d* (−40% vs cycle 1), process "
        "time 11.3 h, activity ratio 6.3%, rolled %C&A 35.2%"
    ) in lines(text)
    assert ":stopwatch: Cycle 4 is open: 2 of 5 steps have answers." in lines(text)
    kickoff = rows(text)[3]  # cycle 3's, where only step 3 was answered
    assert (kickoff.wait, kickoff.pt, kickoff.lead, kickoff.respondents) == ("1 d", "1 h", "1 d", 1)
    assert rows(text)[4].carried_over


def test_show_before_any_closed_cycle_has_progress_but_no_numbers(slack: SlackDriver) -> None:
    define_example(slack)
    assert "Not measured yet." in shown(card(slack, STREAM))
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "2: wait 1d", PEOPLE[1])

    text = shown(card(slack, STREAM))

    assert "Latest numbers" not in text
    assert ":stopwatch: Cycle 1 is open: 1 of 5 steps have answers." in lines(text)
