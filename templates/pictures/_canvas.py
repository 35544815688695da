"""A sheet measured in inches, texts that always draw, and the PNG bytes.

Never pyplot: its global figure manager is not thread-safe and wants a display. A `Figure`
with the Agg canvas attached renders anywhere, in any thread, and is dropped when done.
"""

import io
import threading
from collections.abc import Callable, Sequence
from math import ceil
from typing import Any

from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from templates.pictures._fonts import can_draw, drawable, families, text_width
from templates.pictures._words import clip_to, wrap

DPI = 130  # a 6-box row of the map is 1,640 px wide; 9 pt text is 16 px tall
INK = "#222222"
MUTED = "#666666"
LINE_HEIGHT = 1.3  # a line of text is 1.3 × its size tall
# FreeType's auto-hinter takes a quarter of the drawing time and adds nothing at 130 dpi. The
# setting is process-wide in matplotlib (read while drawing), so it holds only while one of
# these pictures draws, one at a time: nothing else in the bot draws with matplotlib.
_DRAWING = threading.Lock()


class Sheet:
    """A figure measured in inches from its top-left corner, x to the right and y downward.

    Artists go on the figure itself, not on an axes: no data limits to update and no clip
    paths to set, which is most of what adding a few hundred artists costs.
    """

    def __init__(self, width: float, height: float, dpi: int = DPI) -> None:
        # Whole pixels: the PNG is exactly the figure's size, never a pixel cut off.
        width, height = ceil(width * dpi) / dpi, ceil(height * dpi) / dpi
        self.width, self.height = width, height
        self.figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
        FigureCanvasAgg(self.figure)
        self.transform = Affine2D().scale(1, -1).translate(0, height) + self.figure.dpi_scale_trans

    def add(self, artist: Artist) -> None:
        """Place `artist`, whose coordinates are in inches from the top-left corner."""
        artist.set_transform(self.transform)
        self.figure.add_artist(artist)

    def line(self, xs: Sequence[float], ys: Sequence[float], colour: str, width: float) -> None:
        """A polyline through the points (a NaN breaks it)."""
        self.add(Line2D(xs, ys, color=colour, lw=width, solid_capstyle="butt"))

    def text(self, x: float, y: float, text: str, size: float, **style: Any) -> Text:
        """Write `text` at (x, y) inches; see `make_text`."""
        artist = make_text(x, y, text, size, **style)
        self.add(artist)
        return artist


def make_text(x: float, y: float, text: str, size: float, **style: Any) -> Text:
    """A text artist (already cut to fit; lines split by "\\n") in fonts that can draw it.

    `$` never starts mathtext: people's names are not TeX. A slant the font lacks for some
    character (DejaVu Sans Oblique has no Arabic) is dropped rather than drawn as boxes.
    """
    style.setdefault("color", INK)
    style.setdefault("va", "center")
    bold = style.get("weight") == "bold"
    if style.get("style") == "italic" and not can_draw(text, bold=bold, italic=True):
        style["style"] = "normal"
    italic = style.get("style") == "italic"
    lines = (drawable(line, bold=bold, italic=italic) for line in text.split("\n"))
    return Text(
        x, y, "\n".join(lines), fontsize=size, family=list(families()), parse_math=False, **style
    )


def png(figure: Figure) -> bytes:
    """The figure drawn as PNG bytes, at the figure's own size (no tight cropping)."""
    buffer = io.BytesIO()
    with _DRAWING, rc_context({"text.hinting": "no_hinting"}):
        # The fastest zlib level: these flat-coloured pictures come out only a few % larger
        # than at the default level, in two thirds of the time.
        figure.savefig(buffer, format="png", dpi="figure", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def fitter(width: float, size: float, *, bold: bool = False) -> Callable[[str], bool]:
    """Whether a text fits in `width` inches at `size` points."""
    return lambda text: text_width(text, size, bold=bold) <= width


def lines_in(
    text: str, width: float, size: float, max_lines: int, *, bold: bool = False
) -> list[str]:
    """`text` made drawable and wrapped into `width` inches, at most `max_lines` lines."""
    return wrap(drawable(text, bold=bold), fitter(width, size, bold=bold), max_lines)


def line_in(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """`text` made drawable and clipped with an ellipsis to fit on one line of `width` inches."""
    return clip_to(drawable(text, bold=bold), fitter(width, size, bold=bold))


def line_height(size: float) -> float:
    """The height of one line of text at `size` points, in inches."""
    return size * LINE_HEIGHT / 72
