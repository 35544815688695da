import pytest

from tests.vsm.examples import WORKING
from vsm.compare import Better, Change, change, compare, duration_change, share_change
from vsm.durations import CALENDAR, TimeBasis
from vsm.metrics import Answer, StepAnswers, measure_cycle

H, D = 3600, 86_400


def cycle_of(*steps: tuple[int, int | None, int | None, float | None]) -> list[StepAnswers]:
    """Steps as (key, wait, pt, ca), one person each, in key order."""
    return [
        StepAnswers(key, key, f"Step {key}", (Answer("A", wait, pt, ca),))
        for key, wait, pt, ca in steps
    ]


@pytest.mark.parametrize(
    ("before", "after", "better", "expected"),
    [
        (10, 5, "lower", Change(10, 5, -5, -0.5, "improved")),
        (10, 15, "lower", Change(10, 15, 5, 0.5, "regressed")),
        (10, 10, "lower", Change(10, 10, 0, 0.0, "unchanged")),
        (0.2, 0.3, "higher", Change(0.2, 0.3, 0.3 - 0.2, (0.3 - 0.2) / 0.2, "improved")),
        (0.3, 0.2, "higher", Change(0.3, 0.2, 0.2 - 0.3, (0.2 - 0.3) / 0.3, "regressed")),
        (0, 5, "lower", Change(0, 5, 5, None, "regressed")),  # no relative change from 0
        (None, 5, "lower", Change(None, 5, None, None, None)),
        (5, None, "higher", Change(5, None, None, None, None)),
    ],
)
def test_change(
    before: float | None, after: float | None, better: Better, expected: Change
) -> None:
    assert change(before, after, better) == expected


def test_tiny_float_noise_is_unchanged() -> None:
    assert change(0.1 + 0.2, 0.3, "higher").verdict == "unchanged"


def same(found: Change, expected: Change) -> bool:
    """Equal, the computed delta and relative change to float precision."""
    pairs = ((found.delta, expected.delta), (found.relative, expected.relative))
    return (found.before, found.after, found.verdict) == (
        expected.before,
        expected.after,
        expected.verdict,
    ) and all(
        got is None if wanted is None else got == pytest.approx(wanted, abs=1e-9)
        for got, wanted in pairs
    )


@pytest.mark.parametrize(
    ("before", "after", "basis", "expected"),
    [
        # VSM.md: 23.6 d → 4.5 d is −80.9%.
        (
            23.6 * D,
            4.5 * D,
            CALENDAR,
            Change(23.6 * D, 4.5 * D, -19.1 * D, -19.1 / 23.6, "improved"),
        ),
        # 3 d 1 h → 1 d 1 h shows `3 d → 1 d`: −66.7%, not the −65.8% of the seconds.
        (3 * D + H, D + H, CALENDAR, Change(3 * D + H, D + H, -2 * D, -2 / 3, "improved")),
        # 12.47 d → 7.47 d shows `12.5 d → 7.5 d`: −40%, not −40.1%.
        (1_077_300, 645_300, CALENDAR, Change(1_077_300, 645_300, -5 * D, -0.4, "improved")),
        # The same seconds on 8-hour days: 37.4 wd → 22.4 wd.
        (
            1_077_300,
            645_300,
            WORKING,
            Change(1_077_300, 645_300, -15 * 8 * H, -15 / 37.4, "improved"),
        ),
        # Not the same seconds, but the same as shown: no change, and none claimed.
        (
            3 * D + H,
            3 * D + H + 600,
            CALENDAR,
            Change(3 * D + H, 3 * D + H + 600, 0, 0, "unchanged"),
        ),
        (2 * H, 2 * H + 7 * 60, CALENDAR, Change(2 * H, 2 * H + 420, 360, 0.05, "regressed")),
        # From a duration shown as 0 there is no relative change, only the difference.
        (0, D, CALENDAR, Change(0, D, D, None, "regressed")),
        (0.4, D, CALENDAR, Change(0.4, D, D, None, "regressed")),
        (None, D, CALENDAR, Change(None, D, None, None, None)),
        (D, None, CALENDAR, Change(D, None, None, None, None)),
    ],
)
def test_duration_change_is_of_the_durations_as_shown(
    before: float | None, after: float | None, basis: TimeBasis, expected: Change
) -> None:
    assert same(duration_change(before, after, basis), expected)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # VSM.md: 35.2% → 51.4% is +16.2 points, never +46.1%.
        (0.352, 0.514, Change(0.352, 0.514, 0.162, None, "improved")),
        # From the shares as shown: 35.19% → 51.42% reads 35.2% → 51.4%, so 16.2 points.
        (0.3519, 0.5142, Change(0.3519, 0.5142, 0.162, None, "improved")),
        (0.0376, 0.0345, Change(0.0376, 0.0345, -0.003, None, "regressed")),  # 3.8% → 3.5%
        # Under 1%: two significant figures each, 0.0092% → 0.35% is +0.3408 points.
        (0.000092, 0.0035, Change(0.000092, 0.0035, 0.003408, None, "improved")),
        # Different, but the same as shown: 35.19% and 35.24% both read 35.2%.
        (0.3519, 0.3524, Change(0.3519, 0.3524, 0, None, "unchanged")),
        (0.0, 1.0, Change(0.0, 1.0, 1.0, None, "improved")),
        (None, 0.5, Change(None, 0.5, None, None, None)),
    ],
)
def test_share_change_is_in_points_of_the_shares_as_shown(
    before: float | None, after: float | None, expected: Change
) -> None:
    assert same(share_change(before, after), expected)


def test_shorter_wait_at_the_bottleneck_improves_the_stream() -> None:
    before = measure_cycle(cycle_of((1, 2 * D, 3 * H, 0.7), (2, 5 * D, 6 * H, 0.6)))
    after = measure_cycle(cycle_of((1, 2 * D, 4 * H, 0.7), (2, 2 * D, 6 * H, 0.8)))
    compared = compare(before, after, CALENDAR)
    # 7 d 9 h → 4 d 10 h shows 7.4 d → 4.4 d: 3 d less, −40.5%.
    assert same(
        compared.lead,
        Change(7 * D + 9 * H, 4 * D + 10 * H, -3 * D, -3 / 7.4, "improved"),
    )
    assert compared.wait.verdict == "improved"
    assert compared.process.verdict == "regressed"
    assert compared.process.relative == pytest.approx(1 / 9)  # 9 h → 10 h
    assert compared.activity_ratio.verdict == "improved"
    assert compared.activity_ratio.relative is None  # percentages change in points
    # Rolled %C&A 42% → 56%: +14 points.
    assert same(compared.rolled_ca, Change(0.7 * 0.6, 0.7 * 0.8, 0.14, None, "improved"))
    first, second = compared.steps
    # Step 1's lead time 2 d 3 h → 2 d 4 h shows 2.1 d → 2.2 d: 0.1 d, as shown, not 1 h.
    assert (first.wait.delta, first.process.delta, first.lead.delta) == (0, H, D / 10)
    assert (second.wait.delta, second.process.delta, second.lead.delta) == (-3 * D, 0, -3 * D)
    assert second.lead.verdict == "improved"
    assert compared.moved_most is not None
    assert (compared.moved_most.position, compared.moved_most.driver) == (2, "wait")
    assert compared.moved_most.lead == second.lead
    assert (compared.moved_most.wait, compared.moved_most.process) == (second.wait, second.process)
    assert not compared.partial


def test_process_time_can_drive_the_move() -> None:
    before = measure_cycle(cycle_of((1, D, H, None), (2, D, 2 * H, None)))
    after = measure_cycle(cycle_of((1, D, H, None), (2, D - H, 8 * H, None)))
    moved = compare(before, after, CALENDAR).moved_most
    assert moved is not None
    # Its lead time 1 d 2 h → 1 d 7 h shows 1.1 d → 1.3 d.
    assert (moved.key, moved.driver, moved.lead.delta) == (2, "process", 2 * D / 10)
    assert (moved.wait.delta, moved.process.delta) == (-H, 6 * H)  # 1 d → 23 h, 2 h → 8 h


def test_moved_most_is_judged_on_the_lead_times_as_shown() -> None:
    # Step 1 moves 50 minutes but shows 1 d → 1 d; step 2 moves 30 minutes, 2 h → 2.5 h.
    before = measure_cycle(cycle_of((1, D, H, None), (2, H, H, None)))
    after = measure_cycle(cycle_of((1, D - 50 * 60, H, None), (2, H + 1800, H, None)))
    moved = compare(before, after, CALENDAR).moved_most
    assert moved is not None
    assert (moved.position, moved.lead.delta, moved.driver) == (2, 1800, "wait")


def test_ties_for_moved_most_go_to_the_earliest_step() -> None:
    before = measure_cycle(cycle_of((1, 2 * H, H, None), (2, 2 * H, H, None)))
    after = measure_cycle(cycle_of((1, 2 * H, 2 * H, None), (2, H, H, None)))
    moved = compare(before, after, CALENDAR).moved_most
    assert moved is not None
    assert (moved.position, moved.driver) == (1, "process")


def test_nothing_moved() -> None:
    cycle = measure_cycle(cycle_of((1, D, H, 0.9)))
    compared = compare(cycle, cycle, CALENDAR)
    assert compared.moved_most is None
    assert {c.verdict for c in (compared.lead, compared.wait, compared.rolled_ca)} == {"unchanged"}


def test_steps_are_matched_by_key() -> None:
    before = measure_cycle(
        [
            StepAnswers(5, 1, "Old", (Answer("A", D, H),)),
            StepAnswers(9, 2, "Gone", (Answer("A", D, H),)),
        ]
    )
    after = measure_cycle(
        [
            StepAnswers(3, 1, "New", (Answer("A", D, H),)),
            StepAnswers(5, 2, "Moved", (Answer("A", 2 * D, H),)),
        ]
    )
    new, moved = compare(before, after, CALENDAR).steps
    assert (new.key, new.lead.before, new.lead.after, new.lead.verdict) == (3, None, D + H, None)
    assert (moved.key, moved.name, moved.wait.delta) == (5, "Moved", D)


def test_unknown_totals_have_no_verdict() -> None:
    before = measure_cycle(cycle_of((1, D, None, None)))
    after = measure_cycle(cycle_of((1, D, H, None)))
    compared = compare(before, after, CALENDAR)
    assert compared.partial
    assert compared.activity_ratio == Change(None, H / (D + H), None, None, None)
    assert compared.rolled_ca == Change(None, None, None, None, None)
    assert compared.lead.relative is None  # from 0
    assert compared.moved_most is None
