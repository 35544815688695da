"""Schedule rows as the vsm core's cadences."""

from datetime import time

from storage.models import DigestSchedule, MeasureSchedule
from vsm.cadence import Cadence


def clock_time(text: str) -> time:
    """A stored `HH:MM` as a time of day."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def measure_cadence(schedule: MeasureSchedule) -> Cadence:
    at = clock_time(schedule.at_time)
    if schedule.unit == "weeks":
        return Cadence(schedule.every, "weeks", schedule.weekday, at, schedule.zone)
    return Cadence(schedule.every, "days", None, at, schedule.zone)


def digest_cadence(schedule: DigestSchedule) -> Cadence:
    return Cadence(1, "weeks", schedule.weekday, clock_time(schedule.at_time), schedule.zone)
