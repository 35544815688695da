"""Future-state targets: how far a stream has come from its baseline towards them, and when.

A stream may set a target for its total lead time (lower is better), its activity ratio and
its rolled %C&A (higher is better), with a date to reach them by. Progress is measured from the
baseline cycle to the current one; the pace is the straight line through those two, which is
all two measurements can say.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from math import isfinite
from typing import Literal

from vsm.durations import TimeBasis, shown_duration
from vsm.errors import VsmError
from vsm.metrics import CycleMetrics
from vsm.percent import shown_percent

TargetMetric = Literal["lead", "ratio", "ca"]
_LOWER_IS_BETTER: frozenset[TargetMetric] = frozenset({"lead"})


class TargetError(VsmError):
    """A target that cannot be reached or measured; the message says why."""


@dataclass(frozen=True)
class Target:
    """A stream's future state; any metric may be left out.

    Attributes:
        lead_s: total lead time to get down to, in seconds, more than 0.
        ratio: activity ratio to get up to, a fraction more than 0 and at most 1.
        ca: rolled %C&A to get up to, a fraction more than 0 and at most 1.
        by: the date to reach them by.
    """

    lead_s: int | None = None
    ratio: float | None = None
    ca: float | None = None
    by: date | None = None

    def __post_init__(self) -> None:
        if self.lead_s is not None and self.lead_s <= 0:
            raise TargetError("A lead-time target must be more than 0.", "`lead 5d`")
        for name, value in (("activity ratio", self.ratio), ("%C&A", self.ca)):
            if value is not None and not (isfinite(value) and 0 < value <= 1):
                raise TargetError(
                    f"A target {name} must be more than 0% and at most 100%.", "`40%`"
                )


@dataclass(frozen=True)
class TargetProgress:
    """Where one metric stands against its target.

    Attributes:
        target: the target value (seconds for lead; a fraction for ratio and ca).
        baseline: the value at the baseline cycle; None if not measured.
        current: the value at the current cycle; None if not measured.
        reached: the current value is at or past the target.
        share: how much of the way from baseline to target has been covered, 0 to 1
            (clamped: going backwards is 0, overshooting is 1); None if the baseline or the
            current value is missing, or the baseline was already at or past the target.
        on_pace: whether the straight line from baseline to current reaches the target by
            the date (True once reached); None without a date, without both values and
            times, or when the current cycle is not later than the baseline.
        projected: the date, in the time zone of `current_at`, on which that straight line
            reaches the target; None if it is reached already, the line is flat or moves
            away, or it would not get there before the year 9999.
        shown_share: `share` computed from the baseline, current and target values as they
            are shown (durations as `format_duration` shows them, percentages as
            `format_percent`), so that it agrees with the numbers beside it: 12.5 d → 7.3 d
            towards 5 d is 69.3% of the way. None where `share` is, or when the baseline shows
            as the target already.
    """

    metric: TargetMetric
    target: float
    baseline: float | None
    current: float | None
    reached: bool
    share: float | None
    on_pace: bool | None
    projected: date | None
    shown_share: float | None = None


def progress(
    target: Target,
    *,
    baseline: CycleMetrics | None,
    baseline_at: datetime | None,
    current: CycleMetrics | None,
    current_at: datetime | None,
    basis: TimeBasis,
) -> tuple[TargetProgress, ...]:
    """Measure progress towards each metric the target sets, in the order lead, ratio, ca.

    Totals are taken as the cycles give them: when a cycle is partial (a step lacks a wait or
    a process time) its lead time leaves that step out, as everywhere else it is shown.

    Args:
        target: the stream's target.
        baseline: the baseline cycle's metrics (the first closed cycle), if any.
        baseline_at: when the baseline cycle closed.
        current: the latest closed cycle's metrics, if any.
        current_at: when it closed.
        basis: the stream's time basis, under which its lead times are shown.

    Returns:
        One progress per metric set in the target.
    """
    wanted: list[tuple[TargetMetric, float | None]] = [
        ("lead", target.lead_s),
        ("ratio", target.ratio),
        ("ca", target.ca),
    ]
    found = []
    for metric, goal in wanted:
        if goal is None:
            continue
        item = _progress(
            metric,
            goal,
            target.by,
            (_value(baseline, metric), baseline_at),
            (_value(current, metric), current_at),
        )
        shown: Callable[[float], Fraction] = (
            (lambda seconds: shown_duration(seconds, basis)) if metric == "lead" else shown_percent
        )
        found.append(replace(item, shown_share=_shown_share(item, shown)))
    return tuple(found)


def _shown_share(item: TargetProgress, shown: Callable[[float], Fraction]) -> float | None:
    if item.share is None or item.baseline is None or item.current is None:
        return None
    was, now, goal = shown(item.baseline), shown(item.current), shown(item.target)
    if was == goal:
        return None
    return float(min(max((now - was) / (goal - was), Fraction(0)), Fraction(1)))


def _value(cycle: CycleMetrics | None, metric: TargetMetric) -> float | None:
    if cycle is None:
        return None
    if metric == "lead":
        measured = any(step.lead_s is not None for step in cycle.steps)
        return cycle.lead_s if measured else None
    if metric == "ratio":
        return cycle.activity_ratio
    return cycle.rolled_ca


def _progress(
    metric: TargetMetric,
    goal: float,
    by: date | None,
    start: tuple[float | None, datetime | None],
    now: tuple[float | None, datetime | None],
) -> TargetProgress:
    (was, was_at), (value, value_at) = start, now
    # Lead time is flipped so that "higher is better" holds for every metric below.
    sign = -1 if metric in _LOWER_IS_BETTER else 1
    reached = value is not None and sign * value >= sign * goal
    share = None
    if was is not None and value is not None and sign * was < sign * goal:
        covered = Fraction(repr(value)) - Fraction(repr(was))
        whole_way = Fraction(repr(goal)) - Fraction(repr(was))
        share = float(min(max(covered / whole_way, Fraction(0)), Fraction(1)))
    on_pace: bool | None = None
    projected = None
    if was is not None and value is not None and was_at is not None and value_at is not None:
        if value_at > was_at and not reached:
            projected = _projected(was, was_at, value, value_at, goal)
        if by is not None and value_at > was_at:
            on_pace = reached or (projected is not None and projected <= by)
    return TargetProgress(metric, goal, was, value, reached, share, on_pace, projected)


def _projected(
    was: float, was_at: datetime, value: float, value_at: datetime, goal: float
) -> date | None:
    """The date the straight line through both measurements reaches the goal, if it does."""
    moved = Fraction(repr(value)) - Fraction(repr(was))
    to_go = Fraction(repr(goal)) - Fraction(repr(value))
    if moved == 0 or (moved > 0) != (to_go > 0):
        return None
    elapsed = value_at - was_at
    seconds = to_go / moved * Fraction(elapsed.total_seconds())
    try:
        return (value_at + timedelta(seconds=float(seconds))).date()
    except OverflowError:
        return None
