"""A stream's cycles as the vsm core sees them: step snapshots with each person's answers."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from storage import cycles as cycle_rows
from storage.models import Cycle, Measurement, Stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.answers import Said, latest_answers
from vsm.metrics import CycleMetrics, StepAnswers, measure_cycle
from vsm.snapshot import metrics_from_dict
from vsm.waiting import CAUSES, WaitCause


@dataclass(frozen=True)
class CycleRecord:
    """One cycle's row with its steps and answers, ready for the vsm core."""

    cycle: Cycle
    steps: tuple[StepAnswers, ...]
    respondents: tuple[str, ...]


def load_cycles(*, session: Session, tenant: Tenant, cycles: Sequence[Cycle]) -> list[CycleRecord]:
    """The steps and answers of `cycles` in two queries, in the order given."""
    ids = [id_of(cycle) for cycle in cycles]
    snapshots = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=ids)
    said: dict[int, list[Measurement]] = {}
    for item in cycle_rows.measurements(session=session, tenant=tenant, cycle_ids=ids):
        said.setdefault(item.cycle_step_id, []).append(item)
    records = []
    for cycle in cycles:
        steps = tuple(
            StepAnswers(
                key=snap.step_key,
                position=snap.position,
                name=snap.name,
                answers=latest_answers(_said(said.get(id_of(snap), []))),
            )
            for snap in snapshots[id_of(cycle)]
        )
        people = dict.fromkeys(a.person for step in steps for a in step.answers)
        records.append(CycleRecord(cycle, steps, tuple(people)))
    return records


def _said(items: Sequence[Measurement]) -> list[Said]:
    return [
        Said(m.person, m.answered_at, m.wait_s, m.process_s, m.ca, cause_of(m.wait_cause))
        for m in items
    ]


def cause_of(stored: str | None) -> WaitCause | None:
    """A stored cause of waiting, or None when none (or one we no longer know) was stored."""
    return next((cause for cause in CAUSES if cause == stored), None)


def live_metrics(
    *, session: Session, tenant: Tenant, stream: Stream, cycle: Cycle
) -> tuple[CycleMetrics, CycleRecord]:
    """A cycle's metrics from its answers, carrying values over from earlier closed cycles."""
    earlier = [
        c
        for c in cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
        if c.number < cycle.number
    ]
    records = load_cycles(session=session, tenant=tenant, cycles=[cycle, *reversed(earlier)])
    current, past = records[0], records[1:]
    return measure_cycle(current.steps, [record.steps for record in past]), current


def closed_metrics(cycle: Cycle) -> CycleMetrics:
    """A closed cycle's metrics as they stood when it closed.

    Raises:
        ValueError: the cycle was never closed (it has no snapshot).
    """
    if cycle.metrics is None:
        raise ValueError(f"cycle {cycle.number} has no metrics snapshot")
    return metrics_from_dict(cycle.metrics)
