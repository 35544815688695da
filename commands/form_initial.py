"""What the schedule and target forms show filled in: the stream's settings as they are now,
written the way the form reads them back (so saving unchanged stores the same)."""

from sqlmodel import Session

from storage import kaizen as kaizen_rows
from storage import schedules as schedule_rows
from storage.models import Stream
from storage.streams import basis_of
from storage.tenant import Tenant
from vsm.durations import CALENDAR, format_exact
from vsm.percent import EXACT_PLACES, format_percent

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def current_settings(session: Session, tenant: Tenant, stream: Stream, kind: str) -> dict[str, str]:
    """The form's fields by block id for what `stream` has now ({} if it has nothing)."""
    if kind == "schedule":
        schedule = schedule_rows.measure_schedule(session=session, tenant=tenant, stream=stream)
        if schedule is None:
            return {}
        return {
            "every": str(schedule.every),
            "unit": schedule.unit,
            "weekday": "" if schedule.weekday is None else WEEKDAYS[schedule.weekday],
            "at": schedule.at_time,
            "window": format_exact(schedule.window_s, CALENDAR),  # a window counts calendar time
            "tz": schedule.zone,
        }
    if kind == "target":
        target = kaizen_rows.target_of(session=session, tenant=tenant, stream=stream)
        if target is None:
            return {}
        return {
            "lead": "" if target.lead_s is None else format_exact(target.lead_s, basis_of(stream)),
            "ratio": "" if target.ratio is None else format_percent(target.ratio, EXACT_PLACES),
            "ca": "" if target.ca is None else format_percent(target.ca, EXACT_PLACES),
            "by": "" if target.by_date is None else target.by_date.isoformat(),
        }
    return {}
