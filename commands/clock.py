"""The clock's work: due measurements, reminders, window ends and digests.

Each piece of due work is claimed compare-and-set and done in the claim's transaction, so two
clocks at once (a deploy overlap) do everything once; a clock that was down catches up with
one run per schedule, because a schedule moves on to its first occurrence after now.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from commands.cycles import CycleError, cancel_cycle, close_cycle, open_cycle
from commands.digest import build_digest
from commands.history import live_metrics
from commands.schedule_rules import digest_cadence, measure_cadence
from commands.services import Services
from storage import cycles as store
from storage import outbox, schedules
from storage.events import forget_events_before
from storage.models import Cycle, DigestSchedule, MeasureSchedule, Stream
from storage.tenant import Tenant
from vsm.cadence import next_run
from vsm.errors import VsmError

log = logging.getLogger(__name__)

# Slack retries a delivery for about five minutes; a day of records is plenty.
EVENT_MEMORY = timedelta(days=1)


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    opened: int = 0
    reminded: int = 0
    closed: int = 0
    cancelled: int = 0
    digests: int = 0
    skipped: list[str] = field(default_factory=list)


def tenant_of_stream(stream: Stream) -> Tenant:
    return Tenant(team_id=stream.team_id, enterprise_id=stream.enterprise_id)


def dispatch_due(services: Services, now: datetime) -> TickReport:
    """Do everything that is due at `now`; messages go to the outbox for the sender."""
    report = TickReport()
    # Ended windows first: after downtime, a cycle whose window is over is closed without a
    # late reminder, and the stream's next cycle can open in this same tick.
    with services.unit_of_work() as session:
        to_close = schedules.cycles_to_close(session=session, now=now)
    for cycle_id in to_close:
        _guarded(_close_window, services, cycle_id, now, report)
    with services.unit_of_work() as session:
        due = schedules.due_measure_schedules(session=session, now=now)
    for schedule_id, seen in due:
        _guarded(_run_measurement, services, schedule_id, seen, now, report)
    with services.unit_of_work() as session:
        to_remind = schedules.cycles_to_remind(session=session, now=now)
    for cycle_id in to_remind:
        _guarded(_remind, services, cycle_id, now, report)
    with services.unit_of_work() as session:
        digests = schedules.due_digests(session=session, now=now)
    for schedule_id, seen in digests:
        _guarded(_run_digest, services, schedule_id, seen, now, report)
    with services.unit_of_work() as session:
        forget_events_before(session=session, before=now - EVENT_MEMORY)
    return report


def _guarded(work: Callable[..., None], *args: object) -> None:
    """One piece of due work; its failure is logged and never stops the others."""
    try:
        work(*args)
    except Exception:
        log.exception(
            "clock: %s%r failed; it will be tried again next tick", work.__name__, args[1:-1]
        )


def _run_measurement(
    services: Services, schedule_id: int, seen: datetime, now: datetime, report: TickReport
) -> None:
    try:
        with services.unit_of_work() as session:
            claimed = _claim_measurement(session, schedule_id, seen, now)
            stream = None if claimed is None else session.get(Stream, claimed.stream_id)
            if claimed is None or stream is None or stream.archived:
                return
            open_cycle(
                session,
                services,
                tenant_of_stream(stream),
                stream.name,
                opened_by="clock",
                window_s=claimed.window_s,
            )
            report.opened += 1
    except VsmError as error:
        # The run is spent either way (no retry every tick); the reason goes to the log.
        with services.unit_of_work() as session:
            _claim_measurement(session, schedule_id, seen, now)
        report.skipped.append(error.message)
        log.info("scheduled measurement %s skipped: %s", schedule_id, error.message)


def _claim_measurement(
    session: Session, schedule_id: int, seen: datetime, now: datetime
) -> MeasureSchedule | None:
    """Own the run `seen` of a schedule by moving it on to its first occurrence after now."""
    schedule = session.get(MeasureSchedule, schedule_id)
    if schedule is None:
        return None
    following = next_run(measure_cadence(schedule), anchor=schedule.anchor, after=now)
    return schedules.claim_measure_run(
        session=session, schedule_id=schedule_id, seen=seen, next_run_at=following
    )


def _remind(services: Services, cycle_id: int, now: datetime, report: TickReport) -> None:
    with services.unit_of_work() as session:
        if not schedules.claim_reminder(session=session, cycle_id=cycle_id, now=now):
            return
        cycle, stream = _cycle_and_stream(session, cycle_id)
        record = live_metrics(session, stream, cycle)[1]
        snapshot = store.cycle_steps(session=session, cycle_ids=[cycle_id])[cycle_id]
        answered = {step.position for step in record.steps if step.answers}
        owing = dict.fromkeys(
            person for step in snapshot if step.position not in answered for person in step.people
        )
        if not owing or not cycle.message_ts:
            return
        outbox.enqueue(
            session=session,
            tenant=tenant_of_stream(stream),
            key=f"cycle:{cycle_id}:reminder",
            kind="reminder",
            channel_id=cycle.channel_id,
            thread_ts=cycle.message_ts,
            payload=services.renderer.message(
                "reminder.json.j2",
                stream=stream.name,
                cycle=cycle,
                people=tuple(owing),
                missing=tuple(s for s in snapshot if s.position not in answered),
            ),
            now=now,
            cycle_id=cycle_id,
        )
        report.reminded += 1


def _close_window(services: Services, cycle_id: int, now: datetime, report: TickReport) -> None:
    with services.unit_of_work() as session:
        cycle, stream = _cycle_and_stream(session, cycle_id, for_update=True)
        if cycle.status != store.OPEN:
            return  # another clock closed it first
        tenant = tenant_of_stream(stream)
        if live_metrics(session, stream, cycle)[1].respondents:
            close_cycle(session, services, tenant, stream, closed_by="clock")
            report.closed += 1
            return
        cancel_cycle(session, tenant, stream)
        if cycle.message_ts:
            outbox.enqueue(
                session=session,
                tenant=tenant,
                key=f"cycle:{cycle_id}:expired",
                kind="cycle_expired",
                channel_id=cycle.channel_id,
                thread_ts=cycle.message_ts,
                payload=services.renderer.message(
                    "cycle_expired.json.j2", stream=stream.name, number=cycle.number
                ),
                now=now,
            )
        report.cancelled += 1


def _run_digest(
    services: Services, schedule_id: int, seen: datetime, now: datetime, report: TickReport
) -> None:
    with services.unit_of_work() as session:
        schedule = session.get(DigestSchedule, schedule_id)
        if schedule is None:
            return
        following = next_run(digest_cadence(schedule), anchor=schedule.anchor, after=now)
        claimed = schedules.claim_digest_run(
            session=session, schedule_id=schedule_id, seen=seen, next_run_at=following
        )
        if claimed is None:
            return
        tenant = Tenant(team_id=claimed.team_id, enterprise_id=claimed.enterprise_id)
        digest = build_digest(session, tenant, claimed.channel_id)
        outbox.enqueue(
            session=session,
            tenant=tenant,
            key=f"digest:{schedule_id}:{seen.isoformat()}",
            kind="digest",
            channel_id=claimed.channel_id,
            payload=services.renderer.message("digest.json.j2", digest=digest),
            now=now,
        )
        report.digests += 1


def _cycle_and_stream(
    session: Session, cycle_id: int, *, for_update: bool = False
) -> tuple[Cycle, Stream]:
    cycle = session.get(Cycle, cycle_id, with_for_update=for_update)
    stream = None if cycle is None else session.get(Stream, cycle.stream_id)
    if cycle is None or stream is None:
        raise CycleError(f"cycle {cycle_id} is gone")
    return cycle, stream
