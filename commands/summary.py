"""Before/after: a closed cycle's metrics beside the baseline and the previous closed cycle."""

from dataclasses import dataclass, replace

from sqlmodel import Session

from commands.management import Management, cycle_management
from commands.targets import TargetView, stream_target
from commands.value import ValueRunResults, cycle_value
from commands.waits import cycle_wait_causes
from storage import cycles as cycle_rows
from storage import kaizen as kaizen_rows
from storage.history import closed_metrics
from storage.models import Cycle, Stream
from storage.streams import basis_of
from storage.survey import survey_results
from storage.tenant import Tenant
from storage.types import id_of
from vsm.compare import Comparison, compare
from vsm.durations import TimeBasis
from vsm.improvements import Expectation
from vsm.metrics import CycleMetrics, StepMetrics
from vsm.study import Review, review
from vsm.survey import QuestionResult
from vsm.waiting import WaitCauses


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
    survey: tuple[QuestionResult, ...] = ()
    reviews: tuple["ReviewView", ...] = ()
    target: TargetView | None = None
    management: Management | None = None  # teams, hand-offs, structure, segments, support
    waits: WaitCauses | None = None
    value: ValueRunResults | None = None


@dataclass(frozen=True)
class CycleSummary:
    """The before/after summary message, posted in the cycle's thread and in the channel."""

    summary: Summary


@dataclass(frozen=True)
class ReviewView:
    """A done improvement's prediction beside what its step measured (PDSA: did it work?)."""

    number: int
    title: str
    step_name: str
    expectation: Expectation
    review: Review


def ref(cycle: Cycle) -> CycleRef:
    return CycleRef(cycle.number, cycle.label)


def summarize(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    metrics: CycleMetrics,
    respondents: tuple[str, ...],
) -> Summary:
    """The summary of `cycle` (just closed), compared with the first and the previous closed
    cycles, with its survey, the improvements done since, and progress towards the target.

    Improvements reviewed here are marked so, so each is studied once.
    """
    earlier = [
        c
        for c in cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
        if c.number < cycle.number
    ]
    previous = earlier[-1] if earlier else None
    summary = Summary(
        stream=stream.name,
        channel_id=stream.channel_id,
        basis=basis_of(stream),
        cycle=ref(cycle),
        metrics=metrics,
        respondents=respondents,
        closed_by=cycle.closed_by,
        survey=survey_results(session=session, tenant=tenant, cycle=cycle, previous=previous),
        reviews=study_improvements(
            session,
            tenant,
            stream,
            cycle,
            metrics,
            None if previous is None else closed_metrics(previous),
        ),
        target=stream_target(session, tenant, stream, [*earlier, cycle]),
        management=cycle_management(
            session,
            tenant,
            stream,
            cycle,
            metrics,
            (previous, ref(previous)) if previous else None,
            # Posted in the stream's channel: support streams homed elsewhere stay unnamed.
            lambda other: other.channel_id == stream.channel_id,
        ),
        waits=cycle_wait_causes(session, tenant, [*earlier, cycle], metrics),
        value=cycle_value(session, tenant, stream, cycle),
    )
    if not earlier:
        return summary
    baseline, previous, basis = earlier[0], earlier[-1], summary.basis
    summary = replace(
        summary,
        baseline=ref(baseline),
        vs_baseline=compare(closed_metrics(baseline), metrics, basis),
    )
    if previous is baseline:
        return summary
    return replace(
        summary,
        previous=ref(previous),
        vs_previous=compare(closed_metrics(previous), metrics, basis),
    )


def study_improvements(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    metrics: CycleMetrics,
    before: CycleMetrics | None,
) -> tuple[ReviewView, ...]:
    """Set each improvement done since the last summary beside what its step measured, and
    mark it studied by this cycle."""
    found = []
    done = kaizen_rows.done_unreviewed(session=session, tenant=tenant, stream=stream)
    kaizen_rows.mark_reviewed(
        session=session, tenant=tenant, stream=stream, items=done, cycle_id=id_of(cycle)
    )
    for item in done:
        expectation = kaizen_rows.expectation_of(item)
        if expectation is None:
            continue
        after_step = _step(metrics, item.step_key)
        before_step = None if before is None else _step(before, item.step_key)
        found.append(
            ReviewView(
                item.number,
                item.title,
                item.step_name,
                expectation,
                review(
                    expectation,
                    before_step,
                    after_step,
                    number=item.number,
                    basis=basis_of(stream),
                ),
            )
        )
    return tuple(found)


def _step(metrics: CycleMetrics, key: int | None) -> StepMetrics | None:
    return next((step for step in metrics.steps if key is not None and step.key == key), None)
