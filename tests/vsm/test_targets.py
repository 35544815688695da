from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.vsm.examples import WORKING
from vsm.durations import CALENDAR, TimeBasis
from vsm.metrics import Answer, CycleMetrics, StepAnswers, measure_cycle
from vsm.targets import Target, TargetError, TargetProgress, progress

H, D = 3600, 86_400
JAN_1 = datetime(2026, 1, 1, 9, tzinfo=UTC)
JAN_31 = JAN_1 + timedelta(days=30)


def cycle(wait_s: int | None, process_s: int | None, ca: float | None = None) -> CycleMetrics:
    """A one-step stream (plus a rated second step when `ca` is given)."""
    steps = [StepAnswers(1, 1, "Build", (Answer("A", wait_s, process_s),))]
    if ca is not None:
        steps.append(StepAnswers(2, 2, "Check", (Answer("B", 0, 0, ca),)))
    return measure_cycle(steps)


def lead_progress(
    target: Target, before: CycleMetrics | None, after: CycleMetrics | None
) -> TargetProgress:
    (only,) = progress(
        target,
        baseline=before,
        baseline_at=JAN_1,
        current=after,
        current_at=JAN_31,
        basis=CALENDAR,
    )
    return only


def test_one_progress_per_metric_set_in_order() -> None:
    target = Target(lead_s=5 * D, ratio=0.2, ca=0.9, by=date(2026, 6, 1))
    results = progress(
        target,
        baseline=cycle(9 * D, D, 0.5),
        baseline_at=JAN_1,
        current=None,
        current_at=None,
        basis=CALENDAR,
    )
    assert [(r.metric, r.target, r.baseline) for r in results] == [
        ("lead", 5 * D, 10 * D),
        ("ratio", 0.2, 0.1),
        ("ca", 0.9, 0.5),
    ]
    assert all(r.current is None and not r.reached and r.share is None for r in results)
    assert (
        progress(
            Target(),
            baseline=None,
            baseline_at=None,
            current=None,
            current_at=None,
            basis=CALENDAR,
        )
        == ()
    )


def test_lead_time_halfway_and_on_pace() -> None:
    # 10 d → 8 d in 30 days; 4 d more at 2 d per 30 days takes 60 days: 2026-04-01.
    target = Target(lead_s=4 * D, by=date(2026, 4, 1))
    result = lead_progress(target, cycle(9 * D, D), cycle(7 * D, D))
    assert result == TargetProgress(
        "lead", 4 * D, 10 * D, 8 * D, False, 1 / 3, True, date(2026, 4, 1), shown_share=1 / 3
    )


def test_lead_time_behind_pace() -> None:
    target = Target(lead_s=4 * D, by=date(2026, 3, 31))
    result = lead_progress(target, cycle(9 * D, D), cycle(7 * D, D))
    assert (result.on_pace, result.projected) == (False, date(2026, 4, 1))


def test_higher_is_better_for_the_ratio_and_ca() -> None:
    target = Target(ratio=0.5, ca=0.8, by=date(2026, 12, 31))
    # Ratio 0.1 → 0.3 (halfway); rolled %C&A 0.5 → 0.9 (reached).
    before, after = cycle(9 * H, H, 0.5), cycle(7 * H, 3 * H, 0.9)
    ratio, ca = progress(
        target,
        baseline=before,
        baseline_at=JAN_1,
        current=after,
        current_at=JAN_31,
        basis=CALENDAR,
    )
    assert ratio.reached is False
    assert ratio.share == pytest.approx(0.5)
    assert ratio.projected == date(2026, 3, 2)
    assert ratio.on_pace is True
    assert (ca.reached, ca.share, ca.on_pace, ca.projected) == (True, 1.0, True, None)
    assert (ratio.shown_share, ca.shown_share) == (pytest.approx(0.5), 1.0)  # 10% → 30% of 50%


@pytest.mark.parametrize(
    ("before", "after", "reached", "share", "on_pace", "projected"),
    [
        ((12 * D, 0), (13 * D, 0), False, 0.0, False, None),  # moving away: share clamps at 0
        ((12 * D, 0), (12 * D, 0), False, 0.0, False, None),  # flat
        ((12 * D, 0), (2 * D, 0), True, 1.0, True, None),  # overshot: share clamps at 1
        ((12 * D, 0), (10 * D, 0), True, 1.0, True, None),  # exactly at the target
        ((8 * D, 0), (9 * D, 0), True, None, True, None),  # at the target from the start
        ((8 * D, 0), (11 * D, 0), False, None, False, None),  # was there, slipped back
        ((None, None), (11 * D, 0), False, None, None, None),  # no baseline
        ((12 * D, 0), (None, 0), False, None, None, None),  # current not measured
    ],
)
def test_lead_time_cases(
    before: tuple[int | None, int | None],
    after: tuple[int | None, int | None],
    reached: bool,
    share: float | None,
    on_pace: bool | None,
    projected: date | None,
) -> None:
    result = lead_progress(
        Target(lead_s=10 * D, by=date(2026, 6, 1)), cycle(*before), cycle(*after)
    )
    assert (result.reached, result.share, result.on_pace, result.projected) == (
        reached,
        share,
        on_pace,
        projected,
    )


def test_without_a_date_there_is_no_pace_but_still_a_projection() -> None:
    result = lead_progress(Target(lead_s=4 * D), cycle(9 * D, D), cycle(7 * D, D))
    assert (result.on_pace, result.projected) == (None, date(2026, 4, 1))


def test_one_measurement_or_no_time_passed_gives_no_pace() -> None:
    target = Target(lead_s=4 * D, by=date(2026, 4, 1))
    alone = progress(
        target,
        baseline=None,
        baseline_at=None,
        current=cycle(7 * D, D),
        current_at=JAN_31,
        basis=CALENDAR,
    )
    same_time = progress(
        target,
        baseline=cycle(9 * D, D),
        baseline_at=JAN_31,
        current=cycle(7 * D, D),
        current_at=JAN_31,
        basis=CALENDAR,
    )
    for (result,) in (alone, same_time):
        assert (result.on_pace, result.projected) == (None, None)
    assert same_time[0].share == pytest.approx(1 / 3)


def test_too_slow_to_get_there_before_year_9999() -> None:
    target = Target(lead_s=H, by=date(2030, 1, 1))
    result = lead_progress(target, cycle(1_000 * D, 0), cycle(1_000 * D - 1, 0))
    assert (result.on_pace, result.projected) == (False, None)


def test_the_projection_is_a_local_date() -> None:
    # 60 days after 20:00 on 31 January in UTC-10 is 20:00 on 1 April there: 2 April in UTC.
    zone = timezone(timedelta(hours=-10))
    start = datetime(2026, 1, 1, 20, tzinfo=zone)
    (result,) = progress(
        Target(lead_s=4 * D),
        baseline=cycle(9 * D, D),
        baseline_at=start,
        current=cycle(7 * D, D),
        current_at=start + timedelta(days=30),
        basis=CALENDAR,
    )
    assert result.projected == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ({"lead_s": 0}, "A lead-time target must be more than 0."),
        ({"ratio": 0.0}, "A target activity ratio must be more than 0% and at most 100%."),
        ({"ca": 1.5}, "A target %C&A must be more than 0% and at most 100%."),
        ({"ca": float("nan")}, "%C&A"),
    ],
)
def test_target_refuses_impossible_values(target: dict[str, float], says: str) -> None:
    with pytest.raises(TargetError) as caught:
        Target(**target)  # type: ignore[arg-type]
    assert says in caught.value.message


@given(
    st.integers(1, 100 * D),
    st.integers(0, 100 * D),
    st.integers(0, 100 * D),
    st.integers(1, 400),
    st.none() | st.dates(date(2026, 1, 1), date(2030, 1, 1)),
)
def test_progress_properties(
    target_s: int, before_s: int, after_s: int, days: int, by: date | None
) -> None:
    (result,) = progress(
        Target(lead_s=target_s, by=by),
        baseline=cycle(before_s, 0),
        baseline_at=JAN_1,
        current=cycle(after_s, 0),
        current_at=JAN_1 + timedelta(days=days),
        basis=CALENDAR,
    )
    assert result.reached is (after_s <= target_s)
    assert result.share is None or 0 <= result.share <= 1
    assert result.share is None or (result.share == 1) is result.reached
    # The share shown is there where the share is (unless the baseline shows as the target).
    assert result.shown_share is None or 0 <= result.shown_share <= 1
    assert result.share is not None or result.shown_share is None
    assert (result.on_pace is None) is (by is None)
    if result.projected is not None:
        assert not result.reached
        assert result.projected >= (JAN_1 + timedelta(days=days)).date()
        assert result.on_pace in (None, result.projected <= (by or result.projected))


@pytest.mark.parametrize(
    ("target", "before", "after", "basis", "share", "shown_share"),
    [
        # 3 d 1 h → 2 d 2 h towards 1 d shows 3 d → 2.1 d → 1 d: 0.9 of 2 d is 45%, where the
        # seconds say 23 h of 49 h, 46.9%.
        (Target(lead_s=D), cycle(3 * D + H, 0), cycle(2 * D + 2 * H, 0), CALENDAR, 23 / 49, 0.45),
        # On 8-hour days 20 h → 9 h towards 8 h shows 2.5 wd → 1.1 wd → 1 wd: 1.4 of 1.5.
        (Target(lead_s=8 * H), cycle(20 * H, 0), cycle(9 * H, 0), WORKING, 11 / 12, 1.4 / 1.5),
        # Rolled %C&A 35.19% → 51.42% towards 90% shows 35.2% → 51.4% → 90%: 16.2 of 54.8.
        (
            Target(ca=0.9),
            cycle(D, H, 0.3519),
            cycle(D, H, 0.5142),
            CALENDAR,
            0.1623 / 0.5481,
            16.2 / 54.8,
        ),
        # A baseline short of the target that shows as the target (5 d): no share to show.
        (Target(lead_s=5 * D), cycle(5 * D + H, 0), cycle(4 * D, 0), CALENDAR, 1.0, None),
    ],
)
def test_the_share_shown_is_of_the_values_as_shown(
    target: Target,
    before: CycleMetrics,
    after: CycleMetrics,
    basis: TimeBasis,
    share: float,
    shown_share: float | None,
) -> None:
    (result,) = progress(
        target, baseline=before, baseline_at=JAN_1, current=after, current_at=JAN_31, basis=basis
    )
    assert result.share == pytest.approx(share, abs=1e-12)
    if shown_share is None:
        assert result.shown_share is None
    else:
        assert result.shown_share == pytest.approx(shown_share, abs=1e-12)
