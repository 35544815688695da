"""Future-state targets: set, show, drop, and how far a stream has come towards them."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import changeable_stream, readable_stream
from commands.owners import log_change
from commands.services import Services
from storage import cycles as cycle_rows
from storage import kaizen as kaizen_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.models import Cycle, Stream
from storage.models import Target as TargetRow
from storage.tenant import Tenant
from vsm.durations import DurationError, Span, TimeBasis, format_duration
from vsm.errors import VsmError
from vsm.percent import EXACT_PLACES, format_percent
from vsm.targets import Target, TargetError, TargetProgress, progress


@dataclass(frozen=True)
class TargetView:
    """A target and the stream's progress towards it, as templates show it.

    Attributes:
        moved: a cycle after the baseline has closed, so progress is measured between two
            cycles (with only the baseline there is no way covered yet to show).
    """

    stream: str
    basis: TimeBasis
    target: Target
    progress: tuple[TargetProgress, ...]
    partial: bool
    moved: bool = False


@dataclass(frozen=True)
class TargetShown:
    """The reply to `/vsm target`: the target (None: there is none) and whether it changed."""

    stream: str
    view: TargetView | None
    changed: bool


@dataclass(frozen=True)
class TargetOff:
    stream: str
    had: bool


def target_view(stream: Stream, row: TargetRow, closed: list[Cycle]) -> TargetView:
    """Progress from the baseline (first closed cycle) to the latest closed cycle."""
    target = kaizen_rows.target_value(row)
    basis = stream_rows.basis_of(stream)
    if not closed:
        return TargetView(
            stream.name,
            basis,
            target,
            progress(
                target,
                baseline=None,
                baseline_at=None,
                current=None,
                current_at=None,
                basis=basis,
            ),
            False,
        )
    first, last = closed[0], closed[-1]
    latest = closed_metrics(last)
    return TargetView(
        stream.name,
        basis,
        target,
        progress(
            target,
            baseline=closed_metrics(first),
            baseline_at=first.closed_at,
            current=latest,
            current_at=last.closed_at,
            basis=basis,
        ),
        latest.partial,
        moved=first is not last,
    )


def stream_target(
    session: Session, tenant: Tenant, stream: Stream, closed: list[Cycle] | None = None
) -> TargetView | None:
    """The stream's target with its progress, if it has a target.

    Args:
        closed: the stream's closed cycles in order, when the caller has them already.
    """
    row = kaizen_rows.target_of(session=session, tenant=tenant, stream=stream)
    if row is None:
        return None
    if closed is None:
        closed = cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
    return target_view(stream, row, closed)


@dataclass(frozen=True)
class TargetAsked:
    """A target as given in `/vsm target`; the lead time still to be put in seconds on the
    stream's basis (a stream's `5d` depends on its working day)."""

    lead: Span | None = None
    ratio: float | None = None
    ca: float | None = None
    by: date | None = None

    def is_empty(self) -> bool:
        return self.lead is None and self.ratio is None and self.ca is None


def show_target(services: Services, tenant: Tenant, name: str, *, by: str) -> TargetShown:
    """The stream's target and its progress."""
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, by)
        return TargetShown(stream.name, stream_target(session, tenant, stream), changed=False)


def drop_target(services: Services, tenant: Tenant, name: str, *, by: str) -> TargetOff:
    """`/vsm target … off`."""
    with services.unit_of_work() as session:
        stream = changeable_stream(session, services, tenant, name, by, "change its target")
        had = kaizen_rows.drop_target(session=session, tenant=tenant, stream=stream)
        if had:
            log_change(session, services, tenant, stream, by, "target.off")
        return TargetOff(stream.name, had)


def set_target(
    services: Services, tenant: Tenant, name: str, asked: TargetAsked, *, by: str
) -> TargetShown:
    """Set the stream's target from what was given (at least one metric)."""
    now = services.now()
    if asked.is_empty():
        raise VsmError("Give at least one of lead:, ratio: or ca:, e.g. `lead:5d ratio:10%`.")
    if asked.by is not None and asked.by <= now.date():
        raise VsmError(f"by:{asked.by.isoformat()} has passed; give a date in the future.")
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, name, by, "change its target", active=True
        )
        old = kaizen_rows.target_of(session=session, tenant=tenant, stream=stream)
        before = None if old is None else _said(old, stream)
        try:
            lead_s = (
                None if asked.lead is None else asked.lead.seconds(stream_rows.basis_of(stream))
            )
        except DurationError as error:
            # Name the option; the value's own usage (`2h`) would replace the command's form.
            raise VsmError(f"lead: {error.message}") from None
        try:
            target = Target(lead_s=lead_s, ratio=asked.ratio, ca=asked.ca, by=asked.by)
        except TargetError as error:
            raise VsmError(error.message) from None
        row = kaizen_rows.save_target(
            session=session,
            tenant=tenant,
            stream=stream,
            target=TargetRow(
                stream_id=stream_rows.check_stream(stream, tenant),
                lead_s=target.lead_s,
                ratio=target.ratio,
                ca=target.ca,
                by_date=target.by,
                created_by=by,
                created_at=now,
            ),
        )
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            "target.set",
            before=before,
            after=_said(row, stream),
        )
        closed = cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
        return TargetShown(stream.name, target_view(stream, row, closed), changed=True)


def _said(row: TargetRow, stream: Stream) -> str:
    """A target as the history writes it: `lead 5 d · ratio 10% · by 2027-06-30`."""
    basis = stream_rows.basis_of(stream)
    parts = []
    if row.lead_s is not None:
        parts.append(f"lead {format_duration(row.lead_s, basis)}")
    if row.ratio is not None:
        parts.append(f"ratio {format_percent(row.ratio, EXACT_PLACES)}")
    if row.ca is not None:
        parts.append(f"ca {format_percent(row.ca, EXACT_PLACES)}")
    if row.by_date is not None:
        parts.append(f"by {row.by_date.isoformat()}")
    return " · ".join(parts)
