"""Where each part of the map goes, in inches: rows of boxes, bands above and below them.

A row holds at most `MAX_PER_ROW` steps, so that a 50-step stream is nine short rows rather
than one line too small to read; rows are balanced (7 steps make 4 + 3, not 6 + 1). Column 0
holds the trigger (later rows: where the flow comes from), the last column the customer
value and, under it, the totals box.
"""

from dataclasses import dataclass
from math import ceil

from templates.pictures.data import MapData, MapStep, Segment

MAX_PER_ROW = 6
MARGIN = 0.2
PITCH = 1.45  # one step column: box and the gap for the hand-off arrow before it
BOX_W = 1.15
GAP = PITCH - BOX_W
END_W = 1.8  # the trigger and customer-value columns, and the totals box
BOX_H = 1.22
HEADER_H = 0.78
SEGMENT_H = 0.3  # one level of segment brackets
FEED_LINE_H = 0.17
TAB_H = 0.2  # the bottleneck's tab above its box
MODE_H = 0.24  # the hand-off mode written under the gap
LADDER_H = 1.0
ROW_GAP = 0.3
LEGEND_LINE_H = 0.26
MAX_FEED_LINES = 3
FEED_ARROW = 0.16  # from the feeder box down to the step's box (or its bottleneck tab)


def feeder_height(lines: int) -> float:
    """The height of a feeder box of `lines` lines."""
    return lines * FEED_LINE_H + 0.04


@dataclass(frozen=True)
class Row:
    """One row of the map: its steps and the top of each of its bands (inches from the top)."""

    steps: tuple[MapStep, ...]
    segments_top: float
    tab_top: float
    box_top: float
    mode_top: float
    ladder_top: float


@dataclass(frozen=True)
class Placed:
    """A segment's bracket on one row: its level and the steps of this row it covers."""

    segment: Segment
    level: int
    first: int
    last: int
    continues_left: bool
    continues_right: bool


@dataclass(frozen=True)
class Layout:
    """The whole map's geometry."""

    per_row: int
    rows: tuple[Row, ...]
    brackets: tuple[tuple[Placed, ...], ...]  # per row
    width: float
    legend_top: float

    def box_left(self, index_in_row: int) -> float:
        """The left edge of the box at `index_in_row` (from 0)."""
        return MARGIN + END_W + index_in_row * PITCH + GAP

    @property
    def end_left(self) -> float:
        """The left edge of the right-hand column (customer value, totals)."""
        return MARGIN + END_W + self.per_row * PITCH + GAP


def split_rows(steps: tuple[MapStep, ...]) -> tuple[tuple[MapStep, ...], ...]:
    """The steps in balanced rows of at most `MAX_PER_ROW`, longer rows first."""
    if not steps:
        return ((),)
    count = ceil(len(steps) / MAX_PER_ROW)
    short, longer = divmod(len(steps), count)  # `longer` rows get one step more
    rows, start = [], 0
    for index in range(count):
        size = short + (1 if index < longer else 0)
        rows.append(steps[start : start + size])
        start += size
    return tuple(rows)


def segment_levels(
    segments: tuple[Segment, ...], positions: list[int]
) -> list[tuple[Segment, int]]:
    """Each segment that covers a step, with a level so that overlapping ones stack."""
    known = set(positions)
    usable = [s for s in segments if any(s.first <= p <= s.last for p in known)]
    usable.sort(key=lambda s: (s.first, -(s.last - s.first)))
    ends: list[int] = []  # per level, the last position taken so far
    placed: list[tuple[Segment, int]] = []
    for segment in usable:
        level = next((n for n, end in enumerate(ends) if end < segment.first), len(ends))
        if level == len(ends):
            ends.append(segment.last)
        else:
            ends[level] = segment.last
        placed.append((segment, level))
    return placed


def _row_brackets(
    row: tuple[MapStep, ...], levels: list[tuple[Segment, int]]
) -> tuple[Placed, ...]:
    if not row:
        return ()
    low, high = row[0].position, row[-1].position
    placed = []
    for segment, level in levels:
        first, last = max(segment.first, low), min(segment.last, high)
        if first > last:
            continue
        placed.append(Placed(segment, level, first, last, segment.first < low, segment.last > high))
    return tuple(placed)


def feed_lines(step: MapStep) -> int:
    """How many lines the step's feeder box holds (0: no feeder box)."""
    if not step.supports:
        return 0
    return min(len(step.supports), MAX_FEED_LINES) + 1  # a heading line


def lay_out(data: MapData) -> Layout:
    """The geometry of the map of `data`; the legend goes under it, from `legend_top`."""
    rows = split_rows(data.steps)
    per_row = max(len(rows[0]), 1)
    levels = segment_levels(data.segments, [step.position for step in data.steps])
    brackets = tuple(_row_brackets(row, levels) for row in rows)
    placed_rows: list[Row] = []
    y = MARGIN + HEADER_H
    for row, row_brackets in zip(rows, brackets, strict=True):
        segments_top = y
        y += SEGMENT_H * (max((b.level for b in row_brackets), default=-1) + 1)
        lines = max((feed_lines(step) for step in row), default=0)
        y += feeder_height(lines) + FEED_ARROW + 0.06 if lines else 0
        tab_top = y
        y += TAB_H if any(step.is_bottleneck for step in row) else 0.04
        box_top = y
        y += BOX_H
        mode_top = y
        y += MODE_H if any(step.handoff_mode for step in row) else 0.06
        ladder_top = y
        placed_rows.append(Row(row, segments_top, tab_top, box_top, mode_top, ladder_top))
        y += LADDER_H + ROW_GAP
    width = 2 * MARGIN + 2 * END_W + per_row * PITCH + GAP
    return Layout(per_row, tuple(placed_rows), brackets, width, y - ROW_GAP / 2)


def figure_height(layout: Layout, legend_lines: int) -> float:
    """The figure's height in inches: the rows, then the legend and a margin."""
    return layout.legend_top + legend_lines * LEGEND_LINE_H + MARGIN
