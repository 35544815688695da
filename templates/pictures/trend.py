"""A stream's trend as a PNG: lead time per closed cycle, against its baseline and target.

Lead time is the line that matters and gets the left axis, starting at zero so that a
halving looks like one. Activity ratio and rolled %C&A share a right axis in percent.
Improvements are marked at the cycle that can first show their effect.
"""

from math import nan
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import Transform, offset_copy

from templates.pictures._canvas import INK, MUTED, Sheet, line_in, make_text, png
from templates.pictures._fonts import families
from templates.pictures._words import clip
from templates.pictures.data import TrendData, TrendPoint

WIDTH = 9.0
PLOT_TOP = 1.1
PLOT_H = 3.1
LEFT, RIGHT = 0.85, 0.8
BELOW_PLOT = 0.62  # tick labels and the axis label
LEGEND_ROW_H = 0.21
LEGEND_COLUMNS = 3
IMPROVEMENT_LINE_H = 0.2
MAX_LISTED = 5
SIZE = 9.5
LEAD = "#1F4E79"
RATIO = "#138D75"
ROLLED = "#8E44AD"
BASELINE = "#7F8C8D"
TARGET = "#27AE60"
IMPROVEMENT = "#D35400"
LABEL_ALL_UP_TO = 8  # points: beyond this only the first and latest lead times are written


def draw_trend(data: TrendData) -> bytes:
    """The trend of `data` as PNG bytes."""
    return png(build_trend_figure(data))


def build_trend_figure(data: TrendData) -> Figure:
    """The figure `draw_trend` renders, with the Agg canvas attached."""
    listed = _improvement_lines(data)
    handles = _handles(data)
    legend_h = -(-len(handles) // LEGEND_COLUMNS) * LEGEND_ROW_H + 0.12
    listed_h = len(listed) * IMPROVEMENT_LINE_H
    height = PLOT_TOP + PLOT_H + BELOW_PLOT + legend_h + listed_h + 0.2
    sheet = Sheet(WIDTH, height)
    height = sheet.height  # in whole pixels
    sheet.text(0.2, 0.28, line_in(data.stream, WIDTH - 0.4, 13, bold=True), 13, weight="bold")
    subtitle = f"Lead time per closed cycle, in {data.unit}"
    sheet.text(0.2, 0.58, line_in(subtitle, WIDTH - 0.4, 10), 10, color=MUTED)
    figure = sheet.figure
    bounds = (
        LEFT / WIDTH,
        (height - PLOT_TOP - PLOT_H) / height,
        (WIDTH - LEFT - RIGHT) / WIDTH,
        PLOT_H / height,
    )
    lead_axes = figure.add_axes(bounds)
    share_axes = lead_axes.twinx()
    _lead(lead_axes, data, figure)
    _shares(share_axes, data.points)
    _cycles(lead_axes, data, figure)
    _improvements(lead_axes, data)
    _legend(figure, handles, (height - PLOT_TOP - PLOT_H - BELOW_PLOT) / height)
    top = PLOT_TOP + PLOT_H + BELOW_PLOT + legend_h + 0.05
    for number, line in enumerate(listed):
        sheet.text(0.2, top + number * IMPROVEMENT_LINE_H, line, 9, color=INK)
    return figure


def _xs(points: tuple[TrendPoint, ...]) -> list[float]:
    return [float(point.cycle) for point in points]


def _lead(axes: Axes, data: TrendData, figure: Figure) -> None:
    points = data.points
    leads = [nan if p.lead is None else p.lead for p in points]
    axes.plot(_xs(points), leads, color=LEAD, lw=2.2, zorder=4)
    whole = [p for p in points if p.lead is not None and not p.partial]
    partial = [p for p in points if p.lead is not None and p.partial]
    style: dict[str, Any] = {
        "marker": "o",
        "ms": 6.5,
        "ls": "none",
        "zorder": 5,
        "mec": LEAD,
        "mew": 1.6,
    }
    axes.plot(_xs(tuple(whole)), [p.lead or 0.0 for p in whole], mfc=LEAD, **style)
    axes.plot(_xs(tuple(partial)), [p.lead or 0.0 for p in partial], mfc="white", **style)
    highest = max((p.lead for p in points if p.lead is not None), default=0.0)
    baseline = points[0] if points else None
    if baseline is not None and baseline.lead is not None:
        axes.axhline(baseline.lead, color=BASELINE, lw=1.2, ls="--", zorder=2)
    if data.target is not None:
        axes.axhline(data.target.lead, color=TARGET, lw=1.6, ls="-.", zorder=3)
        if data.target.cycle is not None:
            axes.plot(
                [data.target.cycle], [data.target.lead], marker="*", ms=13, color=TARGET, zorder=5
            )
        highest = max(highest, data.target.lead)
    axes.set_ylim(0, highest * 1.22 if highest > 0 else 1)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    unit = line_in(f"lead time ({data.unit})", PLOT_H, SIZE)  # along the axis: its height
    axes.set_ylabel(unit, fontsize=SIZE, color=LEAD, parse_math=False, family=list(families()))
    axes.tick_params(labelsize=SIZE)
    axes.grid(axis="y", color="#E5E5E5", lw=0.8)
    axes.set_axisbelow(True)
    _lead_labels(axes, data, figure)


def _lead_labels(axes: Axes, data: TrendData, figure: Figure) -> None:
    """Lead times written over the points: all of them, or the first and the latest."""
    points = [p for p in data.points if p.lead is not None]
    if len(points) > LABEL_ALL_UP_TO:
        points = [points[0], points[-1]]
    above = offset_copy(axes.transData, fig=figure, y=7, units="points")
    for point in points:
        text = line_in(point.lead_text, 1.2, SIZE, bold=True)
        _write(
            axes,
            point.cycle,
            point.lead or 0.0,
            text,
            above,
            ha="center",
            va="bottom",
            weight="bold",
            color=LEAD,
        )


def _write(
    axes: Axes,
    x: float,
    y: float,
    text: str,
    transform: Transform,
    *,
    size: float = SIZE,
    **style: str,
) -> None:
    """Text on the plot, drawn whole even where it passes the axes' edge."""
    artist = make_text(x, y, text, size, transform=transform, clip_on=False, zorder=6, **style)
    artist.set_path_effects([withStroke(linewidth=3, foreground="white")])  # over lines, legible
    axes.add_artist(artist)


def _shares(axes: Axes, points: tuple[TrendPoint, ...]) -> None:
    xs = _xs(points)
    ratio = [nan if p.activity_ratio is None else p.activity_ratio * 100 for p in points]
    rolled = [nan if p.rolled_ca is None else p.rolled_ca * 100 for p in points]
    axes.plot(xs, ratio, color=RATIO, lw=1.5, ls="--", marker="s", ms=3.5, zorder=3)
    axes.plot(xs, rolled, color=ROLLED, lw=1.5, ls=":", marker="^", ms=4, zorder=3)
    axes.set_ylim(0, 105)
    axes.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    axes.set_ylabel("activity ratio · rolled %C&A", fontsize=SIZE, color=MUTED)
    axes.tick_params(labelsize=SIZE, colors=MUTED)


def _cycles(axes: Axes, data: TrendData, figure: Figure) -> None:
    """The cycle axis: every cycle numbered, and labelled under its number while there is room."""
    cycles = [p.cycle for p in data.points]
    marks = [float(cycle) for cycle in cycles] + [float(i.cycle) for i in data.improvements]
    if data.target is not None and data.target.cycle is not None:
        marks.append(data.target.cycle)
    low, high = (min(marks), max(marks)) if marks else (1.0, 1.0)
    axes.set_xlim(low - 0.5, high + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=14, integer=True, min_n_ticks=1))
    labelled = len(cycles) <= LABEL_ALL_UP_TO and any(p.label.strip() for p in data.points)
    axes.set_xlabel("closed cycle", fontsize=SIZE, color=MUTED, labelpad=16 if labelled else 4)
    if not labelled:
        return
    below = offset_copy(axes.get_xaxis_transform(), fig=figure, y=-17, units="points")
    for point in data.points:
        label = line_in(point.label, 0.9, SIZE - 1)
        _write(
            axes, point.cycle, 0, label, below, size=SIZE - 1, ha="center", va="top", color=MUTED
        )


def _improvements(axes: Axes, data: TrendData) -> None:
    """A vertical marker per cycle where improvements show up, labelled with their numbers."""
    at: dict[int, list[int]] = {}
    for improvement in data.improvements:
        at.setdefault(improvement.cycle, []).append(improvement.number)
    top = axes.get_xaxis_transform()  # x in cycles, y in axes fractions
    previous: int | None = None
    raised = False
    for cycle in sorted(at):
        axes.axvline(cycle, color=IMPROVEMENT, lw=1.1, ls=":", zorder=2)
        label = " ".join(f"#{number}" for number in sorted(at[cycle]))
        # Labels of neighbouring cycles take turns on two heights so that they never overlap.
        raised = previous is not None and cycle - previous <= 1 and not raised
        _write(
            axes,
            cycle,
            1.075 if raised else 1.015,
            clip(label, 14),
            top,
            size=SIZE - 0.5,
            ha="center",
            va="bottom",
            color=IMPROVEMENT,
        )
        previous = cycle


def _legend(figure: Figure, handles: list[Line2D], top: float) -> None:
    legend = figure.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, top),
        ncols=LEGEND_COLUMNS,
        frameon=False,
        fontsize=SIZE - 0.5,
        handlelength=2.4,
    )
    for text in legend.get_texts():  # labels hold the caller's texts: never mathtext
        text.set_parse_math(False)
        text.set_fontfamily(list(families()))


def _handles(data: TrendData) -> list[Line2D]:
    """The legend's entries: what is drawn, with the baseline's and target's values."""
    last = data.points[-1] if data.points else None
    ratio = _latest("activity ratio", last.activity_ratio_text if last else None)
    rolled = _latest("rolled %C&A", last.rolled_ca_text if last else None)
    handles = [
        Line2D([], [], color=LEAD, lw=2.2, marker="o", label="lead time"),
        Line2D([], [], color=RATIO, lw=1.5, ls="--", marker="s", ms=3.5, label=ratio),
        Line2D([], [], color=ROLLED, lw=1.5, ls=":", marker="^", ms=4, label=rolled),
    ]
    first = data.points[0] if data.points else None
    if first is not None and first.lead is not None:
        label = f"baseline: cycle {first.cycle}, {line_in(first.lead_text, 1.2, SIZE)}"
        handles.append(Line2D([], [], color=BASELINE, lw=1.2, ls="--", label=label))
    if data.target is not None:
        when = f" by {data.target.date_text}" if data.target.date_text else ""
        label = line_in(f"target {data.target.text}{when}", 3.0, SIZE)
        handles.append(Line2D([], [], color=TARGET, lw=1.6, ls="-.", label=label))
    if any(p.partial for p in data.points):
        handles.append(
            Line2D(
                [],
                [],
                color=LEAD,
                marker="o",
                mfc="white",
                ls="none",
                label="partial cycle (a step had no value)",
            )
        )
    if data.improvements:
        handles.append(
            Line2D([], [], color=IMPROVEMENT, lw=1.1, ls=":", label="improvement shows up")
        )
    return handles


def _latest(name: str, value: str | None) -> str:
    return f"{name}, latest {line_in(value, 1.0, SIZE)}" if value else name


def _improvement_lines(data: TrendData) -> list[str]:
    """One line per improvement: its number, title and the cycle it shows up at."""
    ordered = sorted(data.improvements, key=lambda i: (i.cycle, i.number))
    lines = [
        line_in(f"#{i.number} {i.title}", WIDTH - 2.0, 9) + f" — from cycle {i.cycle}"
        for i in ordered[:MAX_LISTED]
    ]
    if len(ordered) > MAX_LISTED:
        lines[-1] = f"… and {len(ordered) - MAX_LISTED + 1} more improvements"
    return lines
