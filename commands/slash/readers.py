"""Readers for the option and argument values the grammar turns into domain values, so each
piece of text a person types is read once, where the command is read.

Each takes the text as typed and returns a value, or raises VsmError with a message a person
can act on (the grammar makes it the reply).
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from vsm.errors import VsmError
from vsm.schedule_words import ScheduleWords, parse_schedule_words

DigestWord = Literal["off", "now"]
IMPROVEMENT_STATUSES = ("doing", "done", "dropped")


def read_date(text: str) -> date:
    """A date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise VsmError(
            f"`{text}` is not a date; write it as YYYY-MM-DD, e.g. `by:2027-06-30`."
        ) from None


def read_schedule(text: str) -> ScheduleWords | Literal["off"]:
    """What follows the stream in `/vsm schedule`: `off`, or how often it runs."""
    if text.lower() == "off":
        return "off"
    return parse_schedule_words(text.split())


def read_digest(text: str) -> ScheduleWords | DigestWord:
    """What follows `/vsm digest`: `off`, `now`, or `weekly [on <weekday>] [at HH:MM]`."""
    first = text.split()[0].lower() if text.split() else ""
    if first in ("off", "now"):
        return "off" if first == "off" else "now"
    if first != "weekly":
        raise VsmError("Say `weekly`, `off` or `now` after `/vsm digest`.")
    said = parse_schedule_words(text.split())
    if (said.every, said.unit) != (1, "weeks"):
        raise VsmError("The digest is weekly: `/vsm digest weekly [on <weekday>] [at HH:MM]`.")
    return said


@dataclass(frozen=True)
class ImprovementMove:
    """`/vsm improvement ["<stream>"] <n> doing|done|dropped`: the stream may be left out."""

    stream: str | None
    number: int
    status: str


def read_improvement_move(text: str) -> ImprovementMove:
    """The words of `/vsm improvement`, read from the end: the status last, the number before
    it, the stream's name (if any) before that."""
    words = text.split()
    if len(words) < 2:
        raise VsmError("Give the improvement's number and its new status, e.g. `3 done`.")
    *stream_words, number, status = words
    if not number.lstrip("#").isdigit() or len(number.lstrip("#")) > 9:
        raise VsmError(f"`{number}` is not an improvement number like `3` or `#3`.")
    status = status.lower()
    if status not in IMPROVEMENT_STATUSES:
        raise VsmError(f"`{status}` — an improvement can become `doing`, `done` or `dropped`.")
    return ImprovementMove(" ".join(stream_words) or None, int(number.lstrip("#")), status)
