"""What Value Stream Management adds to a cycle's summary, a comparison and the stream card:
where between teams the work waits, what changed in the structure, the segments' numbers and
the support streams' (each shown only when the stream has something to say about it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from commands.flows import FlowView, flow_view
from commands.segments import SegmentView, segment_views
from commands.support import ServedStep, Serves, support_of
from commands.teams import flow_steps
from storage import links as link_rows
from storage import streams as stream_rows
from storage.card import CardLists
from storage.history import closed_metrics
from storage.models import Cycle, Step, Stream
from storage.structure import cycle_structures
from storage.tenant import Tenant
from storage.types import id_of
from vsm.flow import HandOff, hand_offs
from vsm.metrics import CycleMetrics
from vsm.structure import StructureChange, structure_changes
from vsm.teams import parse_team_type

if TYPE_CHECKING:
    from commands.summary import CycleRef

Visible = Callable[[Stream], bool]


@dataclass(frozen=True)
class Management:
    """A cycle's flow and segments (against `ref`), what changed in its structure since
    `ref`, and the support streams serving its steps."""

    flow: FlowView | None
    ref: CycleRef | None = None
    changes: tuple[StructureChange, ...] = ()
    segments: tuple[SegmentView, ...] = ()
    supports: tuple[ServedStep, ...] = ()

    @property
    def shown(self) -> bool:
        return bool(self.flow or self.changes or self.segments or self.supports)


def cycle_management(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    metrics: CycleMetrics,
    before: tuple[Cycle, CycleRef] | None,
    visible: Visible,
) -> Management | None:
    """A cycle's management view, against the closed cycle `before` when given; support
    streams `visible` does not admit are left out. None when there is nothing to show."""
    ids = [id_of(cycle)] + ([id_of(before[0])] if before else [])
    structures = cycle_structures(session=session, tenant=tenant, cycle_ids=ids)
    mine = structures[id_of(cycle)]
    basis = stream_rows.basis_of(stream)
    segments = link_rows.segments_of(session=session, tenant=tenant, stream=stream)
    steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
    served, _ = support_of(session, tenant, stream, steps, visible)
    if before is None:
        found = Management(
            flow_view(metrics, mine),
            segments=segment_views(segments, metrics, None, basis),
            supports=served,
        )
    else:
        earlier, ref = before
        theirs, their_metrics = structures[id_of(earlier)], closed_metrics(earlier)
        found = Management(
            flow_view(metrics, mine, (their_metrics, theirs, ref)),
            ref,
            structure_changes(theirs, mine),
            segment_views(segments, metrics, their_metrics, basis),
            served,
        )
    return found if found.shown else None


@dataclass(frozen=True)
class SegmentRange:
    name: str
    first: int
    last: int
    owner: str


@dataclass(frozen=True)
class CardManagement:
    """The stream card's part: each hand-off as the steps stand now, the segments, the
    support streams serving its steps and the steps it serves, and where the work waited
    between teams (and each segment's numbers) in the latest closed cycle."""

    hand_offs: tuple[HandOff, ...]
    flow: FlowView | None
    latest: CycleRef | None
    segments: tuple[SegmentRange, ...] = ()
    segment_numbers: tuple[SegmentView, ...] = ()
    supports: tuple[ServedStep, ...] = ()
    serves: tuple[Serves, ...] = ()

    @property
    def shown(self) -> bool:
        return bool(self.hand_offs or self.flow or self.segments or self.supports or self.serves)


def card_management(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    steps: Sequence[tuple[Step, str | None]],
    last_closed: Cycle | None,
    lists: CardLists,
    latest_ref: CycleRef | None,
    visible: Visible,
) -> CardManagement | None:
    """The card's management part, with the latest closed cycle's (`latest_ref`, as the
    card's numbers name it) flow; None when there is nothing to show.

    Args:
        steps: the stream's steps in order, each with its team's stored type
            (storage.card.steps_with_team_types).
        last_closed: the stream's latest closed cycle, None when none has closed.
        lists: the stream's segments and support links (storage.card.card_lists).
    """
    latest = last_closed if latest_ref is not None else None
    types = {
        step.work_team_id: parse_team_type(kind) if kind else None
        for step, kind in steps
        if step.work_team_id is not None
    }
    rows_of_steps = [step for step, _ in steps]
    now = flow_steps(rows_of_steps, types)
    live = tuple(hand_offs(now)) if any(s.team or s.mode != "none" for s in now) else ()
    rows = lists.segments
    place = {id_of(step): step.position for step in rows_of_steps}
    ranges = tuple(
        SegmentRange(
            row.name,
            min(place[row.first_step_id], place[row.last_step_id]),
            max(place[row.first_step_id], place[row.last_step_id]),
            row.owner,
        )
        for row in rows
        if row.first_step_id in place and row.last_step_id in place
    )
    flow: FlowView | None = None
    numbers: tuple[SegmentView, ...] = ()
    if latest is not None:
        metrics = closed_metrics(latest)
        structure = cycle_structures(session=session, tenant=tenant, cycle_ids=[id_of(latest)])
        flow = flow_view(metrics, structure[id_of(latest)])
        numbers = segment_views(rows, metrics, None, stream_rows.basis_of(stream))
    served, serves = support_of(session, tenant, stream, rows_of_steps, visible, lists.links)
    found = CardManagement(
        live, flow, latest_ref if latest else None, ranges, numbers, served, serves
    )
    return found if found.shown else None
