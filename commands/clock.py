"""The clock's work: due measurements, reminders, window ends and digests.

Each piece of due work is claimed (a row lock others skip, plus compare-and-set) and done in
the claim's transaction, so any number of clocks at once share the work and do everything
once; a clock that was down catches up with one run per schedule, because a schedule moves on
to its first occurrence after now.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from commands.cycles import (
    CycleError,
    cancel_open_cycle,
    close_open_cycle,
    open_cycle,
)
from commands.digest import Digest, build_digest
from commands.pictures import queue_digest_picture
from commands.queue import queue_message
from commands.services import Services
from storage import claims
from storage import cycles as cycle_rows
from storage import schedules as schedule_rows
from storage.events import forget_events_before
from storage.history import live_metrics
from storage.models import Cycle, CycleStep, MeasureSchedule, Stream
from storage.replays import forget_signatures_before
from storage.schedules import Due
from storage.tenant import Tenant
from storage.types import id_of
from vsm.cadence import next_run
from vsm.errors import VsmError

log = logging.getLogger(__name__)

# Slack retries a delivery for about five minutes; a day of records is plenty.
EVENT_MEMORY = timedelta(days=1)
# A signed request is accepted for five minutes: a signature older than that cannot come back.
SIGNATURE_MEMORY = timedelta(minutes=10)


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    opened: int = 0
    reminded: int = 0
    closed: int = 0
    cancelled: int = 0
    digests: int = 0
    skipped: list[str] = field(default_factory=list)
    # Streams whose cycle opened, closed or was cancelled: their people's Home tabs change.
    touched: list[tuple[Tenant, str]] = field(default_factory=list)


# ---- messages the clock queues (each shown by the template named after it) ------------------


@dataclass(frozen=True)
class Reminder:
    """The one reminder at 80% of a cycle's window, to those who still owe answers."""

    stream: str
    cycle: Cycle
    people: tuple[str, ...]
    missing: tuple[CycleStep, ...]


@dataclass(frozen=True)
class CycleExpired:
    """A cycle whose window ended with no answers: cancelled."""

    stream: str
    number: int


# One piece of due work, done in the transaction that claimed it.
Work = Callable[[Session, Services, Due, datetime, TickReport], None]


def dispatch_due(services: Services, now: datetime) -> TickReport:
    """Do everything that is due at `now`; messages go to the outbox for the sender.

    Safe to run in any number of clocks at once: each piece of work is claimed by one of them
    (storage/claims.py) and done in the claim's transaction.
    """
    report = TickReport()
    # Ended windows first: after downtime, a cycle whose window is over is closed without a
    # late reminder, and the stream's next cycle can open in this same tick.
    _drain(services, claims.next_cycle_to_close, _close_window, now, report)
    _drain(services, claims.next_measurement, _run_measurement, now, report)
    _drain(services, claims.next_cycle_to_remind, _remind, now, report)
    _drain(services, claims.next_digest, _run_digest, now, report)
    with services.unit_of_work() as session:
        forget_events_before(session=session, before=now - EVENT_MEMORY)
        forget_signatures_before(session=session, before=now - SIGNATURE_MEMORY)
    return report


def _drain(
    services: Services,
    claim: Callable[..., Due | None],
    work: Work,
    now: datetime,
    report: TickReport,
) -> None:
    """Claim and do one piece of due work at a time until none is left for this clock.

    A piece that fails is logged, left due for the next tick, and not taken again in this one;
    its failure never stops the others.
    """
    failed: set[int] = set()
    done: set[int] = set()
    while True:
        due: Due | None = None
        try:
            with services.unit_of_work() as session:
                due = claim(session=session, now=now, skip=failed)
                if due is None:
                    return
                if due.id in done:
                    # Done, yet still due: a bug in `work`; never loop on it.
                    raise RuntimeError(f"{work.__name__} left {due.id} due")
                work(session, services, due, now, report)
            done.add(due.id)
        except Exception:
            if due is None:
                raise  # the claim itself failed: the database is away; the tick says so
            failed.add(due.id)
            log.exception(
                "clock: %s(%s, %s) failed; it will be tried again next tick",
                work.__name__,
                due.tenant.team_id,
                due.id,
            )


def _run_measurement(
    session: Session, services: Services, due: Due, now: datetime, report: TickReport
) -> None:
    claimed = _claim_measurement(session, due, now)
    if claimed is None or claimed[1].archived:
        return
    schedule, stream = claimed
    try:
        with session.begin_nested():
            open_cycle(
                session, services, due.tenant, stream, opened_by="clock", window_s=schedule.window_s
            )
    except VsmError as error:
        # The run is spent either way (no retry every tick); the reason goes to the log.
        report.skipped.append(error.message)
        log.info("scheduled measurement %s skipped: %s", due.id, error.message)
        return
    report.opened += 1
    report.touched.append((due.tenant, stream.name))


def _claim_measurement(
    session: Session, due: Due, now: datetime
) -> tuple[MeasureSchedule, Stream] | None:
    """Own the run `due.seen` of a schedule by moving it on to its first occurrence after now.

    Compare-and-set besides the row lock: a clock of an older release, running beside this one
    during a deploy, claims that way.
    """
    schedule = schedule_rows.schedule_of_due(session=session, tenant=due.tenant, schedule_id=due.id)
    if schedule is None or due.seen is None:
        return None
    following = next_run(schedule_rows.measure_cadence(schedule), anchor=schedule.anchor, after=now)
    return schedule_rows.claim_measure_run(
        session=session, tenant=due.tenant, schedule_id=due.id, seen=due.seen, next_run_at=following
    )


def _remind(
    session: Session, services: Services, due: Due, now: datetime, report: TickReport
) -> None:
    tenant = due.tenant
    if not schedule_rows.claim_reminder(session=session, tenant=tenant, cycle_id=due.id, now=now):
        return
    cycle, stream = _cycle_and_stream(session, tenant, due.id)
    record = live_metrics(session=session, tenant=tenant, stream=stream, cycle=cycle)[1]
    snapshot = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=[due.id])
    answered = {step.position for step in record.steps if step.answers}
    owing = dict.fromkeys(
        person
        for step in snapshot[due.id]
        if step.position not in answered
        for person in step.people
    )
    if not owing or not cycle.message_ts:
        return
    queue_message(
        session,
        services,
        tenant,
        key=f"cycle:{due.id}:reminder",
        kind="reminder",
        channel_id=cycle.channel_id,
        thread_ts=cycle.message_ts,
        message=Reminder(
            stream.name,
            cycle,
            tuple(owing),
            tuple(s for s in snapshot[due.id] if s.position not in answered),
        ),
        cycle_id=due.id,
    )
    report.reminded += 1


def _close_window(
    session: Session, services: Services, due: Due, now: datetime, report: TickReport
) -> None:
    tenant = due.tenant
    cycle, stream = _cycle_and_stream(session, tenant, due.id, for_update=True)
    if cycle.status != cycle_rows.OPEN:
        return  # another clock closed it first
    if live_metrics(session=session, tenant=tenant, stream=stream, cycle=cycle)[1].respondents:
        close_open_cycle(session, services, tenant, stream, closed_by="clock")
        report.closed += 1
        report.touched.append((tenant, stream.name))
        return
    cancel_open_cycle(session, tenant, stream)
    if cycle.message_ts:
        queue_message(
            session,
            services,
            tenant,
            key=f"cycle:{id_of(cycle)}:expired",
            kind="cycle_expired",
            channel_id=cycle.channel_id,
            thread_ts=cycle.message_ts,
            message=CycleExpired(stream.name, cycle.number),
        )
    report.cancelled += 1
    report.touched.append((tenant, stream.name))


def _run_digest(
    session: Session, services: Services, due: Due, now: datetime, report: TickReport
) -> None:
    tenant = due.tenant
    schedule = schedule_rows.digest_schedule_by_id(
        session=session, tenant=tenant, schedule_id=due.id
    )
    if schedule is None or due.seen is None:
        return
    following = next_run(schedule_rows.digest_cadence(schedule), anchor=schedule.anchor, after=now)
    claimed = schedule_rows.claim_digest_run(
        session=session, tenant=tenant, schedule_id=due.id, seen=due.seen, next_run_at=following
    )
    if claimed is None:
        return
    digest = build_digest(session, tenant, claimed.channel_id)
    key = f"digest:{due.id}:{due.seen.isoformat()}"
    queue_message(
        session,
        services,
        tenant,
        key=key,
        kind="digest",
        channel_id=claimed.channel_id,
        message=Digest(digest),
    )
    queue_digest_picture(session, services, tenant, claimed.channel_id, key=f"{key}:picture")
    report.digests += 1


def _cycle_and_stream(
    session: Session, tenant: Tenant, cycle_id: int, *, for_update: bool = False
) -> tuple[Cycle, Stream]:
    found = cycle_rows.cycle_by_id(
        session=session, tenant=tenant, cycle_id=cycle_id, for_update=for_update
    )
    if found is None:
        raise CycleError(f"cycle {cycle_id} is gone")
    return found
