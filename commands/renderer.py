"""The renderer with the domain's formatting handed to the templates as filters."""

from templates import Renderer
from vsm.durations import format_duration, format_exact
from vsm.improvements import format_expectation
from vsm.percent import format_percent, format_points, format_relative
from vsm.survey import format_mean


def make_renderer() -> Renderer:
    """A Renderer whose filters format durations under a stream's basis, percentages, changes
    (relative for durations, in points for percentages) and survey means."""
    return Renderer(
        filters={
            "duration": format_duration,
            "exact": format_exact,
            "percent": format_percent,
            "change": format_relative,
            "points": format_points,
            "mean": format_mean,
            "expectation": format_expectation,
        }
    )
