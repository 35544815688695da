"""Percentages as people type them (`85%`, `85`) and as they read them back (`35.19%`).

Inside the core a percentage is a fraction from 0 to 1: 85% is 0.85.
"""

import re
from fractions import Fraction
from math import isfinite

from vsm._text import quote
from vsm.durations import round_half_up
from vsm.errors import VsmError

PERCENT_EXAMPLES = "`85%`, `85` or `100`"
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
        meant = format_percent(float(value))
        raise PercentError(
            text, f"did you mean `{meant}`? Write percent as 0 to 100.", f"`{meant}`"
        )
    return float(value / 100)


def format_percent(fraction: float, places: int = 2) -> str:
    """Show a fraction as a percentage: 0.3519 → `35.19%`, 0.85 → `85%`.

    Rounds half up (away from zero) to `places` decimals, then drops trailing zeros, so
    0.0370 shows as `3.7%`. Negative values (changes) get a leading `-`.

    Args:
        fraction: 1 is 100%; any finite number.
        places: decimals to keep, zero or more.

    Raises:
        ValueError: `fraction` is not finite or `places` is negative.
    """
    if not isfinite(fraction) or places < 0:
        raise ValueError(f"cannot show {fraction} with {places} places as a percentage")
    scale = 10**places
    count = round_half_up(Fraction(repr(fraction)) * 100 * scale)
    whole, decimals = divmod(abs(count), scale)
    shown = f"{whole}.{decimals:0{places}d}".rstrip("0").rstrip(".") if places else f"{whole}"
    return f"-{shown}%" if count < 0 else f"{shown}%"
