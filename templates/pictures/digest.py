"""A channel's weekly digest picture: one small lead-time trend per stream, latest value written.

Small multiples on one shared layout: every sparkline starts its y axis at zero (a halving
looks like one) but each has its own scale, since streams differ by orders of magnitude.
"""

from collections.abc import Sequence
from math import ceil, nan

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from templates.pictures._canvas import INK, MUTED, Sheet, line_in, png
from templates.pictures.data import DigestTrend

WIDTH = 8.0
MARGIN = 0.2
HEADER_H = 0.55
CELL_H = 1.0
CELL_GAP = 0.15
SPARK_H = 0.4
LINE = "#1F4E79"
FRAME = "#DDDDDD"
MAX_ITEMS = 20


def draw_digest_trends(items: Sequence[DigestTrend]) -> bytes:
    """Small lead-time trends of a channel's streams (at most 20 shown) as PNG bytes."""
    return png(build_digest_figure(items))


def build_digest_figure(items: Sequence[DigestTrend]) -> Figure:
    """The figure `draw_digest_trends` renders, with the Agg canvas attached."""
    shown = list(items[:MAX_ITEMS])
    columns = 1 if len(shown) <= 3 else 2
    rows = max(ceil(len(shown) / columns), 1)
    height = MARGIN + HEADER_H + rows * CELL_H + (rows - 1) * CELL_GAP + MARGIN
    sheet = Sheet(WIDTH, height)
    title = "Lead time per closed cycle" + (
        f" · {len(shown)} of {len(items)} streams" if len(items) > len(shown) else ""
    )
    sheet.text(MARGIN, MARGIN + 0.16, title, 12, weight="bold")
    if not shown:
        sheet.text(MARGIN, MARGIN + HEADER_H + 0.3, "No streams yet.", 10, color=MUTED)
    cell_w = (WIDTH - 2 * MARGIN - (columns - 1) * CELL_GAP) / columns
    for index, item in enumerate(shown):
        row, column = divmod(index, columns)
        x = MARGIN + column * (cell_w + CELL_GAP)
        y = MARGIN + HEADER_H + row * (CELL_H + CELL_GAP)
        _cell(sheet, x, y, cell_w, item)
    return sheet.figure


def _cell(sheet: Sheet, x: float, y: float, width: float, item: DigestTrend) -> None:
    sheet.add(Rectangle((x, y), width, CELL_H, facecolor="white", edgecolor=FRAME, lw=1.0))
    pad = 0.1
    sheet.text(
        x + pad, y + 0.18, line_in(item.stream, width - 2 * pad, 10, bold=True), 10, weight="bold"
    )
    value_w = min(1.5, width * 0.4)
    spark_left, spark_w = x + pad, width - 3 * pad - value_w
    _sparkline(sheet, spark_left, y + 0.34, spark_w, SPARK_H, item.leads)
    right = x + width - pad
    latest = line_in(item.latest or "—", value_w, 13, bold=True)
    sheet.text(right, y + 0.5, latest, 13, weight="bold", ha="right", color=LINE)
    if item.change:
        sheet.text(
            right, y + 0.76, line_in(item.change, value_w, 8.5), 8.5, ha="right", color=MUTED
        )
    cycles = sum(1 for lead in item.leads if lead is not None)
    count = {0: "no closed cycle", 1: "1 cycle"}.get(len(item.leads), f"{len(item.leads)} cycles")
    if item.leads and cycles < len(item.leads):
        count += f", {len(item.leads) - cycles} without a lead time"
    sheet.text(spark_left, y + CELL_H - 0.14, count, 8.5, color=MUTED)


def _sparkline(
    sheet: Sheet,
    left: float,
    top: float,
    width: float,
    height: float,
    leads: tuple[float | None, ...],
) -> None:
    """The leads from zero at the bottom to the largest at the top; the latest dotted."""
    known = [lead for lead in leads if lead is not None]
    sheet.line([left, left + width], [top + height, top + height], FRAME, 0.8)
    if not known:
        return
    highest = max(max(known), 1e-9)
    step = width / max(len(leads) - 1, 1)
    xs = [left + i * step if len(leads) > 1 else left + width / 2 for i in range(len(leads))]
    ys = [nan if lead is None else top + height * (1 - lead / highest) for lead in leads]
    sheet.line(xs, ys, LINE, 1.6)
    last = max(i for i, lead in enumerate(leads) if lead is not None)
    sheet.add(Line2D([xs[last]], [ys[last]], marker="o", ms=4.5, color=LINE, ls="none"))
    first = next(i for i, lead in enumerate(leads) if lead is not None)
    if first != last:
        sheet.add(
            Line2D([xs[first]], [ys[first]], marker="o", ms=3.5, mfc="white", mec=INK, ls="none")
        )
