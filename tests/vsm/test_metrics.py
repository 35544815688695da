import pytest

from tests.vsm.examples import WORKED_REPLY, WORKED_STEPS, WORKING
from vsm.durations import CALENDAR, TimeBasis, format_duration
from vsm.metrics import Answer, CycleMetrics, StepAnswers, measure_cycle
from vsm.percent import format_percent
from vsm.replies import parse_reply

H, D = 3600, 86_400


def worked_cycle(basis: TimeBasis) -> list[StepAnswers]:
    """The worked example typed by one person per step, read on `basis`."""
    read = parse_reply(WORKED_REPLY, WORKED_STEPS, basis)
    assert read.problems == ()
    names = {step.position: step.name for step in WORKED_STEPS}
    return [
        StepAnswers(
            key=100 + a.position,
            position=a.position,
            name=names[a.position],
            answers=(Answer(f"U{a.position}", a.wait_s, a.process_s, a.ca),),
        )
        for a in read.answers
    ]


def step(key: int, *answers: Answer, position: int | None = None, name: str = "") -> StepAnswers:
    return StepAnswers(key, key if position is None else position, name or f"Step {key}", answers)


def test_worked_example_on_the_calendar() -> None:
    cycle = measure_cycle(worked_cycle(CALENDAR))
    assert cycle.wait_s == 1_036_800
    assert cycle.process_s == 40_500
    assert cycle.lead_s == 1_077_300
    assert cycle.activity_ratio == 40_500 / 1_077_300
    assert cycle.rolled_ca == pytest.approx(0.7 * 0.9 * 0.95 * 0.6 * 0.98)
    assert round(cycle.lead_s / D, 2) == 12.47
    assert format_duration(cycle.lead_s, CALENDAR) == "12.5 d"
    assert format_duration(cycle.process_s, CALENDAR) == "11.3 h"  # 11 h 15 m
    assert format_duration(cycle.wait_s, CALENDAR) == "12 d"
    assert format_percent(cycle.activity_ratio, places=2) == "3.76%"  # as VSM.md gives them
    assert format_percent(cycle.rolled_ca, places=2) == "35.19%"
    assert format_percent(cycle.activity_ratio) == "3.8%"  # as people read them
    assert format_percent(cycle.rolled_ca) == "35.2%"
    assert not cycle.partial
    assert cycle.missing_steps == ()
    assert cycle.unrated_steps == ()
    assert cycle.bottleneck is not None
    assert cycle.bottleneck.name == "Data migration"
    assert cycle.bottleneck_share == (5 * D + 6 * H) / 1_077_300
    assert format_percent(cycle.bottleneck_share, places=1) == "42.1%"


def test_worked_example_on_eight_hour_working_days() -> None:
    cycle = measure_cycle(worked_cycle(WORKING))
    assert cycle.wait_s == 12 * 8 * H
    assert cycle.process_s == 40_500
    assert cycle.lead_s == 386_100
    assert round(cycle.lead_s / (8 * H), 2) == 13.41
    assert format_duration(cycle.lead_s, WORKING) == "13.4 wd"
    assert format_percent(cycle.activity_ratio or 0, places=2) == "10.49%"
    assert format_percent(cycle.rolled_ca or 0, places=2) == "35.19%"
    assert format_percent(cycle.activity_ratio or 0) == "10.5%"
    assert cycle.bottleneck_share == (5 * 8 * H + 6 * H) / 386_100


def test_worked_example_steps() -> None:
    steps = measure_cycle(worked_cycle(CALENDAR)).steps
    assert [(s.position, s.wait_s, s.process_s, s.lead_s, s.ca) for s in steps] == [
        (1, 2 * D, 3 * H, 2 * D + 3 * H, 0.7),
        (2, D, 2700, D + 2700, 0.9),
        (3, 3 * D, H, 3 * D + H, 0.95),
        (4, 5 * D, 6 * H, 5 * D + 6 * H, 0.6),
        (5, D, 1800, D + 1800, 0.98),
    ]
    assert all(s.respondents == 1 and not s.carried_over for s in steps)


@pytest.mark.parametrize(
    ("waits", "median"),
    [
        ([H], H),
        ([H, 10 * H, 2 * H], 2 * H),  # odd count: the middle one
        ([H, 2 * H], 5400),  # even count: the mean of the middle two
        ([1, 2], 2),  # 1.5 s rounds half up
        ([4, 1, 3, 2], 3),  # 2.5 s rounds half up
        ([D, D, 5 * D, 100 * D], 3 * D),  # one outlier does not drag it
    ],
)
def test_wait_is_the_median_of_the_people(waits: list[int], median: int) -> None:
    answers = [Answer(f"U{i}", wait_s=w) for i, w in enumerate(waits)]
    (measured,) = measure_cycle([step(1, *answers)]).steps
    assert measured.wait_s == median
    assert measured.respondents == len(waits)


def test_each_field_has_its_own_median() -> None:
    answers = (
        Answer("A", wait_s=D, process_s=H, ca=0.8),
        Answer("B", wait_s=3 * D, ca=0.9),
        Answer("C", process_s=3 * H),
        Answer("D"),  # said nothing: not a respondent
    )
    (measured,) = measure_cycle([step(1, *answers)]).steps
    assert (measured.wait_s, measured.process_s) == (2 * D, 2 * H)
    assert measured.ca == pytest.approx(0.85)
    assert measured.lead_s == 2 * D + 2 * H
    assert measured.respondents == 3


def test_a_field_nobody_gave_is_carried_over() -> None:
    now = [step(1, Answer("A", ca=0.9)), step(2, Answer("A", wait_s=H, process_s=H))]
    previous = [step(1, Answer("A", wait_s=D), Answer("B", wait_s=3 * D))]
    older = [step(1, Answer("A", wait_s=9 * D, process_s=2 * H, ca=0.1))]
    cycle = measure_cycle(now, earlier=[previous, older])
    first, second = cycle.steps
    assert (first.wait_s, first.process_s, first.ca) == (2 * D, 2 * H, 0.9)
    assert first.carried_over
    assert first.carried_fields == ("wait", "process")
    assert first.respondents == 1
    assert not second.carried_over
    assert not cycle.partial


def test_a_step_nobody_answered_takes_its_last_values() -> None:
    previous = [step(7, Answer("A", wait_s=D, process_s=H, ca=0.5), position=3, name="Old name")]
    cycle = measure_cycle([step(7, position=1, name="New name")], earlier=[previous])
    (measured,) = cycle.steps
    assert (measured.position, measured.name) == (1, "New name")  # matched by key
    assert (measured.wait_s, measured.process_s, measured.ca) == (D, H, 0.5)
    assert measured.carried_fields == ("wait", "process", "ca")
    assert measured.respondents == 0


def test_carry_over_matches_by_key_only() -> None:
    previous = [step(2, Answer("A", wait_s=D, process_s=H), position=1)]
    (measured,) = measure_cycle([step(1)], earlier=[previous]).steps
    assert (measured.wait_s, measured.process_s) == (None, None)
    assert not measured.carried_over


def test_never_measured_steps_make_totals_partial() -> None:
    steps = [
        step(1, Answer("A", wait_s=D, process_s=H, ca=0.5)),
        step(2, Answer("A", wait_s=2 * D), name="No PT"),
        step(3, Answer("A", process_s=3 * H), name="No wait"),
        step(4, name="Silent"),
    ]
    cycle = measure_cycle(steps)
    assert cycle.partial
    assert cycle.missing_steps == ("No PT", "No wait", "Silent")
    assert cycle.wait_s == 3 * D
    assert cycle.process_s == 4 * H
    assert cycle.lead_s == D + H  # only steps with both
    assert cycle.activity_ratio == H / (D + H)  # never more than 1: PT of the same steps
    assert [s.lead_s for s in cycle.steps] == [D + H, None, None, None]


def test_an_unrated_first_step_counts_as_complete() -> None:
    steps = [
        step(1, Answer("A", wait_s=D, process_s=H)),
        step(2, Answer("A", wait_s=D, process_s=H, ca=0.9)),
        step(3, Answer("A", wait_s=D, process_s=H, ca=0.5)),
    ]
    cycle = measure_cycle(steps)
    assert cycle.steps[0].ca is None  # shown as "not rated"
    assert cycle.rolled_ca == pytest.approx(0.45)
    assert cycle.unrated_steps == ()


def test_unrated_later_steps_are_named() -> None:
    steps = [step(1, Answer("A", ca=0.9)), step(2, name="Quiet"), step(3, Answer("A", ca=0.5))]
    cycle = measure_cycle(steps)
    assert cycle.rolled_ca == pytest.approx(0.45)
    assert cycle.unrated_steps == ("Quiet",)


def test_no_rating_means_no_rolled_ca() -> None:
    assert measure_cycle([step(1, Answer("A", wait_s=D))]).rolled_ca is None


def test_ties_for_the_bottleneck_go_to_the_earliest_step() -> None:
    steps = [
        step(3, Answer("A", wait_s=2 * D, process_s=H)),
        step(1, Answer("A", wait_s=D, process_s=H)),
        step(2, Answer("A", wait_s=2 * D, process_s=5 * H)),
    ]
    cycle = measure_cycle(steps)
    assert [s.position for s in cycle.steps] == [1, 2, 3]
    assert cycle.bottleneck is not None
    assert cycle.bottleneck.position == 2
    assert cycle.bottleneck_share == (2 * D + 5 * H) / (5 * D + 7 * H)


def test_a_bottleneck_without_process_time_has_no_share() -> None:
    cycle = measure_cycle(
        [step(1, Answer("A", wait_s=D, process_s=H)), step(2, Answer("A", wait_s=3 * D))]
    )
    assert cycle.bottleneck is not None
    assert cycle.bottleneck.position == 2
    assert cycle.bottleneck_share is None


@pytest.mark.parametrize("waits", [[], [None], [0, 0]])
def test_no_wait_means_no_bottleneck(waits: list[int | None]) -> None:
    steps = [step(i + 1, Answer("A", wait_s=w, process_s=H)) for i, w in enumerate(waits)]
    cycle = measure_cycle(steps)
    assert cycle.bottleneck is None
    assert cycle.bottleneck_share is None


def test_an_empty_stream() -> None:
    assert measure_cycle([]) == CycleMetrics(
        steps=(),
        wait_s=0,
        process_s=0,
        lead_s=0,
        activity_ratio=None,
        rolled_ca=None,
        partial=False,
        missing_steps=(),
        unrated_steps=(),
        bottleneck=None,
        bottleneck_share=None,
    )
