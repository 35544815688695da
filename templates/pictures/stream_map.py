"""The value stream map of one cycle as a PNG: boxes, the timeline ladder, the totals.

Read left to right and row by row: the trigger, the process boxes in order, the customer value;
under each row of boxes its part of the ladder (each step's wait on the upper rung, its process
time on the lower); the totals box at the right end of the last rung.
"""

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from templates.pictures import _map_parts as parts
from templates.pictures._canvas import MUTED, Sheet, line_in, lines_in, png
from templates.pictures._fonts import text_width
from templates.pictures._map_layout import (
    BOX_H,
    BOX_W,
    END_W,
    FEED_ARROW,
    GAP,
    LEGEND_LINE_H,
    MARGIN,
    SEGMENT_H,
    Layout,
    Row,
    feed_lines,
    feeder_height,
    figure_height,
    lay_out,
)
from templates.pictures._words import name_list
from templates.pictures.data import MapData, MapStep

TITLE_SIZE = 14.0
SUBTITLE_SIZE = 10.0
LEGEND_SIZE = 9.0
SWATCH = 0.16


def draw_map(data: MapData) -> bytes:
    """The value stream map of `data` as PNG bytes."""
    return png(build_map_figure(data))


def build_map_figure(data: MapData) -> Figure:
    """The figure `draw_map` renders, with the Agg canvas attached (its artists are on it)."""
    layout = lay_out(data)
    legend = _legend_rows(data, layout.width - 2 * MARGIN)
    sheet = Sheet(layout.width, figure_height(layout, len(legend)))
    _header(sheet, data, layout.width - 2 * MARGIN)
    for index, row in enumerate(layout.rows):
        _row(sheet, data, layout, index, row)
    _legend(sheet, legend, layout.legend_top)
    return sheet.figure


def _header(sheet: Sheet, data: MapData, width: float) -> None:
    title = line_in(data.stream, width, TITLE_SIZE, bold=True)
    sheet.text(MARGIN, MARGIN + 0.14, title, TITLE_SIZE, weight="bold")
    subtitle = f"Value stream map · {data.cycle} · times in {data.basis}"
    subtitle = line_in(subtitle, width, SUBTITLE_SIZE)
    sheet.text(MARGIN, MARGIN + 0.47, subtitle, SUBTITLE_SIZE, color=MUTED)


def _row(sheet: Sheet, data: MapData, layout: Layout, index: int, row: Row) -> None:
    first_row, last_row = index == 0, index == len(layout.rows) - 1
    start_x = MARGIN + END_W
    if first_row:
        parts.end_box(sheet, MARGIN, row.box_top, END_W, "Trigger", data.trigger)
    else:
        y = row.box_top + BOX_H / 2 - 0.16
        sheet.text(start_x - 0.08, y, "from the row above", 9.0, color=MUTED, ha="right")
    for placed in layout.brackets[index]:
        left = layout.box_left(_index_in_row(row, placed.first))
        right = layout.box_left(_index_in_row(row, placed.last)) + BOX_W
        y = row.segments_top + (placed.level + 1) * SEGMENT_H - 0.04
        name, open_left, open_right = (
            placed.segment.name,
            placed.continues_left,
            placed.continues_right,
        )
        parts.bracket(sheet, left, right, y, name, open_left, open_right)
    previous_right = MARGIN + END_W if first_row else start_x - 0.6
    for column, step in enumerate(row.steps):
        _step(sheet, layout, row, column, step, previous_right)
        previous_right = layout.box_left(column) + BOX_W
    parts.ladder(sheet, layout.box_left(0) - GAP, row.ladder_top, row.steps)
    parts.ladder_labels(sheet, layout.box_left(0) - GAP, row.ladder_top)
    end_x = layout.end_left
    y = row.box_top + BOX_H / 2
    if last_row:
        parts.arrow(sheet, (previous_right, y), (end_x, y), parts.EDGE, 1.1)
        parts.end_box(sheet, end_x, row.box_top, END_W, "Customer value", data.value)
        parts.totals_box(sheet, end_x, row.ladder_top, END_W, data.totals)
    else:
        parts.arrow(sheet, (previous_right, y), (previous_right + GAP * 0.8, y), parts.EDGE, 1.1)
        sheet.text(previous_right + GAP, y, "continues below", 9.0, color=MUTED, ha="left")


def _step(
    sheet: Sheet, layout: Layout, row: Row, column: int, step: MapStep, previous_right: float
) -> None:
    left = layout.box_left(column)
    if step.supports:
        top = row.tab_top - FEED_ARROW - feeder_height(feed_lines(step))
        parts.feeder(sheet, left, top, row.box_top, step.supports)
    if step.is_bottleneck:
        parts.bottleneck_tab(sheet, left, row.box_top, row.box_top - row.tab_top)
    parts.step_box(sheet, left, row.box_top, step)
    parts.handoff(sheet, previous_right, left, row.box_top, row.mode_top, step)


def _index_in_row(row: Row, position: int) -> int:
    return next(i for i, step in enumerate(row.steps) if step.position == position)


@dataclass(frozen=True)
class _Entry:
    """One legend entry: a swatch (a fill, an arrow or a mark) and its words."""

    label: str
    fill: str | None = None
    edge: str | None = None
    arrow: str | None = None
    mark: str | None = None
    hatch: bool = False

    def width(self) -> float:
        return SWATCH + 0.08 + text_width(self.label, LEGEND_SIZE) + 0.3


def _entries(data: MapData) -> list[_Entry]:
    steps = data.steps
    entries = [
        _Entry(f"{team_type} team", fill=colour, edge=parts.EDGE)
        for team_type, colour in parts.TEAM_COLOURS.items()
        if any(step.team_type == team_type for step in steps)
    ]
    if any(step.handoff_cross_team for step in steps):
        entries.append(_Entry("cross-team hand-off", arrow=parts.CROSS_TEAM))
    if any(step.carried_over for step in steps):
        entries.append(_Entry("carried over from an earlier cycle", mark=parts.CARRIED))
    if any(step.wait is None or step.process is None for step in steps):
        entries.append(_Entry("no value this cycle", hatch=True))
    return entries


def _legend_rows(data: MapData, width: float) -> list[list[_Entry] | str]:
    """Legend entries flowed into lines, then the partial-totals note wrapped (a str line)."""
    rows: list[list[_Entry] | str] = []
    current: list[_Entry] = []
    used = 0.0
    for entry in _entries(data):
        if current and used + entry.width() > width:
            rows.append(current)
            current, used = [], 0.0
        current.append(entry)
        used += entry.width()
    if current:
        rows.append(current)
    if data.totals.partial:
        missing = name_list(data.totals.missing_steps, "step", longest=40)
        note = f"Partial: the totals leave out {missing} (no wait or process time this cycle)."
        rows.extend(lines_in(note, width, LEGEND_SIZE, 2))
    return rows


def _legend(sheet: Sheet, rows: list[list[_Entry] | str], top: float) -> None:
    for number, row in enumerate(rows):
        y = top + (number + 0.5) * LEGEND_LINE_H
        if isinstance(row, str):
            sheet.text(MARGIN, y, row, LEGEND_SIZE)
            continue
        x = MARGIN
        for entry in row:
            _swatch(sheet, x, y, entry)
            sheet.text(x + SWATCH + 0.08, y, entry.label, LEGEND_SIZE)
            x += entry.width()


def _swatch(sheet: Sheet, x: float, y: float, entry: _Entry) -> None:
    if entry.fill:
        sheet.add(
            Rectangle(
                (x, y - SWATCH / 2),
                SWATCH,
                SWATCH,
                facecolor=entry.fill,
                edgecolor=entry.edge,
                lw=0.8,
            )
        )
    if entry.hatch:
        sheet.add(
            Rectangle(
                (x, y - 0.05),
                SWATCH,
                0.1,
                facecolor="white",
                edgecolor=parts.HATCH_EDGE,
                hatch="////",
                lw=0.8,
            )
        )
    if entry.arrow:
        parts.arrow(sheet, (x - 0.04, y), (x + SWATCH + 0.04, y), entry.arrow, 2.0)
    elif entry.mark:
        sheet.text(x + SWATCH / 2, y, entry.mark, LEGEND_SIZE + 2, ha="center", weight="bold")
