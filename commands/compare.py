"""`/vsm compare`: two closed cycles side by side, and the stream card's latest numbers."""

from dataclasses import dataclass

from sqlmodel import Session

from commands.history import closed_metrics, load_cycles
from commands.lookup import find_stream
from commands.slash import Call, Reply, ephemeral
from commands.summary import CycleRef, ref
from commands.targets import TargetView, stream_target
from commands.views import basis_of
from storage import cycles as store
from storage import kaizen
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


def compare_cycles(
    session: Session, tenant: Tenant, name: str, before: int | None, after: int | None
) -> SideBySide:
    """Two closed cycles of a stream (default: the baseline and the latest) side by side.

    Raises:
        VsmError: fewer than two closed cycles, or a number that is not a closed cycle.
    """
    stream = find_stream(session, tenant, name)
    closed = {
        c.number: c for c in store.cycles_of(session=session, stream=stream, status=store.CLOSED)
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
    return SideBySide(
        stream.name, basis_of(stream), ref(closed[first]), ref(closed[second]), a, b, compare(a, b)
    )


def latest_numbers(session: Session, stream: Stream) -> Latest:
    """The latest closed cycle's metrics (against the baseline), the open cycle's progress,
    the target's progress and the improvements under way."""
    closed = store.cycles_of(session=session, stream=stream, status=store.CLOSED)
    running = store.open_cycle(session=session, stream=stream)
    progress = None
    if running is not None:
        record = load_cycles(session, [running])[0]
        answered = sum(1 for step in record.steps if step.answers)
        progress = OpenCycle(running.number, answered, len(record.steps))
    improving = tuple(
        f"#{item.number} {item.title}"
        for item in kaizen.improvements_of(session=session, stream=stream, statuses=("doing",))
    )
    target = stream_target(session, stream, closed)
    if not closed:
        return Latest(basis_of(stream), None, None, None, None, progress, target, improving)
    latest, baseline = closed[-1], closed[0]
    metrics = closed_metrics(latest)
    versus = None if latest is baseline else compare(closed_metrics(baseline), metrics)
    return Latest(
        basis_of(stream),
        ref(latest),
        metrics,
        versus,
        None if latest is baseline else ref(baseline),
        progress,
        target,
        improving,
    )


def handle_compare(call: Call) -> Reply:
    with call.services.unit_of_work() as session:
        view = compare_cycles(
            session,
            call.request.tenant,
            call.args["stream"],
            call.args.get("before"),
            call.args.get("after"),
        )
    return ephemeral(call.services.renderer.message("compare.json.j2", view=view))
