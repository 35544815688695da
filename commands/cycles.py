"""Measurement cycles: open one (`/vsm measure`), close it with a summary, or cancel it."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from commands.access import changeable_stream
from commands.owners import log_change
from commands.pictures import queue_cycle_pictures
from commands.queue import queue_message
from commands.services import Services
from commands.summary import CycleSummary, Summary, summarize
from storage import cycles as cycle_rows
from storage import streams as stream_rows
from storage import survey as survey_rows
from storage.history import live_metrics
from storage.models import Stream
from storage.structure import record_structure
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import CALENDAR, DurationError, Span
from vsm.errors import VsmError
from vsm.snapshot import metrics_to_dict
from vsm.survey_questions import Question

MIN_WINDOW = timedelta(minutes=10)


class CycleError(VsmError):
    """A cycle cannot be opened, closed or cancelled as asked."""


@dataclass(frozen=True)
class CycleStepView:
    position: int
    name: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class OpenedCycle:
    """A cycle just opened, as its message and the reply to `/vsm measure` show it."""

    cycle_id: int
    stream: str
    channel_id: str
    number: int
    label: str
    steps: tuple[CycleStepView, ...]
    closes_at: datetime | None
    # The cycle message first, then the survey in its thread.
    outbox_ids: tuple[int, ...] = ()


# ---- messages in the channel, and replies (each shown by the template named after it) -------


@dataclass(frozen=True)
class CycleOpened:
    """The cycle's message in its stream's home channel: answers go in its thread."""

    cycle: OpenedCycle


@dataclass(frozen=True)
class SurveyMessage:
    """The readiness survey, in the cycle's thread.

    Attributes:
        baseline: the cycle is the stream's baseline, measured before any improvement is
            chosen (the default questions are worded for it).
    """

    cycle: OpenedCycle
    questions: tuple[Question, ...]
    baseline: bool = False


@dataclass(frozen=True)
class CycleStarted:
    cycle: OpenedCycle
    posted: bool = True  # False: queued, Slack has not taken it yet


@dataclass(frozen=True)
class CycleNotPosted:
    """The cycle's message could not be posted, so the cycle was undone."""

    cycle: OpenedCycle
    error: str | None


@dataclass(frozen=True)
class CycleClosedReply:
    summary: Summary
    posted: bool = True  # False: the summary is queued, Slack has not taken it yet


@dataclass(frozen=True)
class CycleCancelledReply:
    number: int
    stream: str


# ---- use cases -------------------------------------------------------------------------------


def window_seconds(window: Span | None) -> int | None:
    """The seconds of a `window:` option: wall-clock time, at least 10 minutes.

    Raises:
        CycleError: it is shorter, or longer than a duration can be.
    """
    if window is None:
        return None
    # A window is wall-clock time until the cycle closes, whatever the stream's basis.
    try:
        seconds = window.seconds(CALENDAR)
    except DurationError as error:
        # The duration's own usage (`2h`) would replace the command's form in the reply.
        raise CycleError(f"window: {error.message}") from None
    if seconds < MIN_WINDOW.total_seconds():
        raise CycleError("window: must be at least 10 minutes, e.g. window:3d.")
    return seconds


def open_cycle(
    session: Session,
    services: Services,
    tenant: Tenant,
    stream: Stream,
    *,
    opened_by: str,
    label: str = "",
    window_s: int | None = None,
) -> OpenedCycle:
    """Open the stream's next cycle and queue its message (and the survey in its thread) for
    the home channel.

    Raises:
        CycleError: the stream has no steps, or a cycle is already open.
    """
    steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
    if not steps:
        raise CycleError(
            f"“{stream.name}” has no steps to measure yet. Add them first: "
            f'/vsm step add "{stream.name}" "<step>" people:@someone'
        )
    running = cycle_rows.find_open_cycle(session=session, tenant=tenant, stream=stream)
    if running is not None:
        raise CycleError(
            f"Cycle {running.number} of “{stream.name}” is still open. Close it "
            f'(/vsm close "{stream.name}") or cancel it (/vsm cancel "{stream.name}") first.'
        )
    baseline = not cycle_rows.has_closed_cycle(session=session, tenant=tenant, stream=stream)
    cycle = cycle_rows.add_cycle(
        session=session,
        tenant=tenant,
        stream=stream,
        steps=steps,
        opened_by=opened_by,
        label=label,
        window_s=window_s,
        now=services.now(),
    )
    record_structure(session=session, tenant=tenant, cycle=cycle)
    opened = OpenedCycle(
        cycle_id=id_of(cycle),
        stream=stream.name,
        channel_id=stream.channel_id,
        number=cycle.number,
        label=cycle.label,
        steps=tuple(CycleStepView(s.position, s.name, tuple(s.people)) for s in steps),
        closes_at=cycle.closes_at,
    )
    questions = survey_rows.questions_for(
        session=session, tenant=tenant, stream=stream, baseline=baseline
    )
    survey_rows.add_cycle_questions(
        session=session, tenant=tenant, cycle=cycle, questions=questions
    )
    ids = tuple(
        queue_message(
            session,
            services,
            tenant,
            key=f"cycle:{opened.cycle_id}:{kind}",
            kind=kind,
            channel_id=stream.channel_id,
            message=message,
            cycle_id=opened.cycle_id,
        )
        for kind, message in (
            ("cycle_opened", CycleOpened(opened)),
            ("survey", SurveyMessage(opened, questions, baseline)),
        )
    )
    return replace(opened, outbox_ids=ids)


def measure(
    services: Services,
    tenant: Tenant,
    stream_name: str,
    *,
    opened_by: str,
    label: str = "",
    window: Span | None = None,
) -> CycleStarted | CycleNotPosted:
    """`/vsm measure`: open the next cycle and post its message now. A cycle whose message
    Slack refuses for good is undone, as if it had never been opened."""
    window_s = window_seconds(window)
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, opened_by, "open a cycle", active=True
        )
        opened = open_cycle(
            session,
            services,
            tenant,
            stream,
            opened_by=opened_by,
            label=label,
            window_s=window_s,
        )
        log_change(
            session,
            services,
            tenant,
            stream,
            opened_by,
            "cycle.open",
            subject=f"cycle {opened.number}",
        )
    delivery = next(iter(services.deliverer.deliver(opened.outbox_ids)), None)
    if delivery is not None and delivery.gave_up:
        undo_unposted_cycle(services, tenant, opened.cycle_id)
        return CycleNotPosted(opened, delivery.error)
    return CycleStarted(opened, posted=delivery is not None and delivery.sent)


def undo_unposted_cycle(services: Services, tenant: Tenant, cycle_id: int) -> bool:
    """Remove a cycle whose message never reached Slack: without it there is no thread to
    collect answers in. Its number is free again. Returns whether it was still there."""
    with services.unit_of_work() as session:
        return cycle_rows.delete_cycle(session=session, tenant=tenant, cycle_id=cycle_id)


def close_open_cycle(
    session: Session, services: Services, tenant: Tenant, stream: Stream, *, closed_by: str
) -> tuple[Summary, tuple[int, ...]]:
    """Close the stream's open cycle: freeze its metrics and queue the summary (in the cycle's
    thread and in the channel). Returns the summary and the queued messages.

    Raises:
        CycleError: no cycle is open, or nobody has answered it yet.
    """
    cycle = cycle_rows.find_open_cycle(
        session=session, tenant=tenant, stream=stream, for_update=True
    )
    if cycle is None:
        raise CycleError(f"“{stream.name}” has no open cycle. Open one with /vsm measure.")
    metrics, record = live_metrics(session=session, tenant=tenant, stream=stream, cycle=cycle)
    if not record.respondents:
        raise CycleError(
            f"Nobody has answered cycle {cycle.number} of “{stream.name}” yet, so there is "
            f'nothing to sum up. Wait for answers, or drop it: /vsm cancel "{stream.name}"'
        )
    cycle_rows.set_status(
        session=session,
        tenant=tenant,
        stream=stream,
        cycle=cycle,
        status=cycle_rows.CLOSED,
        by=closed_by,
        now=services.now(),
        metrics=metrics_to_dict(metrics),
    )
    record_structure(session=session, tenant=tenant, cycle=cycle)  # as measured: as it is now
    summary = summarize(session, tenant, stream, cycle, metrics, record.respondents)
    # The pictures follow the summary into its thread; the clock draws them.
    queue_cycle_pictures(session, services, tenant, stream, cycle)
    places: list[tuple[str, str | None]] = [("summary_channel", None)]
    if cycle.message_ts:
        places.insert(0, ("summary_thread", cycle.message_ts))
    ids = tuple(
        queue_message(
            session,
            services,
            tenant,
            key=f"cycle:{id_of(cycle)}:{kind}",
            kind=kind,
            channel_id=stream.channel_id,
            message=CycleSummary(summary),
            thread_ts=thread_ts,
        )
        for kind, thread_ts in places
    )
    return summary, ids


def close(
    services: Services, tenant: Tenant, stream_name: str, *, closed_by: str
) -> CycleClosedReply:
    """`/vsm close`: close the open cycle and post its summary now."""
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, closed_by, "close its cycle"
        )
        summary, ids = close_open_cycle(session, services, tenant, stream, closed_by=closed_by)
        log_change(
            session,
            services,
            tenant,
            stream,
            closed_by,
            "cycle.close",
            subject=f"cycle {summary.cycle.number}",
        )
    deliveries = services.deliverer.deliver(ids)
    return CycleClosedReply(summary, posted=bool(deliveries) and all(d.sent for d in deliveries))


def cancel_open_cycle(session: Session, tenant: Tenant, stream: Stream) -> int:
    """Drop the stream's open cycle; its answers stay stored but count for nothing. Returns
    its number.

    Raises:
        CycleError: no cycle is open.
    """
    cycle = cycle_rows.find_open_cycle(
        session=session, tenant=tenant, stream=stream, for_update=True
    )
    if cycle is None:
        raise CycleError(f"“{stream.name}” has no open cycle to cancel.")
    cycle_rows.set_status(
        session=session, tenant=tenant, stream=stream, cycle=cycle, status=cycle_rows.CANCELLED
    )
    return cycle.number


def cancel(services: Services, tenant: Tenant, stream_name: str, *, by: str) -> CycleCancelledReply:
    """`/vsm cancel`."""
    with services.unit_of_work() as session:
        stream = changeable_stream(session, services, tenant, stream_name, by, "cancel its cycle")
        number = cancel_open_cycle(session, tenant, stream)
        log_change(session, services, tenant, stream, by, "cycle.cancel", subject=f"cycle {number}")
        return CycleCancelledReply(number, stream.name)
