"""The export's Value Stream Management fields: the stream's teams, support links and segments,
each step's team type and hand-off, each cycle's flow, segments and what changed in its
structure (README, "Export").

Fields may be added to these types, never renamed or removed: scripts rely on them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from sqlmodel import Session

from commands.flows import flow_of
from commands.support import support_of
from commands.teams import flow_steps
from storage import cycles as cycle_rows
from storage import links as link_rows
from storage import teams as team_rows
from storage.models import Cycle, Segment, Step, Stream
from storage.structure import cycle_structures
from storage.tenant import Tenant
from storage.types import id_of
from vsm.flow import FlowStructure, HandOff, hand_offs
from vsm.metrics import CycleMetrics
from vsm.segments import measure_segment, segment_range
from vsm.structure import StructureChange, StructureStep, structure_changes


class HandoffExport(TypedDict):
    mode: str
    crossing: str


class PlaceExport(TypedDict):
    place: str
    hand_offs: int
    waiting: int
    wait_time_s: int
    share: float | None


class ModeExport(TypedDict):
    mode: str
    hand_offs: int
    wait_time_s: int
    median_ca: float | None


class FindingExport(TypedDict):
    crossing: str
    share: float
    waiting: int
    hand_offs: int
    position: int


class FlowExport(TypedDict):
    wait_time_s: int
    partial: bool
    places: list[PlaceExport]
    modes: list[ModeExport]
    longest_wait: int | None
    lowest_ca: int | None
    finding: FindingExport | None


class StructureChangeExport(TypedDict):
    kind: str
    name: str
    before: str | int | None
    after: str | int | None


class TeamExport(TypedDict):
    name: str
    type: str | None
    mission: str
    people: list[str]


@dataclass(frozen=True)
class CycleStructure:
    """A cycle's structure as the export gives it, by step key."""

    steps: dict[int, StructureStep]
    hand_offs: dict[int, HandOff]
    flow: FlowStructure
    changes: tuple[StructureChange, ...]


def handoff_export(hand: HandOff | None) -> HandoffExport | None:
    return None if hand is None else {"mode": hand.mode, "crossing": hand.crossing}


def live_hand_offs(
    session: Session, tenant: Tenant, steps: Sequence[Step]
) -> tuple[dict[int, HandOff], dict[int, str | None]]:
    """The hand-off into each step as the steps stand now, and each step's team type, by key."""
    ids = [s.work_team_id for s in steps if s.work_team_id is not None]
    teams = team_rows.teams_by_id(session=session, tenant=tenant, ids=ids)
    types = {key: team_rows.team_type_of(team) for key, team in teams.items()}
    now = flow_steps(steps, types)
    return {h.key: h for h in hand_offs(now)}, {s.key: s.team_type for s in now}


def stream_teams(session: Session, tenant: Tenant, steps: Sequence[Step]) -> list[TeamExport]:
    """The teams the stream's steps name, in the order they first appear."""
    ids = list(dict.fromkeys(s.work_team_id for s in steps if s.work_team_id is not None))
    teams = team_rows.teams_by_id(session=session, tenant=tenant, ids=ids)
    return [
        {
            "name": team.name,
            "type": team.team_type,
            "mission": team.mission,
            "people": list(team.people),
        }
        for key in ids
        if (team := teams.get(key)) is not None
    ]


def cycle_structure_of(
    session: Session, tenant: Tenant, measured: Sequence[tuple[Cycle, CycleMetrics]]
) -> dict[int, CycleStructure]:
    """Each cycle's structure, flow and changes since the closed cycle before it, by cycle id."""
    structures = cycle_structures(
        session=session, tenant=tenant, cycle_ids=[id_of(c) for c, _ in measured]
    )
    found: dict[int, CycleStructure] = {}
    last_closed: list[StructureStep] | None = None
    for cycle, metrics in measured:
        mine = structures[id_of(cycle)]
        flow = flow_of(metrics, mine)
        found[id_of(cycle)] = CycleStructure(
            {s.key: s for s in mine},
            {h.key: h for h in flow.hand_offs},
            flow,
            () if last_closed is None else structure_changes(last_closed, mine),
        )
        if cycle.status == cycle_rows.CLOSED:
            last_closed = mine
    return found


def flow_export(flow: FlowStructure) -> FlowExport:
    finding = flow.finding
    return {
        "wait_time_s": flow.wait_s,
        "partial": flow.partial,
        "places": [
            {
                "place": at.place,
                "hand_offs": at.hand_offs,
                "waiting": at.waiting,
                "wait_time_s": at.wait_s,
                "share": at.share,
            }
            for at in flow.places
        ],
        "modes": [
            {
                "mode": m.mode,
                "hand_offs": m.hand_offs,
                "wait_time_s": m.wait_s,
                "median_ca": m.median_ca,
            }
            for m in flow.modes
        ],
        "longest_wait": None if flow.longest_wait is None else flow.longest_wait.position,
        "lowest_ca": None if flow.lowest_ca is None else flow.lowest_ca.position,
        "finding": None
        if finding is None
        else {
            "crossing": finding.crossing,
            "share": finding.share,
            "waiting": finding.waiting,
            "hand_offs": finding.hand_offs,
            "position": finding.worst.position,
        },
    }


def changes_export(changes: Sequence[StructureChange]) -> list[StructureChangeExport]:
    return [{"kind": c.kind, "name": c.name, "before": c.before, "after": c.after} for c in changes]


class SupportStepExport(TypedDict):
    stream: str
    step: int
    step_name: str


class SupportExport(TypedDict):
    serves: list[SupportStepExport]
    served_by: list[SupportStepExport]


class SegmentExport(TypedDict):
    name: str
    first: int
    last: int
    owner: str


class CycleSegmentExport(TypedDict):
    name: str
    first: int
    last: int
    wait_time_s: int
    process_time_s: int
    lead_time_s: int
    activity_ratio: float | None
    rolled_ca: float | None
    partial: bool


def support_export(
    session: Session, tenant: Tenant, stream: Stream, steps: Sequence[Step]
) -> SupportExport:
    """The steps of other streams this stream serves, and the streams serving its steps."""
    served, serves = support_of(session, tenant, stream, steps, lambda other: True)
    return {
        "serves": [{"stream": s.stream, "step": s.position, "step_name": s.step} for s in serves],
        "served_by": [
            {"stream": s.support.stream, "step": s.position, "step_name": s.step} for s in served
        ],
    }


def segments_export(segments: Sequence[Segment], steps: Sequence[Step]) -> list[SegmentExport]:
    keys = [id_of(step) for step in steps]
    found: list[SegmentExport] = []
    for row in segments:
        where = segment_range(link_rows.segment_value(row), keys)
        found.append(
            {
                "name": row.name,
                "first": where.first_position,
                "last": where.last_position,
                "owner": row.owner,
            }
        )
    return found


def cycle_segments_export(
    segments: Sequence[Segment], metrics: CycleMetrics
) -> list[CycleSegmentExport]:
    found: list[CycleSegmentExport] = []
    for row in segments:
        m = measure_segment(link_rows.segment_value(row), metrics.steps)
        if m is not None:
            found.append(
                {
                    "name": m.name,
                    "first": m.first_position,
                    "last": m.last_position,
                    "wait_time_s": m.wait_s,
                    "process_time_s": m.process_s,
                    "lead_time_s": m.lead_s,
                    "activity_ratio": m.activity_ratio,
                    "rolled_ca": m.rolled_ca,
                    "partial": m.partial,
                }
            )
    return found
