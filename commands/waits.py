"""Why work waits: each step's cause of waiting and a cycle's wait by cause, from the answers."""

from collections.abc import Mapping, Sequence

from sqlmodel import Session

from storage import cycles as cycle_rows
from storage.history import load_cycles
from storage.models import Cycle
from storage.tenant import Tenant
from storage.types import id_of
from vsm.cycle_waits import step_waits
from vsm.metrics import CycleMetrics
from vsm.waiting import StepWait, WaitCauses, wait_by_cause


def cycles_waits(
    session: Session,
    tenant: Tenant,
    cycles: Sequence[Cycle],
    metrics: Mapping[int, CycleMetrics],
) -> dict[int, tuple[StepWait, ...]]:
    """Each cycle's steps with their wait and cause, by cycle id (answers read once).

    Args:
        cycles: a stream's cycles in number order; a wait carried over into one of them
            brings its cause from the closed cycles before it.
        metrics: the metrics of the cycles wanted, by cycle id.
    """
    records = {
        id_of(record.cycle): record.steps
        for record in load_cycles(session=session, tenant=tenant, cycles=cycles)
    }
    found = {}
    for at, cycle in enumerate(cycles):
        if id_of(cycle) not in metrics:
            continue
        earlier = [
            records[id_of(c)] for c in reversed(cycles[:at]) if c.status == cycle_rows.CLOSED
        ]
        found[id_of(cycle)] = step_waits(metrics[id_of(cycle)], records[id_of(cycle)], earlier)
    return found


def cycle_wait_causes(
    session: Session, tenant: Tenant, cycles: Sequence[Cycle], metrics: CycleMetrics
) -> WaitCauses | None:
    """The last of `cycles` (with its earlier ones before it): its wait by cause, or None
    when nobody said why they waited."""
    last = cycles[-1]
    waits = cycles_waits(session, tenant, cycles, {id_of(last): metrics})
    steps = waits[id_of(last)]
    if not any(step.cause for step in steps):
        return None
    return wait_by_cause(steps)
