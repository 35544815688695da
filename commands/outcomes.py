"""Outcomes every surface can show: a problem the person can fix, or our own failure."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """What was wrong with what the person asked, and the right form when there is one."""

    problem: str
    usage: str | None = None


@dataclass(frozen=True)
class Failure:
    """Our own failure: nothing was changed; the reference finds the logged details."""

    reference: str
