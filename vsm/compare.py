"""Before / after: how one cycle's metrics moved against another's (baseline or previous).

What people read is the two values and the change between them, so the change is computed
from the values as they are shown, never from the unrounded ones: a step whose lead time
went from 3 d 1 h to 1 d 1 h shows `3 d → 1 d`, and its change is (1 − 3) / 3 = −66.7%, not
the −65.8% of the seconds, which would contradict the numbers beside it. Durations change
relatively, `(after − before) / before`; percentages (activity ratio, %C&A) change in
percentage points, `after − before`: 35.2% → 51.4% is +16.2 points, never +46.1%.
"""

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import isclose
from typing import Literal

from vsm.durations import TimeBasis, shown_duration
from vsm.metrics import CycleMetrics, StepMetrics
from vsm.percent import shown_percent

Verdict = Literal["improved", "regressed", "unchanged"]
Better = Literal["lower", "higher"]


@dataclass(frozen=True)
class Change:
    """One value before and after.

    Attributes:
        before, after: the values as measured (seconds, or a fraction for a percentage), for
            the caller to show; None when not measured.
        delta: after − before; None if either is missing. Made by `duration_change` it is
            the difference of the durations as shown, in seconds; by `share_change`, of the
            percentages as shown, in points as a fraction (+16.2 points is 0.162).
        relative: (after − before) / before, of the same values as `delta`; None if either is
            missing or before is 0, and always None from `share_change` (percentages change
            in points).
        verdict: improved, regressed or unchanged, of the same values as `delta` (a change
            too small to show is unchanged); None if either value is missing.
    """

    before: float | None
    after: float | None
    delta: float | None
    relative: float | None
    verdict: Verdict | None


@dataclass(frozen=True)
class StepChange:
    """How one step's wait, process time and lead time moved."""

    key: int
    position: int
    name: str
    wait: Change
    process: Change
    lead: Change


@dataclass(frozen=True)
class MovedMost:
    """The step whose lead time moved most as shown, and which part of it drove the move.

    Attributes:
        lead, wait, process: the step's changes, as in `StepChange`.
        driver: "wait" or "process", whichever moved more in size (wait on a tie).
    """

    key: int
    position: int
    name: str
    lead: Change
    wait: Change
    process: Change
    driver: Literal["wait", "process"]


@dataclass(frozen=True)
class Comparison:
    """A cycle set beside an earlier one.

    Attributes:
        steps: the later cycle's steps, in position order, each matched by key to the earlier.
        moved_most: None when no matched step's lead time changed.
        partial: either cycle's totals leave some step out.
    """

    lead: Change
    process: Change
    wait: Change
    activity_ratio: Change
    rolled_ca: Change
    steps: tuple[StepChange, ...]
    moved_most: MovedMost | None
    partial: bool


def change(before: float | None, after: float | None, better: Better) -> Change:
    """Set two values side by side, the change computed from them exactly as given.

    What people read goes through `duration_change` or `share_change` instead, which compute
    the change from the values as shown.

    Args:
        before: the earlier value, None if unknown.
        after: the later value, None if unknown.
        better: whether a lower or a higher value is an improvement.
    """
    if before is None or after is None:
        return Change(before, after, None, None, None)
    relative = (after - before) / before if before else None
    if after == before or isclose(after, before, rel_tol=1e-9, abs_tol=1e-12):
        verdict: Verdict = "unchanged"
    elif (after < before) == (better == "lower"):
        verdict = "improved"
    else:
        verdict = "regressed"
    return Change(before, after, after - before, relative, verdict)


def duration_change(before: float | None, after: float | None, basis: TimeBasis) -> Change:
    """Two durations side by side (lower is better), the change from the durations as shown.

    `delta` and `relative` are those of the seconds `format_duration` shows under `basis`:
    3 d 1 h → 1 d 1 h reads `3 d → 1 d`, so the delta is −2 d and the change −66.7%.

    Args:
        before: the earlier duration in seconds, None if not measured.
        after: the later one, None if not measured.
        basis: the stream's time basis, under which both are shown.
    """
    return _as_shown(before, after, lambda seconds: shown_duration(seconds, basis), "lower")


def share_change(before: float | None, after: float | None) -> Change:
    """Two percentages side by side (higher is better), the change in points as shown.

    `delta` is the difference of the percentages `format_percent` shows, as a fraction:
    0.3519 → 0.5142 reads `35.2% → 51.4%`, so the delta is 0.162 (+16.2 points). `relative`
    is None: a change of a percentage is given in points, never relatively.

    Args:
        before: the earlier fraction (1 is 100%), None if not measured.
        after: the later one, None if not measured.
    """
    found = _as_shown(before, after, shown_percent, "higher")
    return Change(found.before, found.after, found.delta, None, found.verdict)


def _as_shown(
    before: float | None,
    after: float | None,
    shown: Callable[[float], Fraction],
    better: Better,
) -> Change:
    if before is None or after is None:
        return Change(before, after, None, None, None)
    was, now = shown(before), shown(after)
    moved = change(float(was), float(now), better)
    relative = None if was == 0 else float((now - was) / was)
    return Change(before, after, float(now - was), relative, moved.verdict)


def compare(before: CycleMetrics, after: CycleMetrics, basis: TimeBasis) -> Comparison:
    """Compare a cycle (after) with an earlier one (before): totals, per step, and what moved.

    Lower lead, process and wait times are better; a higher activity ratio and rolled %C&A are
    better. Every change is computed from the values as shown (`duration_change` under
    `basis`, `share_change`). Steps are matched by key; a step only in the earlier cycle is
    left out.
    """
    earlier = {step.key: step for step in before.steps}
    steps = tuple(_step_change(earlier.get(step.key), step, basis) for step in after.steps)
    return Comparison(
        lead=duration_change(before.lead_s, after.lead_s, basis),
        process=duration_change(before.process_s, after.process_s, basis),
        wait=duration_change(before.wait_s, after.wait_s, basis),
        activity_ratio=share_change(before.activity_ratio, after.activity_ratio),
        rolled_ca=share_change(before.rolled_ca, after.rolled_ca),
        steps=steps,
        moved_most=_moved_most(steps),
        partial=before.partial or after.partial,
    )


def _step_change(before: StepMetrics | None, after: StepMetrics, basis: TimeBasis) -> StepChange:
    if before is None:
        before = StepMetrics(after.key, after.position, after.name, None, None, None, None, 0)
    return StepChange(
        key=after.key,
        position=after.position,
        name=after.name,
        wait=duration_change(before.wait_s, after.wait_s, basis),
        process=duration_change(before.process_s, after.process_s, basis),
        lead=duration_change(before.lead_s, after.lead_s, basis),
    )


def _moved_most(steps: tuple[StepChange, ...]) -> MovedMost | None:
    """The step whose shown lead time moved most (the earliest on a tie)."""
    moved = [step for step in steps if step.lead.delta]
    if not moved:
        return None
    top = min(moved, key=lambda step: (-abs(step.lead.delta or 0), step.position))
    wait_size, process_size = abs(top.wait.delta or 0), abs(top.process.delta or 0)
    return MovedMost(
        key=top.key,
        position=top.position,
        name=top.name,
        lead=top.lead,
        wait=top.wait,
        process=top.process,
        driver="wait" if wait_size >= process_size else "process",
    )
