"""Percentages as people type them (`85%`, `85`) and as they read them back (`35.2%`).

Inside the core a percentage is a fraction from 0 to 1: 85% is 0.85.
"""

import re
from fractions import Fraction
from math import isfinite

from vsm._text import quote
from vsm.durations import round_half_up
from vsm.errors import VsmError

PERCENT_EXAMPLES = "`85%`, `85` or `100`"
EXACT_PLACES = 4
"""Decimals for a percentage written to be read back (a form's prefill, a prediction, the
history): `parse_percent` reads any number of decimals, and four keep what people type."""
_LONGEST_TEXT = 40
_PERCENT = re.compile(r"\s*(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<sign>%)?\s*")


class PercentError(VsmError):
    """A percentage a person typed cannot be read.

    Args:
        text: what the person typed.
        reason: a short sentence saying what is wrong with it, to reuse in longer messages.
        usage: examples of the right form.
    """

    def __init__(self, text: str, reason: str, usage: str = PERCENT_EXAMPLES) -> None:
        said = f"{quote(text)} — {reason}" if text.strip() else reason[:1].upper() + reason[1:]
        super().__init__(f"{said} Try {usage}.", usage)
        self.text = text
        self.reason = reason


def parse_percent(text: str) -> float:
    """Read a percentage from 0 to 100, with or without `%`: `85%`, `85`, `85.5%`, `100`, `0`.

    A number strictly between 0 and 1 without `%` (`0.85`) is refused rather than guessed: it
    is more likely a fraction meant as 85% than a rating of 0.85%. `0.85%` is read as written.

    Args:
        text: what the person typed.

    Returns:
        The fraction from 0 to 1 (`85%` → 0.85).

    Raises:
        PercentError: not a number, negative, over 100, or a bare fraction like `0.85`.
    """
    if len(text) > _LONGEST_TEXT:
        raise PercentError(text, "that is too long to be a percentage.")
    if not text.strip():
        raise PercentError(text, "no percentage is given.")
    found = _PERCENT.fullmatch(text)
    if found is None:
        if text.strip()[0] in "-−–":
            raise PercentError(text, "a percentage cannot be negative.")
        raise PercentError(text, "that is not a number from 0 to 100.")
    value = Fraction(found["number"])
    if value > 100:
        raise PercentError(text, "a percentage cannot be more than 100.")
    if found["sign"] is None and 0 < value < 1:
        meant = format_percent(float(value), EXACT_PLACES)
        raise PercentError(
            text, f"did you mean `{meant}`? Write percent as 0 to 100.", f"`{meant}`"
        )
    return float(value / 100)


def format_percent(fraction: float, places: int | None = None) -> str:
    """Show a fraction as a percentage that reads right at a glance.

    Without `places` (every number people read):

    - exactly 0 and exactly 1 show as `0%` and `100%`;
    - from 1% up, one decimal: 0.0376 → `3.8%`, 0.3519 → `35.2%`, 0.85 → `85%`;
    - under 1%, two significant figures, so no share that is not 0 shows as `0%`:
      0.0035 → `0.35%`, 0.000092 → `0.0092%`;
    - a value that is not 1 but would round to `100%` gets the fewest decimals that keep it
      off 100: 0.9996 → `99.96%`, 0.99996 → `99.996%` (likewise past 100: 1.00004 →
      `100.004%`), so only a true 100% reads as one.

    With `places` (a value written to be read back exactly, like a form's prefill), exactly
    that many decimals: format_percent(0.123456, 4) → `12.3456%`.

    Either way rounding is half up on the decimal value (0.355 with 0 places → `36%`),
    trailing zeros are dropped (`3.7%`, not `3.70%`), and a negative value (a change) gets a
    leading `-`.

    Args:
        fraction: 1 is 100%; any finite number.
        places: decimals to keep, zero or more; None for the reading rule above.

    Raises:
        ValueError: `fraction` is not finite or `places` is negative.
    """
    count, scale = _percent_count(fraction, places)
    whole, decimals = divmod(abs(count), 10**scale)
    shown = f"{whole}.{decimals:0{scale}d}".rstrip("0").rstrip(".") if scale else f"{whole}"
    return f"-{shown}%" if count < 0 else f"{shown}%"


def shown_percent(fraction: float) -> Fraction:
    """The value `format_percent(fraction)` shows, as an exact fraction: 0.3519 → 352/1000.

    Changes between percentages are computed from these, so that they agree with the
    numbers shown beside them.

    Raises:
        ValueError: `fraction` is not finite.
    """
    count, scale = _percent_count(fraction, None)
    return Fraction(count, 100 * 10**scale)


def format_points(delta: float) -> str:
    """Show a change between two percentages in percentage points: 0.162 → `+16.2 pts`.

    The size follows `format_percent`'s reading rule (one decimal from 1 point up, two
    significant figures under 1), with a true minus sign: −0.0034 → `−0.34 pts`; exactly 1
    point is `+1 pt`; no change is `±0 pts`.

    Args:
        delta: after − before, both fractions (35.2% → 51.4% is 0.162).

    Raises:
        ValueError: `delta` is not finite.
    """
    size = format_percent(abs(delta)).removesuffix("%")
    if size == "0":
        return "±0 pts"
    return ("+" if delta > 0 else "−") + size + (" pt" if size == "1" else " pts")


def format_relative(relative: float | None) -> str:
    """Show a relative change, (after − before) / before: `+12.5%`, `−80.9%`, `±0%`.

    The size follows `format_percent`'s reading rule, with a true minus sign; None (there is
    nothing to be relative to) is `n/a`.

    Raises:
        ValueError: `relative` is not finite.
    """
    if relative is None:
        return "n/a"
    size = format_percent(abs(relative))
    if size == "0%":
        return "±0%"
    return ("+" if relative > 0 else "−") + size


def _percent_count(fraction: float, places: int | None) -> tuple[int, int]:
    """The percentage as a whole count of units of its last decimal, and how many decimals."""
    if not isfinite(fraction) or (places is not None and places < 0):
        raise ValueError(f"cannot show {fraction} with {places} places as a percentage")
    percent = Fraction(repr(fraction)) * 100
    if places is None:
        places = _reading_places(abs(percent))
    return round_half_up(percent * 10**places), places


def _reading_places(percent: Fraction) -> int:
    """Decimals for the reading rule of `format_percent`; `percent` is 0 or more."""
    if percent in (0, 100):
        return 0
    if percent < 1:
        places = 1
        while percent * 10**places < 10:  # two significant figures
            places += 1
        return places
    places = 1
    # `percent` is a finite decimal other than 100, so enough decimals always tell it apart.
    while round_half_up(percent * 10**places) == 100 * 10**places:
        places += 1
    return places
