"""The renderer with the domain's formatting handed to the templates as filters."""

from templates import Renderer
from vsm.durations import format_duration


def make_renderer() -> Renderer:
    """A Renderer whose `duration` filter shows seconds under a stream's time basis."""
    return Renderer(filters={"duration": format_duration})
