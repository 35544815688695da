"""Before/after: a closed cycle's metrics beside the baseline and the previous closed cycle."""

from dataclasses import dataclass, replace

from sqlmodel import Session

from commands.history import closed_metrics
from commands.views import basis_of
from storage import cycles as store
from storage.models import Cycle, Stream
from vsm.compare import Comparison, compare
from vsm.durations import TimeBasis
from vsm.metrics import CycleMetrics


@dataclass(frozen=True)
class CycleRef:
    """A cycle as people name it: its number and label."""

    number: int
    label: str


@dataclass(frozen=True)
class Summary:
    """Everything the summary template shows."""

    stream: str
    channel_id: str
    basis: TimeBasis
    cycle: CycleRef
    metrics: CycleMetrics
    respondents: tuple[str, ...]
    closed_by: str
    baseline: CycleRef | None = None
    vs_baseline: Comparison | None = None
    previous: CycleRef | None = None
    vs_previous: Comparison | None = None


def ref(cycle: Cycle) -> CycleRef:
    return CycleRef(cycle.number, cycle.label)


def summarize(
    session: Session,
    stream: Stream,
    cycle: Cycle,
    metrics: CycleMetrics,
    respondents: tuple[str, ...],
) -> Summary:
    """The summary of `cycle`, compared with the first and the previous closed cycles."""
    earlier = [
        c
        for c in store.cycles_of(session=session, stream=stream, status=store.CLOSED)
        if c.number < cycle.number
    ]
    summary = Summary(
        stream=stream.name,
        channel_id=stream.channel_id,
        basis=basis_of(stream),
        cycle=ref(cycle),
        metrics=metrics,
        respondents=respondents,
        closed_by=cycle.closed_by,
    )
    if not earlier:
        return summary
    baseline, previous = earlier[0], earlier[-1]
    summary = replace(
        summary, baseline=ref(baseline), vs_baseline=compare(closed_metrics(baseline), metrics)
    )
    if previous is baseline:
        return summary
    return replace(
        summary, previous=ref(previous), vs_previous=compare(closed_metrics(previous), metrics)
    )
