"""The templates of causes of waiting, the value instrument, the portfolio and overlaps, at
their limits and full of `*_~<>&`: within Block Kit's limits, escaped once, never a person."""

from dataclasses import replace
from typing import Any

import pytest

from commands.latest import Latest
from commands.overlaps import OverlapGroup, OverlapRow, Overlaps
from commands.portfolio import Portfolio, PortfolioLine, PortfolioRanking, RankedImprovement
from commands.renderer import make_renderer
from commands.value import ValueRunResults
from templates import Renderer
from tests.templates.test_cycle_templates import (
    BIG_AFTER,
    BIG_BEFORE,
    BIG_ROWS,
    TWENTY,
    assert_slack_takes,
    hostile,
    steps_of,
    summary,
)
from vsm.alignment import summarize_value
from vsm.cycle_waits import step_waits
from vsm.durations import CALENDAR
from vsm.metrics import Answer, StepAnswers, measure_cycle
from vsm.value import MAX_DIMENSIONS, MAX_LAYERS, Choice, ValueAnswer
from vsm.waiting import wait_by_cause

LAYERS = tuple(Choice(f"l{n}", hostile(40, f"{n} ")) for n in range(MAX_LAYERS))
DIMENSIONS = tuple(Choice(f"d{n}", hostile(40, f"{n:02d} ")) for n in range(MAX_DIMENSIONS))


def answers() -> list[ValueAnswer]:
    """Fifty people in every layer, each with 100 points and a 300-character sentence."""
    found = []
    for n, layer in enumerate(LAYERS):
        for person in range(50):
            points = {d.key: 0 for d in DIMENSIONS}
            points[DIMENSIONS[(n + person) % MAX_DIMENSIONS].key] = 100
            found.append(ValueAnswer(layer.key, points, hostile(300, f"{person:02d} ")))
    return found


FULL_VALUE = ValueRunResults(
    3, 7, summarize_value(answers(), LAYERS, DIMENSIONS, 0.25), 2, 0.25, 0.1
)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return make_renderer()


def test_value_results_at_every_limit_fit_and_show_no_person(renderer: Renderer) -> None:
    payload = renderer.message("value_results.json.j2", stream=hostile(80), results=FULL_VALUE)

    assert_slack_takes(payload)
    text = "\n".join(block["text"]["text"] for block in payload["blocks"])
    assert "_and 45 more_" in text  # five sentences per layer, then how many more
    assert "U0" not in text


def test_too_few_answers_show_nothing_but_that(renderer: Renderer) -> None:
    few = [ValueAnswer("l0", {"d0": 100}, "Only mine.")] * 2
    results = ValueRunResults(1, None, summarize_value(few, LAYERS[:2], DIMENSIONS[:2]))

    payload = renderer.message("value_results.json.j2", stream="Onboarding", results=results)

    text = "\n".join(block["text"]["text"] for block in payload["blocks"])
    assert "_Alignment needs two layers with at least 3 people each._" in text
    assert text.count("_too few answers_") == 2
    assert "Only mine." not in text


@pytest.mark.parametrize(
    ("template", "data", "surface"),
    [
        ("value_instrument.json.j2", {"stream": hostile(80), "run_id": 9, "number": 3,
                                       "layers": LAYERS, "dimensions": DIMENSIONS}, "message"),
        ("value_posted.json.j2", {"stream": hostile(80), "number": 3, "channel_id": "C1",
                                   "cycle": 2, "posted": False}, "message"),
        ("value_setup_shown.json.j2", {"stream": hostile(80), "layers": LAYERS,
                                        "dimensions": DIMENSIONS, "own": True}, "message"),
        ("value_modal.json.j2", {"stream": hostile(80), "number": 3, "layers": LAYERS,
                                  "dimensions": DIMENSIONS, "metadata": '{"run": 9}',
                                  "mine": ValueAnswer("l1", {"d1": 100}, hostile(300))}, "modal"),
        ("value_edit_modal.json.j2", {"stream": hostile(80), "layers": LAYERS,
                                       "dimensions": DIMENSIONS, "metadata": "{}"}, "modal"),
    ],
)  # fmt: skip
def test_the_value_messages_and_forms_fit(
    renderer: Renderer, template: str, data: dict[str, Any], surface: str
) -> None:
    payload = (
        renderer.message(template, **data)
        if surface == "message"
        else renderer.view(template, **data)
    )
    assert_slack_takes(payload, surface)


def test_the_form_shows_the_persons_earlier_answer(renderer: Renderer) -> None:
    mine = ValueAnswer("l1", {"d0": 60, "d1": 40}, "Mine.")
    view = renderer.view(
        "value_modal.json.j2", stream="S", number=1, layers=LAYERS, dimensions=DIMENSIONS,
        metadata="{}", mine=mine,
    )  # fmt: skip

    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["layer"]["initial_option"]["value"] == "l1"
    assert (inputs["d_d0"]["initial_value"], inputs["d_d1"]["initial_value"]) == ("60", "40")
    assert "initial_value" not in inputs["d_d2"]
    assert inputs["sentence"]["initial_value"] == "Mine."


def test_a_summary_with_fifty_decision_points_and_a_value_run_fits(renderer: Renderer) -> None:
    causes = ("decision",) * 50
    steps = [
        StepAnswers(
            s.key, s.position, s.name,
            tuple(Answer(a.person, a.wait_s, a.process_s, a.ca, causes[s.key - 1])
                  for a in s.answers),
        )
        for s in steps_of(BIG_ROWS, TWENTY)
    ]  # fmt: skip
    metrics = measure_cycle(steps)
    waits = wait_by_cause(step_waits(metrics, steps))
    shown = replace(
        summary(BIG_AFTER, number=2, baseline=BIG_BEFORE, stream=hostile(80)),
        waits=waits,
        value=FULL_VALUE,
    )

    payload = renderer.message("cycle_summary.json.j2", summary=shown)

    assert_slack_takes(payload)
    text = "\n".join(b["text"]["text"] for b in payload["blocks"] if b.get("text"))
    assert "decision 100% (" in text
    assert "and 40 more — 100% of the wait is waiting for a decision." in text


def line(n: int) -> PortfolioLine:
    latest = Latest(CALENDAR, None, None, None, None, None, improving=(hostile(200),) * 5)
    return PortfolioLine(
        hostile(80, f"{n:02d} "), "C1", latest, 2.5, (hostile(200),) * 6, 0.4, 3, 0.25
    )


def test_a_portfolio_of_twenty_streams_and_its_ranking_fit(renderer: Renderer) -> None:
    portfolio = Portfolio("all", "C1", tuple(line(n) for n in range(20)), 7)
    item = RankedImprovement(
        hostile(80), CALENDAR, 12, hostile(200), hostile(80), "L", True, 86_400, 28_800.0,
        (hostile(200),) * 6,
    )  # fmt: skip
    ranking = PortfolioRanking("all", "C1", (item,) * 25, 20, 9)

    for template, data in (
        ("portfolio.json.j2", {"scope": "all", "channel_id": "C1", "streams": portfolio.streams,
                               "left_out": 7}),
        ("portfolio_ranking.json.j2", {"scope": "all", "channel_id": "C1",
                                       "items": ranking.items, "streams": 20, "left_out": 9}),
    ):  # fmt: skip
        assert_slack_takes(renderer.message(template, **data))


def test_fifteen_groups_of_overlaps_fit(renderer: Renderer) -> None:
    def row(n: int) -> OverlapRow:
        return OverlapRow(
            hostile(80), CALENDAR, n, hostile(80), hostile(80), n * 3600, 3600, (n + 1) * 3600,
            0.9, n == 1, n > 2, True,
        )  # fmt: skip

    groups = tuple(OverlapGroup(tuple(row(n) for n in range(1, 11)), True) for _ in range(15))

    payload = renderer.message("overlaps.json.j2", **Overlaps(groups, 40, 3).__dict__)

    assert_slack_takes(payload)
