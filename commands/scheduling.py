"""`/vsm schedule` (re-measure a stream on a cadence) and `/vsm digest` (weekly channel news)."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from commands.digest import build_digest
from commands.lookup import find_stream
from commands.schedule_rules import digest_cadence
from commands.services import Services
from commands.slash import Call, Reply, ephemeral
from storage import outbox, schedules
from storage.models import DigestSchedule, MeasureSchedule
from storage.tenant import Tenant
from vsm.cadence import Cadence, next_run, parse_schedule_words, parse_zone
from vsm.durations import CALENDAR, parse_duration
from vsm.errors import VsmError

log = logging.getLogger(__name__)

DEFAULT_AT = time(9, 0)
DEFAULT_WINDOW_S = 3 * 24 * 3600
MONDAY = 0


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


def person_zone(services: Services, user_id: str) -> str | None:
    """The time zone Slack has for a person, or None if Slack does not say."""
    if services.slack is None:
        return None
    try:
        user = services.slack.users_info(user=user_id).get("user") or {}
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("users.info for %s failed: %s", user_id, error)
        return None
    try:
        return parse_zone(str(user.get("tz") or ""))
    except VsmError:
        return None


def _zone(given: str | None, fallback: str | None) -> str:
    return parse_zone(given) if given else (fallback or "UTC")


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
    session: Session,
    tenant: Tenant,
    name: str,
    words: str,
    *,
    window: str | None,
    zone: str,
    user: str,
    now: datetime,
) -> ScheduleView:
    """Re-measure a stream every n days or weeks; replaces its schedule if it had one.

    Raises:
        CadenceError, DurationError, VsmError: the words, window or zone cannot be read, or
        the window is not shorter than the period.
    """
    stream = find_stream(session, tenant, name, active=True)
    said = parse_schedule_words(words.split())
    window_s = DEFAULT_WINDOW_S if window is None else parse_duration(window, CALENDAR)
    cadence = Cadence(said.every, said.unit, said.weekday, said.at or DEFAULT_AT, zone)
    if not 600 <= window_s < cadence.period_days * 86400:
        raise VsmError(
            "window: must be at least 10 minutes and shorter than the time between "
            "measurements, so one cycle closes before the next opens."
        )
    anchor = _local_today(now, zone)
    schedule = schedules.save_measure_schedule(
        session=session,
        stream=stream,
        schedule=MeasureSchedule(
            stream_id=stream.id or 0,
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
    return _view(stream.name, schedule)


def show_schedule(session: Session, tenant: Tenant, name: str) -> tuple[str, ScheduleView | None]:
    """A stream's schedule, if it has one (and the stream's name)."""
    stream = find_stream(session, tenant, name)
    schedule = schedules.measure_schedule(session=session, stream=stream)
    return stream.name, None if schedule is None else _view(stream.name, schedule)


def stop_schedule(session: Session, tenant: Tenant, name: str) -> tuple[str, bool]:
    """Stop re-measuring a stream; returns its name and whether it had a schedule."""
    stream = find_stream(session, tenant, name)
    return stream.name, schedules.drop_measure_schedule(session=session, stream=stream)


def set_digest(
    session: Session,
    tenant: Tenant,
    channel_id: str,
    words: str,
    *,
    zone: str,
    user: str,
    now: datetime,
) -> DigestView:
    """Post this channel's digest every week; replaces its schedule if it had one."""
    said = parse_schedule_words(words.split())
    if (said.every, said.unit) != (1, "weeks"):
        raise VsmError("The digest is weekly: `/vsm digest weekly [on <weekday>] [at HH:MM]`.")
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
    schedule.next_run_at = next_run(digest_cadence(schedule), anchor=anchor, after=now)
    saved = schedules.save_digest_schedule(session=session, tenant=tenant, schedule=schedule)
    return DigestView(
        channel_id,
        saved.weekday,
        saved.at_time,
        zone,
        saved.next_run_at,
        saved.next_run_at.astimezone(ZoneInfo(zone)),
    )


def handle_schedule(call: Call) -> Reply:
    services, req = call.services, call.request
    words = str(call.args.get("when", "")).strip()
    renderer = services.renderer
    if not words:
        with services.unit_of_work() as session:
            name, view = show_schedule(session, req.tenant, call.args["stream"])
        return ephemeral(
            renderer.message("schedule_shown.json.j2", stream=name, schedule=view, basis=CALENDAR)
        )
    if words.lower() == "off":
        with services.unit_of_work() as session:
            name, had = stop_schedule(session, req.tenant, call.args["stream"])
        return ephemeral(renderer.message("schedule_off.json.j2", stream=name, had=had))
    zone = _zone(
        call.options.get("tz"),
        None if call.options.get("tz") else person_zone(services, req.user_id),
    )
    with services.unit_of_work() as session:
        view = set_schedule(
            session,
            req.tenant,
            call.args["stream"],
            words,
            window=call.options.get("window"),
            zone=zone,
            user=req.user_id,
            now=services.now(),
        )
    return ephemeral(renderer.message("schedule_set.json.j2", schedule=view, basis=CALENDAR))


def handle_digest(call: Call) -> Reply:
    services, req = call.services, call.request
    words = str(call.args.get("when", "")).strip()
    first = words.split()[0].lower() if words else ""
    if first == "off":
        with services.unit_of_work() as session:
            had = schedules.drop_digest_schedule(
                session=session, tenant=req.tenant, channel_id=req.channel_id
            )
        return ephemeral(services.renderer.message("digest_off.json.j2", had=had))
    if first == "now":
        return _digest_now(call)
    if first != "weekly":
        raise VsmError("Say `weekly`, `off` or `now` after `/vsm digest`.")
    zone = _zone(
        call.options.get("tz"),
        None if call.options.get("tz") else person_zone(services, req.user_id),
    )
    with services.unit_of_work() as session:
        view = set_digest(
            session,
            req.tenant,
            req.channel_id,
            words,
            zone=zone,
            user=req.user_id,
            now=services.now(),
        )
    return ephemeral(services.renderer.message("digest_set.json.j2", digest=view))


def _digest_now(call: Call) -> Reply:
    services, req = call.services, call.request
    now = services.now()
    with services.unit_of_work() as session:
        digest = build_digest(session, req.tenant, req.channel_id)
        message = outbox.enqueue(
            session=session,
            tenant=req.tenant,
            key=f"digest:now:{req.channel_id}:{now.isoformat()}",
            kind="digest",
            channel_id=req.channel_id,
            payload=services.renderer.message("digest.json.j2", digest=digest),
            now=now,
        )
        session.flush()
        message_id = message.id or 0
    services.deliverer.deliver([message_id])
    return ephemeral(services.renderer.message("digest_now.json.j2", count=len(digest.streams)))
