"""The weekly digest: per channel, every active stream homed there, in a few queries."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from commands.compare import OpenCycle
from commands.history import closed_metrics
from commands.summary import CycleRef, ref
from commands.targets import TargetView, target_view
from commands.views import basis_of
from storage import digests as store
from storage import kaizen, schedules
from storage.models import Cycle, Stream
from storage.tenant import Tenant
from vsm.compare import Change, change
from vsm.durations import TimeBasis
from vsm.metrics import CycleMetrics, StepMetrics


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


@dataclass(frozen=True)
class ChannelDigest:
    channel_id: str
    streams: tuple[StreamDigest, ...]


def build_digest(session: Session, tenant: Tenant, channel_id: str) -> ChannelDigest:
    """The digest of a channel; the number of queries does not grow with streams or cycles."""
    streams = store.streams_in_channel(session=session, tenant=tenant, channel_id=channel_id)
    ids = [stream.id for stream in streams if stream.id is not None]
    trends = store.trend_cycles(session=session, stream_ids=ids)
    running = store.open_cycle_progress(session=session, stream_ids=ids)
    plans = schedules.measure_schedules_of(session=session, stream_ids=ids)
    doing = kaizen.in_progress_of(session=session, stream_ids=ids)
    targets = kaizen.targets_of(session=session, stream_ids=ids)
    digests = []
    for stream in streams:
        key = stream.id or 0
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
            )
        )
    return ChannelDigest(channel_id=channel_id, streams=tuple(digests))


def _stream_digest(
    stream: Stream,
    trend: list[Cycle],
    running: tuple[Cycle, int, int] | None,
    next_run_at: datetime | None,
) -> StreamDigest:
    metrics = [closed_metrics(cycle) for cycle in trend]
    latest = metrics[-1] if metrics else None
    return StreamDigest(
        name=stream.name,
        basis=basis_of(stream),
        latest=ref(trend[-1]) if trend else None,
        metrics=latest,
        lead_since_baseline=(
            change(metrics[0].lead_s, latest.lead_s, "lower")
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
