"""`/vsm compare`: two closed cycles side by side."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import readable_stream, visible_to
from commands.management import Management, cycle_management
from commands.services import Services
from commands.summary import CycleRef, ref
from storage import cycles as cycle_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.models import Stream
from storage.tenant import Tenant
from vsm.compare import Comparison, compare
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.metrics import CycleMetrics


@dataclass(frozen=True)
class SideBySide:
    stream: str
    basis: TimeBasis
    before: CycleRef
    after: CycleRef
    before_metrics: CycleMetrics
    after_metrics: CycleMetrics
    comparison: Comparison
    management: Management | None = None  # where between teams work waits; what changed


@dataclass(frozen=True)
class Compare:
    """The reply to `/vsm compare`."""

    view: SideBySide


def compare_cycles(
    services: Services,
    tenant: Tenant,
    name: str,
    before: int | None,
    after: int | None,
    *,
    by: str,
) -> Compare:
    """Two closed cycles of a stream (default: the baseline and the latest) side by side.

    Raises:
        VsmError: fewer than two closed cycles, or a number that is not a closed cycle.
    """
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, by)
        seen = visible_to(services, tenant, by)
        return Compare(_side_by_side(session, tenant, stream, before, after, seen))


def _side_by_side(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    before: int | None,
    after: int | None,
    visible: Callable[[Stream], bool],
) -> SideBySide:
    closed = {
        c.number: c
        for c in cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
    }
    numbers = sorted(closed)
    if len(numbers) < 2:
        raise VsmError(
            f"“{stream.name}” has {len(numbers)} closed cycle{'' if len(numbers) == 1 else 's'}; "
            "comparing needs two."
        )
    if (before is None) != (after is None):
        raise VsmError("Give two cycle numbers, or none for the baseline and the latest.")
    first, second = (numbers[0], numbers[-1]) if before is None else (before, after or 0)
    for number in (first, second):
        if number not in closed:
            raise VsmError(
                f"Cycle {number} of “{stream.name}” is not a closed cycle. "
                f"Closed cycles: {', '.join(map(str, numbers))}."
            )
    if first == second:
        raise VsmError("Give two different cycles.")
    a, b = closed_metrics(closed[first]), closed_metrics(closed[second])
    basis = stream_rows.basis_of(stream)
    return SideBySide(
        stream.name,
        basis,
        ref(closed[first]),
        ref(closed[second]),
        a,
        b,
        compare(a, b, basis),
        cycle_management(
            session,
            tenant,
            stream,
            closed[second],
            b,
            (closed[first], ref(closed[first])),
            visible,
        ),
    )
