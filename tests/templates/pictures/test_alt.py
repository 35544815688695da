"""Alt text: plain sentences that state each picture's numbers, within Slack's 2,000 characters."""

from dataclasses import replace

import pytest

from templates.pictures import ALT_TEXT_MAX, digest_alt_text, map_alt_text, trend_alt_text
from templates.pictures.data import MapData, TrendImprovement
from tests.templates.pictures.samples import (
    EXAMPLE,
    HOSTILE_NAMES,
    digest_items,
    map_of,
    rows_cycle,
    trend_of,
    worked_map,
)
from vsm.metrics import measure_cycle


def test_the_map_s_alt_text_states_totals_bottleneck_and_every_step() -> None:
    data = worked_map()
    text = map_alt_text(data)
    totals = data.totals
    assert (
        f"Lead time {totals.lead_time}, process time {totals.process_time}, "
        f"activity ratio {totals.activity_ratio}, rolled %C&A {totals.rolled_ca}."
    ) in text
    assert "Bottleneck: step 4 Data migration, waiting 5 d." in text
    for step in data.steps:
        assert (
            f"Step {step.position} {step.name}: wait {step.wait}, "
            f"process time {step.process}, %C&A {step.ca}."
        ) in text
    assert len(text) <= ALT_TEXT_MAX


def test_a_missing_value_is_said_so_and_a_carried_one_marked() -> None:
    never = (*EXAMPLE[:4], ("Go-live check", 0, 0, 0.0))
    data = map_of(measure_cycle(rows_cycle(never)))
    text = map_alt_text(data)
    assert "Step 5 Go-live check: no wait, no process time, %C&A not rated." in text
    assert "Partial: the totals leave out Go-live check." in text
    carried = replace(data, steps=(replace(data.steps[0], wait_carried=True), *data.steps[1:]))
    assert f"wait {data.steps[0].wait} (carried over)" in map_alt_text(carried)


def fifty_steps(name: str) -> MapData:
    rows = tuple((f"{n} {name}", (n + 1) * 3600, 600, 0.9) for n in range(50))
    return map_of(measure_cycle(rows_cycle(rows)), stream=name * 10)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_fifty_steps_fit_and_say_how_many_were_left_out(name: str) -> None:
    data = fifty_steps(name)
    text = map_alt_text(data)
    assert len(text) <= ALT_TEXT_MAX
    listed = text.count("Step ")
    assert 0 < listed < 50
    assert text.endswith(f"{50 - listed} more steps not listed.")
    assert "\n" not in text
    assert "Lead time " in text


def test_the_trend_s_alt_text_states_the_first_and_latest_lead_time_and_change() -> None:
    data = replace(trend_of(6), change="−40.1% vs cycle 1")
    text = trend_alt_text(data)
    first, last = data.points[0], data.points[-1]
    assert (
        f"Baseline cycle 1: {first.lead_text}; latest cycle 6: {last.lead_text} "
        "(−40.1% vs cycle 1)."
    ) in text
    assert data.target is not None
    assert f"Target: {data.target.text} by {data.target.date_text}." in text
    assert f"Latest activity ratio {last.activity_ratio_text}" in text
    for improvement in data.improvements:
        assert f"Improvement #{improvement.number} {improvement.title}" in text


def test_one_cycle_is_the_baseline() -> None:
    data = trend_of(1, target=False, improvements=0)
    text = trend_alt_text(data)
    assert f"Cycle 1: {data.points[0].lead_text}, the baseline." in text
    assert "Target" not in text


def test_a_long_trend_fits_and_says_what_it_left_out() -> None:
    data = replace(
        trend_of(26),
        improvements=tuple(TrendImprovement(n, "Improve " * 30, n % 26 + 1) for n in range(60)),
    )
    text = trend_alt_text(data)
    assert len(text) <= ALT_TEXT_MAX
    assert text.endswith("more not listed.")
    assert data.points[-1].lead_text in text


@pytest.mark.parametrize("count", [1, 20, 60])
def test_the_digest_s_alt_text_names_streams_and_latest_lead_times(count: int) -> None:
    items = digest_items(count)
    text = digest_alt_text(items)
    assert len(text) <= ALT_TEXT_MAX
    assert text.startswith(f"Lead time per closed cycle for {count} stream")
    first = items[0]
    assert f"latest lead time {first.latest}" in text
    named = text.count("latest lead time ")
    if named < count:
        assert text.endswith(f"{count - named} more streams.")
    else:
        assert named == count
