"""A stream's cycles as the vsm core sees them: step snapshots with each person's answers."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from storage import cycles as store
from storage.models import Cycle, Measurement, Stream
from vsm.answers import Said, latest_answers
from vsm.metrics import CycleMetrics, CycleStep, measure_cycle
from vsm.snapshot import metrics_from_dict


@dataclass(frozen=True)
class CycleRecord:
    """One cycle's row with its steps and answers, ready for the vsm core."""

    cycle: Cycle
    steps: tuple[CycleStep, ...]
    respondents: tuple[str, ...]


def load_cycles(session: Session, cycles: Sequence[Cycle]) -> list[CycleRecord]:
    """The steps and answers of `cycles` in two queries, in the order given."""
    ids = [cycle.id for cycle in cycles if cycle.id is not None]
    snapshots = store.cycle_steps(session=session, cycle_ids=ids)
    said: dict[int, list[Measurement]] = {}
    for item in store.measurements(session=session, cycle_ids=ids):
        said.setdefault(item.cycle_step_id, []).append(item)
    records = []
    for cycle in cycles:
        steps = tuple(
            CycleStep(
                key=snap.step_key,
                position=snap.position,
                name=snap.name,
                answers=latest_answers(_said(said.get(snap.id or 0, []))),
            )
            for snap in snapshots.get(cycle.id or 0, [])
        )
        people = dict.fromkeys(a.person for step in steps for a in step.answers)
        records.append(CycleRecord(cycle, steps, tuple(people)))
    return records


def _said(items: Sequence[Measurement]) -> list[Said]:
    return [Said(m.person, m.answered_at, m.wait_s, m.process_s, m.ca) for m in items]


def live_metrics(
    session: Session, stream: Stream, cycle: Cycle
) -> tuple[CycleMetrics, CycleRecord]:
    """A cycle's metrics from its answers, carrying values over from earlier closed cycles."""
    earlier = [
        c
        for c in store.cycles_of(session=session, stream=stream, status=store.CLOSED)
        if c.number < cycle.number
    ]
    records = load_cycles(session, [cycle, *reversed(earlier)])
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
