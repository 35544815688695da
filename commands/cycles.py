"""Measurement cycles: open one (`/vsm measure`), close it with a summary, or cancel it."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from commands.history import live_metrics
from commands.lookup import find_stream
from commands.services import Services
from commands.slash import Call, Reply, ephemeral
from commands.summary import Summary, summarize
from commands.survey import questions_for
from storage import cycles as store
from storage import outbox
from storage import streams as stream_store
from storage import survey as survey_store
from storage.models import Cycle, CycleStep, Stream
from storage.tenant import Tenant
from vsm.durations import CALENDAR, DurationError, parse_duration
from vsm.errors import VsmError
from vsm.snapshot import metrics_to_dict

MIN_WINDOW = timedelta(minutes=10)


class CycleError(VsmError):
    """A cycle cannot be opened, closed or cancelled as asked."""


@dataclass(frozen=True)
class CycleStepView:
    position: int
    name: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class CycleOpened:
    """What the cycle message and the reply to `/vsm measure` show."""

    cycle_id: int
    stream: str
    channel_id: str
    number: int
    label: str
    steps: tuple[CycleStepView, ...]
    closes_at: datetime | None
    # The cycle message first, then the survey in its thread.
    outbox_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CycleClosed:
    summary: Summary
    outbox_ids: tuple[int, ...]


def open_cycle(
    session: Session,
    services: Services,
    tenant: Tenant,
    stream_name: str,
    *,
    opened_by: str,
    label: str = "",
    window_s: int | None = None,
) -> CycleOpened:
    """Open the stream's next cycle and queue its message for the home channel.

    Raises:
        CycleError: the stream has no steps, or a cycle is already open.
    """
    now = services.now()
    stream = find_stream(session, tenant, stream_name, for_update=True, active=True)
    steps = stream_store.list_steps(session=session, stream=stream)
    if not steps:
        raise CycleError(
            f"“{stream.name}” has no steps to measure yet. Add them first: "
            f'/vsm step add "{stream.name}" "<step>" people:@someone'
        )
    running = store.open_cycle(session=session, stream=stream)
    if running is not None:
        raise CycleError(
            f"Cycle {running.number} of “{stream.name}” is still open. Close it "
            f'(/vsm close "{stream.name}") or cancel it (/vsm cancel "{stream.name}") first.'
        )
    cycle = store.add_cycle(
        session=session,
        cycle=Cycle(
            stream_id=stream.id or 0,
            number=store.next_cycle_number(session=session, stream=stream),
            label=label,
            opened_at=now,
            opened_by=opened_by,
            window_s=window_s,
            closes_at=None if window_s is None else now + timedelta(seconds=window_s),
            remind_at=None if window_s is None else now + timedelta(seconds=window_s * 0.8),
            channel_id=stream.channel_id,
        ),
        steps=[
            CycleStep(
                cycle_id=0, step_key=s.id or 0, position=s.position, name=s.name, people=s.people
            )
            for s in steps
        ],
    )
    opened = CycleOpened(
        cycle_id=cycle.id or 0,
        stream=stream.name,
        channel_id=stream.channel_id,
        number=cycle.number,
        label=cycle.label,
        steps=tuple(CycleStepView(s.position, s.name, tuple(s.people)) for s in steps),
        closes_at=cycle.closes_at,
    )
    questions = questions_for(session, stream)
    survey_store.add_cycle_questions(
        session=session, cycle_id=opened.cycle_id, questions=[(q.key, q.text) for q in questions]
    )
    messages = [
        outbox.enqueue(
            session=session,
            tenant=tenant,
            key=f"cycle:{cycle.id}:{kind}",
            kind=kind,
            channel_id=stream.channel_id,
            payload=payload,
            now=now,
            cycle_id=cycle.id,
        )
        for kind, payload in (
            ("cycle_opened", services.renderer.message("cycle_opened.json.j2", cycle=opened)),
            (
                "survey",
                services.renderer.message(
                    "survey_message.json.j2", cycle=opened, questions=questions
                ),
            ),
        )
    ]
    session.flush()
    return replace(opened, outbox_ids=tuple(message.id or 0 for message in messages))


def window_seconds(window: str | None) -> int | None:
    """The seconds of a `window:` option: wall-clock time, at least 10 minutes.

    Raises:
        CycleError: the text is not such a duration.
    """
    if window is None:
        return None
    # A window is wall-clock time until the cycle closes, whatever the stream's basis.
    try:
        seconds = parse_duration(window, CALENDAR)
    except DurationError as error:
        # The duration's own usage (`2h`) would replace the command's form in the reply.
        raise CycleError(f"window: {error.message}") from None
    if seconds < MIN_WINDOW.total_seconds():
        raise CycleError("window: must be at least 10 minutes, e.g. window:3d.")
    return seconds


def close_cycle(
    session: Session, services: Services, tenant: Tenant, stream: Stream, *, closed_by: str
) -> CycleClosed:
    """Close the stream's open cycle: freeze its metrics and queue the summary.

    Raises:
        CycleError: no cycle is open, or nobody has answered it yet.
    """
    cycle = store.open_cycle(session=session, stream=stream, for_update=True)
    if cycle is None:
        raise CycleError(f"“{stream.name}” has no open cycle. Open one with /vsm measure.")
    metrics, record = live_metrics(session, stream, cycle)
    if not record.respondents:
        raise CycleError(
            f"Nobody has answered cycle {cycle.number} of “{stream.name}” yet, so there is "
            f'nothing to sum up. Wait for answers, or drop it: /vsm cancel "{stream.name}"'
        )
    now = services.now()
    cycle.status, cycle.closed_at, cycle.closed_by = store.CLOSED, now, closed_by
    cycle.metrics = metrics_to_dict(metrics)
    session.add(cycle)
    session.flush()
    summary = summarize(session, stream, cycle, metrics, record.respondents)
    payload = services.renderer.message("summary.json.j2", summary=summary)
    ids = []
    places: list[tuple[str, str | None]] = [("summary_channel", None)]
    if cycle.message_ts:
        places.insert(0, ("summary_thread", cycle.message_ts))
    for kind, thread_ts in places:
        message = outbox.enqueue(
            session=session,
            tenant=tenant,
            key=f"cycle:{cycle.id}:{kind}",
            kind=kind,
            channel_id=stream.channel_id,
            payload=payload,
            now=now,
            thread_ts=thread_ts,
        )
        session.flush()
        ids.append(message.id or 0)
    return CycleClosed(summary=summary, outbox_ids=tuple(ids))


def cancel_cycle(session: Session, tenant: Tenant, stream: Stream) -> Cycle:
    """Drop the stream's open cycle; its answers stay stored but count for nothing.

    Raises:
        CycleError: no cycle is open.
    """
    cycle = store.open_cycle(session=session, stream=stream, for_update=True)
    if cycle is None:
        raise CycleError(f"“{stream.name}” has no open cycle to cancel.")
    cycle.status = store.CANCELLED
    session.add(cycle)
    return cycle


def handle_measure(call: Call) -> Reply:
    services = call.services
    with services.unit_of_work() as session:
        opened = open_cycle(
            session,
            services,
            call.request.tenant,
            call.args["stream"],
            opened_by=call.request.user_id,
            label=call.options.get("label", ""),
            window_s=window_seconds(call.options.get("window")),
        )
    delivery = next(iter(services.deliverer.deliver(opened.outbox_ids)), None)
    if delivery is not None and delivery.gave_up:
        # Without its message the cycle has no thread to collect answers in: undo it, number
        # and all, as if it had never been opened.
        with services.unit_of_work() as session:
            found = store.cycle_by_id(
                session=session, tenant=call.request.tenant, cycle_id=opened.cycle_id
            )
            if found is not None:
                store.delete_cycle(session=session, cycle=found[0])
        return ephemeral(
            services.renderer.message(
                "cycle_not_posted.json.j2", cycle=opened, error=delivery.error
            )
        )
    return ephemeral(services.renderer.message("cycle_measure_reply.json.j2", cycle=opened))


def handle_close(call: Call) -> Reply:
    services = call.services
    with services.unit_of_work() as session:
        stream = find_stream(session, call.request.tenant, call.args["stream"], for_update=True)
        closed = close_cycle(
            session, services, call.request.tenant, stream, closed_by=call.request.user_id
        )
    services.deliverer.deliver(closed.outbox_ids)
    return ephemeral(
        services.renderer.message("cycle_closed_reply.json.j2", summary=closed.summary)
    )


def handle_cancel(call: Call) -> Reply:
    with call.services.unit_of_work() as session:
        stream = find_stream(session, call.request.tenant, call.args["stream"], for_update=True)
        cycle = cancel_cycle(session, call.request.tenant, stream)
        number, name = cycle.number, stream.name
    return ephemeral(
        call.services.renderer.message("cycle_cancelled_reply.json.j2", number=number, stream=name)
    )
