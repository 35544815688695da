"""Causes of waiting, end to end: a wait answered with its cause in the thread is stored with
it; a step's cause is the most frequent among its people's latest answers; the summary shares
the wait out by cause and names the decision points; a word that is no cause gets a hint."""

from tests.e2e.measuring import (
    EXAMPLE,
    HOME,
    PEOPLE,
    answer,
    close,
    define_example,
    hint,
    open_cycle,
)
from tests.support.driver import SlackDriver


def lines_of(summary: str, start: str) -> list[str]:
    return [line for line in summary.splitlines() if line.startswith(start)]


def test_the_summary_shares_the_wait_out_by_cause_and_names_the_decision_points(
    slack: SlackDriver,
) -> None:
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

    summary = close(slack)

    # Total wait 12 d: decision 2 d + 5 d, capacity 3 d, nobody said why for 1 d + 1 d.
    assert lines_of(summary, ":thinking_face:") == [
        ":thinking_face: *Why work waits:* decision 58.3% (7 d, 2 steps) · "
        "capacity 25% (3 d, 1 step) · not said 16.7% (2 d, 2 steps)"
    ]
    assert lines_of(summary, ":scales:") == [
        ":scales: *Decision points:* step 1 Contract review (2 d), step 4 Data migration (5 d)"
        " — 58.3% of the wait is waiting for a decision."
    ]


def test_a_steps_cause_is_the_most_frequent_among_its_peoples_latest_answers(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "1: wait 2d for approval", "UANN")
    answer(slack, thread, "1: wait 2d (busy)", "UBO")
    answer(slack, thread, "1: wait 2d waiting on another team", "UCY")
    # Cy changes her mind in a later message: her latest cause counts, once.
    answer(slack, thread, "1: wait 2d (backlog)", "UCY")

    summary = close(slack)

    assert lines_of(summary, ":thinking_face:") == [
        ":thinking_face: *Why work waits:* capacity 100% (2 d, 1 step)"
        " _(no wait yet for Account setup, Kickoff call, Data migration, Go-live check)_"
    ]
    assert lines_of(summary, ":scales:") == []


def test_without_any_cause_the_summary_says_nothing_about_causes(slack: SlackDriver) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "1: wait 2d pt 3h", "UANN")

    summary = close(slack)

    assert "Why work waits" not in summary
    assert "Decision points" not in summary


def test_a_word_that_is_no_cause_gets_a_hint_listing_the_causes(slack: SlackDriver) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")

    text = hint(slack, thread, "1: wait 2d for lunch", "UANN")

    assert "`lunch`" in text
    assert "decision, capacity, dependency, information, batch or other" in text
    assert "wait 2d for approval" in text
    # Nothing of the line was kept: a good answer afterwards is the step's only one.
    answer(slack, thread, f"1: wait {EXAMPLE[0][2]} why:dependency", "UANN")
    summary = close(slack)
    assert "dependency 100% (2 d, 1 step)" in summary


def test_an_edit_changes_the_cause(slack: SlackDriver) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    first = answer(slack, thread, "1: wait 2d for approval", "UANN")
    second = answer(slack, thread, "2: wait 1d (queue)", "UBO")

    slack.edit_message(first, "1: wait 2d why:vendor", previous_text="1: wait 2d for approval",
                       user="UANN", channel=HOME, thread_ts=thread)  # fmt: skip
    slack.wait_for("reactions.add", lambda c: c.params.get("timestamp") == first, count=2)
    # A later answer without a cause keeps the cause Bo gave before (it gives only a wait).
    answer(slack, thread, "2: wait 1d", "UBO")
    summary = close(slack)

    assert second
    assert lines_of(summary, ":thinking_face:") == [
        ":thinking_face: *Why work waits:* capacity 33.3% (1 d, 1 step) · "
        "dependency 66.7% (2 d, 1 step)"
        " _(no wait yet for Kickoff call, Data migration, Go-live check)_"
    ]
