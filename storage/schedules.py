"""Scheduled work: measurement and digest schedules, and cycle windows. Claimed by
compare-and-set, so two clocks running at once each take a piece of work at most once."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.cycles import OPEN
from storage.models import Cycle, DigestSchedule, MeasureSchedule, Stream
from storage.tenant import Tenant
from storage.types import rows_changed


def measure_schedule(*, session: Session, stream: Stream) -> MeasureSchedule | None:
    """The stream's schedule, if it has one."""
    query = select(MeasureSchedule).where(MeasureSchedule.stream_id == stream.id)
    return session.exec(query).first()


def save_measure_schedule(
    *, session: Session, stream: Stream, schedule: MeasureSchedule
) -> MeasureSchedule:
    """Set the stream's schedule, replacing any it had."""
    drop_measure_schedule(session=session, stream=stream)
    schedule.stream_id = stream.id or 0
    session.add(schedule)
    session.flush()
    return schedule


def drop_measure_schedule(*, session: Session, stream: Stream) -> bool:
    """Stop the stream's schedule; returns whether it had one."""
    existing = measure_schedule(session=session, stream=stream)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def measure_schedules_of(
    *, session: Session, stream_ids: Sequence[int]
) -> dict[int, MeasureSchedule]:
    """The schedules of several streams, by stream id, in one query."""
    if not stream_ids:
        return {}
    query = select(MeasureSchedule).where(col(MeasureSchedule.stream_id).in_(stream_ids))
    return {schedule.stream_id: schedule for schedule in session.exec(query).all()}


def due_measure_schedules(*, session: Session, now: datetime) -> list[tuple[int, datetime]]:
    """(id, next_run_at) of the measurement schedules whose time has come."""
    query = select(MeasureSchedule.id, MeasureSchedule.next_run_at).where(
        col(MeasureSchedule.next_run_at) <= now
    )
    return [(row[0] or 0, row[1]) for row in session.exec(query).all()]


def claim_measure_run(
    *, session: Session, schedule_id: int, seen: datetime, next_run_at: datetime
) -> MeasureSchedule | None:
    """Move a schedule on from `seen` to `next_run_at`, only if nobody else did: the caller
    then owns the run `seen` stands for. Returns the schedule, or None if the run was taken."""
    statement = (
        update(MeasureSchedule)
        .where(col(MeasureSchedule.id) == schedule_id, col(MeasureSchedule.next_run_at) == seen)
        .values(next_run_at=next_run_at)
    )
    if rows_changed(session, statement) != 1:
        return None
    return session.get(MeasureSchedule, schedule_id, populate_existing=True)


def stream_of_schedule(*, session: Session, schedule: MeasureSchedule) -> Stream | None:
    """The stream a schedule belongs to."""
    return session.get(Stream, schedule.stream_id)


def digest_schedule(*, session: Session, tenant: Tenant, channel_id: str) -> DigestSchedule | None:
    """A channel's digest schedule, if it has one."""
    query = select(DigestSchedule).where(
        DigestSchedule.enterprise_id == tenant.enterprise_id,
        DigestSchedule.team_id == tenant.team_id,
        DigestSchedule.channel_id == channel_id,
    )
    return session.exec(query).first()


def save_digest_schedule(
    *, session: Session, tenant: Tenant, schedule: DigestSchedule
) -> DigestSchedule:
    """Set a channel's digest schedule, replacing any it had."""
    drop_digest_schedule(session=session, tenant=tenant, channel_id=schedule.channel_id)
    schedule.enterprise_id, schedule.team_id = tenant.enterprise_id, tenant.team_id
    session.add(schedule)
    session.flush()
    return schedule


def drop_digest_schedule(*, session: Session, tenant: Tenant, channel_id: str) -> bool:
    """Stop a channel's digest; returns whether it had one."""
    existing = digest_schedule(session=session, tenant=tenant, channel_id=channel_id)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def due_digests(*, session: Session, now: datetime) -> list[tuple[int, datetime]]:
    """(id, next_run_at) of the digests whose time has come."""
    query = select(DigestSchedule.id, DigestSchedule.next_run_at).where(
        col(DigestSchedule.next_run_at) <= now
    )
    return [(row[0] or 0, row[1]) for row in session.exec(query).all()]


def claim_digest_run(
    *, session: Session, schedule_id: int, seen: datetime, next_run_at: datetime
) -> DigestSchedule | None:
    """As `claim_measure_run`, for a digest."""
    statement = (
        update(DigestSchedule)
        .where(col(DigestSchedule.id) == schedule_id, col(DigestSchedule.next_run_at) == seen)
        .values(next_run_at=next_run_at)
    )
    if rows_changed(session, statement) != 1:
        return None
    return session.get(DigestSchedule, schedule_id, populate_existing=True)


def cycles_to_remind(*, session: Session, now: datetime) -> list[int]:
    """Open cycles past 80% of their window that have not had their reminder."""
    query = select(Cycle.id).where(
        Cycle.status == OPEN,
        col(Cycle.remind_at) <= now,
        col(Cycle.reminded_at).is_(None),
    )
    return [cycle_id for cycle_id in session.exec(query).all() if cycle_id is not None]


def claim_reminder(*, session: Session, cycle_id: int, now: datetime) -> bool:
    """Take a cycle's one reminder, compare-and-set."""
    statement = (
        update(Cycle)
        .where(
            col(Cycle.id) == cycle_id, col(Cycle.reminded_at).is_(None), col(Cycle.status) == OPEN
        )
        .values(reminded_at=now)
    )
    return rows_changed(session, statement) == 1


def cycles_to_close(*, session: Session, now: datetime) -> list[int]:
    """Open cycles whose window has ended."""
    query = select(Cycle.id).where(Cycle.status == OPEN, col(Cycle.closes_at) <= now)
    return [cycle_id for cycle_id in session.exec(query).all() if cycle_id is not None]
