import pytest

from vsm.compare import Better, Change, change, compare
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


def test_shorter_wait_at_the_bottleneck_improves_the_stream() -> None:
    before = measure_cycle(cycle_of((1, 2 * D, 3 * H, 0.7), (2, 5 * D, 6 * H, 0.6)))
    after = measure_cycle(cycle_of((1, 2 * D, 4 * H, 0.7), (2, 2 * D, 6 * H, 0.8)))
    compared = compare(before, after)
    lead_before, lead_after = 7 * D + 9 * H, 4 * D + 10 * H
    assert compared.lead == Change(
        lead_before,
        lead_after,
        lead_after - lead_before,
        (lead_after - lead_before) / lead_before,
        "improved",
    )
    assert compared.wait.verdict == "improved"
    assert compared.process.verdict == "regressed"
    assert compared.process.relative == pytest.approx(1 / 9)
    assert compared.activity_ratio.verdict == "improved"
    assert compared.rolled_ca.verdict == "improved"
    assert compared.rolled_ca.relative == pytest.approx((0.56 - 0.42) / 0.42)
    first, second = compared.steps
    assert (first.wait.delta, first.process.delta, first.lead.delta) == (0, H, H)
    assert (second.wait.delta, second.process.delta, second.lead.delta) == (-3 * D, 0, -3 * D)
    assert second.lead.verdict == "improved"
    assert compared.moved_most is not None
    assert (compared.moved_most.position, compared.moved_most.driver) == (2, "wait")
    assert compared.moved_most.lead_delta_s == -3 * D
    assert not compared.partial


def test_process_time_can_drive_the_move() -> None:
    before = measure_cycle(cycle_of((1, D, H, None), (2, D, 2 * H, None)))
    after = measure_cycle(cycle_of((1, D, H, None), (2, D - H, 8 * H, None)))
    moved = compare(before, after).moved_most
    assert moved is not None
    assert (moved.key, moved.driver, moved.lead_delta_s) == (2, "process", 5 * H)
    assert (moved.wait_delta_s, moved.process_delta_s) == (-H, 6 * H)


def test_ties_for_moved_most_go_to_the_earliest_step() -> None:
    before = measure_cycle(cycle_of((1, D, H, None), (2, D, H, None)))
    after = measure_cycle(cycle_of((1, D, 2 * H, None), (2, D - H, H, None)))
    moved = compare(before, after).moved_most
    assert moved is not None
    assert (moved.position, moved.driver) == (1, "process")


def test_nothing_moved() -> None:
    cycle = measure_cycle(cycle_of((1, D, H, 0.9)))
    compared = compare(cycle, cycle)
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
    new, moved = compare(before, after).steps
    assert (new.key, new.lead.before, new.lead.after, new.lead.verdict) == (3, None, D + H, None)
    assert (moved.key, moved.name, moved.wait.delta) == (5, "Moved", D)


def test_unknown_totals_have_no_verdict() -> None:
    before = measure_cycle(cycle_of((1, D, None, None)))
    after = measure_cycle(cycle_of((1, D, H, None)))
    compared = compare(before, after)
    assert compared.partial
    assert compared.activity_ratio == Change(None, H / (D + H), None, None, None)
    assert compared.rolled_ca == Change(None, None, None, None, None)
    assert compared.lead.relative is None  # from 0
    assert compared.moved_most is None
