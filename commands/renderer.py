"""The renderer with the domain's formatting handed to the templates as filters."""

from templates import Renderer
from vsm.durations import format_duration, format_exact
from vsm.improvements import format_expectation
from vsm.percent import format_percent


def signed_percent(relative: float | None, places: int = 1) -> str:
    """A relative change for people: `+12.5%`, `−20%` (a true minus sign), `±0%`, or `n/a`."""
    if relative is None:
        return "n/a"
    shown = format_percent(abs(relative), places)
    if shown.rstrip("%") in ("0", "0.0"):
        return "±0%"
    return ("+" if relative > 0 else "−") + shown


def make_renderer() -> Renderer:
    """A Renderer whose filters format durations under a stream's basis, and percentages."""
    return Renderer(
        filters={
            "duration": format_duration,
            "exact": format_exact,
            "percent": format_percent,
            "change": signed_percent,
            "expectation": format_expectation,
        }
    )
