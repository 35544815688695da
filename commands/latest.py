"""A stream's latest numbers, as its card shows them: the latest closed cycle against the
baseline, the open cycle's progress, the target and the improvements under way."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from commands.summary import CycleRef, ref
from commands.targets import TargetView, target_view
from storage import card as card_rows
from storage import cycles as cycle_rows
from storage.history import closed_metrics
from storage.models import Cycle, Stream
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
    return latest_and_last_closed(session, tenant, stream)[0]


def latest_and_last_closed(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    under_way: Sequence[tuple[int, str]] | None = None,
) -> tuple[Latest, Cycle | None]:
    """The stream's latest numbers, as `latest_numbers`, and its latest closed cycle (for a
    caller that shows more of it).

    Args:
        under_way: the numbers and titles of its improvements under way
            (storage.card.under_way), when the caller has them already.
    """
    cycles, target_row = card_rows.cycle_ends_and_target(
        session=session, tenant=tenant, stream=stream
    )
    # The first and the latest closed cycle (one cycle when it is both).
    closed = [cycle for cycle in cycles if cycle.status == cycle_rows.CLOSED]
    running = next((cycle for cycle in cycles if cycle.status == cycle_rows.OPEN), None)
    progress = None
    if running is not None:
        answered, steps = card_rows.cycle_progress(session=session, tenant=tenant, cycle=running)
        progress = OpenCycle(running.number, answered, steps)
    if under_way is None:
        under_way = card_rows.under_way(session=session, tenant=tenant, stream=stream)
    improving = tuple(f"#{number} {title}" for number, title in under_way)
    target = None if target_row is None else target_view(stream, target_row, closed)
    basis = basis_of(stream)
    if not closed:
        return Latest(basis, None, None, None, None, progress, target, improving), None
    latest, baseline = closed[-1], closed[0]
    metrics = closed_metrics(latest)
    versus = None if latest is baseline else compare(closed_metrics(baseline), metrics, basis)
    found = Latest(
        basis,
        ref(latest),
        metrics,
        versus,
        None if latest is baseline else ref(baseline),
        progress,
        target,
        improving,
    )
    return found, latest
