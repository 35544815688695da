"""The flow's structure of a measured cycle (where between teams the work waits), and how its
shares moved against another cycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vsm.compare import Change, share_change
from vsm.flow import PLACES, FlowStep, FlowStructure, Place, flow_structure
from vsm.metrics import CycleMetrics
from vsm.structure import StructureStep

if TYPE_CHECKING:
    from commands.summary import CycleRef


@dataclass(frozen=True)
class PlaceShare:
    """The share of the wait at one kind of place, before → after (in points)."""

    place: Place
    change: Change


@dataclass(frozen=True)
class FlowView:
    """A cycle's flow structure, and its shares against `ref` (empty when not compared)."""

    flow: FlowStructure
    ref: CycleRef | None = None
    versus: tuple[PlaceShare, ...] = ()


def has_teams(structure: Sequence[StructureStep]) -> bool:
    """Whether a structure says anything about teams: a team at a step, or a mode agreed."""
    return any(step.team or step.mode != "none" for step in structure)


def flow_of(metrics: CycleMetrics, structure: Sequence[StructureStep]) -> FlowStructure:
    """A cycle's flow structure: its measured steps with the structure they were measured in."""
    by_key = {step.key: step for step in structure}
    steps = []
    for measured in metrics.steps:
        kept = by_key.get(measured.key)
        steps.append(
            FlowStep(
                key=measured.key,
                position=measured.position,
                name=measured.name,
                team=kept.team if kept else None,
                team_type=kept.team_type if kept else None,
                mode=kept.mode if kept else "none",
                wait_s=measured.wait_s,
                process_s=measured.process_s,
                ca=measured.ca,
            )
        )
    return flow_structure(steps)


def flow_view(
    metrics: CycleMetrics,
    structure: Sequence[StructureStep],
    before: tuple[CycleMetrics, Sequence[StructureStep], CycleRef] | None = None,
) -> FlowView | None:
    """The flow of a cycle, against an earlier one if given; None when the cycle's structure
    names no team and agrees no mode (there is nothing to say about hand-offs between teams)."""
    if not has_teams(structure):
        return None
    flow = flow_of(metrics, structure)
    if before is None or not has_teams(before[1]):
        return FlowView(flow)
    earlier = flow_of(before[0], before[1])
    versus = tuple(
        PlaceShare(place, share_change(earlier.at(place).share, flow.at(place).share))
        for place in PLACES
        if earlier.at(place).hand_offs or flow.at(place).hand_offs
    )
    return FlowView(flow, before[2], versus)
