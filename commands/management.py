"""What Value Stream Management adds to a cycle's summary, a comparison and the stream card:
where between teams the work waits, what changed in the structure, the segments' numbers and
the support streams' (each shown only when the stream has something to say about it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from commands.flows import FlowView, flow_view
from commands.teams import flow_steps
from storage import cycles as cycle_rows
from storage import teams as team_rows
from storage.history import closed_metrics
from storage.models import Cycle, Step, Stream
from storage.structure import cycle_structures
from storage.tenant import Tenant
from storage.types import id_of
from vsm.flow import HandOff, hand_offs
from vsm.metrics import CycleMetrics
from vsm.structure import StructureChange, structure_changes

if TYPE_CHECKING:
    from commands.summary import CycleRef


@dataclass(frozen=True)
class Management:
    """The flow of a cycle (against `ref`), and what changed in its structure since `ref`."""

    flow: FlowView | None
    ref: CycleRef | None = None
    changes: tuple[StructureChange, ...] = ()

    @property
    def shown(self) -> bool:
        return self.flow is not None or bool(self.changes)


def cycle_management(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    metrics: CycleMetrics,
    before: tuple[Cycle, CycleRef] | None,
) -> Management | None:
    """A cycle's management view, against the closed cycle `before` when given; None when
    there is nothing to show."""
    ids = [id_of(cycle)] + ([id_of(before[0])] if before else [])
    structures = cycle_structures(session=session, tenant=tenant, cycle_ids=ids)
    mine = structures[id_of(cycle)]
    if before is None:
        found = Management(flow_view(metrics, mine))
    else:
        earlier, ref = before
        theirs = structures[id_of(earlier)]
        found = Management(
            flow_view(metrics, mine, (closed_metrics(earlier), theirs, ref)),
            ref,
            structure_changes(theirs, mine),
        )
    return found if found.shown else None


@dataclass(frozen=True)
class CardManagement:
    """The stream card's part: each hand-off as the steps stand now, and where the work
    waited between teams in the latest closed cycle."""

    hand_offs: tuple[HandOff, ...]
    flow: FlowView | None
    latest: CycleRef | None

    @property
    def shown(self) -> bool:
        return bool(self.hand_offs) or self.flow is not None


def card_management(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    steps: Sequence[Step],
    latest_ref: CycleRef | None,
) -> CardManagement | None:
    """The card's management part, with the flow of the latest closed cycle (`latest_ref`, as
    the card's numbers name it); None when the stream names no team and agrees no mode."""
    closed = cycle_rows.cycles_of(
        session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
    )
    latest = closed[-1] if closed and latest_ref is not None else None
    ids = [s.work_team_id for s in steps if s.work_team_id is not None]
    teams = team_rows.teams_by_id(session=session, tenant=tenant, ids=ids)
    types = {key: team_rows.team_type_of(team) for key, team in teams.items()}
    now = flow_steps(steps, types)
    live = tuple(hand_offs(now)) if any(s.team or s.mode != "none" for s in now) else ()
    flow = None
    if latest is not None:
        structure = cycle_structures(session=session, tenant=tenant, cycle_ids=[id_of(latest)])
        flow = flow_view(closed_metrics(latest), structure[id_of(latest)])
    found = CardManagement(live, flow, latest_ref if latest is not None else None)
    return found if found.shown else None
