"""The map of a cycle, the trend of a stream, a channel's small trends, as plain picture data
built from the rows: every number already written for people, in the stream's time basis."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session

from commands.map_management import with_management
from storage import cycles as cycle_rows
from storage import digests as digest_rows
from storage import kaizen as kaizen_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.models import Cycle, Stream
from storage.tenant import Tenant
from storage.types import id_of
from templates.pictures import (
    DigestTrend,
    MapData,
    MapStep,
    MapTotals,
    TrendData,
    TrendImprovement,
    TrendPoint,
    TrendTarget,
)
from vsm.compare import duration_change
from vsm.durations import TimeBasis, format_duration
from vsm.metrics import CycleMetrics
from vsm.percent import format_percent, format_relative

DIGEST_CYCLES = 12  # closed cycles a stream's small trend shows in a digest


# ---- numbers as the pictures write them -------------------------------------------------------


def basis_label(basis: TimeBasis) -> str:
    """The unit of a stream's durations, as the pictures say it."""
    if basis.kind == "calendar":
        return "calendar days"
    return f"working days ({basis.hours_per_day:g} h)"


def _share(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def _change(before: float | None, after: float | None, number: int, basis: TimeBasis) -> str | None:
    """A lead time's change as the summaries write it (from the values as shown)."""
    relative = duration_change(before, after, basis).relative
    return None if relative is None else f"{format_relative(relative)} vs cycle {number}"


# ---- the map of one cycle ---------------------------------------------------------------------


def cycle_map(
    session: Session, tenant: Tenant, stream: Stream, cycle: Cycle, metrics: CycleMetrics
) -> MapData:
    """The map of `cycle` as measured by `metrics`."""
    basis = stream_rows.basis_of(stream)
    snapshot = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=[id_of(cycle)])
    people = {step.position: len(step.people) for step in snapshot[id_of(cycle)]}
    teams = {
        id_of(step): step.team
        for step in stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
    }
    bottleneck = metrics.bottleneck.key if metrics.bottleneck else None
    steps = tuple(
        MapStep(
            position=s.position,
            name=s.name,
            team=teams.get(s.key, ""),
            people=people.get(s.position, 0),
            ca="not rated" if s.ca is None else format_percent(s.ca),
            wait=None if s.wait_s is None else format_duration(s.wait_s, basis),
            process=None if s.process_s is None else format_duration(s.process_s, basis),
            wait_s=s.wait_s,
            process_s=s.process_s,
            is_bottleneck=s.key == bottleneck,
            wait_carried="wait" in s.carried_fields,
            process_carried="process" in s.carried_fields,
            ca_carried="ca" in s.carried_fields,
        )
        for s in metrics.steps
    )
    drawn = MapData(
        stream=stream.name,
        trigger=stream.trigger,
        value=stream.value,
        basis=basis_label(basis),
        cycle=_cycle_label(cycle),
        steps=steps,
        totals=MapTotals(
            lead_time=format_duration(metrics.lead_s, basis),
            process_time=format_duration(metrics.process_s, basis),
            activity_ratio=_share(metrics.activity_ratio),
            rolled_ca=_share(metrics.rolled_ca),
            partial=metrics.partial,
            missing_steps=tuple(metrics.missing_steps),
        ),
    )
    return with_management(session, tenant, stream, cycle, metrics, drawn)


def _cycle_label(cycle: Cycle) -> str:
    label = f"Cycle {cycle.number}" + (f" · {cycle.label}" if cycle.label else "")
    if cycle.status == cycle_rows.CLOSED and cycle.closed_at is not None:
        return f"{label} · closed {cycle.closed_at.date().isoformat()}"
    return f"{label} · {cycle.status}, as it stands"


# ---- the trend of a stream --------------------------------------------------------------------


def stream_trend(
    session: Session, tenant: Tenant, stream: Stream, closed: Sequence[Cycle] | None = None
) -> TrendData:
    """Lead time, activity ratio and rolled %C&A over the stream's closed cycles, with its
    target and the improvements done."""
    basis = stream_rows.basis_of(stream)
    if closed is None:
        closed = cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
    measured = [(cycle, closed_metrics(cycle)) for cycle in closed]
    points = tuple(
        TrendPoint(
            cycle=cycle.number,
            label=cycle.closed_at.strftime("%-d %b") if cycle.closed_at else "",
            lead=metrics.lead_s / basis.seconds_per_day,
            lead_text=format_duration(metrics.lead_s, basis),
            activity_ratio=metrics.activity_ratio,
            rolled_ca=metrics.rolled_ca,
            partial=metrics.partial,
            activity_ratio_text=_share(metrics.activity_ratio),
            rolled_ca_text=_share(metrics.rolled_ca),
        )
        for cycle, metrics in measured
    )
    change = None
    if len(measured) > 1:
        change = _change(
            measured[0][1].lead_s, measured[-1][1].lead_s, measured[0][0].number, basis
        )
    return TrendData(
        stream=stream.name,
        unit=basis_label(basis),
        points=points,
        target=_target(session, tenant, stream, closed, basis),
        improvements=_improvements(session, tenant, stream, closed),
        change=change,
    )


def _target(
    session: Session, tenant: Tenant, stream: Stream, closed: Sequence[Cycle], basis: TimeBasis
) -> TrendTarget | None:
    row = kaizen_rows.target_of(session=session, tenant=tenant, stream=stream)
    if row is None or row.lead_s is None:
        return None
    return TrendTarget(
        lead=row.lead_s / basis.seconds_per_day,
        text=format_duration(row.lead_s, basis),
        date_text=None if row.by_date is None else row.by_date.strftime("%-d %b %Y"),
        cycle=None if row.by_date is None else _cycle_at(closed, row.by_date),
    )


def _cycle_at(closed: Sequence[Cycle], day: date) -> float | None:
    """Where a date falls on the cycle axis, going on at the pace cycles have closed so far."""
    dated = [(c.number, c.closed_at) for c in closed if c.closed_at is not None]
    if len(dated) < 2:
        return None
    (first, first_at), (last, last_at) = dated[0], dated[-1]
    per_cycle = (last_at - first_at).total_seconds() / max(last - first, 1)
    if per_cycle <= 0:
        return None
    target_at = datetime(day.year, day.month, day.day, tzinfo=last_at.tzinfo)
    at = last + (target_at - last_at).total_seconds() / per_cycle
    # Far beyond the cycles drawn (cycles closed minutes apart, say), the date is only written.
    return at if at <= last + max(3, len(dated)) else None


def _improvements(
    session: Session, tenant: Tenant, stream: Stream, closed: Sequence[Cycle]
) -> tuple[TrendImprovement, ...]:
    """Improvements done, each at the first closed cycle after it was done."""
    done = kaizen_rows.improvements_of(
        session=session, tenant=tenant, stream=stream, statuses=("done",)
    )
    found = []
    for item in done:
        after = next(
            (
                c.number
                for c in closed
                if item.done_at and c.closed_at and c.closed_at > item.done_at
            ),
            None,
        )
        if after is not None:
            found.append(TrendImprovement(item.number, item.title, after))
    return tuple(found)


# ---- a channel's small trends -----------------------------------------------------------------


def channel_trends(
    session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> tuple[DigestTrend, ...]:
    """A small trend per stream (its latest closed cycles), in one query for all of them."""
    recent = digest_rows.recent_closed(
        session=session, tenant=tenant, streams=streams, count=DIGEST_CYCLES
    )
    found = []
    for stream in streams:
        basis = stream_rows.basis_of(stream)
        measured = [closed_metrics(cycle) for cycle in recent[id_of(stream)]]
        leads = tuple(m.lead_s / basis.seconds_per_day for m in measured)
        cycles = recent[id_of(stream)]
        found.append(
            DigestTrend(
                stream=stream.name,
                leads=leads,
                latest=format_duration(measured[-1].lead_s, basis) if measured else None,
                change=(
                    _change(measured[0].lead_s, measured[-1].lead_s, cycles[0].number, basis)
                    if len(measured) > 1
                    else None
                ),
            )
        )
    return tuple(found)
