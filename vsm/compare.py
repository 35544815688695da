"""Before / after: how one cycle's metrics moved against another's (baseline or previous)."""

from dataclasses import dataclass
from math import isclose
from typing import Literal

from vsm.metrics import CycleMetrics, StepMetrics

Verdict = Literal["improved", "regressed", "unchanged"]
Better = Literal["lower", "higher"]


@dataclass(frozen=True)
class Change:
    """One value before and after.

    Attributes:
        delta: after − before; None if either is missing.
        relative: (after − before) / before; None if either is missing or before is 0.
        verdict: improved, regressed or unchanged; None if either value is missing.
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
    """The step whose lead time moved most, and which part of it drove the move.

    Attributes:
        driver: "wait" or "process", whichever moved more in size (wait on a tie).
    """

    key: int
    position: int
    name: str
    lead_delta_s: int
    wait_delta_s: int
    process_delta_s: int
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
    """Set two values side by side.

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


def compare(before: CycleMetrics, after: CycleMetrics) -> Comparison:
    """Compare a cycle (after) with an earlier one (before): totals, per step, and what moved.

    Lower lead, process and wait times are better; a higher activity ratio and rolled %C&A are
    better. Steps are matched by key; a step only in the earlier cycle is left out.
    """
    earlier = {step.key: step for step in before.steps}
    steps = tuple(_step_change(earlier.get(step.key), step) for step in after.steps)
    return Comparison(
        lead=change(before.lead_s, after.lead_s, "lower"),
        process=change(before.process_s, after.process_s, "lower"),
        wait=change(before.wait_s, after.wait_s, "lower"),
        activity_ratio=change(before.activity_ratio, after.activity_ratio, "higher"),
        rolled_ca=change(before.rolled_ca, after.rolled_ca, "higher"),
        steps=steps,
        moved_most=_moved_most(steps),
        partial=before.partial or after.partial,
    )


def _step_change(before: StepMetrics | None, after: StepMetrics) -> StepChange:
    if before is None:
        before = StepMetrics(after.key, after.position, after.name, None, None, None, None, 0)
    return StepChange(
        key=after.key,
        position=after.position,
        name=after.name,
        wait=change(before.wait_s, after.wait_s, "lower"),
        process=change(before.process_s, after.process_s, "lower"),
        lead=change(before.lead_s, after.lead_s, "lower"),
    )


def _moved_most(steps: tuple[StepChange, ...]) -> MovedMost | None:
    moved = [step for step in steps if step.lead.delta]
    if not moved:
        return None
    top = min(moved, key=lambda step: (-abs(step.lead.delta or 0), step.position))
    wait_delta = int(top.wait.delta or 0)
    process_delta = int(top.process.delta or 0)
    return MovedMost(
        key=top.key,
        position=top.position,
        name=top.name,
        lead_delta_s=int(top.lead.delta or 0),
        wait_delta_s=wait_delta,
        process_delta_s=process_delta,
        driver="wait" if abs(wait_delta) >= abs(process_delta) else "process",
    )
