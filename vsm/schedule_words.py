"""Schedules as people type them: `every 2 weeks on monday at 9:30`, `daily at 17:00`, a
weekday, a wall-clock time, an IANA time zone. What they mean in time is vsm/cadence.py."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Literal
from zoneinfo import available_timezones

from vsm._text import quote
from vsm.errors import VsmError

Unit = Literal["days", "weeks"]

WEEKDAY_FORMS = "`mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun` (or the full name)"
TIME_FORMS = "`9:00`, `17:30`, `9am` or `5:30pm`"
ZONE_FORMS = "an IANA zone name such as `Europe/Berlin`, `America/New_York` or `UTC`"
SCHEDULE_FORMS = "`every <n> weeks [on <weekday>] [at HH:MM]` or `every <n> days [at HH:MM]`"
MOST_EVERY: dict[Unit, int] = {"weeks": 52, "days": 365}
_LONGEST_TEXT = 60
_LONGEST_PHRASE = 200

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {
    **{name: day for day, name in enumerate(_DAY_NAMES)},
    **{name + "s": day for day, name in enumerate(_DAY_NAMES)},  # `on mondays`
    **{name[:3]: day for day, name in enumerate(_DAY_NAMES)},
    **{"tues": 1, "weds": 2, "thur": 3, "thurs": 3},
}
_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?::(?P<minute>[0-9]{2}))?\s*(?:(?P<half>[ap])\.?m\.?)?", re.IGNORECASE
)
_CLOCK_WITHOUT_COLON = re.compile(r"(?P<hour>[0-9]{1,2})[.h](?P<minute>[0-9]{2})")
_NOT_PLACES = frozenset({"Factory", "localtime"})  # in the tz database, but not places
_UNITS: dict[str, Unit] = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks"}
_ONE_WORD: dict[str, tuple[int, Unit]] = {
    "daily": (1, "days"),
    "weekly": (1, "weeks"),
    "fortnightly": (2, "weeks"),
}
_GLUED = re.compile(r"(?P<number>[0-9]+)(?P<unit>[a-z]+)")


class CadenceError(VsmError):
    """A schedule, day, time or time zone a person typed cannot be read.

    Args:
        text: what the person typed.
        reason: a short sentence saying what is wrong with it, to reuse in longer messages.
        usage: the right form.
    """

    def __init__(self, text: str, reason: str, usage: str = SCHEDULE_FORMS) -> None:
        said = f"{quote(text)} — {reason}" if text.strip() else reason[:1].upper() + reason[1:]
        super().__init__(f"{said} Try {usage}.", usage)
        self.text = text
        self.reason = reason


def parse_weekday(text: str) -> int:
    """Read a day of the week: `mon`, `Monday`, `Mon.`, `tues`, `thurs`, `sundays`.

    Returns:
        0 for Monday to 6 for Sunday.

    Raises:
        CadenceError: anything else.
    """
    day = _WEEKDAYS.get(text.strip().lower().removesuffix("."))
    if day is None:
        reason = "no day of the week is given." if not text.strip() else "that is not a weekday."
        raise CadenceError(text[:_LONGEST_TEXT], reason, WEEKDAY_FORMS)
    return day


def parse_clock_time(text: str) -> time:
    """Read a time of day: `9:00`, `09:00`, `17:30`, `9am`, `5:30pm`, `12am` (midnight).

    A bare hour (`9`) is refused rather than guessed: 9:00 and 21:00 are both likely.

    Returns:
        The time, with no time zone.

    Raises:
        CadenceError: not a time, an hour or minute out of range, or a bare hour.
    """
    if len(text) > _LONGEST_TEXT:
        raise CadenceError(text, "that is too long to be a time of day.", TIME_FORMS)
    if not text.strip():
        raise CadenceError(text, "no time of day is given.", TIME_FORMS)
    found = _CLOCK.fullmatch(text.strip())
    if found is None:
        dotted = _CLOCK_WITHOUT_COLON.fullmatch(text.strip())
        if dotted is not None:
            colon = f"`{int(dotted['hour'])}:{dotted['minute']}`"
            raise CadenceError(text, "write hours and minutes with a colon.", colon)
        raise CadenceError(text, "that is not a time of day.", TIME_FORMS)
    hour, minute, half = int(found["hour"]), int(found["minute"] or 0), found["half"]
    if half is None and found["minute"] is None:
        usage = f"`{hour}:00` or `{hour}pm`" if 1 <= hour <= 12 else f"`{hour}:00`"
        raise CadenceError(text, "give the minutes too, or am or pm.", usage)
    if minute > 59:
        raise CadenceError(text, "an hour has only 60 minutes (00 to 59).", TIME_FORMS)
    if half is None:
        if hour > 23:
            raise CadenceError(text, "the hours of a day go from 0 to 23.", TIME_FORMS)
        return time(hour, minute)
    if not 1 <= hour <= 12:
        raise CadenceError(text, "with am or pm the hour is 1 to 12.", TIME_FORMS)
    return time(hour % 12 + (12 if half.lower() == "p" else 0), minute)


@cache
def known_zones() -> dict[str, str]:
    """Every zone name the tz database knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones() - _NOT_PLACES}


def parse_zone(text: str) -> str:
    """Read an IANA time zone name in any letter case: `europe/berlin`, `UTC`, `Asia/Kolkata`.

    Spaces may stand for underscores (`America/New York`). A place name alone (`Berlin`) is
    refused, but the message suggests the full name when only one zone matches.

    Returns:
        The name as the tz database spells it (`Europe/Berlin`).

    Raises:
        CadenceError: not a zone in the tz database.
    """
    if len(text) > _LONGEST_TEXT:
        raise CadenceError(text, "that is too long to be a time zone.", ZONE_FORMS)
    wanted = "_".join(text.split()).lower()
    name = known_zones().get(wanted)
    if name is not None:
        return name
    if not wanted:
        raise CadenceError(text, "no time zone is given.", ZONE_FORMS)
    places = [name for key, name in known_zones().items() if key.rpartition("/")[2] == wanted]
    if len(places) == 1 and "/" not in wanted:
        raise CadenceError(text, "name the zone with its region.", quote(places[0]))
    raise CadenceError(text, "that is not a time zone I know.", ZONE_FORMS)


@dataclass(frozen=True)
class ScheduleWords:
    """What the words of a schedule say; a piece left out is None, for the caller's default."""

    every: int
    unit: Unit
    weekday: int | None
    at: time | None


def parse_schedule_words(words: Sequence[str]) -> ScheduleWords:
    """Read how often something runs: `every 2 weeks on monday at 9:30`, `daily at 17:00`.

    How often comes first: `every <n> weeks`, `every <n> days`, `every week`, `every day`,
    `every other week`, `every monday` (weekly on Mondays), `weekly`, `daily` or
    `fortnightly`. Then `on <weekday>` (weeks only) and `at <time>`, in either order.

    Args:
        words: the words a person typed, split on spaces.

    Returns:
        The pieces; `weekday` and `at` are None when not given.

    Raises:
        CadenceError: quoting the word that cannot be read and showing the right form.
    """
    tokens = [word for word in words if word.strip()]
    if sum(len(word) for word in tokens) > _LONGEST_PHRASE:
        raise CadenceError(" ".join(tokens), "that is too long to be a schedule.")
    if not tokens:
        raise CadenceError("", "no schedule is given.")
    every, unit, weekday, pos = _read_how_often(tokens)
    at: time | None = None
    while pos < len(tokens):
        word, value = tokens[pos].lower(), tokens[pos + 1] if pos + 1 < len(tokens) else ""
        if word == "on" and weekday is None and unit == "weeks":
            weekday, pos = parse_weekday(value), pos + 2
        elif word == "on" and unit == "days":
            said = " ".join(tokens[: pos + 2])
            raise CadenceError(said, "a schedule in days does not keep to a weekday; use weeks.")
        elif word == "at" and at is None:
            pos += 2
            if pos < len(tokens) and tokens[pos].lower().rstrip(".") in ("am", "pm", "a.m", "p.m"):
                value, pos = f"{value}{tokens[pos]}", pos + 1  # `at 9:30 am`
            at = parse_clock_time(value)
        elif word in ("on", "at"):
            raise CadenceError(" ".join(tokens[: pos + 2]), f"`{word}` is given twice.")
        else:
            raise CadenceError(tokens[pos], "I don't know this word here.")
    return ScheduleWords(every, unit, weekday, at)


def _read_how_often(tokens: list[str]) -> tuple[int, Unit, int | None, int]:
    """(every, unit, weekday, index of the next token) from the start of a schedule."""
    first = tokens[0].lower()
    if first in _ONE_WORD:
        return (*_ONE_WORD[first], None, 1)
    if first in ("biweekly", "bi-weekly"):
        raise CadenceError(tokens[0], "that can mean twice a week or every two weeks.")
    if first != "every":
        raise CadenceError(tokens[0], "say how often first.")
    rest = [word.lower() for word in tokens[1:3]] + ["", ""]
    if rest[0] in _UNITS:
        return 1, _UNITS[rest[0]], None, 2
    if rest[0] == "other" and rest[1] in _UNITS:
        return 2, _UNITS[rest[1]], None, 3
    if rest[0].removesuffix(".") in _WEEKDAYS:
        return 1, "weeks", _WEEKDAYS[rest[0].removesuffix(".")], 2
    glued = _GLUED.fullmatch(rest[0])
    number, unit_word, pos = (glued[1], glued[2], 2) if glued else (rest[0], rest[1], 3)
    said = " ".join(tokens[:pos])
    unit = _UNITS.get(unit_word)
    if not number.isascii() or not number.isdigit():
        reason = "write how many as a whole number." if unit else "every how many weeks or days?"
        raise CadenceError(said, reason, "`every 2 weeks` or `every 3 days`")
    if unit is None:
        usage = f"`every {number} weeks` or `every {number} days`"
        raise CadenceError(said, "weeks or days?", usage)
    digits = number.lstrip("0") or "0"  # bounded before int(): a long digit run is slow
    every = int(digits) if len(digits) <= 4 else MOST_EVERY[unit] + 1
    check_every(every, unit, said)
    return every, unit, None, pos


def check_every(every: int, unit: Unit, said: str) -> None:
    """Refuse `every` outside 1..52 weeks or 1..365 days."""
    if not 1 <= every <= MOST_EVERY[unit]:
        most = MOST_EVERY[unit]
        raise CadenceError(said, f"it must be every 1 to {most} {unit}.", f"`every 2 {unit}`")
