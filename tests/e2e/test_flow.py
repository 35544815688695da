"""The flow's structure in numbers, through the running bot: VSM.md's claims example measured
twice, with a structural change between — the summary, `/vsm compare` and `/vsm show` say
where between teams the work waits, and what changed in the structure."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.measuring import answer, close, flat, open_cycle
from tests.e2e.test_export import assert_export_shape, export_cli
from tests.e2e.vsm_commands import define, ok, shown
from tests.support.driver import SlackDriver

STREAM = "Claims"
# VSM.md's worked example: (step, team, person, wait, PT, %C&A).
CLAIMS = (
    ("Intake", "Front office", "UFO", "1d", "1h", "90%"),
    ("Assessment", "Claims", "UCL", "3d", "2h", "80%"),
    ("Approval", "Claims", "UCM", "2d", "1h", "95%"),
    ("Payment", "Finance", "UFI", "4d", "30m", "80%"),
)


def measure(slack: SlackDriver, waits: tuple[str, ...] | None = None) -> str:
    thread = open_cycle(slack, f"measure {STREAM}")
    for position, (_, _, person, wait, pt, ca) in enumerate(CLAIMS, start=1):
        given = waits[position - 1] if waits else wait
        answer(slack, thread, f"{position}: wait {given}, pt {pt}, ca {ca}", person)
    return close(slack, STREAM)


@pytest.fixture
def claims(slack: SlackDriver) -> SlackDriver:
    define(
        slack,
        STREAM,
        *(f'"{step}" team:"{team}" people:<@{person}>' for step, team, person, *_ in CLAIMS),
    )
    ok(slack, f"handoff {STREAM} 4 mode:x-as-a-service")
    return slack


def test_summary_says_where_between_teams_the_work_waits(claims: SlackDriver) -> None:
    summary = measure(claims)
    assert "*Where the work waits between teams*" in summary
    assert "• Cross-team hand-offs: 70% of the wait (7 d at 2 of 2)" in summary
    assert "• Within-team hand-offs: 20% of the wait (2 d at 1 of 1)" in summary
    assert "• Before step 1 (waiting on the trigger): 10% of the wait (1 d)" in summary
    assert (
        "By interaction mode: X-as-a-Service: 1 hand-off, wait 4 d, median %C&A 80%"
        " · no mode agreed: 2 hand-offs, wait 5 d, median %C&A 87.5%"
    ) in summary
    assert "Longest wait: Claims → Finance (X-as-a-Service) into step 4 Payment, 4 d." in summary
    assert "Lowest %C&A: Front office → Claims into step 2 Assessment, 80%." in summary
    assert (
        ":mag: 70% of the wait sits at 2 of 2 cross-team hand-offs. Claims → Finance"
        " (X-as-a-Service) waits 4 d and 80% of what arrives is usable."
    ) in summary


def test_a_structural_change_is_named_beside_the_flow_it_went_with(claims: SlackDriver) -> None:
    measure(claims)
    # The team merges approval into a collaboration with Finance; payment waits less.
    ok(claims, f'step edit {STREAM} 3 team:"Finance"')
    ok(claims, f"handoff {STREAM} 3 mode:collaboration")
    ok(claims, "team Finance type:platform")
    summary = measure(claims, ("1d", "3d", "2d", "1d"))
    # Total wait 7 d: cross-team 5 d (into 2 and into 3), within-team 1 d, before 1 d.
    assert (
        "• Cross-team hand-offs: 71.4% of the wait (5 d at 2 of 2)"
        " · 70% → 71.4% (+1.4 pts vs cycle 1)" in summary
    )
    assert (
        "• Within-team hand-offs: 14.3% of the wait (1 d at 1 of 1)"
        " · 20% → 14.3% (−5.7 pts vs cycle 1)" in summary
    )
    assert "*What changed in the structure since cycle 1*" in summary
    assert "• *Approval*: team Claims → Finance" in summary
    assert "• hand-off into *Approval*: no mode agreed → collaboration" in summary
    assert "• team *Finance*: type not set → platform" in summary
    compared = shown(ok(claims, f"compare {STREAM}"))
    assert "• *Approval*: team Claims → Finance" in compared
    assert "70% → 71.4% (+1.4 pts vs cycle 1)" in compared
    card = shown(ok(claims, f"show {STREAM}"))
    assert "• into 3. Approval: Claims → Finance · cross-team · collaboration" in card
    assert "• into 4. Payment: Finance → Finance · within-team · X-as-a-Service" in card
    assert "_In cycle 2:_" in card
    assert "• Cross-team hand-offs: 71.4% of the wait (5 d at 2 of 2)" in card


def test_compare_says_when_the_structure_did_not_change(claims: SlackDriver) -> None:
    measure(claims)
    measure(claims)
    compared = shown(ok(claims, f"compare {STREAM}"))
    assert (
        "No change in the structure (steps, teams, team types, hand-off modes) since cycle 1"
        in compared
    )


def test_a_stream_without_teams_shows_no_flow(slack: SlackDriver) -> None:
    define(slack, "Plain", '"One" people:<@UFO>', '"Two" people:<@UCL>')
    thread = open_cycle(slack, "measure Plain")
    answer(slack, thread, "1: wait 1d, pt 1h", "UFO")
    answer(slack, thread, "2: wait 1d, pt 1h", "UCL")
    summary = close(slack, "Plain")
    assert "between teams" not in summary
    assert "Hand-offs" not in shown(ok(slack, "show Plain"))


def test_the_digest_gives_the_finding(claims: SlackDriver) -> None:
    measure(claims)
    before = len(claims.calls("chat.postMessage"))
    assert "Posted the digest" in shown(ok(claims, "digest now"))
    posted = claims.wait_for("chat.postMessage", count=before + 1)[before]
    assert (
        "• Between teams: 70% of the wait sits at 2 of 2 cross-team hand-offs. Claims → Finance"
        " (X-as-a-Service) waits 4 d and 80% of what arrives is usable."
    ) in flat(posted.params)


def exported(slack: SlackDriver, database_url: str) -> dict[str, Any]:
    result = export_cli(database_url, STREAM, "--format", "json", team=slack.team_id)
    assert result.returncode == 0, result.stderr
    export = json.loads(result.stdout)
    assert_export_shape(export)
    return export


def test_the_export_gives_teams_hand_offs_flow_and_structure_changes(
    claims: SlackDriver, database_url: str
) -> None:
    measure(claims)
    ok(claims, f'step edit {STREAM} 3 team:"Finance"')
    ok(claims, "team Finance type:platform mission:Pay people:<@UFI>")
    measure(claims, ("1d", "3d", "2d", "1d"))
    export = exported(claims, database_url)
    assert export["teams"] == [
        {"name": "Front office", "type": None, "mission": "", "people": []},
        {"name": "Claims", "type": None, "mission": "", "people": []},
        {"name": "Finance", "type": "platform", "mission": "Pay", "people": ["UFI"]},
    ]
    payment = export["steps"][3]
    assert (payment["team_type"], payment["handoff"]) == (
        "platform",
        {"mode": "x-as-a-service", "crossing": "within-team"},
    )
    first, second = export["cycles"]
    assert [s["team"] for s in first["steps"]] == ["Front office", "Claims", "Claims", "Finance"]
    assert first["steps"][3]["handoff"] == {"mode": "x-as-a-service", "crossing": "cross-team"}
    assert first["steps"][0]["handoff"] is None
    flow = first["flow"]
    assert flow["wait_time_s"] == 10 * 86400
    assert [(p["place"], p["hand_offs"], p["wait_time_s"], p["share"]) for p in flow["places"]] == [
        ("before-first", 1, 86400, 0.1),
        ("cross-team", 2, 7 * 86400, 0.7),
        ("within-team", 1, 2 * 86400, 0.2),
        ("unknown", 0, 0, 0.0),
    ]
    modes = {m["mode"]: (m["hand_offs"], m["wait_time_s"], m["median_ca"]) for m in flow["modes"]}
    assert modes["x-as-a-service"] == (1, 4 * 86400, 0.8)
    assert modes["none"] == (2, 5 * 86400, 0.875)
    assert (flow["longest_wait"], flow["lowest_ca"]) == (4, 2)
    assert flow["finding"] == {
        "crossing": "cross-team",
        "share": 0.7,
        "waiting": 2,
        "hand_offs": 2,
        "position": 4,
    }
    assert first["structure_changes"] == []
    assert second["structure_changes"] == [
        {"kind": "team_changed", "name": "Approval", "before": "Claims", "after": "Finance"},
        {"kind": "team_type_changed", "name": "Finance", "before": None, "after": "platform"},
    ]


def test_compare_names_steps_added_removed_renamed_and_moved(claims: SlackDriver) -> None:
    measure(claims)
    ok(claims, f'step edit {STREAM} 2 name:"Assess claim"')
    ok(claims, f"step move {STREAM} 4 3")
    ok(claims, f'step add {STREAM} "Archive" team:"Records" people:<@UAR>')
    ok(claims, f"step remove {STREAM} 1")
    thread = open_cycle(claims, f"measure {STREAM}")
    for position, person in enumerate(("UCL", "UFI", "UCM", "UAR"), start=1):
        answer(claims, thread, f"{position}: wait 1d, pt 1h", person)
    close(claims, STREAM)
    compared = shown(ok(claims, f"compare {STREAM}"))
    assert "*What changed in the structure since cycle 1*" in compared
    assert "• step 1 *Intake* removed" in compared
    assert "• step *Assessment* renamed *Assess claim*" in compared
    # Payment came before Approval: of the two, the core keeps the earlier in the new order.
    assert "• *Approval* moved among the other steps (still step 3)" in compared
    assert "• step 4 *Archive* added" in compared
