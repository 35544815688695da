"""The flow's structure in one cycle: where work changes hands, and where it waits.

A hand-off into step n (n ≥ 2) goes from step n−1's team to step n's team. It is cross-team when
both teams are set and differ, within-team when they are the same team (compared ignoring case
and runs of spaces), and unknown when either is not set. Its wait is step n's wait and its
quality is step n's %C&A, since the receiving step judges what it gets. Step 1's wait is the
wait before step 1: work waiting on the trigger.

Only waits that were measured count: a step with no wait is left out of the total and of every
share, and the structure is marked partial with the step named. When the total wait is 0 (or no
wait is known) there is nothing to share, and every share is None.
"""

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Literal

from vsm.names import fold
from vsm.teams import INTERACTION_MODES, InteractionMode, TeamType

Crossing = Literal["cross-team", "within-team", "unknown"]
Place = Literal["before-first", "cross-team", "within-team", "unknown"]
PLACES: tuple[Place, ...] = ("before-first", "cross-team", "within-team", "unknown")
CROSSINGS: tuple[Crossing, ...] = ("cross-team", "within-team", "unknown")


@dataclass(frozen=True)
class FlowStep:
    """A step as measured in one cycle, with its team and the mode of the hand-off into it.

    Attributes:
        team: the team working the step; None or "" when not set.
        mode: the interaction mode of the hand-off into this step; ignored for the first step.
        ca: %C&A of what the step receives, a fraction; None when not rated.
    """

    key: int
    position: int
    name: str
    team: str | None = None
    team_type: TeamType | None = None
    mode: InteractionMode = "none"
    wait_s: int | None = None
    process_s: int | None = None
    ca: float | None = None


@dataclass(frozen=True)
class HandOff:
    """Work passing from one step to the next.

    Attributes:
        key: the receiving step's key.
        position: the receiving step's position, 2 or more.
        wait_s: the receiving step's wait; None when not measured.
        ca: the receiving step's %C&A, a fraction; None when not rated.
    """

    key: int
    position: int
    from_step: str
    to_step: str
    from_team: str | None
    to_team: str | None
    from_team_type: TeamType | None
    to_team_type: TeamType | None
    crossing: Crossing
    mode: InteractionMode
    wait_s: int | None
    ca: float | None


@dataclass(frozen=True)
class WaitAt:
    """The wait at one kind of place in the flow.

    Attributes:
        place: before-first (waiting on the trigger), or a kind of hand-off.
        hand_offs: how many hand-offs of this kind there are; before-first counts the
            trigger's hand-off into step 1, so it is 1 when the stream has a step.
        waiting: how many of them have a wait of more than 0.
        wait_s: their total wait.
        share: wait_s / the total wait of the flow; None when that total is 0.
    """

    place: Place
    hand_offs: int
    waiting: int
    wait_s: int
    share: float | None


@dataclass(frozen=True)
class ModeSummary:
    """The hand-offs of one interaction mode.

    Attributes:
        wait_s: the total wait of those that have one.
        median_ca: the median %C&A of those that are rated; None when none is.
    """

    mode: InteractionMode
    hand_offs: int
    wait_s: int
    median_ca: float | None


@dataclass(frozen=True)
class Finding:
    """One plain finding: the kind of hand-off that holds the most wait, and its worst one.

    For example "70% of the wait sits at 2 of 2 cross-team hand-offs; Claims → Finance waits
    4 d and 80% of what arrives is usable" is share 0.7, waiting 2, hand_offs 2, and worst.

    Attributes:
        crossing: the kind of hand-off whose share of the total wait is largest.
        share: that share, more than 0.
        waiting: how many hand-offs of that kind have a wait of more than 0.
        hand_offs: how many hand-offs of that kind there are.
        worst: the one of them with the longest wait.
    """

    crossing: Crossing
    share: float
    waiting: int
    hand_offs: int
    worst: HandOff


@dataclass(frozen=True)
class FlowStructure:
    """Where a cycle's work changes hands and where it waits.

    Attributes:
        hand_offs: one per step after the first, in step order.
        wait_s: the total wait over the steps that have one.
        places: the wait before step 1 and at cross-team, within-team and unknown hand-offs,
            in that order; their shares add up to 100% unless the total wait is 0.
        modes: one summary per interaction mode, in the order of `INTERACTION_MODES`.
        longest_wait: the hand-off with the longest wait (earliest on ties); None if no
            hand-off has a wait of more than 0.
        lowest_ca: the hand-off with the lowest %C&A (earliest on ties); None if none is rated.
        finding: None when no hand-off has a wait of more than 0.
        partial: some step has no wait, so the total and the shares leave it out.
        missing_waits: the names of those steps.
    """

    hand_offs: tuple[HandOff, ...]
    wait_s: int
    places: tuple[WaitAt, ...]
    modes: tuple[ModeSummary, ...]
    longest_wait: HandOff | None
    lowest_ca: HandOff | None
    finding: Finding | None
    partial: bool
    missing_waits: tuple[str, ...]

    def at(self, place: Place) -> WaitAt:
        """The wait at one kind of place."""
        return next(found for found in self.places if found.place == place)


def team_name(team: str | None) -> str | None:
    """A step's team as compared: None for no team, else the name with spaces squeezed."""
    if team is None or not team.strip():
        return None
    return " ".join(team.split())


def crossing(from_team: str | None, to_team: str | None) -> Crossing:
    """Whether work passing between these teams crosses a team boundary."""
    before, after = team_name(from_team), team_name(to_team)
    if before is None or after is None:
        return "unknown"
    return "within-team" if fold(before) == fold(after) else "cross-team"


def hand_offs(steps: Sequence[FlowStep]) -> tuple[HandOff, ...]:
    """The hand-offs into each step after the first, in step order.

    Raises:
        ValueError: two steps have the same position.
    """
    ordered = _ordered(steps)
    return tuple(
        HandOff(
            key=to.key,
            position=to.position,
            from_step=before.name,
            to_step=to.name,
            from_team=team_name(before.team),
            to_team=team_name(to.team),
            from_team_type=before.team_type,
            to_team_type=to.team_type,
            crossing=crossing(before.team, to.team),
            mode=to.mode,
            wait_s=to.wait_s,
            ca=to.ca,
        )
        for before, to in pairwise(ordered)
    )


def flow_structure(steps: Sequence[FlowStep]) -> FlowStructure:
    """Compute a cycle's flow structure: hand-offs, wait by place and by mode, and a finding.

    Args:
        steps: the stream's steps in this cycle, in any order (sorted by position).

    Raises:
        ValueError: two steps have the same position.
    """
    ordered = _ordered(steps)
    handed = hand_offs(ordered)
    total = sum(step.wait_s for step in ordered if step.wait_s is not None)
    first = ordered[:1]
    at: dict[Crossing, WaitAt] = {}
    for kind in CROSSINGS:
        waits = [h.wait_s for h in handed if h.crossing == kind]
        at[kind] = _wait_at(kind, waits, len(waits), total)
    before = _wait_at("before-first", [s.wait_s for s in first], len(first), total)
    missing = tuple(step.name for step in ordered if step.wait_s is None)
    return FlowStructure(
        hand_offs=handed,
        wait_s=total,
        places=(before, *at.values()),
        modes=tuple(_mode_summary(mode, handed) for mode in INTERACTION_MODES),
        longest_wait=_longest_wait(handed),
        lowest_ca=_lowest_ca(handed),
        finding=_finding(at, handed),
        partial=bool(missing),
        missing_waits=missing,
    )


def _ordered(steps: Sequence[FlowStep]) -> list[FlowStep]:
    ordered = sorted(steps, key=lambda step: step.position)
    positions = [step.position for step in ordered]
    if len(set(positions)) != len(positions):
        raise ValueError(f"steps must have different positions, not {positions}")
    return ordered


def _wait_at(place: Place, waits: list[int | None], count: int, total: int) -> WaitAt:
    known = [wait for wait in waits if wait is not None]
    wait = sum(known)
    return WaitAt(
        place=place,
        hand_offs=count,
        waiting=sum(1 for value in known if value > 0),
        wait_s=wait,
        share=float(Fraction(wait, total)) if total else None,
    )


def _mode_summary(mode: InteractionMode, handed: Sequence[HandOff]) -> ModeSummary:
    mine = [h for h in handed if h.mode == mode]
    rated = [h.ca for h in mine if h.ca is not None]
    return ModeSummary(
        mode=mode,
        hand_offs=len(mine),
        wait_s=sum(h.wait_s for h in mine if h.wait_s is not None),
        median_ca=statistics.median(rated) if rated else None,
    )


def _longest_wait(handed: Sequence[HandOff]) -> HandOff | None:
    waiting = [h for h in handed if h.wait_s]
    if not waiting:
        return None
    return min(waiting, key=lambda h: (-(h.wait_s or 0), h.position))


def _lowest_ca(handed: Sequence[HandOff]) -> HandOff | None:
    rated = [h for h in handed if h.ca is not None]
    if not rated:
        return None
    return min(rated, key=lambda h: (h.ca or 0.0, h.position))


def _finding(at: Mapping[Crossing, WaitAt], handed: Sequence[HandOff]) -> Finding | None:
    waiting = [kind for kind in CROSSINGS if at[kind].wait_s > 0]
    if not waiting:
        return None
    # max() keeps the first of equal waits: cross-team, then within-team, then unknown.
    kind = max(waiting, key=lambda k: at[k].wait_s)
    top = at[kind]
    worst = _longest_wait([h for h in handed if h.crossing == kind])
    if worst is None or top.share is None:  # not reached: this kind holds a wait over 0
        return None
    return Finding(kind, top.share, top.waiting, top.hand_offs, worst)
