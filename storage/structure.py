"""The structure each cycle was measured with: every step's team, the team's type, and the
mode of the hand-off into the step, kept on the cycle's step snapshots."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from storage import cycles as cycle_rows
from storage import teams as team_rows
from storage.models import Cycle, Step
from storage.tenant import Tenant
from storage.types import id_of
from vsm.structure import StructureStep
from vsm.teams import parse_interaction_mode, parse_team_type


def record_structure(*, session: Session, tenant: Tenant, cycle: Cycle) -> None:
    """Copy each step's team, team type and hand-off mode as they stand now onto the cycle's
    step snapshots (a step removed since keeps what it had)."""
    snapshots = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=[id_of(cycle)])[
        id_of(cycle)
    ]
    keys = [snap.step_key for snap in snapshots]
    if not keys:
        return
    steps = {
        id_of(step): step
        for step in session.exec(
            select(Step).where(col(Step.id).in_(keys), Step.stream_id == cycle.stream_id)
        ).all()
    }
    team_ids = [s.work_team_id for s in steps.values() if s.work_team_id is not None]
    teams = team_rows.teams_by_id(session=session, tenant=tenant, ids=team_ids)
    for snap in snapshots:
        step = steps.get(snap.step_key)
        if step is None:
            continue
        team = teams.get(step.work_team_id) if step.work_team_id is not None else None
        snap.team = step.team
        snap.team_type = team.team_type if team is not None else None
        snap.handoff_mode = step.handoff_mode
        session.add(snap)
    session.flush()


def cycle_structures(
    *, session: Session, tenant: Tenant, cycle_ids: Sequence[int]
) -> dict[int, list[StructureStep]]:
    """The structure of several cycles in one query, by cycle id, steps in order."""
    snapshots = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=cycle_ids)
    return {
        cycle_id: [
            StructureStep(
                key=snap.step_key,
                position=snap.position,
                name=snap.name,
                team=snap.team or None,
                team_type=parse_team_type(snap.team_type) if snap.team_type else None,
                mode=parse_interaction_mode(snap.handoff_mode or "none"),
            )
            for snap in snaps
        ]
        for cycle_id, snaps in snapshots.items()
    }
