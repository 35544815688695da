"""The parts of the map, each drawn where the layout put it: boxes, rungs, arrows, brackets."""

from math import nan

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from templates.pictures._canvas import INK, MUTED, Sheet, line_height, line_in, lines_in
from templates.pictures._fonts import text_width
from templates.pictures._map_layout import (
    BOX_H,
    BOX_W,
    FEED_LINE_H,
    GAP,
    LADDER_H,
    MAX_FEED_LINES,
    PITCH,
    feeder_height,
)
from templates.pictures.data import MODE_LABELS, MapStep, MapTotals, SupportFeed, TeamType

CARRIED = "†"
GAP_MARK = "—"
BOTTLENECK = "#C0392B"
CROSS_TEAM = "#D35400"
EDGE = "#444444"
HATCH_EDGE = "#999999"
TEAM_COLOURS: dict[TeamType, str] = {
    "stream-aligned": "#FFE39A",
    "enabling": "#E3CFF0",
    "complicated-subsystem": "#FFC9A6",
    "platform": "#C7DDF5",
}
NO_TEAM_TYPE = "#FFFFFF"
END_FILL = "#F2F2F2"
FEED_W = PITCH - 0.1
PAD = 0.06
SIZE = 9.0
NAME_SIZE = 9.5
VALUE_SIZE = 11.0  # the ladder's numbers: what a reader looks for first
TOTALS_SIZE = 9.5
UPPER = 0.3  # the wait rung, below the ladder band's top
LOWER = LADDER_H - 0.3  # the process-time rung


def people_text(count: int) -> str:
    """`1 person`, `3 people`; never a zero on the map."""
    return {0: "no one named", 1: "1 person"}.get(count, f"{count} people")


def marked(text: str, carried: bool) -> str:
    """A value with the carried-over mark when it comes from an earlier cycle."""
    return f"{text}{CARRIED}" if carried else text


def step_box(sheet: Sheet, x: float, y: float, step: MapStep) -> None:
    """The process box: name, team, people and %C&A received; the bottleneck outlined in red."""
    fill = TEAM_COLOURS[step.team_type] if step.team_type else NO_TEAM_TYPE
    edge, width = (BOTTLENECK, 2.6) if step.is_bottleneck else (EDGE, 1.0)
    sheet.add(Rectangle((x, y), BOX_W, BOX_H, facecolor=fill, edgecolor=edge, lw=width))
    inner = BOX_W - 2 * PAD
    name = lines_in(f"{step.position}. {step.name}", inner, NAME_SIZE, 3, bold=True)
    sheet.text(x + PAD, y + PAD, "\n".join(name), NAME_SIZE, weight="bold", va="top")
    if step.team:
        team = lines_in(step.team, inner, SIZE, 2 if len(name) < 3 else 1)
        team_y = y + PAD + len(name) * line_height(NAME_SIZE) + 0.02
        sheet.text(x + PAD, team_y, "\n".join(team), SIZE, style="italic", va="top")
    ca = line_in(marked(f"%C&A {step.ca}", step.ca_carried), inner, SIZE)
    sheet.text(x + PAD, y + BOX_H - PAD, f"{people_text(step.people)}\n{ca}", SIZE, va="bottom")


def bottleneck_tab(sheet: Sheet, x: float, box_top: float, height: float) -> None:
    """A red tab saying "bottleneck" on top of the box."""
    sheet.add(Rectangle((x, box_top - height), BOX_W * 0.78, height, facecolor=BOTTLENECK, lw=0))
    sheet.text(x + PAD, box_top - height / 2, "bottleneck", SIZE, color="white", weight="bold")


def end_box(sheet: Sheet, x: float, y: float, width: float, heading: str, text: str) -> None:
    """The trigger or customer-value box: a heading and the text, wrapped to fit."""
    style = "round,pad=0,rounding_size=0.08"
    sheet.add(FancyBboxPatch((x, y), width, BOX_H, boxstyle=style, fc=END_FILL, ec=EDGE, lw=1.0))
    sheet.text(x + PAD, y + PAD, heading, SIZE, color=MUTED, weight="bold", va="top")
    lines = lines_in(text, width - 2 * PAD, SIZE, 5)
    sheet.text(x + PAD, y + PAD + line_height(SIZE) + 0.03, "\n".join(lines), SIZE, va="top")


def feeder(
    sheet: Sheet, x: float, top: float, box_top: float, supports: tuple[SupportFeed, ...]
) -> None:
    """A small box naming the support streams that feed the step, with an arrow into it."""
    size, width = SIZE - 0.5, FEED_W
    left = x + (BOX_W - width) / 2  # a little wider than the box: names need the room
    lines = [_feed_line(feed, width - 2 * PAD, size) for feed in supports[:MAX_FEED_LINES]]
    if len(supports) > MAX_FEED_LINES:
        lines[-1] = f"+ {len(supports) - MAX_FEED_LINES + 1} more"
    height = feeder_height(len(lines) + 1)
    sheet.add(Rectangle((left, top), width, height, fc="white", ec=EDGE, lw=0.8, ls="--"))
    sheet.text(left + PAD, top + 0.02, "support", size, color=MUTED, va="top")
    body = "\n".join(lines)
    sheet.text(left + PAD, top + 0.02 + FEED_LINE_H, body, size, va="top", linespacing=1.2)
    into = x + BOX_W - 0.16  # right of a bottleneck tab
    arrow(sheet, (into, top + height), (into, box_top), EDGE, 1.0)


def _feed_line(feed: SupportFeed, width: float, size: float) -> str:
    """The support stream's name, cut to leave room for its lead time after it."""
    lead = f" · LT {feed.lead_time}" if feed.lead_time else ""
    return line_in(feed.name, width - text_width(lead, size), size) + lead


def arrow(
    sheet: Sheet, start: tuple[float, float], end: tuple[float, float], colour: str, width: float
) -> None:
    """An arrow from `start` to `end`."""
    sheet.add(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=11,
            shrinkA=0,
            shrinkB=0,
            color=colour,
            lw=width,
        )
    )


def handoff(
    sheet: Sheet, x_from: float, x_to: float, box_top: float, mode_top: float, step: MapStep
) -> None:
    """The arrow into the step's box, orange when work crosses teams, its mode written under it."""
    cross = step.handoff_cross_team is True
    y = box_top + BOX_H / 2
    arrow(sheet, (x_from, y), (x_to, y), CROSS_TEAM if cross else EDGE, 2.0 if cross else 1.1)
    if step.handoff_mode:
        label = MODE_LABELS[step.handoff_mode]
        sheet.text((x_from + x_to) / 2, mode_top + 0.12, label, SIZE, color=MUTED, ha="center")


def bracket(
    sheet: Sheet, left: float, right: float, y: float, name: str, open_left: bool, open_right: bool
) -> None:
    """A segment's bracket over its steps, its name above; an open end where it continues."""
    tick = 0.08
    xs, ys = [left, left, right, right], [y + tick, y, y, y + tick]
    if open_left:
        xs, ys = xs[1:], ys[1:]
    if open_right:
        xs, ys = xs[:-1], ys[:-1]
    sheet.line(xs, ys, INK, 1.1)
    label = line_in(name + (" (cont.)" if open_left else ""), right - left, SIZE)
    sheet.text((left + right) / 2, y - 0.02, label, SIZE, ha="center", va="bottom")


def ladder(sheet: Sheet, first_left: float, top: float, steps: tuple[MapStep, ...]) -> None:
    """A row's part of the timeline: per step its wait on the upper rung, its process time on
    the lower; a hatched gap and "—" where a step has no value, never a zero."""
    red: tuple[float, float] | None = None  # the bottleneck's wait rung, drawn over the rest
    xs: list[float] = []
    ys: list[float] = []
    upper, lower = top + UPPER, top + LOWER
    for index, step in enumerate(steps):
        left = first_left + index * PITCH
        middle, right = left + PITCH / 2, left + PITCH
        segments = [((middle, upper), (middle, lower))]
        if step.wait is not None:
            segments.append(((left, upper), (middle, upper)))
        if step.process is not None:
            segments.append(((middle, lower), (right, lower)))
        if index < len(steps) - 1:
            segments.append(((right, lower), (right, upper)))
        for (x0, y0), (x1, y1) in segments:
            xs += [x0, x1, nan]
            ys += [y0, y1, nan]
        wait_colour = BOTTLENECK if step.is_bottleneck else INK
        if step.is_bottleneck and step.wait is not None:
            red = (left, middle)
        _label(sheet, left, middle, upper, step.wait, step.wait_carried, wait_colour, above=True)
        _label(sheet, middle, right, lower, step.process, step.process_carried, INK, above=False)
    sheet.line(xs, ys, EDGE, 1.6)
    if red is not None:
        sheet.line(red, [upper, upper], BOTTLENECK, 3.0)


def _label(
    sheet: Sheet,
    left: float,
    right: float,
    y: float,
    value: str | None,
    carried: bool,
    colour: str,
    *,
    above: bool,
) -> None:
    va = "bottom" if above else "top"
    if value is None:
        sheet.add(
            Rectangle(
                (left, y - 0.06),
                right - left,
                0.12,
                fc="white",
                ec=HATCH_EDGE,
                hatch="////",
                lw=0.8,
            )
        )
        y = y - 0.1 if above else y + 0.1
        sheet.text((left + right) / 2, y, GAP_MARK, VALUE_SIZE, color=MUTED, ha="center", va=va)
        return
    text = line_in(marked(value, carried), right - left + GAP / 2, VALUE_SIZE, bold=True)
    y = y - 0.05 if above else y + 0.05
    sheet.text(
        (left + right) / 2, y, text, VALUE_SIZE, color=colour, ha="center", va=va, weight="bold"
    )


def ladder_labels(sheet: Sheet, right: float, top: float) -> None:
    """ "wait" and "process" at the left end of a row's ladder."""
    sheet.text(right - 0.08, top + UPPER, "wait", SIZE, color=MUTED, ha="right")
    sheet.text(right - 0.08, top + LOWER, "process", SIZE, color=MUTED, ha="right")


def totals_box(sheet: Sheet, x: float, y: float, width: float, totals: MapTotals) -> None:
    """Lead time, process time, activity ratio and rolled %C&A at the right end of the ladder."""
    sheet.add(Rectangle((x, y), width, LADDER_H, facecolor="white", edgecolor=INK, lw=1.4))
    heading = "Totals (partial)" if totals.partial else "Totals"
    sheet.text(x + PAD, y + PAD, heading, SIZE, color=MUTED, weight="bold", va="top")
    rows = (
        ("Lead time", totals.lead_time),
        ("Process time", totals.process_time),
        ("Activity ratio", totals.activity_ratio),
        ("Rolled %C&A", totals.rolled_ca),
    )
    top = y + PAD + line_height(SIZE) + 0.03
    size = TOTALS_SIZE  # one size for labels and values, so that their lines stay level
    labels = "\n".join(label for label, _ in rows)
    sheet.text(x + PAD, top, labels, size, va="top", linespacing=1.3)
    values = "\n".join(
        line_in(value, width - 2 * PAD - text_width(label, size) - 0.1, size, bold=True)
        for label, value in rows
    )
    sheet.text(
        x + width - PAD, top, values, size, ha="right", va="top", weight="bold", linespacing=1.3
    )
