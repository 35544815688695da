"""Future-state targets: set, show, drop, and how far a stream has come towards them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlmodel import Session

from commands.history import closed_metrics
from commands.lookup import find_stream
from commands.slash import Call, Reply, ephemeral
from commands.views import basis_of
from storage import cycles as cycle_store
from storage import kaizen
from storage.models import Cycle, Stream
from storage.models import Target as TargetRow
from storage.tenant import Tenant
from vsm.durations import TimeBasis, parse_duration
from vsm.errors import VsmError
from vsm.percent import parse_percent
from vsm.targets import Target, TargetError, TargetProgress, progress

_T = TypeVar("_T")


@dataclass(frozen=True)
class TargetView:
    """A target and the stream's progress towards it, as templates show it."""

    stream: str
    basis: TimeBasis
    target: Target
    progress: tuple[TargetProgress, ...]
    partial: bool


def target_of(row: TargetRow) -> Target:
    return Target(lead_s=row.lead_s, ratio=row.ratio, ca=row.ca, by=row.by_date)


def target_view(stream: Stream, row: TargetRow, closed: list[Cycle]) -> TargetView:
    """Progress from the baseline (first closed cycle) to the latest closed cycle."""
    target = target_of(row)
    if not closed:
        return TargetView(
            stream.name,
            basis_of(stream),
            target,
            progress(target, baseline=None, baseline_at=None, current=None, current_at=None),
            False,
        )
    first, last = closed[0], closed[-1]
    latest = closed_metrics(last)
    return TargetView(
        stream.name,
        basis_of(stream),
        target,
        progress(
            target,
            baseline=closed_metrics(first),
            baseline_at=first.closed_at,
            current=latest,
            current_at=last.closed_at,
        ),
        latest.partial,
    )


def stream_target(
    session: Session, stream: Stream, closed: list[Cycle] | None = None
) -> TargetView | None:
    """The stream's target with its progress, if it has a target.

    Args:
        closed: the stream's closed cycles in order, when the caller has them already.
    """
    row = kaizen.target_of(session=session, stream=stream)
    if row is None:
        return None
    if closed is None:
        closed = cycle_store.cycles_of(session=session, stream=stream, status=cycle_store.CLOSED)
    return target_view(stream, row, closed)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise VsmError(
            f"`{text}` is not a date; write it as YYYY-MM-DD, e.g. `by:2027-06-30`."
        ) from None


def _option(name: str, options: dict[str, str], read: Callable[[str], _T]) -> _T | None:
    """The option's value read by `read`, or None when it was not given."""
    if name not in options:
        return None
    try:
        return read(options[name])
    except VsmError as error:
        # Name the option; the value's own usage (`2h`) would replace the command's form.
        raise VsmError(f"{name}: {error.message}") from None


def set_target(
    session: Session, tenant: Tenant, name: str, options: dict[str, str], *, by: str, now: datetime
) -> TargetView:
    """Set the stream's target from the options given (at least one metric)."""
    stream = find_stream(session, tenant, name, active=True)
    basis = basis_of(stream)
    if not {"lead", "ratio", "ca"} & options.keys():
        raise VsmError("Give at least one of lead:, ratio: or ca:, e.g. `lead:5d ratio:10%`.")
    try:
        target = Target(
            lead_s=_option("lead", options, lambda text: parse_duration(text, basis)),
            ratio=_option("ratio", options, parse_percent),
            ca=_option("ca", options, parse_percent),
            by=_date(options["by"]) if "by" in options else None,
        )
    except TargetError as error:
        raise VsmError(error.message) from None
    if target.by is not None and target.by <= now.date():
        raise VsmError(f"by:{target.by.isoformat()} has passed; give a date in the future.")
    row = kaizen.save_target(
        session=session,
        stream=stream,
        target=TargetRow(
            stream_id=stream.id or 0,
            lead_s=target.lead_s,
            ratio=target.ratio,
            ca=target.ca,
            by_date=target.by,
            created_by=by,
            created_at=now,
        ),
    )
    closed = cycle_store.cycles_of(session=session, stream=stream, status=cycle_store.CLOSED)
    return target_view(stream, row, closed)


def handle_target(call: Call) -> Reply:
    req, renderer = call.request, call.services.renderer
    word = str(call.args.get("off", "")).lower()
    if word and word != "off":
        raise VsmError(f"`{word}` — say `off` to drop the target, or give lead:, ratio:, ca:, by:.")
    with call.services.unit_of_work() as session:
        if word == "off":
            stream = find_stream(session, req.tenant, call.args["stream"])
            had = kaizen.drop_target(session=session, stream=stream)
            return ephemeral(renderer.message("target_off.json.j2", stream=stream.name, had=had))
        if not call.options:
            stream = find_stream(session, req.tenant, call.args["stream"])
            view = stream_target(session, stream)
            return ephemeral(
                renderer.message("target.json.j2", stream=stream.name, view=view, changed=False)
            )
        view = set_target(
            session,
            req.tenant,
            call.args["stream"],
            dict(call.options),
            by=req.user_id,
            now=call.services.now(),
        )
    return ephemeral(
        renderer.message("target.json.j2", stream=view.stream, view=view, changed=True)
    )
