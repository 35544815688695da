"""The value stream map: a PNG of the right size that shows the core's numbers and marks.

Pixels are not compared: the texts the figure draws are read back from its artists.
"""

from collections import Counter
from dataclasses import replace
from math import ceil

import pytest
from matplotlib.text import Text

from templates.pictures.data import MapData, Segment, SupportFeed
from templates.pictures.stream_map import build_map_figure, draw_map
from tests.templates.pictures.samples import (
    EXAMPLE,
    HOSTILE_NAMES,
    many_rows,
    map_of,
    rows_cycle,
    worked_map,
)
from tests.templates.pictures.support import figure_pixels, no_warnings, png_size, texts
from vsm.durations import TimeBasis
from vsm.metrics import measure_cycle

MOST_PER_ROW = 6  # boxes in one row of the map, so that 50 steps stay legible
CARRIED_MARK = "†"
GAP_MARK = "—"


def map_of_steps(count: int) -> MapData:
    return map_of(measure_cycle(rows_cycle(many_rows(count))))


def rows_drawn(figure_texts: list[str]) -> int:
    # Every row but the last ends in "continues below".
    return figure_texts.count("continues below") + 1


@pytest.mark.parametrize("count", [1, 5, 6, 7, 12, 50])
def test_the_png_is_as_large_as_its_figure_and_rows_hold_at_most_six_boxes(count: int) -> None:
    data = map_of_steps(count)
    figure = build_map_figure(data)
    assert png_size(draw_map(data)) == figure_pixels(figure)
    assert rows_drawn(texts(figure)) == ceil(count / MOST_PER_ROW)


def test_wider_streams_wrap_into_taller_pictures_of_the_same_width() -> None:
    one, twelve, fifty = (png_size(draw_map(map_of_steps(n))) for n in (1, 12, 50))
    assert one[0] < twelve[0] == fifty[0]
    assert one[1] < twelve[1] < fifty[1]
    # The full picture is sharp when opened; Slack scales it down for the preview.
    assert 1500 <= twelve[0] <= 2000


def test_every_step_shows_its_wait_process_time_and_ca_and_the_totals_show() -> None:
    data = worked_map()
    shown = texts(build_map_figure(data))
    for step in data.steps:
        assert step.wait in shown
        assert step.process in shown
        assert f"%C&A {step.ca}" in shown
        assert any(line.startswith(f"{step.position}. ") for line in shown), step.name
    totals = data.totals
    for value in (totals.lead_time, totals.process_time, totals.activity_ratio, totals.rolled_ca):
        assert value in shown
    # The worked example's totals as VSM.md gives them, written by the core.
    assert (totals.lead_time, totals.activity_ratio, totals.rolled_ca) == (
        "12.5 d",
        "3.8%",
        "35.2%",
    )


def test_the_working_basis_is_named_and_its_days_shown() -> None:
    working = TimeBasis("working", 8, 5)
    data = map_of(measure_cycle(rows_cycle(EXAMPLE)), working)
    shown = texts(build_map_figure(data))
    assert any("working days" in line for line in shown)
    assert data.totals.lead_time in shown
    assert data.totals.lead_time.endswith(" wd")


def test_the_bottleneck_is_labelled_once_on_its_own_box() -> None:
    data = worked_map()
    shown = texts(build_map_figure(data))
    assert shown.count("bottleneck") == 1
    bottleneck = [step for step in data.steps if step.is_bottleneck]
    assert [step.name for step in bottleneck] == ["Data migration"]


def test_no_bottleneck_no_label() -> None:
    data = worked_map()
    calm = replace(data, steps=tuple(replace(s, is_bottleneck=False) for s in data.steps))
    assert "bottleneck" not in texts(build_map_figure(calm))


CARRIED_CASES = {
    "nothing carried": {},
    "a wait": {2: ("wait",)},
    "a process time": {3: ("process",)},
    "a rating": {5: ("ca",)},
    "everything of one step": {1: ("wait", "process", "ca")},
}


@pytest.mark.parametrize("carried", CARRIED_CASES.values(), ids=CARRIED_CASES.keys())
def test_the_carried_over_mark_is_on_carried_values_only(
    carried: dict[int, tuple[str, ...]],
) -> None:
    data = worked_map()
    steps = tuple(
        replace(
            step,
            wait_carried="wait" in carried.get(step.position, ()),
            process_carried="process" in carried.get(step.position, ()),
            ca_carried="ca" in carried.get(step.position, ()),
        )
        for step in data.steps
    )
    shown = texts(build_map_figure(replace(data, steps=steps)))
    expected: Counter[str] = Counter()
    for step in steps:
        expected.update(
            [f"{step.wait}{CARRIED_MARK}"] * step.wait_carried
            + [f"{step.process}{CARRIED_MARK}"] * step.process_carried
            + [f"%C&A {step.ca}{CARRIED_MARK}"] * step.ca_carried
        )
    # Values end in the mark; the legend's swatch is the mark alone.
    marked = Counter(line for line in shown if line.endswith(CARRIED_MARK) and line != CARRIED_MARK)
    assert marked == expected
    legend = "carried over from an earlier cycle"
    assert (legend in shown) == bool(carried)


def test_the_core_carries_a_value_over_and_the_map_marks_it() -> None:
    later = tuple(
        (name, 0, 0, 0.0) if n == 5 else (name, w, p, c)
        for n, (name, w, p, c) in enumerate(EXAMPLE, start=1)
    )
    metrics = measure_cycle(rows_cycle(later), [rows_cycle(EXAMPLE)])
    data = map_of(metrics)
    go_live = data.steps[4]
    shown = texts(build_map_figure(data))
    assert f"{go_live.wait}{CARRIED_MARK}" in shown
    assert f"{go_live.process}{CARRIED_MARK}" in shown
    assert f"%C&A {go_live.ca}{CARRIED_MARK}" in shown


def test_a_step_with_no_value_is_a_gap_never_a_zero() -> None:
    never = (*EXAMPLE[:4], ("Go-live check", 0, 0, 0.0))  # step 5 never measured
    data = map_of(measure_cycle(rows_cycle(never)))
    assert data.steps[4].wait is None
    assert data.steps[4].process is None
    shown = texts(build_map_figure(data))
    assert shown.count(GAP_MARK) == 2
    assert not [line for line in shown if line.split(" ")[0] in {"0", "0%"}]
    assert "no value this cycle" in shown
    assert "Totals (partial)" in shown
    assert any("leave out Go-live check" in line for line in shown)


def test_a_complete_map_has_no_gap_marks_or_partial_note() -> None:
    shown = texts(build_map_figure(worked_map()))
    assert GAP_MARK not in shown
    assert "Totals" in shown
    assert not any("partial" in line.lower() for line in shown)


def test_team_types_colour_boxes_with_a_legend_only_when_set() -> None:
    metrics = measure_cycle(rows_cycle(EXAMPLE))
    plain = texts(build_map_figure(map_of(metrics)))
    assert not any(line.endswith(" team") for line in plain)
    teams = {
        1: ("Sales ops", "stream-aligned"),
        2: ("Platform", "platform"),
        3: ("Sales ops", None),
    }
    shown = texts(build_map_figure(map_of(metrics, teams=teams)))
    assert "stream-aligned team" in shown
    assert "platform team" in shown
    assert "enabling team" not in shown
    assert shown.count("Sales ops") == 2


def test_hand_offs_segments_and_support_streams_are_drawn() -> None:
    data = worked_map()
    steps = list(data.steps)
    steps[1] = replace(steps[1], handoff_mode="x-as-a-service", handoff_cross_team=True)
    steps[2] = replace(steps[2], handoff_mode="collaboration", handoff_cross_team=False)
    steps[3] = replace(steps[3], supports=(SupportFeed("IT access", "3 d"), SupportFeed("Legal")))
    segments = (Segment("Onboarding", 1, 3), Segment("Go-live", 3, 5), Segment("Nowhere", 9, 12))
    shown = texts(build_map_figure(replace(data, steps=tuple(steps), segments=segments)))
    assert "X-as-a-Service" in shown
    assert "collaboration" in shown
    assert "facilitating" not in shown
    assert "cross-team hand-off" in shown
    assert "Onboarding" in shown
    assert "Go-live" in shown
    assert "Nowhere" not in shown  # covers no step of the stream
    assert "IT access · LT 3 d" in shown
    assert "Legal" in shown


def test_a_segment_across_two_rows_is_named_on_both() -> None:
    data = replace(map_of_steps(12), segments=(Segment("Middle", 4, 9),))
    shown = texts(build_map_figure(data))
    assert "Middle" in shown
    assert "Middle (cont.)" in shown


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_any_text_draws_without_a_warning(name: str) -> None:
    data = map_of(measure_cycle(rows_cycle(tuple((name, w, p, c) for _, w, p, c in EXAMPLE))))
    steps = tuple(replace(s, team=name, supports=(SupportFeed(name, "1 d"),)) for s in data.steps)
    hostile = replace(
        data,
        stream=name,
        trigger=name,
        value=name,
        steps=steps,
        segments=(Segment(name, 1, 5),),
        totals=replace(data.totals, partial=True, missing_steps=(name,)),
    )
    with no_warnings():
        picture = draw_map(hostile)
    assert png_size(picture)[0] > 0


def test_dollars_are_drawn_as_typed_not_as_mathtext() -> None:
    data = worked_map(stream="Costs $5 and $10")
    assert "Costs $5 and $10" in texts(build_map_figure(data))


def test_long_names_wrap_onto_three_lines_and_end_in_an_ellipsis() -> None:
    data = worked_map()
    long = "Überprüfung der Vertragsunterlagen " * 8
    steps = (replace(data.steps[0], name=long), *data.steps[1:])
    figure = build_map_figure(replace(data, steps=steps))
    name_text = next(
        text.get_text()
        for text in figure.findobj(Text)
        if isinstance(text, Text) and "Überprüfung" in text.get_text()
    )
    assert name_text.startswith("1.")
    assert len(name_text.split("\n")) == 3
    assert name_text.endswith("…")


def test_fifty_hostile_steps_draw() -> None:
    rows = tuple(
        (HOSTILE_NAMES[n % len(HOSTILE_NAMES)], (n + 1) * 3600, 600, 0.9) for n in range(50)
    )
    data = map_of(measure_cycle(rows_cycle(rows, people=20)))
    with no_warnings():
        width, height = png_size(draw_map(data))
    assert height > width
