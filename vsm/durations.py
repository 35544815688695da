"""Durations as people type them (`1h 30m`, `1.5d`) and as they read them back (`3.5 h`).

Durations are whole seconds. A stream's time basis says what a day and a week are: on the
calendar basis 1 d = 24 h and 1 w = 7 d; on a working basis 1 d = `hours_per_day` hours and
1 w = `days_per_week` working days. Hours, minutes and seconds mean the same on both.
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from math import floor, isfinite
from typing import Literal

from vsm._text import quote
from vsm.errors import VsmError

CALENDAR_DAY_S = 86_400
MAX_DURATION_S = 5 * 365 * CALENDAR_DAY_S
"""The longest duration anyone may type: five calendar years, on either basis."""

DURATION_EXAMPLES = "`45m`, `3h`, `1h 30m`, `1.5d` or `2w`"
_LONGEST_TEXT = 80

_UNITS: dict[str, Literal["s", "m", "h", "d", "w"]] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
}
_UNIT_NAMES = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# A number, then whatever sticks to it up to the next space or digit: that is read as the unit.
_PART = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<unit>[^\s0-9.]+)?")


class TimeBasisError(VsmError):
    """A working-time basis with hours per day or days per week that cannot be."""


class DurationError(VsmError):
    """A duration a person typed cannot be read.

    Args:
        text: what the person typed.
        reason: a short sentence saying what is wrong with it, to reuse in longer messages.
        usage: examples of the right form.
    """

    def __init__(self, text: str, reason: str, usage: str = DURATION_EXAMPLES) -> None:
        said = f"{quote(text)} — {reason}" if text.strip() else reason[:1].upper() + reason[1:]
        super().__init__(f"{said} Try {usage}.", usage)
        self.text = text
        self.reason = reason


@dataclass(frozen=True)
class TimeBasis:
    """What a day and a week are when durations are typed and shown.

    `hours_per_day` and `days_per_week` count only on the working basis. A working day must
    be a whole number of seconds (7.5 h is fine, 7.3333 h is not) so that every duration can
    be written back exactly as days, hours, minutes and seconds.
    """

    kind: Literal["calendar", "working"]
    hours_per_day: float = 8
    days_per_week: float = 5

    def __post_init__(self) -> None:
        if self.kind not in ("calendar", "working"):
            raise TimeBasisError(f"The time basis must be calendar or working, not “{self.kind}”.")
        if self.kind == "calendar":
            return
        hours, days = self.hours_per_day, self.days_per_week
        if not (isfinite(hours) and 1 <= hours <= 24):
            raise TimeBasisError(
                f"A working day must be from 1 to 24 hours long, not {hours:g}.", "hours:8"
            )
        if abs(hours * 3600 - round(hours * 3600)) > 1e-6:
            raise TimeBasisError(
                f"A working day of {hours:g} hours is not a whole number of seconds; "
                "round it to the minute.",
                "hours:7.5",
            )
        if not (isfinite(days) and 0 < days <= 7):
            raise TimeBasisError(
                f"A working week must be more than 0 and at most 7 days, not {days:g}.", "days:5"
            )

    @property
    def seconds_per_day(self) -> int:
        """Seconds in one day on this basis: 86,400 on the calendar, 28,800 for 8 h days."""
        if self.kind == "calendar":
            return CALENDAR_DAY_S
        return round(self.hours_per_day * 3600)

    @property
    def seconds_per_week(self) -> float:
        """Seconds in one week on this basis: 604,800 on the calendar, 144,000 for 8 h × 5 d."""
        return float(self._unit_seconds("w"))

    @property
    def day_suffix(self) -> str:
        """How days are labelled when shown: `d` on the calendar, `wd` for working days."""
        return "d" if self.kind == "calendar" else "wd"

    def _unit_seconds(self, unit: str) -> Fraction:
        if unit == "w":
            days = Fraction(7) if self.kind == "calendar" else Fraction(repr(self.days_per_week))
            return days * self.seconds_per_day
        return Fraction({"s": 1, "m": 60, "h": 3600, "d": self.seconds_per_day}[unit])


CALENDAR = TimeBasis("calendar")


def round_half_up(value: Fraction | float) -> int:
    """Round to the nearest whole number, halves away from zero (2.5 → 3, -2.5 → -3)."""
    exact = Fraction(value)
    magnitude = floor(abs(exact) + Fraction(1, 2))
    return -magnitude if exact < 0 else magnitude


@dataclass(frozen=True)
class Span:
    """A duration as typed, read but not yet turned into seconds: how long a day or a week
    is depends on the stream's basis, which may not be known where the text is read.

    Attributes:
        text: what the person typed (for messages).
        parts: each number with its unit (`s`, `m`, `h`, `d`, `w`), each unit at most once.
    """

    text: str
    parts: tuple[tuple[Fraction, Literal["s", "m", "h", "d", "w"]], ...]

    @property
    def is_zero(self) -> bool:
        return all(number == 0 for number, _ in self.parts)

    def seconds(self, basis: TimeBasis) -> int:
        """Whole seconds on `basis`, rounded half up.

        Raises:
            DurationError: more than five years.
        """
        total = sum(
            (number * basis._unit_seconds(unit) for number, unit in self.parts), Fraction(0)
        )
        if total > MAX_DURATION_S:
            raise DurationError(self.text, "that is more than five years.")
        return round_half_up(total)


def read_span(text: str) -> Span:
    """Read a duration a person typed, such as `90s`, `45 min`, `1h 30m`, `1.5d` or `2w`.

    Args:
        text: one or more number-and-unit parts, each unit at most once; `0` alone is allowed.

    Raises:
        DurationError: empty, negative, a number without a unit, an unknown or repeated unit.
    """
    if len(text) > _LONGEST_TEXT:
        raise DurationError(text, "that is too long to be a time.")
    if not text.strip():
        raise DurationError(text, "no time is given.")
    parts: list[tuple[Fraction, Literal["s", "m", "h", "d", "w"]]] = []
    start = pos = _skip_spaces(text, 0)
    while pos < len(text):
        part = _PART.match(text, pos)
        if part is None:
            raise _unreadable(text, pos)
        number = Fraction(part["number"])
        if part["unit"] is None:
            if pos == start and _skip_spaces(text, part.end()) == len(text):
                if number == 0:
                    return Span(text, ())
                raise DurationError(text, f"{part['number']} what?", f"`{part['number']}h`")
            raise DurationError(text, f"{part['number']} what? Give each number a unit.")
        unit = _UNITS.get(part["unit"].lower())
        if unit is None:
            raise DurationError(text, f"I don't know the unit {quote(part['unit'])}.")
        if unit in (seen for _, seen in parts):
            raise DurationError(text, f"it gives {_UNIT_NAMES[unit]} twice.")
        parts.append((number, unit))
        pos = _skip_spaces(text, part.end())
    return Span(text, tuple(parts))


def parse_duration(text: str, basis: TimeBasis) -> int:
    """Read a duration a person typed (as `read_span`) in whole seconds on `basis`.

    Raises:
        DurationError: as `read_span`, or more than five years.
    """
    return read_span(text).seconds(basis)


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _unreadable(text: str, pos: int) -> DurationError:
    if text[pos] in "-−–" and pos + 1 < len(text):
        return DurationError(text, "a time cannot be negative.")
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return DurationError(text, f"I can't read {quote(text[pos:end])} in it.")


def format_duration(seconds: float, basis: TimeBasis) -> str:
    """Show a duration the way VSM timelines do: `23.6 d`, `13.4 wd`, `3.5 h`, `45 m`, `40 s`.

    A day or more shows in days (`wd` on a working basis) with one decimal, an hour or more in
    hours with one decimal, a minute or more in whole minutes, else whole seconds; a trailing
    `.0` is dropped. The unit is chosen after rounding, so a value never shows as a full unit
    of the next size: 23.96 h shows as `1 d` (not `24 h`), 59.7 m as `1 h`, 59.5 s as `1 m`.
    Rounding is half up. Negative values (changes) get a leading `-`.

    Args:
        seconds: the duration; any finite number.
        basis: what a day is.

    Raises:
        ValueError: `seconds` is not finite.
    """
    if not isfinite(seconds):
        raise ValueError(f"cannot show {seconds} as a duration")
    exact = Fraction(repr(seconds))
    shown = _format_magnitude(abs(exact), basis)
    return f"-{shown}" if exact < 0 and shown != "0 s" else shown


def shown_duration(seconds: float, basis: TimeBasis) -> Fraction:
    """The seconds `format_duration` shows: 3 d 1 h shows as `3 d`, so 259,200.

    Changes between durations are computed from these, so that they agree with the numbers
    shown beside them (`3 d → 1 d` is −66.7%, whatever the unrounded seconds were).

    Raises:
        ValueError: `seconds` is not finite.
    """
    if not isfinite(seconds):
        raise ValueError(f"cannot show {seconds} as a duration")
    exact = Fraction(repr(seconds))
    count, size, _ = _rounded(abs(exact), basis)
    return -count * size if exact < 0 else count * size


def _format_magnitude(seconds: Fraction, basis: TimeBasis) -> str:
    count, _, unit = _rounded(seconds, basis)
    # Seconds and minutes are whole; hours and days are counted in tenths.
    return f"{count} {unit}" if unit in ("s", "m") else f"{_tenths(count)} {unit}"


def _rounded(seconds: Fraction, basis: TimeBasis) -> tuple[int, Fraction, str]:
    """`seconds` (0 or more) as shown: how many steps, a step's seconds, and the unit (a step
    is a second, a minute, or a tenth of an hour or of a day)."""
    whole = round_half_up(seconds)
    if whole < 60:
        return whole, Fraction(1), "s"
    minutes = round_half_up(seconds / 60)
    if minutes < 60:
        return minutes, Fraction(60), "m"
    tenths_of_hour = round_half_up(seconds / 360)
    if tenths_of_hour * 360 < basis.seconds_per_day:
        return tenths_of_hour, Fraction(360), "h"
    tenths_of_day = round_half_up(seconds * 10 / basis.seconds_per_day)
    return tenths_of_day, Fraction(basis.seconds_per_day, 10), basis.day_suffix


def _tenths(count: int) -> str:
    whole, tenth = divmod(count, 10)
    return f"{whole}" if tenth == 0 else f"{whole}.{tenth}"


def format_exact(seconds: int, basis: TimeBasis) -> str:
    """Write a duration so that `parse_duration` reads back exactly the same seconds.

    Days are days of the basis, so `format_exact(36000, working 8 h)` is `1d 2h`. Weeks are
    never used: a week of a fractional number of working days would not be exact.

    Args:
        seconds: whole seconds, zero or more.
        basis: what a day is.

    Returns:
        Parts like `2d 3h 15m 10s`, zero parts left out; `0` for zero.

    Raises:
        ValueError: `seconds` is negative.
    """
    if seconds < 0:
        raise ValueError(f"cannot write a negative duration ({seconds} s)")
    days, rest = divmod(seconds, basis.seconds_per_day)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s"))
    return " ".join(f"{count}{unit}" for count, unit in parts if count) or "0"
