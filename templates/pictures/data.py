"""What the pictures show, as plain data: every number already written for people.

The caller formats durations in the stream's time basis and percentages the house way; the
pictures only place the texts. Raw numbers come along where the geometry needs them (the
trend's lead times on a y axis). Nothing here imports matplotlib, so the web process may
build these values and the alt texts freely.
"""

from dataclasses import dataclass
from typing import Literal

TeamType = Literal["stream-aligned", "enabling", "complicated-subsystem", "platform"]
InteractionMode = Literal["collaboration", "x-as-a-service", "facilitating"]

TEAM_TYPES: tuple[TeamType, ...] = (
    "stream-aligned",
    "enabling",
    "complicated-subsystem",
    "platform",
)
MODE_LABELS: dict[InteractionMode, str] = {
    "collaboration": "collaboration",
    "x-as-a-service": "X-as-a-Service",
    "facilitating": "facilitating",
}


@dataclass(frozen=True)
class SupportFeed:
    """A support value stream feeding a step (IT access for claims handling, say).

    Attributes:
        name: the support stream's name.
        lead_time: its latest lead time as shown (`3 d`), or None if it has none yet.
    """

    name: str
    lead_time: str | None = None


@dataclass(frozen=True)
class MapStep:
    """One process box of the map and its rungs on the ladder.

    Attributes:
        position: its place in the stream, from 1.
        name: the step's name.
        team: the team doing it; "" when none is set.
        team_type: the team's Team Topologies type, if known.
        people: how many people work at the step.
        ca: %C&A received as shown (`90%`), or `not rated`.
        wait: the wait before the step as shown (`2 d`); None when it has no value.
        process: the process time as shown (`3 h`); None when it has no value.
        wait_s: the wait in seconds, when known.
        process_s: the process time in seconds, when known.
        is_bottleneck: the step with the largest wait.
        wait_carried: the wait was carried over from an earlier cycle.
        process_carried: the process time was carried over.
        ca_carried: the %C&A was carried over.
        handoff_mode: the interaction mode of the hand-off into this step (from step n−1);
            None for the first step or when none is set.
        handoff_cross_team: the hand-off into this step goes from one team to another;
            None when unknown (a team missing on either side) or for the first step.
        supports: support streams feeding this step.
    """

    position: int
    name: str
    team: str = ""
    team_type: TeamType | None = None
    people: int = 0
    ca: str = "not rated"
    wait: str | None = None
    process: str | None = None
    wait_s: int | None = None
    process_s: int | None = None
    is_bottleneck: bool = False
    wait_carried: bool = False
    process_carried: bool = False
    ca_carried: bool = False
    handoff_mode: InteractionMode | None = None
    handoff_cross_team: bool | None = None
    supports: tuple[SupportFeed, ...] = ()

    @property
    def carried_over(self) -> bool:
        """Whether any value shown for the step comes from an earlier cycle."""
        return self.wait_carried or self.process_carried or self.ca_carried


@dataclass(frozen=True)
class Segment:
    """A named run of consecutive steps, drawn as a bracket over them (positions inclusive)."""

    name: str
    first: int
    last: int


@dataclass(frozen=True)
class MapTotals:
    """The totals box at the right end of the ladder, every value as shown.

    Attributes:
        partial: some step lacks a wait or process time, so the totals leave it out.
        missing_steps: the names of those steps.
    """

    lead_time: str
    process_time: str
    activity_ratio: str
    rolled_ca: str
    partial: bool = False
    missing_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapData:
    """A value stream map of one cycle.

    Attributes:
        stream: the stream's name.
        trigger: what starts the work.
        value: the value delivered to the customer.
        basis: the time basis as a label (`calendar days`, `working days (8 h)`).
        cycle: which cycle this is (`Cycle 3 · closed 2026-03-02`).
        steps: the steps in position order, 1 to 50 of them.
        totals: the stream's totals.
        segments: named runs of steps; they may overlap.
    """

    stream: str
    trigger: str
    value: str
    basis: str
    cycle: str
    steps: tuple[MapStep, ...]
    totals: MapTotals
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    """One closed cycle on the trend.

    Attributes:
        cycle: the cycle's number, the x position.
        label: a short label for the cycle (`2 Mar`); may be "".
        lead: the total lead time in the trend's unit (days of the stream's basis, say);
            None when the cycle has no lead time.
        lead_text: the same lead time as shown (`12.5 d`).
        activity_ratio: Σ PT / Σ LT as a fraction, if known.
        rolled_ca: the rolled %C&A as a fraction, if known.
        partial: some step had no value, so the totals leave it out.
        activity_ratio_text: the activity ratio as shown (`3.8%`), for the labels and alt text.
        rolled_ca_text: the rolled %C&A as shown (`35.2%`).
    """

    cycle: int
    label: str
    lead: float | None
    lead_text: str
    activity_ratio: float | None = None
    rolled_ca: float | None = None
    partial: bool = False
    activity_ratio_text: str | None = None
    rolled_ca_text: str | None = None


@dataclass(frozen=True)
class TrendTarget:
    """The lead-time target, drawn as a horizontal line.

    Attributes:
        lead: the target lead time in the trend's unit.
        text: the same as shown (`4 d`).
        date_text: the target date as shown (`30 Jun 2026`), if any.
        cycle: where the date falls on the cycle axis (may be fractional or beyond the last
            cycle), to mark it on the line; None to write the date only.
    """

    lead: float
    text: str
    date_text: str | None = None
    cycle: float | None = None


@dataclass(frozen=True)
class TrendImprovement:
    """An improvement done, marked at the first cycle that can show its effect.

    Attributes:
        number: the improvement's number (`#3`).
        title: what was changed.
        cycle: the cycle it shows up at: the one after the cycle it was done in.
    """

    number: int
    title: str
    cycle: int


@dataclass(frozen=True)
class TrendData:
    """Lead time (and activity ratio, rolled %C&A) over a stream's closed cycles.

    Attributes:
        stream: the stream's name.
        unit: what the lead values count (`calendar days`, `working days (8 h)`).
        points: one per closed cycle, in cycle order; the first is the baseline.
        target: the lead-time target, if one is set.
        improvements: improvements done, with the cycle each shows up at.
        change: the latest lead time's change against the baseline as shown
            (`−80.9% vs cycle 1`), if there is one.
    """

    stream: str
    unit: str
    points: tuple[TrendPoint, ...]
    target: TrendTarget | None = None
    improvements: tuple[TrendImprovement, ...] = ()
    change: str | None = None


@dataclass(frozen=True)
class DigestTrend:
    """One stream's small trend in a channel's weekly digest.

    Attributes:
        stream: the stream's name.
        leads: lead time per closed cycle in cycle order, in any one unit (None: no value).
        latest: the latest lead time as shown (`4.5 d`), or None if there is none.
        change: the change as shown (`−80.9% vs cycle 1`), if there is one.
    """

    stream: str
    leads: tuple[float | None, ...]
    latest: str | None
    change: str | None = None
