"""Improvements (kaizen): what each is expected to change, which to do first, and did it work.

An improvement predicts how one field of its step moves: `wait -2d`, `pt -30m`, `ca +10%`.
Candidates are ranked by where they act (the current bottleneck first) and then by how much
lead time they promise per unit of effort. Whether an improvement done worked is
`vsm.study`'s.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import isfinite
from typing import Literal

from vsm._text import quote
from vsm.durations import DurationError, Span, TimeBasis, format_exact, read_span, round_half_up
from vsm.errors import VsmError
from vsm.percent import (
    EXACT_PLACES,
    PERCENT_EXAMPLES,
    PercentError,
    format_percent,
    parse_percent,
)

ExpectedField = Literal["wait", "pt", "ca"]

EXPECTATION_FORMS = "`wait -2d`, `pt -30m` or `ca +10%`"
EFFORT: dict[str, int] = {"S": 1, "M": 2, "L": 3}
EFFORT_FORMS = "`S`, `M` or `L` (small, medium, large)"
DEFAULT_EFFORT = "M"
_LONGEST_TEXT = 80
_FIELD = re.compile(
    r"\s*(?:(?P<ca>(?:%\s*)?c\s*&\s*a|%?ca)|(?P<pt>process\s+time|process|pt)"
    r"|(?P<wait>wait\s+time|wait))(?![^\W\d_])\s*[:=]?\s*",
    re.IGNORECASE,
)
_SIGNS = {"+": 1, "-": -1, "−": -1, "–": -1}
_FIELDS: frozenset[str] = frozenset({"wait", "pt", "ca"})
_EFFORT_WORDS = {
    **dict.fromkeys(("s", "small"), "S"),
    **dict.fromkeys(("m", "medium", "med"), "M"),
    **dict.fromkeys(("l", "large", "big"), "L"),
}


class ExpectationError(VsmError):
    """A prediction or effort a person typed cannot be read.

    Args:
        text: what the person typed.
        reason: a short sentence saying what is wrong with it.
        usage: the right form.
    """

    def __init__(self, text: str, reason: str, usage: str = EXPECTATION_FORMS) -> None:
        said = f"{quote(text)} — {reason}" if text.strip() else reason[:1].upper() + reason[1:]
        super().__init__(f"{said} Try {usage}.", usage)
        self.text = text
        self.reason = reason


@dataclass(frozen=True)
class Expectation:
    """How an improvement is expected to move one field of its step.

    Attributes:
        field: `wait` or `pt` (process time), in seconds; or `ca` (%C&A), as a fraction.
        delta: the expected change, never 0: whole seconds for wait and pt (`-2d` on the
            calendar is -172800); percentage points as a fraction for ca (`+10%` is +0.10).
    """

    field: ExpectedField
    delta: float

    def __post_init__(self) -> None:
        if self.field not in _FIELDS:
            raise ValueError(f"an expectation is about wait, pt or ca, not {self.field!r}")
        if not isfinite(self.delta) or self.delta == 0:
            raise ValueError(f"an expected change must be finite and not 0, not {self.delta}")


@dataclass(frozen=True)
class Candidate:
    """An improvement to rank: its number, the step it acts on, its prediction and effort.

    Attributes:
        effort: `S`, `M` or `L`; None counts as `M`.
    """

    number: int
    step_key: int | None
    expectation: Expectation | None
    effort: str | None


@dataclass(frozen=True)
class PredictedChange:
    """A prediction as typed, read but not yet in seconds (that needs the stream's basis).

    Attributes:
        text: what the person typed (for messages).
        sign: +1 or -1.
        points: for ca, the change in points as a fraction (`+10%` → 0.10 with sign +1).
        span: for wait and pt, the amount as typed.
    """

    text: str
    field: ExpectedField
    sign: int
    points: float | None = None
    span: Span | None = None

    def on(self, basis: TimeBasis) -> Expectation:
        """The expectation on a stream's basis.

        Raises:
            ExpectationError: the amount is more than five years.
        """
        if self.span is None:
            return Expectation(self.field, self.sign * (self.points or 0.0))
        try:
            seconds = self.span.seconds(basis)
        except DurationError as error:
            raise ExpectationError(self.text, error.reason) from error
        if seconds == 0:  # `wait -0.1s` rounds to nothing
            raise ExpectationError(self.text, "a change of zero is no change.")
        return Expectation(self.field, self.sign * seconds)


def read_expectation(text: str) -> PredictedChange:
    """Read a prediction: `wait -2d`, `pt -1h 30m`, `ca +10%`, `wait: -2d`, `c&a +5`.

    Args:
        text: a field (`wait`, `pt`/`process`, `ca`/`c&a`), then `+` or `-` and an amount;
            a duration for wait and pt, percentage points for ca.

    Raises:
        ExpectationError: no known field, no sign, an amount that cannot be read, or zero.
    """
    if len(text) > _LONGEST_TEXT:
        raise ExpectationError(text, "that is too long to be a prediction.")
    if not text.strip():
        raise ExpectationError(text, "no prediction is given.")
    found = _FIELD.match(text)
    if found is None:
        raise ExpectationError(text, "start it with wait, pt or ca.")
    field: ExpectedField = "ca" if found["ca"] else "pt" if found["pt"] else "wait"
    amount = text[found.end() :].strip()
    if not amount:
        raise ExpectationError(text, f"by how much? Give {field} a change after it.")
    amount_sign = amount[0]
    sign = _SIGNS.get(amount_sign)
    if sign is None:
        usage = f"`{field} -{amount}` or `{field} +{amount}`"
        raise ExpectationError(text, "say whether it goes up or down.", usage)
    amount = amount[1:].strip()
    try:
        if field == "ca":
            points = parse_percent(amount)
            if points == 0:
                raise ExpectationError(text, "a change of zero is no change.")
            return PredictedChange(text, field, sign, points=points)
        span = read_span(amount)
    except PercentError as error:
        # `ca +0.5` gets "did you mean `50%`?": show the whole prediction it should be.
        meant = error.usage if error.usage != PERCENT_EXAMPLES else None
        usage = f"`ca {amount_sign}{meant.strip('`')}`" if meant else EXPECTATION_FORMS
        raise ExpectationError(text, error.reason, usage) from error
    except DurationError as error:
        raise ExpectationError(text, error.reason) from error
    if span.is_zero:
        raise ExpectationError(text, "a change of zero is no change.")
    return PredictedChange(text, field, sign, span=span)


def parse_expectation(text: str, basis: TimeBasis) -> Expectation:
    """Read a prediction (as `read_expectation`) on a stream's basis.

    Returns:
        The expectation; ca in points as a fraction (`+10%` → +0.10).

    Raises:
        ExpectationError: as `read_expectation`, or an amount of more than five years.
    """
    return read_expectation(text).on(basis)


def format_expectation(expectation: Expectation, basis: TimeBasis) -> str:
    """Write an expectation so that `parse_expectation` reads it back: `wait -2d`, `ca +10%`."""
    sign = "-" if expectation.delta < 0 else "+"
    size = abs(expectation.delta)
    if expectation.field == "ca":
        return f"ca {sign}{format_percent(size, EXACT_PLACES)}"
    return f"{expectation.field} {sign}{format_exact(round_half_up(size), basis)}"


def parse_effort(text: str) -> str:
    """Read an effort: `S`, `M`, `L` or `small`, `medium`, `large`, in any case.

    Returns:
        `S`, `M` or `L`.

    Raises:
        ExpectationError: anything else.
    """
    effort = _EFFORT_WORDS.get(text.strip().lower())
    if effort is None:
        reason = "no effort is given." if not text.strip() else "that is not an effort."
        raise ExpectationError(text[:_LONGEST_TEXT], reason, EFFORT_FORMS)
    return effort


def lead_time_gain_s(expectation: Expectation | None) -> int:
    """How many seconds the lead time falls if the expectation comes true.

    Returns:
        −delta for a fall in wait or process time; 0 for %C&A, for a rise, or for None.
    """
    if expectation is None or expectation.field == "ca" or expectation.delta >= 0:
        return 0
    return round_half_up(-expectation.delta)


def rank(candidates: Sequence[Candidate], bottleneck_key: int | None) -> tuple[Candidate, ...]:
    """Order candidates: at the bottleneck step first, then by lead-time gain per effort.

    Args:
        candidates: the improvements to order.
        bottleneck_key: the key of the current bottleneck step, if there is one.

    Returns:
        The same candidates, each once. Within each group, more seconds of lead time gained
        per unit of effort (S 1, M 2, L 3; none counts as M) first; ties by number, then in
        the order given.

    Raises:
        ValueError: an effort is not S, M or L.
    """

    def order(candidate: Candidate) -> tuple[bool, Fraction, int]:
        elsewhere = bottleneck_key is None or candidate.step_key != bottleneck_key
        return elsewhere, -gain_per_effort(candidate), candidate.number

    return tuple(sorted(candidates, key=order))


def gain_per_effort(candidate: Candidate) -> Fraction:
    """Seconds of lead time a candidate promises per unit of effort (S 1, M 2, L 3; none = M).

    Raises:
        ValueError: the effort is not S, M or L.
    """
    effort = EFFORT.get((candidate.effort or DEFAULT_EFFORT).upper())
    if effort is None:
        raise ValueError(f"effort must be S, M or L, not {candidate.effort!r}")
    return Fraction(lead_time_gain_s(candidate.expectation), effort)
