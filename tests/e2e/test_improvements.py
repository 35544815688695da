"""Improvements (kaizen), end to end: proposed with a number per stream, moved through doing →
done (or dropped), ranked with those at the bottleneck first, and studied once in the summary
of the first cycle closed after they are done (PDSA)."""

import re

from tests.e2e.measuring import (
    HOME,
    PEOPLE,
    STREAM,
    answer,
    answer_example,
    close,
    define_example,
    open_cycle,
)
from tests.e2e.vsm_commands import card, define, ok, refused, shown
from tests.support.driver import SlackDriver
from tests.support.usage import USAGE

IMPROVE_USAGE = USAGE["improve"]
STATUS_USAGE = USAGE["improvement"]
_ITEM = re.compile(r"^(?:\d+\. )?:[a-z_]+: \*#(\d+) ")
REVIEWS = "*Did what we changed work?*"


def improve(slack: SlackDriver, text: str, *, channel: str = HOME) -> str:
    """`/vsm improve <text>`, which must be accepted; returns the reply as people read it."""
    return shown(ok(slack, f"improve {text}", channel=channel))


def listing(slack: SlackDriver, text: str = STREAM, *, channel: str = HOME) -> list[str]:
    """The item lines of `/vsm improvements <text>`."""
    reply = shown(ok(slack, f"improvements {text}", channel=channel))
    return [line for line in reply.splitlines() if _ITEM.match(line)]


def numbers(lines: list[str]) -> list[int]:
    return [int(match.group(1)) for line in lines if (match := _ITEM.match(line))]


def move(slack: SlackDriver, text: str, *, channel: str = HOME) -> str:
    """`/vsm improvement <text>`, which must be accepted; returns the reply."""
    return shown(ok(slack, f"improvement {text}", channel=channel))


def reviews(summary: str) -> list[str]:
    """The PDSA lines of a summary (none when it has no such section)."""
    lines = summary.splitlines()
    if REVIEWS not in lines:
        return []
    after = lines[lines.index(REVIEWS) + 1 :]
    return [line for line in after if line.startswith("• *#")]


def baseline(slack: SlackDriver) -> None:
    """The worked example measured and closed as cycle 1 (bottleneck: step 4, wait 5 d)."""
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer_example(slack, thread)
    close(slack)


# ---- proposing -------------------------------------------------------------------------------


def test_improvements_are_numbered_per_stream(slack: SlackDriver) -> None:
    define_example(slack)
    define(slack, "Hiring", '"Screening" people:<@UHR|hr>', channel="C2")

    first = improve(slack, 'Onboarding "Intake form"')
    second = improve(slack, 'Onboarding "Kickoff checklist"')
    other = improve(slack, 'Hiring "Phone screen script"', channel="C2")

    assert "Recorded improvement *#1* for *Onboarding*." in first
    assert "Recorded improvement *#2* for *Onboarding*." in second
    assert "Recorded improvement *#1* for *Hiring*." in other
    assert numbers(listing(slack)) == [1, 2]
    assert listing(slack, "Hiring", channel="C2") == [":bulb: *#1 Phone screen script* — proposed"]


def test_an_improvement_shows_its_step_prediction_effort_and_owner(slack: SlackDriver) -> None:
    define_example(slack)

    reply = improve(
        slack,
        'Onboarding "Template for data migration" step:4 owner:<@UANN|ann> '
        'expect:"wait -2d" effort:s',
    )

    line = (
        ":bulb: *#1 Template for data migration* — proposed · step 4 Data migration"
        " · expects `wait -2d` · effort S · <@UANN>"
    )
    assert line in reply.splitlines()
    assert listing(slack) == [line]


def test_a_prediction_without_a_sign_or_field_and_a_missing_step_are_refused(
    slack: SlackDriver,
) -> None:
    define_example(slack)

    no_sign = shown(refused(slack, 'improve Onboarding "Faster review" expect:"wait 2d"'))
    no_field = shown(refused(slack, 'improve Onboarding "Faster review" expect:foo'))
    no_step = shown(refused(slack, 'improve Onboarding "Faster review" step:9'))
    step_zero = shown(refused(slack, 'improve Onboarding "Faster review" step:0'))

    assert "expect: `wait 2d` — say whether it goes up or down." in no_sign
    assert "Try `wait -2d` or `wait +2d`." in no_sign
    assert "expect: `foo` — start it with wait, pt or ca." in no_field
    assert "“Onboarding” has steps 1 to 5; there is no step 9." in no_step
    assert "`step:` takes a whole number from 1 to 50" in step_zero
    for reply in (no_sign, no_field, no_step, step_zero):
        assert f"Use: `{IMPROVE_USAGE}`" in reply, reply
    # Nothing was stored: the list is empty and the next one is #1.
    assert "_None yet._" in shown(ok(slack, "improvements Onboarding"))
    assert "Recorded improvement *#1*" in improve(slack, 'Onboarding "Faster review"')


# ---- moving one on ---------------------------------------------------------------------------


def test_an_improvement_goes_from_proposed_to_doing_to_done_and_can_be_dropped(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    improve(slack, 'Onboarding "Intake form" step:1 expect:"wait -1d"')
    improve(slack, 'Onboarding "Kickoff checklist"')

    doing = move(slack, "Onboarding 1 doing")

    assert "*#1* of *Onboarding*: proposed → *doing*." in doing
    assert listing(slack)[0].startswith(":hammer_and_wrench: *#1 Intake form* — doing")
    assert ":hammer_and_wrench: Under way: #1 Intake form" in shown(card(slack, STREAM))

    done = move(slack, "Onboarding #1 done")

    assert "*#1* of *Onboarding*: doing → *done*." in done
    assert "The next cycle's summary will set its prediction beside what was measured." in done
    assert listing(slack)[0].startswith(":white_check_mark: *#1 Intake form* — done")
    assert "Under way" not in shown(card(slack, STREAM))

    dropped = move(slack, '"Onboarding" 2 dropped')

    assert "*#2* of *Onboarding*: proposed → *dropped*." in dropped
    assert listing(slack) == [
        ":white_check_mark: *#1 Intake form* — done · step 1 Contract review · expects `wait -1d`",
        ":heavy_multiplication_x: *#2 Kickoff checklist* — dropped",
    ]
    # A done improvement can still be dropped (undone, say).
    assert "*#1* of *Onboarding*: done → *dropped*." in move(slack, "1 dropped")
    assert listing(slack)[0].startswith(":heavy_multiplication_x: *#1 Intake form* — dropped")


def test_an_unknown_number_or_status_is_refused(slack: SlackDriver) -> None:
    define_example(slack)
    improve(slack, 'Onboarding "Intake form"')

    missing = shown(refused(slack, "improvement Onboarding 9 done"))
    status = shown(refused(slack, "improvement Onboarding 1 finished"))

    assert "“Onboarding” has no improvement #9." in missing
    assert "`finished` — an improvement can become `doing`, `done` or `dropped`." in status
    assert f"Use: `{STATUS_USAGE}`" in status
    assert listing(slack) == [":bulb: *#1 Intake form* — proposed"]


def test_in_its_home_channel_the_stream_may_be_left_out(slack: SlackDriver) -> None:
    define_example(slack)
    define(slack, "Order to cash", '"Invoice" people:<@UOC|oc>', channel="C5")
    improve(slack, 'Onboarding "Intake form"')
    improve(slack, '"Order to cash" "E-invoices"', channel="C5")

    here = move(slack, "1 done")  # in Onboarding's home channel
    there = move(slack, "#1 doing", channel="C5")

    assert "*#1* of *Onboarding*: proposed → *done*." in here
    assert "*#1* of *Order to cash*: proposed → *doing*." in there
    nowhere = shown(refused(slack, "improvement 1 dropped", channel="C9"))
    assert "No stream is homed in this channel, so name it" in nowhere
    assert listing(slack, '"Order to cash"', channel="C5")[0].startswith(
        ":hammer_and_wrench: *#1 E-invoices* — doing"
    )


def test_in_a_channel_with_two_streams_it_asks_which(slack: SlackDriver) -> None:
    define(slack, "Hiring", '"Screening" people:<@UHR|hr>', channel="C2")
    define(slack, "Payroll", '"Run" people:<@UPY|py>', channel="C2")
    improve(slack, 'Hiring "Phone screen script"', channel="C2")
    improve(slack, 'Payroll "Earlier cut-off"', channel="C2")

    which = shown(refused(slack, "improvement 1 done", channel="C2"))

    assert "Several streams live here (“Hiring”, “Payroll”); name one" in which
    assert listing(slack, "Hiring", channel="C2") == [":bulb: *#1 Phone screen script* — proposed"]
    assert listing(slack, "Payroll", channel="C2") == [":bulb: *#1 Earlier cut-off* — proposed"]
    assert "proposed → *done*" in move(slack, "Payroll 1 done", channel="C2")


# ---- ranking ---------------------------------------------------------------------------------


def propose_six(slack: SlackDriver) -> None:
    """Improvements whose lead-time gain per effort (S 1, M 2, L 3; none is M) differ."""
    improve(slack, 'Onboarding "Review checklist" step:1 expect:"wait -1d" effort:S')  # 1 d
    improve(slack, 'Onboarding "Migration tool" step:4 expect:"wait -2d" effort:L')  # 0.67 d
    improve(slack, 'Onboarding "Shorter call" step:3 expect:"pt -30m" effort:S')  # 30 m
    improve(slack, 'Onboarding "Setup script" step:2 expect:"wait -1d"')  # 0.5 d
    improve(slack, 'Onboarding "Migration template" step:4 expect:"wait -1d" effort:S')  # 1 d
    improve(slack, 'Onboarding "Better contracts" step:1 expect:"ca +10%" effort:S')  # none
    improve(slack, 'Onboarding "Go-live in a day" step:5 expect:"wait -3d" effort:S')
    move(slack, "7 doing")  # under way, so not a proposal to rank


def ranked(slack: SlackDriver) -> tuple[str, list[int]]:
    reply = shown(ok(slack, "improvements Onboarding rank"))
    return reply, numbers([line for line in reply.splitlines() if _ITEM.match(line)])


def test_rank_puts_those_at_the_bottleneck_first_then_gain_per_effort(
    slack: SlackDriver,
) -> None:
    baseline(slack)  # step 4 waits longest
    propose_six(slack)

    reply, order = ranked(slack)

    assert order == [5, 2, 1, 4, 3, 6]
    assert "(those at the bottleneck, Data migration, lead)" in reply
    assert "1. :bulb: *#5 Migration template* — proposed · step 4 Data migration" in reply


def test_without_a_closed_cycle_rank_is_by_gain_per_effort_alone(slack: SlackDriver) -> None:
    define_example(slack)
    propose_six(slack)

    reply, order = ranked(slack)

    assert order == [1, 5, 2, 4, 3, 6]
    assert "bottleneck" not in reply


def test_the_bottleneck_is_that_of_the_latest_closed_cycle(slack: SlackDriver) -> None:
    baseline(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "4: wait 1d", PEOPLE[3])
    answer(slack, thread, "3: wait 4d", PEOPLE[2])  # now step 3 waits longest
    close(slack)
    propose_six(slack)

    reply, order = ranked(slack)

    assert order == [3, 1, 5, 2, 4, 6]
    assert "(those at the bottleneck, Kickoff call, lead)" in reply


# ---- PDSA: did it work? ----------------------------------------------------------------------


def test_the_next_summary_sets_each_done_improvement_beside_what_was_measured(
    slack: SlackDriver,
) -> None:
    baseline(slack)
    improve(slack, 'Onboarding "Migration template" step:4 expect:"wait -3d"')
    improve(slack, 'Onboarding "Shorter kickoff queue" step:3 expect:"wait -2d"')
    improve(slack, 'Onboarding "Review checklist" step:1 expect:"pt -1h"')
    improve(slack, 'Onboarding "Setup handbook" step:2 expect:"ca +10%"')
    improve(slack, 'Onboarding "Go-live dry run" step:5 expect:"wait -1d"')
    improve(slack, 'Onboarding "Team lunch"')  # no prediction: nothing to study
    improve(slack, 'Onboarding "Data contract" step:4 expect:"pt -1h"')
    for number in (1, 2, 3, 4, 5, 6):
        move(slack, f"{number} done")
    move(slack, "7 doing")  # not done yet

    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "1: wait 2d, pt 3h, ca 70%", PEOPLE[0])  # pt unchanged
    answer(slack, thread, "2: wait 1d, pt 45m, ca 80%", PEOPLE[1])  # %C&A fell 10 points
    answer(slack, thread, "3: wait 2d, pt 1h, ca 95%", PEOPLE[2])  # half the predicted fall
    answer(slack, thread, "4: wait 2d, pt 6h, ca 60%", PEOPLE[3])  # wait down 3 d
    # Nobody answers step 5: its wait is carried over, not measured.
    second = close(slack)

    # What was measured: the step's value before → after and the change, %C&A's in points.
    assert reviews(second) == [
        "• *#1 Migration template* (Data migration): predicted `wait -3d`, measured 5 d → 2 d"
        " (−3 d) — :white_check_mark: worked as predicted",
        "• *#2 Shorter kickoff queue* (Kickoff call): predicted `wait -2d`, measured 3 d → 2 d"
        " (−1 d) — :large_yellow_circle: worked partly",
        "• *#3 Review checklist* (Contract review): predicted `pt -1h`, measured 3 h → 3 h"
        " (±0) — :white_circle: no measurable effect",
        "• *#4 Setup handbook* (Account setup): predicted `ca +10%`, measured 90% → 80%"
        " (−10 pts) — :red_circle: went the other way",
        "• *#5 Go-live dry run* (Go-live check): predicted `wait -1d`, measured —"
        " — :grey_question: not measured at its step this cycle",
    ]

    move(slack, "7 done")
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "4: pt 5h", PEOPLE[3])
    third = close(slack)

    # Each improvement is studied once: only #7, done since the last summary, this time.
    assert reviews(third) == [
        "• *#7 Data contract* (Data migration): predicted `pt -1h`, measured 6 h → 5 h (−1 h)"
        " — :white_check_mark: worked as predicted",
    ]

    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, "4: pt 5h", PEOPLE[3])
    assert REVIEWS not in close(slack).splitlines()
