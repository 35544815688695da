"""Support value streams and segments, through the running bot: a support stream serves a step
(and loops are refused), a segment names a run of steps and follows them when steps move, and
summaries, compare, the card and the export give their numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from commands.picture_data import cycle_map
from storage.cycles import cycles_of
from storage.engine import make_engine
from storage.history import closed_metrics
from storage.streams import find_stream
from storage.tenant import Tenant
from templates.pictures.data import SupportFeed
from tests.e2e.measuring import answer, close, open_cycle
from tests.e2e.test_export import assert_export_shape, export_cli
from tests.e2e.vsm_commands import assert_shows_usage, define, ok, refused, send, shown
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

D = 86_400


def measure(slack: SlackDriver, stream: str, *lines: tuple[str, str]) -> str:
    thread = open_cycle(slack, f'measure "{stream}"')
    for text, person in lines:
        answer(slack, thread, text, person)
    return close(slack, stream)


@pytest.fixture
def claims(slack: SlackDriver) -> SlackDriver:
    define(
        slack,
        "Claims",
        '"Intake" people:<@UA>',
        '"Assessment" people:<@UB>',
        '"Approval" people:<@UC>',
        '"Payment" people:<@UD>',
    )
    define(slack, "IT access", '"Request" people:<@UE>', '"Grant" people:<@UF>')
    return slack


def measure_claims(slack: SlackDriver, approval_wait: str = "2d") -> str:
    return measure(
        slack,
        "Claims",
        ("1: wait 1d pt 1h ca 90%", "UA"),
        ("2: wait 3d pt 2h ca 80%", "UB"),
        (f"3: wait {approval_wait} pt 1h ca 95%", "UC"),
        ("4: wait 4d pt 30m ca 80%", "UD"),
    )


def measure_it(slack: SlackDriver, wait: str) -> str:
    return measure(
        slack, "IT access", (f"1: wait {wait} pt 1h ca 90%", "UE"), ("2: wait 1d pt 1h", "UF")
    )


def test_a_support_stream_serves_a_step_and_shows_its_numbers(claims: SlackDriver) -> None:
    reply = shown(ok(claims, 'support "IT access" serves:Claims step:2'))
    assert "*IT access* now serves step 2 Assessment of *Claims*" in reply
    card = shown(ok(claims, "show Claims"))
    assert "*Support streams*" in card
    assert "• step 2 Assessment ← *IT access*: not measured yet" in card
    measure_it(claims, "3d")
    measure_it(claims, "1d")
    card = shown(ok(claims, "show Claims"))
    assert (
        "• step 2 Assessment ← *IT access* (cycle 2): lead time 4.1 d → 2.1 d (−48.8% since"
        " cycle 1) · activity ratio 2% → 4% (+2 pts since cycle 1) · rolled %C&A 90% → 90%"
        " (±0 pts since cycle 1)"
    ) in card
    assert "*Serves*\n• *Claims*, step 2 Assessment" in shown(ok(claims, 'show "IT access"'))
    summary = measure_claims(claims)
    assert "• step 2 Assessment ← *IT access* (cycle 2): lead time 4.1 d → 2.1 d" in summary
    off = shown(ok(claims, 'support "IT access" serves:Claims step:2 off'))
    assert "no longer serves step 2 Assessment" in off
    assert "Support streams" not in shown(ok(claims, "show Claims"))


def test_a_support_loop_is_refused_with_the_reason(claims: SlackDriver) -> None:
    ok(claims, 'support "IT access" serves:Claims step:2')
    loop = refused(claims, 'support Claims serves:"IT access" step:1')
    assert "“IT access” already serves “Claims”, so “Claims” cannot serve it." in shown(loop)
    assert "cannot serve itself" in shown(refused(claims, "support Claims serves:Claims step:1"))
    assert "no step 9" in shown(refused(claims, 'support "IT access" serves:Claims step:9'))
    assert_shows_usage(refused(claims, 'support "IT access" serves:Claims'), "support")
    stranger = send(claims, 'support "IT access" serves:Claims step:3', user="USTRANGER")
    assert "Only the owners of *Claims*" in shown(stranger)


def test_segments_measure_their_own_steps_before_and_after(claims: SlackDriver) -> None:
    made = shown(ok(claims, 'segment Claims "Decision" steps:2-3 owner:<@UB>'))
    assert "Named the segment *Decision* of *Claims*: steps 2–3 (Assessment → Approval)" in made
    measure_claims(claims)
    summary = measure_claims(claims, approval_wait="1d")
    assert (
        "• *Decision* (steps 2–3, <@UB>): lead time 5.1 d → 4.1 d (−19.6% vs cycle 1)"
        " · process time 3 h → 3 h (±0% vs cycle 1)"
        " · activity ratio 2.4% → 3% (+0.6 pts vs cycle 1)"
        " · rolled %C&A 76% → 76% (±0 pts vs cycle 1)"
    ) in summary
    compared = shown(ok(claims, "compare Claims"))
    assert (
        "• *Decision* (steps 2–3, <@UB>): lead time 5.1 d → 4.1 d (−19.6% vs cycle 1)" in compared
    )
    card = shown(ok(claims, "show Claims"))
    assert "• *Decision* (steps 2–3, <@UB>): lead time 4.1 d · process time 3 h" in card


def test_a_segment_follows_its_steps_when_they_move(claims: SlackDriver) -> None:
    ok(claims, 'segment Claims "Decision" steps:2-3')
    moved = shown(ok(claims, "step move Claims 4 1"))
    assert "Segment *Decision*" not in moved  # a shift of positions alone is no change
    joined = shown(ok(claims, 'step add Claims "Review" at:4'))
    assert "Segment *Decision* now covers steps 3–5 (was steps 3–4)" in joined
    gone = shown(ok(claims, "step remove Claims 3"))
    assert "Segment *Decision* now covers steps 3–4 (was steps 3–5)" in gone
    ok(claims, "step remove Claims 3")
    last = shown(ok(claims, "step remove Claims 3"))
    assert "Segment *Decision* (steps 3–3) is gone: none of its steps is left." in last


def test_segment_bad_input_and_removal(claims: SlackDriver) -> None:
    assert "steps: is a run of steps like `2-4`" in shown(
        refused(claims, 'segment Claims "X" steps:two')
    )
    assert "steps 1 to 4; steps:3-7" in shown(refused(claims, 'segment Claims "X" steps:3-7'))
    assert "Say which steps it covers" in shown(refused(claims, 'segment Claims "X"'))
    assert "no segment “X”" in shown(refused(claims, 'segment Claims "X" off'))
    ok(claims, 'segment Claims "X" steps:4-3')
    removed = shown(ok(claims, 'segment Claims "X" off'))
    assert (
        "Removed the segment *X* of *Claims*; it covered steps 3–4 (Approval → Payment)." in removed
    )


def exported(slack: SlackDriver, database_url: str, stream: str) -> dict[str, Any]:
    result = export_cli(database_url, stream, "--format", "json", team=slack.team_id)
    assert result.returncode == 0, result.stderr
    export = json.loads(result.stdout)
    assert_export_shape(export)
    return export


def test_the_export_gives_support_and_segments(claims: SlackDriver, database_url: str) -> None:
    ok(claims, 'support "IT access" serves:Claims step:2')
    ok(claims, 'segment Claims "Decision" steps:2-3 owner:<@UB>')
    measure_claims(claims)
    export = exported(claims, database_url, "Claims")
    assert export["support"] == {
        "serves": [],
        "served_by": [{"stream": "IT access", "step": 2, "step_name": "Assessment"}],
    }
    assert export["segments"] == [{"name": "Decision", "first": 2, "last": 3, "owner": "UB"}]
    (segment,) = export["cycles"][0]["segments"]
    assert segment["name"] == "Decision"
    assert (segment["first"], segment["last"]) == (2, 3)
    assert (segment["wait_time_s"], segment["process_time_s"]) == (5 * D, 3 * 3600)
    assert segment["lead_time_s"] == 5 * D + 3 * 3600
    assert segment["rolled_ca"] == pytest.approx(0.8 * 0.95)
    it = exported(claims, database_url, "IT access")
    assert it["support"]["serves"] == [{"stream": "Claims", "step": 2, "step_name": "Assessment"}]


def test_the_map_shows_team_types_modes_segments_and_feeders(
    claims: SlackDriver, database_url: str, bot: BotProcess, tmp_path: Path
) -> None:
    for n, team in enumerate(("Front office", "Claims", "Claims", "Finance"), start=1):
        ok(claims, f'step edit Claims {n} team:"{team}"')
    ok(claims, "team Claims type:stream-aligned")
    ok(claims, "team Finance type:platform")
    ok(claims, "handoff Claims 4 mode:xaas")
    ok(claims, 'segment Claims "Decision" steps:2-3')
    ok(claims, 'support "IT access" serves:Claims step:2')
    measure_it(claims, "2d")
    measure_claims(claims)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            tenant = Tenant(team_id=claims.team_id)
            stream = find_stream(session=session, tenant=tenant, name="Claims")
            (cycle,) = cycles_of(session=session, tenant=tenant, stream=stream)
            drawn = cycle_map(session, tenant, stream, cycle, closed_metrics(cycle))
    finally:
        engine.dispose()
    assert [(s.team, s.team_type, s.handoff_mode, s.handoff_cross_team) for s in drawn.steps] == [
        ("Front office", None, None, None),
        ("Claims", "stream-aligned", None, True),
        ("Claims", "stream-aligned", None, False),
        ("Finance", "platform", "x-as-a-service", True),
    ]
    assert [(s.name, s.first, s.last) for s in drawn.segments] == [("Decision", 2, 3)]
    assert drawn.steps[1].supports == (SupportFeed("IT access", "3.1 d"),)
    out = tmp_path / "map.png"
    result = bot.run_cli(["map", "Claims", "--team", claims.team_id, "--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
