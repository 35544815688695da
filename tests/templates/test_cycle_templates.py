"""The measurement-cycle templates rendered with sample data built by the vsm core: within Block
Kit's limits, with a plain-text fallback, code blocks that survive being split into sections,
and what people typed escaped exactly once.

The hardest samples are a stream at every limit (50 steps, 80-character names full of
`*_~<>&`, 20 people a step) and a reply full of unreadable lines.
"""

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from commands.answers import CycleInfo, ReplyOutcome, ThreadMessage
from commands.compare import SideBySide
from commands.cycles import CycleStepView, OpenedCycle
from commands.latest import Latest, OpenCycle
from commands.renderer import make_renderer
from commands.summary import CycleRef, Summary
from commands.timings import MOST_STEPS, FormRow, TimingsForm
from standin import blockkit
from storage.tenant import Tenant
from templates import Renderer
from templates.blocks import check_limits
from templates.mrkdwn import escape_mrkdwn
from tests.e2e.vsm_commands import mrkdwn_problems, readable, text_objects
from vsm.compare import compare
from vsm.durations import CALENDAR, TimeBasis
from vsm.metrics import Answer, CycleMetrics, StepAnswers, measure_cycle
from vsm.replies import LineProblem, StepRef
from vsm.streams import StreamStep, ValueStream

HOSTILE = "*_~<>&"
WORKING = TimeBasis("working", 7.5, 4)
TWENTY = tuple(f"U{n:010d}" for n in range(20))
H, D = 3600, 86_400
_QUOTE_MARK = re.compile(r"(?:^|(?<=\s))> ", re.MULTILINE)


def hostile(length: int, lead: str = "") -> str:
    return (lead + HOSTILE * length)[:length]


# ---- sample data from the vsm core ---------------------------------------------------------

EXAMPLE = (  # VSM.md's worked example: name, wait, PT, %C&A
    ("Contract review", 2 * D, 3 * H, 0.70),
    ("Account setup", 1 * D, 45 * 60, 0.90),
    ("Kickoff call", 3 * D, 1 * H, 0.95),
    ("Data migration", 5 * D, 6 * H, 0.60),
    ("Go-live check", 1 * D, 30 * 60, 0.98),
)


def steps_of(
    rows: tuple[tuple[str, int, int, float], ...], people: tuple[str, ...] = ("U1",)
) -> list[StepAnswers]:
    return [
        StepAnswers(
            n, n, name, tuple(Answer(person, wait, pt, ca) for person in people) if wait else ()
        )
        for n, (name, wait, pt, ca) in enumerate(rows, start=1)
    ]


BASELINE = measure_cycle(steps_of(EXAMPLE))
IMPROVED_ROWS = tuple(
    (name, wait // 2 if n == 4 else wait, pt, ca)
    for n, (name, wait, pt, ca) in enumerate(EXAMPLE, start=1)
)
IMPROVED = measure_cycle(steps_of(IMPROVED_ROWS), [steps_of(EXAMPLE)])
# Step 5 unanswered in a later cycle: carried over from the baseline.
CARRIED = measure_cycle(
    steps_of((*IMPROVED_ROWS[:4], ("Go-live check", 0, 0, 0.0))), [steps_of(EXAMPLE)]
)
# Step 5 never measured at all: the totals are partial.
PARTIAL = measure_cycle(steps_of((*EXAMPLE[:4], ("Go-live check", 0, 0, 0.0))))

BIG_ROWS = tuple(
    (hostile(80, f"{n:02d} "), n * H, 15 * 60 * n, 0.5 + n / 200) for n in range(1, 51)
)
BIG_BEFORE = measure_cycle(steps_of(BIG_ROWS, TWENTY))
BIG_AFTER = measure_cycle(
    steps_of(tuple((name, wait * 2, pt, ca) for name, wait, pt, ca in BIG_ROWS), TWENTY)
)


def summary(
    metrics: CycleMetrics,
    *,
    number: int = 1,
    label: str = "",
    baseline: CycleMetrics | None = None,
    previous: CycleMetrics | None = None,
    stream: str = "Onboarding",
    basis: TimeBasis = CALENDAR,
    closed_by: str = "U1",
    respondents: tuple[str, ...] = ("UANN", "UBO"),
) -> Summary:
    return Summary(
        stream=stream,
        channel_id="C1",
        basis=basis,
        cycle=CycleRef(number, label),
        metrics=metrics,
        respondents=respondents,
        closed_by=closed_by,
        baseline=None if baseline is None else CycleRef(1, "baseline"),
        vs_baseline=None if baseline is None else compare(baseline, metrics, basis),
        previous=None if previous is None else CycleRef(number - 1, ""),
        vs_previous=None if previous is None else compare(previous, metrics, basis),
    )


def opened(names: list[str], people: tuple[str, ...], **changes: Any) -> OpenedCycle:
    base = OpenedCycle(
        cycle_id=42,
        stream="Onboarding",
        channel_id="C1",
        number=3,
        label="",
        steps=tuple(CycleStepView(n, name, people) for n, name in enumerate(names, start=1)),
        closes_at=None,
        outbox_ids=(7,),
    )
    return replace(base, **changes)


def stream_view(
    names: list[str], basis: TimeBasis = CALENDAR, name: str = "Onboarding"
) -> ValueStream:
    return ValueStream(
        id=1,
        name=name,
        channel_id="C1",
        trigger="Contract signed",
        value="Customer live",
        customer="",
        basis=basis,
        archived=False,
        steps=tuple(StreamStep(n, s, "", ("U1",)) for n, s in enumerate(names, start=1)),
    )


EXAMPLE_NAMES = [name for name, *_ in EXAMPLE]
BIG_NAMES = [name for name, *_ in BIG_ROWS]
MESSAGE = ThreadMessage(Tenant("T1"), "Ev1", "new", "C1", "1.000001", "1.000002", "UANN", "")
STEP_REFS = tuple(StepRef(n, name) for n, name in enumerate(EXAMPLE_NAMES, start=1))


# ---- what every rendered payload must satisfy ----------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return make_renderer()


def assert_slack_takes(payload: dict[str, Any], surface: str = "message") -> None:
    """Within Block Kit's limits by our own check and by the stand-in Slack's, escaped once,
    with every code block opened and closed in the same text (a section is rendered alone)."""
    assert check_limits(payload, surface) == []
    if surface == "message":
        assert blockkit.message_errors(payload["blocks"]) == []
        assert str(payload["text"]).strip()
        texts = [payload["text"], *text_objects(payload["blocks"], "mrkdwn")]
    else:
        assert blockkit.view_errors(payload) == []
        texts = list(text_objects(payload["blocks"], "mrkdwn"))
    for text in texts:
        # `> ` opening a line is mrkdwn's quote; the fallback has its lines run together.
        unquoted = _QUOTE_MARK.sub(" ", text)
        assert not mrkdwn_problems(unquoted), f"{mrkdwn_problems(unquoted)} in {text!r}"
        assert text.count("```") % 2 == 0, f"a code block split across sections: {text!r}"
    for text in text_objects(payload["blocks"], "plain_text"):
        assert not re.search(r"&(?:amp|lt|gt);", text), f"plain text escaped: {text!r}"


def mrkdwn_of(payload: dict[str, Any]) -> str:
    return "\n".join(text_objects(payload["blocks"], "mrkdwn"))


def shown(payload: dict[str, Any]) -> str:
    """Every text of the payload as a person reads it."""
    parts = [str(payload.get("text") or "")]
    parts.extend(text_objects(payload.get("blocks") or [], "mrkdwn"))
    parts.extend(text_objects(payload.get("blocks") or [], "plain_text"))
    return readable("\n".join(parts))


# ---- the cycle message ---------------------------------------------------------------------


def test_the_cycle_message_lists_steps_people_and_the_timings_button(renderer: Renderer) -> None:
    payload = renderer.message(
        "cycle_opened.json.j2",
        cycle=opened(EXAMPLE_NAMES, ("UANN", "UBO"), label="Q3 <baseline>"),
    )
    assert_slack_takes(payload)
    text = shown(payload)
    assert "Measuring Onboarding · cycle 3 · Q3 <baseline>" in text
    for n, name in enumerate(EXAMPLE_NAMES, start=1):
        assert f"*{n}. {name}* — <@UANN>, <@UBO>" in text
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    [button] = actions["elements"]
    assert (button["action_id"], button["value"]) == ("timings_open", "42")
    assert button["text"]["text"] == "Enter my timings"
    assert "Closes" not in text


def test_a_cycle_with_a_window_says_when_it_closes(renderer: Renderer) -> None:
    closes = datetime(2030, 3, 4, 5, 6, tzinfo=UTC)
    payload = renderer.message(
        "cycle_opened.json.j2", cycle=opened(EXAMPLE_NAMES, (), closes_at=closes)
    )
    assert_slack_takes(payload)
    assert f"Closes <!date^{int(closes.timestamp())}^" in mrkdwn_of(payload)
    assert "2030-03-04 05:06 UTC" in mrkdwn_of(payload)


def test_a_cycle_message_for_fifty_hostile_steps_of_twenty_people_fits(
    renderer: Renderer,
) -> None:
    payload = renderer.message(
        "cycle_opened.json.j2",
        cycle=opened(BIG_NAMES, TWENTY, stream=hostile(80), label=hostile(80)),
    )
    assert_slack_takes(payload)
    body = mrkdwn_of(payload)
    for name in BIG_NAMES:
        assert escape_mrkdwn(name) in body
    assert body.count("<@U0000000019>") == 50


# ---- the summary ---------------------------------------------------------------------------

SUMMARIES = {
    "baseline-only": summary(BASELINE),
    "baseline-and-previous": summary(IMPROVED, number=3, baseline=BASELINE, previous=BASELINE),
    "partial": summary(PARTIAL),
    "carried-over": summary(CARRIED, number=2, baseline=BASELINE),
    "working-basis": summary(BASELINE, basis=TimeBasis("working", 8, 5)),
    "fifty-hostile-steps": summary(
        BIG_AFTER,
        respondents=tuple(f"U{n:010d}" for n in range(1000)),
        number=9999,
        label=hostile(80),
        baseline=BIG_BEFORE,
        previous=BIG_BEFORE,
        stream=hostile(80),
        basis=WORKING,
        closed_by="clock",
    ),
}


@pytest.mark.parametrize("name", SUMMARIES)
def test_every_summary_fits_slack_and_escapes_once(renderer: Renderer, name: str) -> None:
    assert_slack_takes(renderer.message("cycle_summary.json.j2", summary=SUMMARIES[name]))


def test_the_baseline_summary_shows_the_worked_example(renderer: Renderer) -> None:
    text = shown(renderer.message("cycle_summary.json.j2", summary=SUMMARIES["baseline-only"]))
    assert "*Lead time:* 12.5 d" in text.splitlines()
    assert "*Process time:* 11.3 h" in text.splitlines()
    assert "*Activity ratio:* 3.8%" in text.splitlines()
    assert "*Rolled %C&A:* 35.2%" in text.splitlines()
    assert "This is the baseline" in text
    assert (
        "*Bottleneck:* step 4 Data migration — longest wait 5 d; 42.1% of lead time is at this "
        "step." in text
    )
    assert "vs cycle" not in text
    assert "Moved lead time most" not in text
    assert "Answered by 2: <@UANN>, <@UBO>" in text
    assert "Closed by <@U1>." in text
    assert text.splitlines()[0] == (
        "Onboarding, cycle 1: lead time 12.5 d, process time 11.3 h, activity ratio 3.8%, "
        "rolled %C&A 35.2%"
    )


def test_the_working_basis_shows_working_days(renderer: Renderer) -> None:
    text = shown(renderer.message("cycle_summary.json.j2", summary=SUMMARIES["working-basis"]))
    # The same seconds read on an 8-hour day: 1,077,300 s is 37.4 working days.
    assert "*Lead time:* 37.4 wd" in text.splitlines()


def test_a_later_summary_shows_both_comparisons_and_what_moved(renderer: Renderer) -> None:
    text = shown(
        renderer.message("cycle_summary.json.j2", summary=SUMMARIES["baseline-and-previous"])
    )
    lines = text.splitlines()
    # Before → after, always together; the change from the values as shown: 12.5 → 10 is
    # −20% (the seconds, 1,077,300 → 861,300, would say −20.1%).
    assert (
        "*Lead time:* 12.5 d → 10 d (−20% vs cycle 1, :large_green_circle: better)"
        " · 12.5 d → 10 d (−20% vs cycle 2, :large_green_circle: better)"
    ) in lines
    assert (
        "*Process time:* 11.3 h → 11.3 h (±0% vs cycle 1, :white_circle: same)"
        " · 11.3 h → 11.3 h (±0% vs cycle 2, :white_circle: same)"
    ) in lines
    # Percentages change in points: 3.8% → 4.7% is +0.9 points (not +25%).
    assert (
        "*Activity ratio:* 3.8% → 4.7% (+0.9 pts vs cycle 1, :large_green_circle: better)"
        " · 3.8% → 4.7% (+0.9 pts vs cycle 2, :large_green_circle: better)"
    ) in lines
    assert "*Rolled %C&A:* 35.2% → 35.2% (±0 pts vs cycle 1, :white_circle: same)" in text
    assert "This is the baseline" not in text
    # Step 4's lead time 5 d 6 h → 2 d 18 h shows 5.3 d → 2.8 d: 2.5 d less.
    assert (
        ":arrow_right: *Moved lead time most since cycle 2:* step 4 Data migration, "
        "5.3 d → 2.8 d (−2.5 d), mostly its wait: 5 d → 2.5 d."
    ) in lines
    assert lines[0] == (
        "Onboarding, cycle 3: lead time 12.5 d → 10 d (−20% vs cycle 1), process time 11.3 h, "
        "activity ratio 4.7%, rolled %C&A 35.2%"
    )


# One step waiting 100 d for 13 m 15 s of work: an activity ratio of 0.0092%; then 10 d for
# 50 m 24 s: 0.35%.
SLOW = measure_cycle(steps_of((("Approval", 100 * D, 795, 0.9),)))
FASTER = measure_cycle(steps_of((("Approval", 10 * D, 3024, 0.9),)))


def test_a_tiny_share_never_reads_as_zero(renderer: Renderer) -> None:
    view = summary(FASTER, number=2, baseline=SLOW)

    text = shown(renderer.message("cycle_summary.json.j2", summary=view))

    # 0.0092% → 0.35% as shown is +0.3408 points: under 1 point, two significant figures.
    assert (
        "*Activity ratio:* 0.0092% → 0.35% (+0.34 pts vs cycle 1, :large_green_circle: better)"
    ) in text.splitlines()
    assert "*Lead time:* 100 d → 10 d (−90% vs cycle 1, :large_green_circle: better)" in text
    assert "0%" not in text.replace("100%", "").replace("90%", "")


def test_a_change_from_a_duration_shown_as_zero_is_its_difference(renderer: Renderer) -> None:
    before = measure_cycle(steps_of((("Approval", 0, 2 * H, 0.9),)))
    after = measure_cycle(steps_of((("Approval", D, 2 * H, 0.9),)))
    view = replace(
        side_by_side(before, after),
        before_metrics=before,
        after_metrics=after,
    )

    text = shown(renderer.message("compare.json.j2", view=view))

    # Nothing to be relative to: the difference, never "n/a" or an infinite percentage.
    assert "*Wait time:* 0 s → 1 d (+1 d vs cycle 1, :red_circle: worse)" in text.splitlines()


def test_a_carried_over_step_is_marked_and_explained(renderer: Renderer) -> None:
    text = shown(renderer.message("cycle_summary.json.j2", summary=SUMMARIES["carried-over"]))
    [go_live] = [line for line in text.splitlines() if line.startswith("5  Go-live check")]
    assert go_live.endswith(" *")
    assert " 0 *" in go_live  # nobody answered it this cycle
    assert "* carried over from an earlier cycle (nobody answered it this time)" in text
    assert "Partial" not in text


def test_a_partial_summary_names_the_missing_step(renderer: Renderer) -> None:
    text = shown(renderer.message("cycle_summary.json.j2", summary=SUMMARIES["partial"]))
    assert "Partial: no wait or process time yet for Go-live check; the totals leave it out." in (
        text
    )
    # 2d 3h + 1d 45m + 3d 1h + 5d 6h = 989,100 s
    assert "*Lead time:* 11.4 d" in text.splitlines()
    assert "carried over" not in text


def test_fifty_hostile_steps_all_show_in_the_summary(renderer: Renderer) -> None:
    payload = renderer.message("cycle_summary.json.j2", summary=SUMMARIES["fifty-hostile-steps"])
    text = mrkdwn_of(payload)
    table = [line for line in text.splitlines() if line[:3].strip().isdigit()]
    assert [int(line[:3]) for line in table] == list(range(1, 51))
    # Names are cut to fit the table, then escaped once.
    assert escape_mrkdwn(BIG_NAMES[0][:21] + "…") in text
    assert "Closed automatically at the end of its window." in text
    assert "<@U0000000049> and 950 more" in text  # fifty of a thousand people named
    assert json.dumps(payload)  # plain data all the way down


# ---- /vsm compare --------------------------------------------------------------------------


def side_by_side(first: CycleMetrics, second: CycleMetrics, **changes: Any) -> SideBySide:
    basis = changes.get("basis", CALENDAR)
    view = SideBySide(
        stream="Onboarding",
        basis=basis,
        before=CycleRef(1, "baseline"),
        after=CycleRef(2, ""),
        before_metrics=first,
        after_metrics=second,
        comparison=compare(first, second, basis),
    )
    return replace(view, **changes)


def test_compare_shows_totals_steps_and_what_moved(renderer: Renderer) -> None:
    payload = renderer.message("compare.json.j2", view=side_by_side(BASELINE, IMPROVED))
    assert_slack_takes(payload)
    text = shown(payload)
    assert "Onboarding · cycle 1 → cycle 2" in text
    assert "*Lead time:* 12.5 d → 10 d (−20% vs cycle 1, :large_green_circle: better)" in text
    assert "*Wait time:* 12 d → 9.5 d (−20.8% vs cycle 1, :large_green_circle: better)" in text
    assert (
        "*Activity ratio:* 3.8% → 4.7% (+0.9 pts vs cycle 1, :large_green_circle: better)" in text
    )
    assert "*Rolled %C&A:* 35.2% → 35.2% (±0 pts vs cycle 1, :white_circle: same)" in text
    # (2.8 − 5.3) / 5.3, as shown: −47.2% (the seconds would say −47.6%).
    assert "4. Data migration: 5.3 d → 2.8 d (−47.2%)" in text
    assert "1. Contract review: 2.1 d → 2.1 d (±0%)" in text
    assert (
        "*Moved lead time most:* step 4 Data migration, 5.3 d → 2.8 d (−2.5 d), "
        "mostly its wait: 5 d → 2.5 d."
    ) in text
    assert "Cycle 1: baseline" in text
    assert "partial" not in text


def test_compare_with_a_partial_cycle_says_so(renderer: Renderer) -> None:
    payload = renderer.message("compare.json.j2", view=side_by_side(PARTIAL, BASELINE))
    assert_slack_takes(payload)
    assert "One of the cycles is partial" in shown(payload)


def test_compare_of_fifty_hostile_steps_fits(renderer: Renderer) -> None:
    view = side_by_side(
        BIG_BEFORE,
        BIG_AFTER,
        stream=hostile(80),
        basis=WORKING,
        before=CycleRef(1, hostile(80)),
        after=CycleRef(9999, hostile(80)),
    )
    payload = renderer.message("compare.json.j2", view=view)
    assert_slack_takes(payload)
    for name in BIG_NAMES:
        assert escape_mrkdwn(name) in mrkdwn_of(payload)


# ---- hints in the thread -------------------------------------------------------------------


def test_a_hint_quotes_each_bad_line_and_names_what_was_recorded(renderer: Renderer) -> None:
    outcome = ReplyOutcome(
        "recorded",
        CycleInfo("Onboarding", 1, "open"),
        recorded=(1, 3),
        problems=(LineProblem("2: pt <soon> & later", "I could not read `soon`."),),
        steps=STEP_REFS,
    )
    payload = renderer.message("answer_hint.json.j2", reply=MESSAGE, outcome=outcome)
    assert_slack_takes(payload)
    assert mrkdwn_of(payload).splitlines() == [
        "<@UANN> I recorded steps 1, 3, but I could not read this line (nothing of it is stored):",
        "> 2: pt &lt;soon&gt; &amp; later",
        "I could not read `soon`.",
        "Write one line per step, like `1: pt 3h, wait 1d, ca 90%`, then edit your message or "
        "send a new one.",
    ]


def test_a_hint_for_a_closed_cycle_says_nothing_was_recorded(renderer: Renderer) -> None:
    outcome = ReplyOutcome("closed", CycleInfo("<Onboarding & co>", 4, "cancelled"))
    payload = renderer.message("answer_hint.json.j2", reply=MESSAGE, outcome=outcome)
    assert_slack_takes(payload)
    assert "Cycle 4 of *<Onboarding & co>* is cancelled, so I did not record this." in shown(
        payload
    )


def test_a_hint_for_a_hundred_long_hostile_lines_fits(renderer: Renderer) -> None:
    problems = tuple(LineProblem(hostile(400, f"{n} "), hostile(300)) for n in range(100))
    outcome = ReplyOutcome("recorded", CycleInfo("Onboarding", 1, "open"), problems=problems)
    payload = renderer.message("answer_hint.json.j2", reply=MESSAGE, outcome=outcome)
    assert_slack_takes(payload)
    body = mrkdwn_of(payload)
    assert "I could not read these lines (nothing of them is stored)" in body
    assert body.count("\n> ") == 10
    assert "…and 90 more lines I could not read." in body


# ---- the timings form ----------------------------------------------------------------------


def form(
    rows: int, *, all_steps: bool = False, left_out: int = 0, name: str = "Onboarding"
) -> TimingsForm:
    return TimingsForm(
        cycle_id=42,
        stream=name,
        number=2,
        rows=tuple(
            FormRow(n, hostile(80, f"{n:02d} ") if left_out else f"Step {n}", "1d 2h", "3h", "90%")
            for n in range(1, rows + 1)
        ),
        all_steps=all_steps,
        left_out=left_out,
    )


def test_the_timings_modal_has_four_prefilled_inputs_a_step(renderer: Renderer) -> None:
    view = renderer.view("timings_modal.json.j2", form=form(2), metadata='{"cycle": 42}')
    assert_slack_takes(view, "modal")
    assert (view["type"], view["callback_id"]) == ("modal", "timings_submit")
    assert view["private_metadata"] == '{"cycle": 42}'
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == [
        "s1_wait", "s1_cause", "s1_pt", "s1_ca", "s2_wait", "s2_cause", "s2_pt", "s2_ca"
    ]  # fmt: skip
    texts = [inputs[0], *inputs[2:4]]
    assert [b["element"]["initial_value"] for b in texts] == ["1d 2h", "3h", "90%"]
    assert inputs[1]["element"]["type"] == "static_select"  # why it waits: a pick of causes
    assert "initial_option" not in inputs[1]["element"]
    assert all(b["optional"] for b in inputs)
    assert "Your steps:" in mrkdwn_of(view)


def test_someone_at_no_step_is_told_the_form_has_all_steps(renderer: Renderer) -> None:
    view = renderer.view("timings_modal.json.j2", form=form(1, all_steps=True), metadata="{}")
    assert_slack_takes(view, "modal")
    assert "You are not named at any step" in mrkdwn_of(view)


def test_the_largest_timings_modal_fits_and_names_the_steps_left_out(renderer: Renderer) -> None:
    big = form(MOST_STEPS, all_steps=True, left_out=20, name=hostile(80))
    view = renderer.view("timings_modal.json.j2", form=big, metadata='{"cycle": 42}')
    assert_slack_takes(view, "modal")
    assert "And 20 more step(s): answer those in the thread." in mrkdwn_of(view)
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert len(labels) == 4 * MOST_STEPS
    assert labels[0].startswith("1. " + hostile(80, "01 "))  # plain text: not escaped


# ---- the stream card's latest numbers ------------------------------------------------------


def latest(
    metrics: CycleMetrics, baseline: CycleMetrics | None, open_cycle: OpenCycle | None
) -> Latest:
    return Latest(
        basis=CALENDAR,
        closed=CycleRef(2, "after <intake> & co"),
        metrics=metrics,
        vs_baseline=None if baseline is None else compare(baseline, metrics, CALENDAR),
        baseline=None if baseline is None else CycleRef(1, ""),
        open=open_cycle,
    )


def test_the_card_shows_the_latest_numbers_and_the_open_cycle(renderer: Renderer) -> None:
    payload = renderer.message(
        "stream_card.json.j2",
        owners=("U0OWNER",),
        stream=stream_view(EXAMPLE_NAMES),
        latest=latest(IMPROVED, BASELINE, OpenCycle(3, 2, 5)),
    )
    assert_slack_takes(payload)
    text = shown(payload)
    assert (
        "*Latest numbers* (cycle 2, after <intake> & co): lead time 12.5 d → *10 d* (−20% vs "
        "cycle 1), process time 11.3 h, activity ratio 4.7%, rolled %C&A 35.2%"
    ) in text
    assert ":stopwatch: Cycle 3 is open: 2 of 5 steps have answers." in text


def test_a_partial_latest_cycle_is_marked_on_the_card(renderer: Renderer) -> None:
    payload = renderer.message(
        "stream_card.json.j2",
        stream=stream_view(EXAMPLE_NAMES),
        latest=latest(PARTIAL, None, None),
        owners=(),
    )
    assert_slack_takes(payload)
    assert "_(partial)_" in mrkdwn_of(payload)
    assert "vs cycle" not in shown(payload)


def test_the_card_of_fifty_hostile_steps_with_latest_numbers_fits(renderer: Renderer) -> None:
    payload = renderer.message(
        "stream_card.json.j2",
        owners=("U0OWNER",),
        stream=stream_view(BIG_NAMES, WORKING, hostile(80)),
        latest=replace(latest(BIG_AFTER, BIG_BEFORE, OpenCycle(3, 50, 50)), basis=WORKING),
    )
    assert_slack_takes(payload)
