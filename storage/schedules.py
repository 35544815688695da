"""Scheduled work: measurement and digest schedules, and cycle windows. A run is claimed by
compare-and-set, so clocks running at once each take a piece of work at most once.

The clock's look for due work spans every workspace (storage/claims.py): it returns the
workspace with every id, and everything after that is scoped to it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from storage.cycles import OPEN
from storage.models import Cycle, DigestSchedule, MeasureSchedule, Stream
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import rows_changed
from vsm.cadence import Cadence


@dataclass(frozen=True)
class Due:
    """A piece of due work: whose it is, which row, and the run time it was seen with."""

    tenant: Tenant
    id: int
    seen: datetime | None = None


# ---- rows as cadences ------------------------------------------------------------------------


def clock_time(text: str) -> time:
    """A stored `HH:MM` as a time of day."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def measure_cadence(schedule: MeasureSchedule) -> Cadence:
    """A measurement schedule's cadence."""
    at = clock_time(schedule.at_time)
    if schedule.unit == "weeks":
        return Cadence(schedule.every, "weeks", schedule.weekday, at, schedule.zone)
    return Cadence(schedule.every, "days", None, at, schedule.zone)


def digest_cadence(schedule: DigestSchedule) -> Cadence:
    """A digest's cadence: weekly, on its weekday and time."""
    return Cadence(1, "weeks", schedule.weekday, clock_time(schedule.at_time), schedule.zone)


# ---- measurement schedules -------------------------------------------------------------------


def measure_schedule(*, session: Session, tenant: Tenant, stream: Stream) -> MeasureSchedule | None:
    """The stream's schedule, if it has one."""
    query = select(MeasureSchedule).where(MeasureSchedule.stream_id == check_stream(stream, tenant))
    return session.exec(query).first()


def save_measure_schedule(
    *, session: Session, tenant: Tenant, stream: Stream, schedule: MeasureSchedule
) -> MeasureSchedule:
    """Set the stream's schedule, replacing any it had."""
    drop_measure_schedule(session=session, tenant=tenant, stream=stream)
    schedule.stream_id = check_stream(stream, tenant)
    session.add(schedule)
    session.flush()
    return schedule


def drop_measure_schedule(*, session: Session, tenant: Tenant, stream: Stream) -> bool:
    """Stop the stream's schedule; returns whether it had one."""
    existing = measure_schedule(session=session, tenant=tenant, stream=stream)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def measure_schedules_of(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, MeasureSchedule]:
    """The schedules of several streams, by stream id, in one query."""
    ids = [check_stream(stream, tenant) for stream in streams]
    if not ids:
        return {}
    query = select(MeasureSchedule).where(col(MeasureSchedule.stream_id).in_(ids))
    return {schedule.stream_id: schedule for schedule in session.exec(query).all()}


def claim_measure_run(
    *, session: Session, tenant: Tenant, schedule_id: int, seen: datetime, next_run_at: datetime
) -> tuple[MeasureSchedule, Stream] | None:
    """Move a schedule on from `seen` to `next_run_at`, only if nobody else did: the caller
    then owns the run `seen` stands for. Returns the schedule and its stream, or None if the
    run was taken (or the schedule is not the tenant's)."""
    found = session.exec(
        select(MeasureSchedule, Stream)
        .join(Stream, col(Stream.id) == MeasureSchedule.stream_id)
        .where(
            MeasureSchedule.id == schedule_id,
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
    ).first()
    if found is None:
        return None
    statement = (
        update(MeasureSchedule)
        .where(col(MeasureSchedule.id) == schedule_id, col(MeasureSchedule.next_run_at) == seen)
        .values(next_run_at=next_run_at)
    )
    if rows_changed(session, statement) != 1:
        return None
    session.refresh(found[0])
    return found[0], found[1]


def schedule_of_due(
    *, session: Session, tenant: Tenant, schedule_id: int
) -> MeasureSchedule | None:
    """A measurement schedule of `tenant` by id (to work out its next run before claiming)."""
    query = (
        select(MeasureSchedule)
        .join(Stream, col(Stream.id) == MeasureSchedule.stream_id)
        .where(
            MeasureSchedule.id == schedule_id,
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
    )
    return session.exec(query).first()


# ---- digests ---------------------------------------------------------------------------------


def digest_schedule(*, session: Session, tenant: Tenant, channel_id: str) -> DigestSchedule | None:
    """A channel's digest schedule, if it has one."""
    query = select(DigestSchedule).where(
        DigestSchedule.enterprise_id == tenant.enterprise_id,
        DigestSchedule.team_id == tenant.team_id,
        DigestSchedule.channel_id == channel_id,
    )
    return session.exec(query).first()


def digest_schedule_by_id(
    *, session: Session, tenant: Tenant, schedule_id: int
) -> DigestSchedule | None:
    """A digest schedule of `tenant` by id (from the session when it holds it already)."""
    schedule = session.get(DigestSchedule, schedule_id)
    if schedule is None or (schedule.enterprise_id, schedule.team_id) != (
        tenant.enterprise_id,
        tenant.team_id,
    ):
        return None
    return schedule


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


def claim_digest_run(
    *, session: Session, tenant: Tenant, schedule_id: int, seen: datetime, next_run_at: datetime
) -> DigestSchedule | None:
    """As `claim_measure_run`, for a digest."""
    statement = (
        update(DigestSchedule)
        .where(
            col(DigestSchedule.id) == schedule_id,
            col(DigestSchedule.next_run_at) == seen,
            col(DigestSchedule.enterprise_id) == tenant.enterprise_id,
            col(DigestSchedule.team_id) == tenant.team_id,
        )
        .values(next_run_at=next_run_at)
    )
    if rows_changed(session, statement) != 1:
        return None
    schedule = session.get(DigestSchedule, schedule_id)
    if schedule is not None:  # as the UPDATE left it, without reading it again
        set_committed_value(schedule, "next_run_at", next_run_at)
    return schedule


# ---- cycle windows ---------------------------------------------------------------------------


def claim_reminder(*, session: Session, tenant: Tenant, cycle_id: int, now: datetime) -> bool:
    """Take a cycle's one reminder, compare-and-set."""
    owned = (
        select(Cycle.id)
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .where(
            Cycle.id == cycle_id,
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
    )
    statement = (
        update(Cycle)
        .where(
            col(Cycle.id).in_(owned),
            col(Cycle.reminded_at).is_(None),
            col(Cycle.status) == OPEN,
        )
        .values(reminded_at=now)
    )
    return rows_changed(session, statement) == 1
