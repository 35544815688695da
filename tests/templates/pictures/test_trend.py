"""The trend: lead time per closed cycle with its baseline, target, improvements and gaps."""

from dataclasses import replace
from math import isnan

import pytest
from matplotlib.lines import Line2D

from templates.pictures.data import TrendData, TrendImprovement
from templates.pictures.trend import build_trend_figure, draw_trend
from tests.templates.pictures.samples import HOSTILE_NAMES, trend_of
from tests.templates.pictures.support import (
    drawn,
    figure_pixels,
    lines,
    no_warnings,
    png_size,
    texts,
)


def lead_line(data: TrendData) -> tuple[list[float], list[float]]:
    """The x and y of the line that joins the lead times, read from the drawn figure."""
    cycles = [float(point.cycle) for point in data.points]
    figure = build_trend_figure(data)
    for line in lines(figure):
        xs = [float(x) for x in line.get_xdata()]
        if xs == cycles and line.get_linestyle() == "-":
            return xs, [float(y) for y in line.get_ydata()]
    raise AssertionError("no line through every cycle")


def plotted(data: TrendData) -> list[Line2D]:
    """The lines drawn on the lead-time axes (not its ticks or grid)."""
    return list(build_trend_figure(data).axes[0].get_lines())


def vertical_lines_at(data: TrendData) -> set[float]:
    found = set()
    for line in plotted(data):
        xs = list(line.get_xdata())
        ys = list(line.get_ydata())
        if len(xs) == 2 and xs[0] == xs[1] and ys == [0, 1]:
            found.add(float(xs[0]))
    return found


def horizontal_lines_at(data: TrendData) -> set[float]:
    found = set()
    for line in plotted(data):
        xs = list(line.get_xdata())
        ys = list(line.get_ydata())
        if len(ys) == 2 and ys[0] == ys[1] and xs == [0, 1]:
            found.add(float(ys[0]))
    return found


@pytest.mark.parametrize("cycles", [1, 2, 8, 9, 26])
def test_the_png_is_as_large_as_its_figure(cycles: int) -> None:
    data = trend_of(cycles)
    assert png_size(draw_trend(data)) == figure_pixels(build_trend_figure(data))


@pytest.mark.parametrize("cycles", [1, 5, 26])
def test_the_line_goes_through_every_cycle_s_lead_time(cycles: int) -> None:
    data = trend_of(cycles)
    xs, ys = lead_line(data)
    assert xs == [float(point.cycle) for point in data.points]
    assert ys == [point.lead for point in data.points]


@pytest.mark.parametrize("cycles", [1, 5, 26])
def test_the_first_and_latest_lead_times_are_written(cycles: int) -> None:
    data = trend_of(cycles)
    shown = texts(drawn(lambda: build_trend_figure(data)))
    first, latest = data.points[0], data.points[-1]
    assert first.lead_text in shown
    assert latest.lead_text in shown
    assert f"baseline: cycle 1, {first.lead_text}" in shown


def test_few_cycles_write_every_lead_time_and_label_many_only_the_ends() -> None:
    few = trend_of(6)
    shown = texts(build_trend_figure(few))
    for point in few.points:
        assert point.lead_text in shown
        assert point.label in shown
    many = trend_of(26)
    shown = texts(build_trend_figure(many))
    middle = {p.lead_text for p in many.points[1:-1]} - {
        many.points[0].lead_text,
        many.points[-1].lead_text,
    }
    assert middle
    assert not middle & set(shown)


def test_the_baseline_is_a_line_at_the_first_lead_time() -> None:
    data = trend_of(8, target=False)
    assert horizontal_lines_at(data) == {data.points[0].lead}


@pytest.mark.parametrize("cycles", [1, 26])
def test_the_target_is_a_line_with_its_date_when_set(cycles: int) -> None:
    data = trend_of(cycles)
    assert data.target is not None
    shown = texts(build_trend_figure(data))
    assert f"target {data.target.text} by {data.target.date_text}" in shown
    assert data.target.lead in horizontal_lines_at(data)
    without = trend_of(cycles, target=False)
    assert not [line for line in texts(build_trend_figure(without)) if "target" in line]
    assert horizontal_lines_at(without) == {without.points[0].lead}


def test_the_target_date_falls_inside_the_cycle_axis() -> None:
    data = trend_of(5)
    assert data.target is not None
    assert data.target.cycle is not None
    figure = build_trend_figure(data)
    low, high = figure.axes[0].get_xlim()
    assert low < 1
    assert data.target.cycle < high


IMPROVEMENTS = {
    "none": (),
    "one": ((1, 2),),
    "two at one cycle": ((1, 3), (2, 3)),
    "neighbours": ((1, 2), (2, 3), (3, 4)),
    "after the latest cycle": ((4, 7),),
}


@pytest.mark.parametrize("done", IMPROVEMENTS.values(), ids=IMPROVEMENTS.keys())
def test_improvements_are_marked_at_the_cycle_they_show_up(
    done: tuple[tuple[int, int], ...],
) -> None:
    base = trend_of(6)
    data = replace(
        base, improvements=tuple(TrendImprovement(n, f"Change {n}", at) for n, at in done)
    )
    assert vertical_lines_at(data) == {float(at) for _, at in done}
    shown = texts(build_trend_figure(data))
    markers = [line.split() for line in shown if all(w.startswith("#") for w in line.split())]
    for number, at in done:
        assert any(f"#{number}" in marker for marker in markers)
        assert f"#{number} Change {number} — from cycle {at}" in shown
    if done:
        high = build_trend_figure(data).axes[0].get_xlim()[1]
        assert max(at for _, at in done) < high


def test_a_cycle_without_a_lead_time_breaks_the_line() -> None:
    data = trend_of(6, missing=(3,))
    _, ys = lead_line(data)
    assert isnan(ys[2])
    assert not any(isnan(y) for n, y in enumerate(ys) if n != 2)


def test_partial_cycles_are_hollow_points_in_the_legend() -> None:
    data = trend_of(6, partial=(2, 5))
    figure = build_trend_figure(data)
    hollow = [
        [float(x) for x in line.get_xdata()]
        for line in lines(figure)
        if line.get_markerfacecolor() == "white"
        and line.get_xdata() is not None
        and len(line.get_xdata()) > 0
    ]
    assert [2.0, 5.0] in hollow
    assert "partial cycle (a step had no value)" in texts(figure)
    whole = trend_of(6)
    assert "partial cycle (a step had no value)" not in texts(build_trend_figure(whole))


def test_the_latest_shares_are_in_the_legend() -> None:
    data = trend_of(4)
    shown = texts(build_trend_figure(data))
    assert f"activity ratio, latest {data.points[-1].activity_ratio_text}" in shown
    assert f"rolled %C&A, latest {data.points[-1].rolled_ca_text}" in shown


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_any_text_draws_without_a_warning(name: str) -> None:
    base = trend_of(5)
    data = replace(
        base,
        stream=name,
        unit=name,
        points=tuple(replace(p, label=name, lead_text=name[:8]) for p in base.points),
        improvements=(TrendImprovement(1, name, 3),),
        target=replace(base.target, date_text=name) if base.target else None,
    )
    with no_warnings():
        assert png_size(draw_trend(data))[0] > 0


def test_cycles_without_any_lead_time_draw_an_empty_line() -> None:
    base = trend_of(3, target=False, improvements=0)
    data = replace(base, points=tuple(replace(p, lead=None) for p in base.points))
    _, ys = lead_line(data)
    assert all(isnan(y) for y in ys)
    with no_warnings():
        assert png_size(draw_trend(data))[0] > 0
    assert not [line for line in texts(build_trend_figure(data)) if line.startswith("baseline")]
