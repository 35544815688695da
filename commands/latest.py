"""A stream's latest numbers, as its card shows them: the latest closed cycle against the
baseline, the open cycle's progress, the target and the improvements under way."""

from dataclasses import dataclass

from sqlmodel import Session

from commands.summary import CycleRef, ref
from commands.targets import TargetView, stream_target
from storage import cycles as cycle_rows
from storage import kaizen as kaizen_rows
from storage.history import closed_metrics, load_cycles
from storage.models import Stream
from storage.streams import basis_of
from storage.tenant import Tenant
from vsm.compare import Comparison, compare
from vsm.durations import TimeBasis
from vsm.metrics import CycleMetrics


@dataclass(frozen=True)
class OpenCycle:
    number: int
    answered_steps: int
    steps: int


@dataclass(frozen=True)
class Latest:
    """The stream card's numbers: the latest closed cycle, and the open one if any."""

    basis: TimeBasis
    closed: CycleRef | None
    metrics: CycleMetrics | None
    vs_baseline: Comparison | None
    baseline: CycleRef | None
    open: OpenCycle | None
    target: TargetView | None = None
    improving: tuple[str, ...] = ()


def latest_numbers(session: Session, tenant: Tenant, stream: Stream) -> Latest:
    """The latest closed cycle's metrics (against the baseline), the open cycle's progress,
    the target's progress and the improvements under way."""
    cycles = cycle_rows.cycles_of(session=session, tenant=tenant, stream=stream)
    closed = [cycle for cycle in cycles if cycle.status == cycle_rows.CLOSED]
    running = next((cycle for cycle in cycles if cycle.status == cycle_rows.OPEN), None)
    progress = None
    if running is not None:
        record = load_cycles(session=session, tenant=tenant, cycles=[running])[0]
        answered = sum(1 for step in record.steps if step.answers)
        progress = OpenCycle(running.number, answered, len(record.steps))
    improving = tuple(
        f"#{item.number} {item.title}"
        for item in kaizen_rows.improvements_of(
            session=session, tenant=tenant, stream=stream, statuses=("doing",)
        )
    )
    target = stream_target(session, tenant, stream, closed)
    if not closed:
        return Latest(basis_of(stream), None, None, None, None, progress, target, improving)
    latest, baseline = closed[-1], closed[0]
    metrics = closed_metrics(latest)
    basis = basis_of(stream)
    versus = None if latest is baseline else compare(closed_metrics(baseline), metrics, basis)
    return Latest(
        basis,
        ref(latest),
        metrics,
        versus,
        None if latest is baseline else ref(baseline),
        progress,
        target,
        improving,
    )
