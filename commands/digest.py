"""The weekly digest: per channel, every active stream homed there, in a few queries."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from commands.flows import flow_of, has_teams
from commands.latest import OpenCycle
from commands.summary import CycleRef, ref
from commands.targets import TargetView, target_view
from commands.value import ValueRunResults, latest_values
from storage import digests as digest_rows
from storage import kaizen as kaizen_rows
from storage import schedules as schedule_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.models import Cycle, Stream
from storage.streams import basis_of
from storage.structure import cycle_structures
from storage.tenant import Tenant
from storage.types import id_of
from vsm.compare import Change, duration_change
from vsm.durations import TimeBasis
from vsm.flow import Finding
from vsm.metrics import CycleMetrics, StepMetrics
from vsm.structure import StructureStep


@dataclass(frozen=True)
class TrendPoint:
    cycle: CycleRef
    lead_s: int
    partial: bool


@dataclass(frozen=True)
class StreamDigest:
    """One stream's lines in a digest."""

    name: str
    basis: TimeBasis
    latest: CycleRef | None
    metrics: CycleMetrics | None
    lead_since_baseline: Change | None
    trend: tuple[TrendPoint, ...]
    open: OpenCycle | None
    next_run_at: datetime | None
    biggest_wait: StepMetrics | None
    improving: tuple[str, ...] = ()
    target: TargetView | None = None
    finding: Finding | None = None  # where between teams the latest cycle's work waited
    value: ValueRunResults | None = None


@dataclass(frozen=True)
class ChannelDigest:
    channel_id: str
    streams: tuple[StreamDigest, ...]


@dataclass(frozen=True)
class Digest:
    """The digest message in its channel."""

    digest: ChannelDigest


def build_digest(session: Session, tenant: Tenant, channel_id: str) -> ChannelDigest:
    """The digest of a channel; the number of queries does not grow with streams or cycles."""
    streams = stream_rows.streams_in_channel(session=session, tenant=tenant, channel_id=channel_id)
    trends = digest_rows.trend_cycles(session=session, tenant=tenant, streams=streams)
    running = digest_rows.open_cycle_progress(session=session, tenant=tenant, streams=streams)
    plans = schedule_rows.measure_schedules_of(session=session, tenant=tenant, streams=streams)
    doing = kaizen_rows.in_progress_of(session=session, tenant=tenant, streams=streams)
    targets = kaizen_rows.targets_of(session=session, tenant=tenant, streams=streams)
    latest_ids = [id_of(trend[-1]) for trend in trends.values() if trend]
    structures = cycle_structures(session=session, tenant=tenant, cycle_ids=latest_ids)
    values = latest_values(session, tenant, streams)
    digests = []
    for stream in streams:
        key = id_of(stream)
        trend = trends.get(key, [])
        digest = _stream_digest(
            stream,
            trend,
            running.get(key),
            plans[key].next_run_at if key in plans else None,
        )
        digests.append(
            replace(
                digest,
                improving=tuple(f"#{item.number} {item.title}" for item in doing.get(key, [])),
                target=target_view(stream, targets[key], trend) if key in targets else None,
                finding=_finding(digest, structures.get(id_of(trend[-1])) if trend else None),
                value=values.get(key),
            )
        )
    return ChannelDigest(channel_id=channel_id, streams=tuple(digests))


def _finding(digest: StreamDigest, structure: list[StructureStep] | None) -> Finding | None:
    if digest.metrics is None or not structure or not has_teams(structure):
        return None
    return flow_of(digest.metrics, structure).finding


def _stream_digest(
    stream: Stream,
    trend: list[Cycle],
    running: tuple[Cycle, int, int] | None,
    next_run_at: datetime | None,
) -> StreamDigest:
    metrics = [closed_metrics(cycle) for cycle in trend]
    latest = metrics[-1] if metrics else None
    basis = basis_of(stream)
    return StreamDigest(
        name=stream.name,
        basis=basis,
        latest=ref(trend[-1]) if trend else None,
        metrics=latest,
        lead_since_baseline=(
            duration_change(metrics[0].lead_s, latest.lead_s, basis)
            if latest is not None and len(metrics) > 1
            else None
        ),
        trend=tuple(
            TrendPoint(ref(cycle), m.lead_s, m.partial)
            for cycle, m in zip(trend, metrics, strict=True)
        ),
        open=None if running is None else OpenCycle(running[0].number, running[1], running[2]),
        next_run_at=next_run_at,
        biggest_wait=None if latest is None else latest.bottleneck,
    )
