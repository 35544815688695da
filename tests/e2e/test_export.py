"""Export, end to end: `/vsm export` uploads a CSV; `vsm-bot export` prints JSON or CSV.

One stream is measured through the bot the way people do it (a closed baseline, then an open
second cycle), and the numbers are read back through both ways out. `vsm-bot export` runs as
its own process for the documented JSON and CSV, and in the test's process (bot.cli.main) for
the rest. The JSON is a documented,
stable interface: `assert_export_shape` spells out its fields by hand so it cannot drift.
"""

import csv
import io
import json
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session

from standin.server import RESPONSE_URL, UPLOAD, FakeSlack
from storage.engine import make_engine
from storage.models import Stream
from storage.streams import add_stream
from storage.tenant import Tenant
from tests.conftest import SIGNING_SECRET
from tests.e2e.vsm_commands import define, mrkdwn_problems, ok, refused, shown
from tests.support.botproc import run_cli
from tests.support.cli_in_process import run_main
from tests.support.driver import SlackDriver

HOME, ELSEWHERE = "C1", "C9"
CSV_HEADER = [
    "cycle",
    "label",
    "status",
    "opened_at",
    "closed_at",
    "position",
    "step",
    "wait_time_s",
    "process_time_s",
    "lead_time_s",
    "ca",
    "respondents",
    "carried_over",
    "activity_ratio",
    "rolled_ca",
    "partial",
]
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
H, D = 3600, 86400
# A year ahead: a target's date must be in the future whenever the tests run.
TARGET_BY = (date.today() + timedelta(days=365)).isoformat()

# ---- the interface, written out by hand -----------------------------------------------------

NONE = type(None)
STREAM_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "trigger": (str,),
    "value": (str,),
    "customer": (str,),
    "channel_id": (str,),
    "time_basis": (str,),
    "hours_per_day": (float,),
    "days_per_week": (float,),
    "archived": (bool,),
    "created_at": (str,),
}
STEP_FIELDS: dict[str, tuple[type, ...]] = {
    "position": (int,),
    "name": (str,),
    "team": (str,),
    "people": (list,),
    "team_type": (str, NONE),
    "handoff": (dict, NONE),
}
CYCLE_FIELDS: dict[str, tuple[type, ...]] = {
    "number": (int,),
    "label": (str,),
    "status": (str,),
    "opened_at": (str,),
    "closed_at": (str, NONE),
    "steps": (list,),
    "totals": (dict,),
    "survey": (list,),
    "flow": (dict,),
    "structure_changes": (list,),
    "wait_by_cause": (dict,),
    "segments": (list,),
}
CYCLE_STEP_FIELDS: dict[str, tuple[type, ...]] = {
    "position": (int,),
    "name": (str,),
    "wait_time_s": (int, NONE),
    "process_time_s": (int, NONE),
    "lead_time_s": (int, NONE),
    "ca": (float, NONE),
    "respondents": (int,),
    "carried_over": (bool,),
    "team": (str,),
    "team_type": (str, NONE),
    "handoff": (dict, NONE),
    "wait_cause": (str, NONE),
}
TOTALS_FIELDS: dict[str, tuple[type, ...]] = {
    "wait_time_s": (int,),
    "process_time_s": (int,),
    "lead_time_s": (int,),
    "activity_ratio": (float, NONE),
    "rolled_ca": (float, NONE),
    "partial": (bool,),
    "bottleneck": (int, NONE),
}
# Aggregates only: no field could hold a person or a score of theirs.
SURVEY_FIELDS: dict[str, tuple[type, ...]] = {
    "key": (str,),
    "question": (str,),
    "answers": (int, NONE),
    "mean": (float, NONE),
    "agree_share": (float, NONE),
    "barrier": (bool,),
    "too_few": (bool,),
}
IMPROVEMENT_FIELDS: dict[str, tuple[type, ...]] = {
    "number": (int,),
    "title": (str,),
    "step": (int, NONE),
    "step_name": (str,),
    "owner": (str,),
    "expect": (dict, NONE),
    "effort": (str, NONE),
    "status": (str,),
    "created_at": (str,),
    "done_at": (str, NONE),
}
EXPECT_FIELDS: dict[str, tuple[type, ...]] = {"field": (str,), "delta": (int, float)}
TARGET_FIELDS: dict[str, tuple[type, ...]] = {
    "lead_time_s": (int, NONE),
    "activity_ratio": (float, NONE),
    "rolled_ca": (float, NONE),
    "by": (str, NONE),
    "progress": (list,),
}
PROGRESS_FIELDS: dict[str, tuple[type, ...]] = {
    "metric": (str,),
    "target": (int, float),
    "baseline": (int, float, NONE),
    "current": (int, float, NONE),
    "reached": (bool,),
    "share": (float, NONE),
    "on_pace": (bool, NONE),
    "projected": (str, NONE),
}


def assert_fields(data: Any, fields: dict[str, tuple[type, ...]], where: str) -> None:
    """Exactly these keys, in this order, each of its types (a bool is not a number here)."""
    assert isinstance(data, dict), where
    assert list(data) == list(fields), where
    for key, types in fields.items():
        value = data[key]
        assert isinstance(value, types), f"{where}.{key} = {value!r}"
        if bool not in types:
            assert not isinstance(value, bool), f"{where}.{key} = {value!r} is a bool"


CHANGE_FIELDS: dict[str, tuple[type, ...]] = {
    "at": (str,),
    "by": (str,),
    "what": (str,),
    "subject": (str,),
    "before": (str, NONE),
    "after": (str, NONE),
}


def assert_fraction(value: float | None, where: str) -> None:
    assert value is None or 0 <= value <= 1, f"{where} = {value!r}"


def assert_export_shape(export: Any) -> None:
    """The documented JSON interface (README, Export): keys, order, types, ranges."""
    assert isinstance(export, dict)
    assert list(export) == [
        "stream",
        "steps",
        "cycles",
        "improvements",
        "target",
        "owners",
        "changes",
        "teams",
        "value",
        "support",
        "segments",
    ]
    assert all(isinstance(owner, str) for owner in export["owners"])
    moments = []
    for index, change in enumerate(export["changes"]):
        assert_fields(change, CHANGE_FIELDS, f"changes[{index}]")
        assert ISO_UTC.match(change["at"])
        moments.append(change["at"])
    assert moments == sorted(moments), "changes come oldest first"
    stream = export["stream"]
    assert_fields(stream, STREAM_FIELDS, "stream")
    assert stream["time_basis"] in ("calendar", "working")
    assert ISO_UTC.match(stream["created_at"])
    for index, step in enumerate(export["steps"]):
        assert_fields(step, STEP_FIELDS, f"steps[{index}]")
        assert all(isinstance(person, str) for person in step["people"])
    for index, cycle in enumerate(export["cycles"]):
        where = f"cycles[{index}]"
        assert_fields(cycle, CYCLE_FIELDS, where)
        assert cycle["status"] in ("open", "closed", "cancelled")
        assert ISO_UTC.match(cycle["opened_at"])
        assert (cycle["closed_at"] is not None) == (cycle["status"] == "closed"), where
        assert cycle["closed_at"] is None or ISO_UTC.match(cycle["closed_at"])
        positions = []
        for at, step in enumerate(cycle["steps"]):
            assert_fields(step, CYCLE_STEP_FIELDS, f"{where}.steps[{at}]")
            assert_fraction(step["ca"], f"{where}.steps[{at}].ca")
            positions.append(step["position"])
        assert positions == sorted(positions)
        totals = cycle["totals"]
        assert_fields(totals, TOTALS_FIELDS, f"{where}.totals")
        assert_fraction(totals["activity_ratio"], f"{where}.totals.activity_ratio")
        assert_fraction(totals["rolled_ca"], f"{where}.totals.rolled_ca")
        assert totals["bottleneck"] is None or totals["bottleneck"] in positions
        for at, question in enumerate(cycle["survey"]):
            assert_survey_result(question, f"{where}.survey[{at}]")
    numbers = []
    for index, item in enumerate(export["improvements"]):
        assert_improvement(item, f"improvements[{index}]")
        numbers.append(item["number"])
    assert numbers == sorted(set(numbers))
    if export["target"] is not None:
        assert_target(export["target"])


def assert_survey_result(question: Any, where: str) -> None:
    assert_fields(question, SURVEY_FIELDS, where)
    assert_fraction(question["agree_share"], f"{where}.agree_share")
    # Fewer than 3 answers show no numbers at all, not even how many, so that nobody's score
    # can be worked out.
    if question["too_few"]:
        assert (question["answers"], question["mean"], question["agree_share"]) == (None,) * 3
        assert question["barrier"] is False
    else:
        assert question["answers"] >= 3, where
        assert 1 <= question["mean"] <= 5, where
        assert question["agree_share"] is not None
        assert question["barrier"] == (question["mean"] <= 3), where


def assert_improvement(item: Any, where: str) -> None:
    assert_fields(item, IMPROVEMENT_FIELDS, where)
    assert item["number"] >= 1
    assert item["status"] in ("proposed", "doing", "done", "dropped")
    assert item["effort"] in (None, "S", "M", "L")
    assert ISO_UTC.match(item["created_at"])
    assert (item["done_at"] is not None) == (item["status"] == "done"), where
    assert item["done_at"] is None or ISO_UTC.match(item["done_at"])
    if item["expect"] is not None:
        expect = item["expect"]
        assert_fields(expect, EXPECT_FIELDS, f"{where}.expect")
        assert expect["field"] in ("wait", "pt", "ca")
        assert expect["delta"] != 0
        if expect["field"] != "ca":
            assert isinstance(expect["delta"], int), f"{where}.expect.delta in whole seconds"


def assert_target(target: Any) -> None:
    assert_fields(target, TARGET_FIELDS, "target")
    assert_fraction(target["activity_ratio"], "target.activity_ratio")
    assert_fraction(target["rolled_ca"], "target.rolled_ca")
    assert target["by"] is None or ISO_DATE.match(target["by"])
    set_metrics = [key for key in ("lead_time_s", "activity_ratio", "rolled_ca") if target[key]]
    assert [p["metric"] for p in target["progress"]] == set_metrics
    for at, progress in enumerate(target["progress"]):
        where = f"target.progress[{at}]"
        assert_fields(progress, PROGRESS_FIELDS, where)
        assert progress["target"] == target[progress["metric"]], where
        if progress["metric"] == "lead_time_s":
            for key in ("target", "baseline", "current"):
                assert progress[key] is None or isinstance(progress[key], int), f"{where}.{key}"
        else:
            for key in ("target", "baseline", "current"):
                assert_fraction(progress[key], f"{where}.{key}")
        assert_fraction(progress["share"], f"{where}.share")
        assert progress["projected"] is None or ISO_DATE.match(progress["projected"])


# ---- driving the bot ------------------------------------------------------------------------


def open_cycle(slack: SlackDriver, command: str) -> str:
    """`/vsm measure …`; returns the ts of the cycle message, whose thread takes answers."""
    before = len(slack.calls("chat.postMessage"))
    assert "Opened cycle" in ok(slack, command).all_text
    # The cycle message, then the readiness survey in its thread.
    posts = slack.wait_for("chat.postMessage", count=before + 2)[before:]
    [posted] = [post for post in posts if not post.params.get("thread_ts")]
    return str(posted.response["ts"])


def answer(slack: SlackDriver, thread: str, text: str, user: str) -> None:
    """A person answers in the cycle thread; waits for the bot's ✅ on that message."""
    status, _, ts = slack.message(text, user=user, channel=HOME, thread_ts=thread)
    assert status == 200
    slack.wait_for("reactions.add", lambda call: call.params.get("timestamp") == ts)


def click_survey(slack: SlackDriver, thread: str, position: int, score: int, user: str) -> None:
    """A person clicks `score` for question `position` on the survey in the cycle's thread."""
    [survey] = [m for m in slack.messages(HOME, thread) if "survey" in m.text.lower()]
    [row] = [b for b in survey.blocks or [] if b.get("block_id") == f"survey_q{position}"]
    action = f"survey_answer_{score}"
    [button] = [e for e in row["elements"] if e["action_id"] == action]
    result = slack.block_action(
        action, button["value"], user=user, channel=HOME, message_ts=survey.ts
    )
    assert result.status == 200
    path = urlsplit(result.response_url or "").path
    [noted] = slack.wait_for(RESPONSE_URL, lambda call: call.path == path)
    assert f"Noted your {score}" in noted.params["text"]


def measure_onboarding(slack: SlackDriver) -> None:
    """A closed baseline with two people at step 1 and a readiness survey, a target, three
    improvements (one done), a renamed step, an open second cycle."""
    define(
        slack,
        "Onboarding",
        '"Contract review" team:Legal people:<@UANN|ann> <@UBO|bo>',
        '"=Account setup" people:<@UCY|cy>',
        options='trigger:"Contract signed" value:"Customer live" customer:"New customers"',
        channel=HOME,
    )
    baseline = open_cycle(slack, 'measure onboarding label:"Baseline"')
    answer(slack, baseline, "1: pt 3h, wait 2d for approval, ca 70%", "UANN")
    answer(slack, baseline, "1: pt 1h, wait 1d, ca 90%", "UBO")
    answer(slack, baseline, "wait 1d pt 45m ca 90", "UCY")
    # Three people score question 1 (two by text, one by a button); two score the rest.
    answer(slack, baseline, "survey 4 5 3 4 4 5", "UANN")
    answer(slack, baseline, "survey 2 4 3 5 4 1", "UBO")
    click_survey(slack, baseline, position=1, score=3, user="UCY")
    assert "Closed cycle 1" in ok(slack, "close onboarding").all_text
    ok(slack, f"target onboarding lead:2d ratio:10% by:{TARGET_BY}")
    ok(
        slack,
        'improve onboarding "Intake form" step:1 owner:<@UANN|ann> expect:"wait -1d" effort:S',
    )
    ok(slack, 'improve onboarding "Setup checklist" step:2 expect:"ca +10%" effort:L')
    ok(slack, 'improve onboarding "Weekly sync"')
    ok(slack, "improvement onboarding 1 doing")
    ok(slack, "improvement onboarding 1 done")
    ok(slack, "improvement onboarding 3 dropped")
    ok(slack, 'step edit onboarding 2 name:"Setup"')
    second = open_cycle(slack, 'measure onboarding label:"+intake form"')
    answer(slack, second, "wait 2h pt 30m", "UCY")


@pytest.fixture
def onboarding(slack: SlackDriver) -> SlackDriver:
    measure_onboarding(slack)
    return slack


def export_cli(
    database_url: str, *args: str, team: str | None = None, process: bool = False
) -> subprocess.CompletedProcess[str]:
    """`vsm-bot export ARGS [--team T]` with nothing but DATABASE_URL set: bot.cli.main in this
    process, or with `process` the console script as its own process."""
    options = ["--team", team] if team else []
    run = run_cli if process else run_main
    return run(["export", *args, *options], {"DATABASE_URL": database_url})


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def rows_of(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == CSV_HEADER
    return list(reader)


# ---- the numbers, the same whichever way they leave -----------------------------------------


def assert_onboarding_numbers(export: dict[str, Any]) -> None:
    stream = export["stream"]
    assert stream["name"] == "Onboarding"
    assert (stream["trigger"], stream["value"], stream["customer"]) == (
        "Contract signed",
        "Customer live",
        "New customers",
    )
    assert (stream["channel_id"], stream["time_basis"], stream["archived"]) == (
        HOME,
        "calendar",
        False,
    )
    assert export["steps"] == [
        {
            "position": 1,
            "name": "Contract review",
            "team": "Legal",
            "people": ["UANN", "UBO"],
            "team_type": None,
            "handoff": None,
        },
        {
            "position": 2,
            "name": "Setup",
            "team": "",
            "people": ["UCY"],
            "team_type": None,
            "handoff": {"mode": "none", "crossing": "unknown"},
        },
    ]
    baseline, second = export["cycles"]

    assert (baseline["number"], baseline["label"], baseline["status"]) == (1, "Baseline", "closed")
    assert baseline["opened_at"] <= baseline["closed_at"]
    review, setup = baseline["steps"]
    # Two people at step 1: each field is the median of the two, i.e. their mean.
    assert review == {
        "position": 1,
        "name": "Contract review",
        "wait_time_s": (2 * D + 1 * D) // 2,
        "process_time_s": (3 * H + 1 * H) // 2,
        "lead_time_s": 129600 + 7200,
        "ca": pytest.approx(0.8),
        "respondents": 2,
        "carried_over": False,
        "team": "Legal",
        "team_type": None,
        "handoff": None,
        "wait_cause": "decision",  # Ann said why; Bo did not, so his answer does not vote
    }
    # The cycle keeps the step's name as it was when the cycle opened.
    assert setup["name"] == "=Account setup"
    assert (setup["wait_time_s"], setup["process_time_s"], setup["lead_time_s"]) == (
        D,
        2700,
        D + 2700,
    )
    assert (setup["ca"], setup["respondents"], setup["carried_over"]) == (
        pytest.approx(0.9),
        1,
        False,
    )
    totals = baseline["totals"]
    assert (totals["wait_time_s"], totals["process_time_s"], totals["lead_time_s"]) == (
        129600 + D,
        7200 + 2700,
        136800 + 89100,
    )
    assert totals["lead_time_s"] == totals["wait_time_s"] + totals["process_time_s"]
    assert totals["activity_ratio"] == pytest.approx(9900 / 225900)
    assert totals["rolled_ca"] == pytest.approx(0.8 * 0.9)
    assert (totals["partial"], totals["bottleneck"]) == (False, 1)
    assert setup["wait_cause"] is None
    assert baseline["wait_by_cause"]["decision"] == {
        "wait_time_s": 129600,
        "share": pytest.approx(129600 / (129600 + D)),
        "steps": [1],
    }
    assert baseline["wait_by_cause"]["not_said"]["steps"] == [2]
    assert list(baseline["wait_by_cause"]) == [
        "decision", "capacity", "dependency", "information", "batch", "other", "not_said"
    ]  # fmt: skip

    assert (second["number"], second["label"], second["status"]) == (2, "+intake form", "open")
    assert second["closed_at"] is None
    review, setup = second["steps"]
    # Nobody answered step 1 again: all of it is carried over from the baseline.
    assert (review["wait_time_s"], review["process_time_s"], review["lead_time_s"]) == (
        129600,
        7200,
        136800,
    )
    assert (review["respondents"], review["carried_over"]) == (0, True)
    assert review["wait_cause"] == "decision"  # the carried-over wait brings its cause
    # Cy gave wait and process time; %C&A is carried over.
    assert (setup["name"], setup["wait_time_s"], setup["process_time_s"]) == ("Setup", 2 * H, 1800)
    assert setup["lead_time_s"] == 2 * H + 1800
    assert (setup["ca"], setup["respondents"], setup["carried_over"]) == (
        pytest.approx(0.9),
        1,
        True,
    )
    totals = second["totals"]
    assert totals["lead_time_s"] == 136800 + 9000
    assert totals["activity_ratio"] == pytest.approx(9000 / 145800)
    assert (totals["partial"], totals["bottleneck"]) == (False, 1)


def assert_onboarding_survey_and_kaizen(export: dict[str, Any]) -> None:
    baseline, second = export["cycles"]
    first, *rest = baseline["survey"]
    # The default questions, keyed by what they ask about (ADKAR and Holt et al.).
    assert [q["key"] for q in baseline["survey"]] == [
        "awareness",
        "appropriateness",
        "desire",
        "knowledge",
        "ability",
        "support",
    ]
    assert first["question"] == "I understand why this value stream needs to change."
    # 4 and 2 typed, 3 clicked: a mean of exactly 3 is a barrier; one of three agrees.
    assert (first["answers"], first["mean"], first["barrier"], first["too_few"]) == (
        3,
        3.0,
        True,
        False,
    )
    assert first["agree_share"] == pytest.approx(1 / 3)
    # Two answers are too few to show anything, not even that there are two.
    assert {(q["answers"], q["mean"], q["agree_share"], q["too_few"]) for q in rest} == {
        (None, None, None, True)
    }
    assert {(q["answers"], q["too_few"]) for q in second["survey"]} == {(None, True)}
    survey_text = json.dumps([c["survey"] for c in export["cycles"]])
    assert not any(person in survey_text for person in ("UANN", "UBO", "UCY"))

    intake, checklist, sync = export["improvements"]
    assert intake == {
        "number": 1,
        "title": "Intake form",
        "step": 1,
        "step_name": "Contract review",
        "owner": "UANN",
        "expect": {"field": "wait", "delta": -D},
        "effort": "S",
        "status": "done",
        "created_at": intake["created_at"],
        "done_at": intake["done_at"],
    }
    assert baseline["closed_at"] <= intake["created_at"] <= intake["done_at"] <= second["opened_at"]
    # The step as it stands now (see "steps"), by the name it had when proposed.
    assert (checklist["step"], checklist["step_name"], checklist["owner"]) == (
        2,
        "=Account setup",
        "",
    )
    assert checklist["expect"] == {"field": "ca", "delta": pytest.approx(0.1)}
    assert (checklist["effort"], checklist["status"], checklist["done_at"]) == (
        "L",
        "proposed",
        None,
    )
    assert (sync["step"], sync["step_name"], sync["expect"], sync["effort"]) == (
        None,
        "",
        None,
        None,
    )
    assert (sync["status"], sync["done_at"]) == ("dropped", None)

    target = export["target"]
    assert (target["lead_time_s"], target["rolled_ca"], target["by"]) == (2 * D, None, TARGET_BY)
    assert target["activity_ratio"] == pytest.approx(0.1)
    lead, ratio = target["progress"]
    # One closed cycle: it is both the baseline and the latest, so no way covered yet.
    assert lead == {
        "metric": "lead_time_s",
        "target": 2 * D,
        "baseline": 225900,
        "current": 225900,
        "reached": False,
        "share": 0.0,
        "on_pace": None,
        "projected": None,
    }
    assert (ratio["metric"], ratio["reached"], ratio["share"]) == ("activity_ratio", False, 0.0)
    assert ratio["baseline"] == ratio["current"] == pytest.approx(9900 / 225900)


def assert_onboarding_rows(rows: list[dict[str, str]]) -> None:
    assert [(r["cycle"], r["position"]) for r in rows] == [
        ("1", "1"),
        ("1", "2"),
        ("1", "total"),
        ("2", "1"),
        ("2", "2"),
        ("2", "total"),
    ]
    review, setup, total = rows[:3]
    assert (review["label"], review["status"], review["step"]) == (
        "Baseline",
        "closed",
        "Contract review",
    )
    assert ISO_UTC.match(review["opened_at"])
    assert ISO_UTC.match(review["closed_at"])
    assert (review["wait_time_s"], review["process_time_s"], review["lead_time_s"]) == (
        "129600",
        "7200",
        "136800",
    )
    assert float(review["ca"]) == pytest.approx(0.8)
    assert (review["respondents"], review["carried_over"]) == ("2", "false")
    assert (review["activity_ratio"], review["rolled_ca"], review["partial"]) == ("", "", "")
    # A step name a spreadsheet would run as a formula is defused.
    assert setup["step"] == "'=Account setup"
    assert (total["step"], total["ca"], total["respondents"], total["carried_over"]) == (
        "",
        "",
        "",
        "",
    )
    assert (total["wait_time_s"], total["process_time_s"], total["lead_time_s"]) == (
        "216000",
        "9900",
        "225900",
    )
    assert float(total["activity_ratio"]) == pytest.approx(9900 / 225900)
    assert float(total["rolled_ca"]) == pytest.approx(0.72)
    assert total["partial"] == "false"
    second = rows[3:]
    assert {row["label"] for row in second} == {"'+intake form"}
    assert {(row["status"], row["closed_at"]) for row in second} == {("open", "")}
    assert [row["carried_over"] for row in second[:2]] == ["true", "true"]
    assert second[2]["lead_time_s"] == str(136800 + 9000)


# ---- /vsm export ----------------------------------------------------------------------------


def test_export_asked_in_the_home_channel_uploads_the_csv_there(
    onboarding: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack = onboarding
    reply = ok(slack, "export onb", channel=HOME)

    assert "Uploaded *Onboarding* to this channel" in reply.all_text
    assert "onboarding-vsm.csv" in reply.all_text
    methods = [
        c.method for c in slack.calls() if c.method.startswith("files.") or c.method == UPLOAD
    ]
    assert methods == ["files.getUploadURLExternal", UPLOAD, "files.completeUploadExternal"]
    [asked] = slack.calls("files.getUploadURLExternal")
    assert asked.params["filename"] == "onboarding-vsm.csv"
    [complete] = slack.calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == HOME
    comment = complete.params["initial_comment"]
    assert "*Onboarding*, exported by <@U1>: 2 cycles" in comment
    assert mrkdwn_problems(comment) == []
    [uploaded] = [f for f in fake_slack.files(HOME) if f.id == asked.response["file_id"]]
    assert "Onboarding" in str(uploaded.title)
    assert uploaded.data is not None
    assert_onboarding_rows(rows_of(uploaded.data.decode()))


def test_export_asked_elsewhere_goes_to_the_asker_alone(onboarding: SlackDriver) -> None:
    # A stream's numbers never land in a channel other than its home: in another channel the
    # file goes to whoever asked, in a direct message.
    slack = onboarding
    reply = ok(slack, "export onb", channel=ELSEWHERE, user="UASK")

    assert "Uploaded *Onboarding* to you in a direct message" in reply.all_text
    [opened] = slack.calls("conversations.open")
    assert opened.params["users"] == "UASK"
    [complete] = slack.calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == opened.response["channel"]["id"]
    assert complete.params["channel_id"] not in (HOME, ELSEWHERE)
    assert all(c.params.get("channel_id") != ELSEWHERE for c in slack.calls())


@pytest.mark.parametrize(
    ("method", "error", "said"),
    [
        ("files.getUploadURLExternal", "not_in_channel", "I am not a member of this channel"),
        ("files.completeUploadExternal", "channel_not_found", "I cannot see this channel"),
        ("files.getUploadURLExternal", "team_access_not_granted", "team_access_not_granted"),
    ],
)
def test_an_upload_slack_refuses_gets_a_reply_saying_why_and_what_to_do(
    slack: SlackDriver, fake_slack: FakeSlack, method: str, error: str, said: str
) -> None:
    define(slack, "Onboarding", "Kickoff")
    fake_slack.error(method, error)

    reply = refused(slack, "export onboarding", channel=HOME)

    text = shown(reply)
    assert text.startswith(":warning: I could not upload the export of *Onboarding* here")
    assert said in text
    assert '/vsm export "Onboarding"' in text
    if error != "team_access_not_granted":
        assert "/invite @vsm-bot" in text
    assert not any(call.ok for call in slack.calls("files.completeUploadExternal"))


def test_export_of_an_unknown_stream_is_refused(slack: SlackDriver) -> None:
    reply = slack.command("export nope")

    assert "I don't know a stream called “nope”" in shown(reply)
    assert slack.calls("files.getUploadURLExternal") == []


# ---- vsm-bot export -------------------------------------------------------------------------


def test_the_command_line_prints_the_documented_json(
    onboarding: SlackDriver, database_url: str
) -> None:
    result = export_cli(
        database_url, "Onboarding", "--format", "json", team=onboarding.team_id, process=True
    )

    assert result.returncode == 0, result.stderr
    export = json.loads(result.stdout)
    assert_export_shape(export)
    assert_onboarding_numbers(export)
    assert_onboarding_survey_and_kaizen(export)
    for cycle in export["cycles"]:
        for step in cycle["steps"]:
            assert step["lead_time_s"] == step["wait_time_s"] + step["process_time_s"]


def test_the_command_line_prints_the_same_csv_as_the_upload(
    onboarding: SlackDriver, database_url: str, fake_slack: FakeSlack
) -> None:
    ok(onboarding, "export onboarding")
    [complete] = onboarding.calls("files.completeUploadExternal")
    [uploaded] = [f for f in fake_slack.files(HOME) if f.id == complete.params["files"][0]["id"]]

    result = export_cli(
        database_url, "onboarding", "--format", "csv", team=onboarding.team_id, process=True
    )

    assert result.returncode == 0, result.stderr
    assert_onboarding_rows(rows_of(result.stdout))
    assert uploaded.data is not None
    # The CSV ends lines in CRLF (RFC 4180); run_cli reads stdout as text, which makes them LF.
    assert result.stdout == uploaded.data.decode().replace("\r\n", "\n")


def test_a_cancelled_cycle_is_listed_with_its_live_numbers(
    slack: SlackDriver, database_url: str
) -> None:
    define(slack, "Support", '"Triage" people:<@UANN|ann>')
    thread = open_cycle(slack, "measure support")
    answer(slack, thread, "wait 1h pt 10m", "UANN")
    ok(slack, "cancel support")

    result = export_cli(database_url, "support", "--format", "json", team=slack.team_id)

    assert result.returncode == 0, result.stderr
    export = json.loads(result.stdout)
    assert_export_shape(export)
    [cycle] = export["cycles"]
    assert (cycle["status"], cycle["closed_at"]) == ("cancelled", None)
    assert cycle["steps"][0]["lead_time_s"] == H + 600
    assert cycle["totals"]["activity_ratio"] == pytest.approx(600 / 4200)
    # No %C&A anywhere: the roll-up has nothing to multiply.
    assert (cycle["totals"]["rolled_ca"], cycle["steps"][0]["ca"]) == (None, None)
    assert len(cycle["survey"]) == 6
    assert {(q["answers"], q["too_few"]) for q in cycle["survey"]} == {(None, True)}


def test_a_stream_never_measured_exports_its_steps_and_no_cycles(
    slack: SlackDriver, database_url: str
) -> None:
    define(slack, "Sales", "Qualify", options="basis:working hours:7.5 days:4")

    result = export_cli(database_url, "sales", "--format", "json", team=slack.team_id)
    export = json.loads(result.stdout)
    assert_export_shape(export)
    assert export["stream"]["time_basis"] == "working"
    assert (export["stream"]["hours_per_day"], export["stream"]["days_per_week"]) == (7.5, 4.0)
    assert [s["name"] for s in export["steps"]] == ["Qualify"]
    assert export["cycles"] == []
    assert (export["improvements"], export["target"]) == ([], None)

    csv_result = export_cli(database_url, "sales", "--format", "csv", team=slack.team_id)
    assert rows_of(csv_result.stdout) == []


def test_an_unknown_stream_stops_with_one_line(slack: SlackDriver, database_url: str) -> None:
    define(slack, "Onboarding", "Kickoff")

    result = export_cli(database_url, "nope", "--format", "csv", team=slack.team_id)

    assert "I don't know a stream called “nope”" in one_line_error(result)


def test_without_team_several_workspaces_stop_with_one_line_naming_them(
    slack: SlackDriver, fake_slack: FakeSlack, database_url: str
) -> None:
    other = SlackDriver(slack.bot_url, SIGNING_SECRET, fake_slack)
    define(slack, "Onboarding", "Kickoff")
    define(other, "Onboarding", "Welcome")

    line = one_line_error(export_cli(database_url, "Onboarding", "--format", "json"))

    assert "several workspaces" in line
    assert "--team" in line
    assert slack.team_id in line
    assert other.team_id in line


# ---- a database of one workspace ------------------------------------------------------------


@pytest.fixture
def migrated_url(fresh_database_url: str) -> str:
    upgrade = run_main(["db", "upgrade"], {"DATABASE_URL": fresh_database_url})
    assert upgrade.returncode == 0, upgrade.stderr
    return fresh_database_url


def store_stream(url: str, tenant: Tenant, name: str) -> None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            stream = Stream(
                team_id="",
                name=name,
                name_key="",
                channel_id="C1",
                created_by="U1",
                created_at=datetime(2026, 3, 2, 9, 30, 15, 250_000, tzinfo=UTC),
            )
            add_stream(session=session, tenant=tenant, stream=stream)
            session.commit()
    finally:
        engine.dispose()


def test_with_one_workspace_in_the_database_team_may_be_left_out(migrated_url: str) -> None:
    store_stream(migrated_url, Tenant("TSOLO", "EGRID"), "Solo stream")

    result = export_cli(migrated_url, "solo", "--format", "json")

    assert result.returncode == 0, result.stderr
    export = json.loads(result.stdout)
    assert_export_shape(export)
    assert export["stream"]["name"] == "Solo stream"
    assert export["stream"]["created_at"] == "2026-03-02T09:30:15Z"
    # The enterprise is found from the team alone.
    assert export_cli(migrated_url, "solo", "--format", "json", team="TSOLO").returncode == 0
    line = one_line_error(export_cli(migrated_url, "solo", "--format", "json", team="TOTHER"))
    assert "--team TOTHER" in line
    assert "TSOLO (enterprise EGRID)" in line


def test_an_empty_database_says_so_in_one_line(migrated_url: str) -> None:
    line = one_line_error(export_cli(migrated_url, "anything", "--format", "json"))

    assert "no value streams" in line
