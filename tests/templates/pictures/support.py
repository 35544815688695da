"""Reading pictures back: the PNG header, and every text a figure draws."""

import struct
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk; fails on anything else."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def figure_pixels(figure: Figure) -> tuple[int, int]:
    """The size the figure says it has, in pixels at its own dpi."""
    width, height = figure.get_size_inches() * figure.dpi
    return round(width), round(height)


def texts(figure: Figure) -> list[str]:
    """Every line of every text artist of the figure and its axes (legends included)."""
    lines = []
    for artist in figure.findobj(Text):
        assert isinstance(artist, Text)
        lines.extend(artist.get_text().split("\n"))
    return [line for line in lines if line]


def lines(figure: Figure) -> list[Line2D]:
    found = figure.findobj(Line2D)
    return [line for line in found if isinstance(line, Line2D)]


@contextmanager
def no_warnings() -> Iterator[None]:
    """Fail if the block warns at all (missing glyphs, mathtext, anything)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    assert [str(w.message) for w in caught] == []


def drawn(build: Callable[[], Figure]) -> Figure:
    """The figure, drawn once on its canvas so that tick labels exist."""
    figure = build()
    figure.canvas.draw()
    return figure
