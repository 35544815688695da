"""`/vsm schedule` (re-measure a stream on a cadence) and `/vsm digest` (weekly channel news)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.access import NotAllowed, changeable_stream, may_change, readable_stream
from commands.digest import ChannelDigest, Digest, build_digest
from commands.owners import log_change
from commands.queue import queue_message
from commands.services import Services
from storage import owners as owner_rows
from storage import schedules as schedule_rows
from storage import streams as stream_rows
from storage.models import DigestSchedule, MeasureSchedule
from storage.tenant import Tenant
from vsm.cadence import Cadence, next_run
from vsm.durations import CALENDAR, Span, TimeBasis, format_duration
from vsm.errors import VsmError
from vsm.schedule_words import ScheduleWords, parse_zone

DEFAULT_AT = time(9, 0)
DEFAULT_WINDOW_S = 3 * 24 * 3600
MONDAY = 0
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ScheduleView:
    stream: str
    every: int
    unit: str
    weekday: int | None
    at: str
    zone: str
    window_s: int
    next_run_at: datetime
    next_local: datetime


@dataclass(frozen=True)
class DigestView:
    channel_id: str
    weekday: int
    at: str
    zone: str
    next_run_at: datetime
    next_local: datetime


# ---- replies (each shown by the template named after it) -------------------------------------


@dataclass(frozen=True)
class ScheduleShown:
    stream: str
    schedule: ScheduleView | None
    basis: TimeBasis = CALENDAR


@dataclass(frozen=True)
class ScheduleSet:
    schedule: ScheduleView
    basis: TimeBasis = CALENDAR


@dataclass(frozen=True)
class ScheduleOff:
    stream: str
    had: bool


@dataclass(frozen=True)
class DigestSet:
    digest: DigestView


@dataclass(frozen=True)
class DigestOff:
    had: bool


@dataclass(frozen=True)
class DigestNow:
    count: int
    posted: bool = True  # False: queued, Slack has not taken it yet


# ---- use cases -------------------------------------------------------------------------------


def zone_for(services: Services, tenant: Tenant, given: str | None, user_id: str) -> str:
    """The zone a schedule runs in: the one given, else the person's in Slack, else UTC."""
    if given:
        return given
    found = services.slack.user_time_zone(tenant, user_id) if services.slack else None
    try:
        return parse_zone(found) if found else "UTC"
    except VsmError:
        return "UTC"  # a zone Slack knows but the tz database here does not


def _local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def _view(stream: str, schedule: MeasureSchedule) -> ScheduleView:
    return ScheduleView(
        stream,
        schedule.every,
        schedule.unit,
        schedule.weekday,
        schedule.at_time,
        schedule.zone,
        schedule.window_s,
        schedule.next_run_at,
        schedule.next_run_at.astimezone(ZoneInfo(schedule.zone)),
    )


def set_schedule(
    services: Services,
    tenant: Tenant,
    name: str,
    said: ScheduleWords,
    *,
    window: Span | None,
    zone: str,
    user: str,
) -> ScheduleSet:
    """Re-measure a stream every n days or weeks; replaces its schedule if it had one.

    Raises:
        DurationError, VsmError: the window is too long, or not shorter than the period.
        NotAllowed: `user` may not change the stream.
    """
    now = services.now()
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, name, user, "change its schedule", active=True
        )
        old = schedule_rows.measure_schedule(session=session, tenant=tenant, stream=stream)
        before = None if old is None else _said(old)
        window_s = DEFAULT_WINDOW_S if window is None else window.seconds(CALENDAR)
        cadence = Cadence(said.every, said.unit, said.weekday, said.at or DEFAULT_AT, zone)
        if not 600 <= window_s < cadence.period_days * 86400:
            raise VsmError(
                "window: must be at least 10 minutes and shorter than the time between "
                "measurements, so one cycle closes before the next opens."
            )
        anchor = _local_today(now, zone)
        schedule = schedule_rows.save_measure_schedule(
            session=session,
            tenant=tenant,
            stream=stream,
            schedule=MeasureSchedule(
                stream_id=stream_rows.check_stream(stream, tenant),
                every=cadence.every,
                unit=cadence.unit,
                weekday=cadence.weekday,
                at_time=cadence.at.strftime("%H:%M"),
                zone=zone,
                anchor=anchor,
                window_s=window_s,
                next_run_at=next_run(cadence, anchor=anchor, after=now),
                created_by=user,
                created_at=now,
            ),
        )
        log_change(
            session,
            services,
            tenant,
            stream,
            user,
            "schedule.set",
            before=before,
            after=_said(schedule),
        )
        return ScheduleSet(_view(stream.name, schedule))


def _said(schedule: MeasureSchedule) -> str:
    """A schedule as the history writes it: `every 2 weeks on Mon at 09:00 Europe/Berlin`."""
    on = f" on {DAY_NAMES[schedule.weekday]}" if schedule.weekday is not None else ""
    return (
        f"every {schedule.every} {schedule.unit}{on} at {schedule.at_time} {schedule.zone}, "
        f"window {format_duration(schedule.window_s, CALENDAR)}"
    )


def show_schedule(services: Services, tenant: Tenant, name: str, *, by: str) -> ScheduleShown:
    """A stream's schedule, if it has one."""
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, by)
        schedule = schedule_rows.measure_schedule(session=session, tenant=tenant, stream=stream)
        return ScheduleShown(
            stream.name, None if schedule is None else _view(stream.name, schedule)
        )


def stop_schedule(services: Services, tenant: Tenant, name: str, *, by: str) -> ScheduleOff:
    """Stop re-measuring a stream."""
    with services.unit_of_work() as session:
        stream = changeable_stream(session, services, tenant, name, by, "change its schedule")
        old = schedule_rows.measure_schedule(session=session, tenant=tenant, stream=stream)
        before = None if old is None else _said(old)
        had = schedule_rows.drop_measure_schedule(session=session, tenant=tenant, stream=stream)
        if had:
            log_change(session, services, tenant, stream, by, "schedule.off", before=before)
        return ScheduleOff(stream.name, had)


def set_digest(
    services: Services,
    tenant: Tenant,
    channel_id: str,
    said: ScheduleWords,
    *,
    zone: str,
    user: str,
) -> DigestSet:
    """Post this channel's digest every week; replaces its schedule if it had one."""
    now = services.now()
    anchor = _local_today(now, zone)
    schedule = DigestSchedule(
        team_id=tenant.team_id,
        channel_id=channel_id,
        weekday=MONDAY if said.weekday is None else said.weekday,
        at_time=(said.at or DEFAULT_AT).strftime("%H:%M"),
        zone=zone,
        anchor=anchor,
        next_run_at=now,
        created_by=user,
        created_at=now,
    )
    schedule.next_run_at = next_run(
        schedule_rows.digest_cadence(schedule), anchor=anchor, after=now
    )
    with services.unit_of_work() as session:
        _require_channel_settings(session, services, tenant, channel_id, user)
        saved = schedule_rows.save_digest_schedule(
            session=session, tenant=tenant, schedule=schedule
        )
        return DigestSet(
            DigestView(
                channel_id,
                saved.weekday,
                saved.at_time,
                zone,
                saved.next_run_at,
                saved.next_run_at.astimezone(ZoneInfo(zone)),
            )
        )


def stop_digest(services: Services, tenant: Tenant, channel_id: str, *, by: str) -> DigestOff:
    """Stop this channel's digest."""
    with services.unit_of_work() as session:
        _require_channel_settings(session, services, tenant, channel_id, by)
        return DigestOff(
            schedule_rows.drop_digest_schedule(
                session=session, tenant=tenant, channel_id=channel_id
            )
        )


def _require_channel_settings(
    session: Session, services: Services, tenant: Tenant, channel_id: str, user: str
) -> None:
    """A channel's digest belongs to the owners of the streams homed there (and the admins);
    a channel where no stream lives has nothing to guard.

    Raises:
        NotAllowed: `user` owns none of the streams homed in the channel and is no admin.
    """
    homed = stream_rows.streams_in_channel(session=session, tenant=tenant, channel_id=channel_id)
    if not homed or any(may_change(session, services, tenant, s, user) for s in homed):
        return
    owners = owner_rows.owners_of_streams(session=session, tenant=tenant, streams=homed)
    everyone = tuple(dict.fromkeys(user for users in owners.values() for user in users))
    raise NotAllowed(", ".join(s.name for s in homed), "change this channel's digest", everyone)


def digest_now(services: Services, tenant: Tenant, channel_id: str) -> DigestNow:
    """Post this channel's digest now (it goes through the outbox like every digest)."""
    now = services.now()
    with services.unit_of_work() as session:
        digest: ChannelDigest = build_digest(session, tenant, channel_id)
        message_id = queue_message(
            session,
            services,
            tenant,
            key=f"digest:now:{channel_id}:{now.isoformat()}",
            kind="digest",
            channel_id=channel_id,
            message=Digest(digest),
        )
    deliveries = services.deliverer.deliver([message_id])
    return DigestNow(len(digest.streams), posted=any(d.sent for d in deliveries))
