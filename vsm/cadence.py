"""When scheduled work runs: every n days or weeks, at a local wall-clock time in a time zone.

A cadence's occurrences are the local dates `first + k × period` (k = 0, 1, 2, …), where
`first` is the anchor date, or for weeks on a weekday the first such weekday on or after the
anchor. Each runs at the first instant at which the local clock in the cadence's zone shows
that date and the wall-clock time `at` or later. So daylight saving never moves a run off its
local time (09:00 stays 09:00; the UTC instant moves instead), and where that time does not
exist or happens twice:

- a time in a spring-forward gap (02:30 in Berlin on the last Sunday of March) runs at the
  first instant after the gap (03:00), as cron does: as close to the intended time as the
  clock allows, and never before it;
- a time that happens twice at fall-back (02:30 in Berlin on the last Sunday of October) runs
  once, at its first occurrence.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import floor
from zoneinfo import ZoneInfo

from vsm.schedule_words import (
    MOST_EVERY,
    ZONE_FORMS,
    CadenceError,
    Unit,
    check_every,
    known_zones,
)


@dataclass(frozen=True)
class Cadence:
    """How often and when something runs: every `every` days or weeks, at `at` in `zone`.

    `weekday` (0 = Monday) is for weeks only; a weekly cadence without one runs on its
    anchor's weekday. `zone` is an IANA name as `parse_zone` returns it.

    Raises:
        CadenceError: every out of range, an unknown unit or zone, a weekday with days, or an
            `at` that carries a time zone.
    """

    every: int
    unit: Unit
    weekday: int | None
    at: time
    zone: str

    def __post_init__(self) -> None:
        said = f"every {self.every} {self.unit}"
        if self.unit not in MOST_EVERY:
            raise CadenceError(said, "weeks or days?")
        if isinstance(self.every, bool) or not isinstance(self.every, int):
            raise CadenceError(said, "write how many as a whole number.")
        check_every(self.every, self.unit, said)
        if self.weekday is not None and self.unit == "days":
            raise CadenceError(said, "a weekday goes only with weeks.")
        if self.weekday is not None and self.weekday not in range(7):
            raise CadenceError(f"{self.weekday}", "a weekday is 0 (Monday) to 6 (Sunday).")
        if self.at.tzinfo is not None:
            raise CadenceError(f"{self.at}", "the time of day takes its zone from `zone`.")
        if known_zones().get(self.zone.lower()) != self.zone:
            raise CadenceError(self.zone, "that is not a time zone I know.", ZONE_FORMS)

    @property
    def period_days(self) -> int:
        """Days from one run to the next: `every` for days, 7 × `every` for weeks."""
        return self.every * (7 if self.unit == "weeks" else 1)

    def first_date(self, anchor: date) -> date:
        """The local date of the first run: the anchor, or its weekday on or after it."""
        if self.weekday is None:
            return anchor
        return anchor + timedelta(days=(self.weekday - anchor.weekday()) % 7)


def next_run(cadence: Cadence, *, anchor: date, after: datetime) -> datetime:
    """The first run strictly after `after`: after downtime, one run, back on the cadence.

    Args:
        cadence: how often and when.
        anchor: the local date the cadence counts from (the first run is on or after it).
        after: an aware datetime in any zone; usually now, or the run that just happened.

    Returns:
        An aware datetime in UTC.

    Raises:
        ValueError: `after` has no time zone.
    """
    if after.utcoffset() is None:
        raise ValueError(f"after must be an aware datetime, not {after!r}")
    zone = ZoneInfo(cadence.zone)
    first = cadence.first_date(anchor)
    days = (after.astimezone(zone).date() - first).days
    # A run lands on its local date or, past a gap, just after it, so starting one period
    # before the period holding `after` skips nothing; the loop then runs a step or three.
    step = timedelta(days=cadence.period_days)
    k = max(0, days // cadence.period_days - 1)
    run = _run_on(first + k * step, cadence, zone)
    while run <= after:
        k += 1
        run = _run_on(first + k * step, cadence, zone)
    return run


def occurrences(
    cadence: Cadence, *, anchor: date, start: datetime, end: datetime
) -> list[datetime]:
    """Every run strictly after `start` and up to and including `end`, in UTC, in order.

    Windows that meet, such as (a, b] and (b, c], together hold each run exactly once.

    Raises:
        ValueError: `start` or `end` has no time zone.
    """
    runs: list[datetime] = []
    run = next_run(cadence, anchor=anchor, after=start)
    while run <= end:
        runs.append(run)
        run = next_run(cadence, anchor=anchor, after=run)
    return runs


def _run_on(day: date, cadence: Cadence, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of the run on local date `day`, by the gap and fall-back rules."""
    wall = datetime.combine(day, cadence.at.replace(fold=0), tzinfo=zone)
    run = wall.astimezone(UTC)  # fold=0: an ambiguous time resolves to its first occurrence
    if run.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return run
    # In a gap, fold=0 reads the wall time with the offset from before the gap, which lands
    # past the gap; fold=1 with the offset after it, which lands before. Find the change.
    before = floor(wall.replace(fold=1).timestamp())
    after = floor(wall.timestamp())
    offset_after = run.astimezone(zone).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)
