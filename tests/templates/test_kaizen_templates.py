"""The survey, improvement and target templates rendered with sample data built by the vsm core:
what the summary says about readiness, PDSA reviews and target progress, and that every payload
stays within Block Kit's limits — at the limits too (10 questions of 200 characters full of
`*_~<>&`, 20 reviews, a survey message of 10 questions).
"""

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from commands.digest import ChannelDigest, StreamDigest, TrendPoint
from commands.kaizen import ImprovementList, ImprovementView
from commands.latest import Latest
from commands.renderer import make_renderer
from commands.summary import CycleRef, ReviewView, Summary
from commands.targets import TargetView
from templates import Renderer
from templates.mrkdwn import escape_mrkdwn
from tests.e2e.vsm_commands import readable, text_objects
from tests.templates.test_cycle_templates import (
    BASELINE,
    BIG_AFTER,
    BIG_BEFORE,
    EXAMPLE,
    EXAMPLE_NAMES,
    WORKING,
    assert_slack_takes,
    hostile,
    mrkdwn_of,
    opened,
    shown,
    steps_of,
    stream_view,
    summary,
)
from vsm.compare import duration_change
from vsm.durations import CALENDAR
from vsm.improvements import Expectation
from vsm.metrics import CycleMetrics, StepMetrics, measure_cycle
from vsm.study import review
from vsm.survey import QuestionResult, summarize_survey
from vsm.survey_questions import BASELINE_QUESTIONS, DEFAULT_QUESTIONS, Question
from vsm.targets import Target, progress

D, H = 86_400, 3600
T0 = datetime(2030, 1, 6, 12, tzinfo=UTC)
T1 = T0 + timedelta(days=14)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return make_renderer()


def summary_lines(renderer: Renderer, view: Summary, heading: str) -> list[str]:
    """The non-empty lines after `heading` in the summary block that opens with it."""
    payload = renderer.message("cycle_summary.json.j2", summary=view)
    assert_slack_takes(payload)
    for text in text_objects(payload["blocks"], "mrkdwn"):
        lines = readable(text).splitlines()
        if lines[0] == heading:
            return [line for line in lines[1:] if line.strip()]
    raise AssertionError(f"no block opens with {heading!r}")


def summary_text(renderer: Renderer, view: Summary) -> str:
    payload = renderer.message("cycle_summary.json.j2", summary=view)
    assert_slack_takes(payload)
    return shown(payload)


# ---- the readiness survey in the summary ---------------------------------------------------

KEYS = [q.key for q in DEFAULT_QUESTIONS]
TEXTS = [q.text for q in DEFAULT_QUESTIONS]
SURVEY_HEADING = "*Are people ready?* (readiness survey, 1–5)"
SINCE_HEADING = "*Are people ready?* (readiness survey, 1–5; changes since cycle 1)"


def survey_lines(renderer: Renderer, results: tuple[QuestionResult, ...]) -> list[str]:
    return summary_lines(renderer, replace(summary(BASELINE), survey=results), SURVEY_HEADING)


def later_survey_lines(renderer: Renderer, results: tuple[QuestionResult, ...]) -> list[str]:
    """The survey of cycle 2, whose survey is compared with the baseline's."""
    view = replace(summary(BASELINE, number=2, baseline=BASELINE), survey=results)
    return summary_lines(renderer, view, SINCE_HEADING)


def test_a_survey_with_too_few_answers_everywhere_shows_no_number(renderer: Renderer) -> None:
    results = summarize_survey(DEFAULT_QUESTIONS, {"awareness": [4], "desire": [5, 1]})

    assert survey_lines(renderer, results) == [
        f"{n}. {question} — _too few answers_" for n, question in enumerate(TEXTS, start=1)
    ]


def test_a_survey_nobody_answered_says_so(renderer: Renderer) -> None:
    results = summarize_survey(DEFAULT_QUESTIONS, {})

    assert survey_lines(renderer, results) == ["_Nobody answered the survey this cycle._"]


def test_a_mean_of_three_or_less_is_a_barrier(renderer: Renderer) -> None:
    results = summarize_survey(
        DEFAULT_QUESTIONS[:4],
        {
            "awareness": [3, 3, 3],  # exactly 3: a barrier
            "appropriateness": [4, 5, 4, 2],
            "desire": [1, 2, 2, 4, 5],
            "knowledge": [4, 4],
        },
    )

    assert survey_lines(renderer, results) == [
        f"1. {TEXTS[0]} — mean *3.0*, 0% agree, 3 answers :warning: *barrier*",
        f"2. {TEXTS[1]} — mean *3.8*, 75% agree, 4 answers",
        f"3. {TEXTS[2]} — mean *2.8*, 40% agree, 5 answers :warning: *barrier*",
        f"4. {TEXTS[3]} — _too few answers_",
    ]


def test_changes_since_the_last_survey_are_shown_where_both_have_numbers(
    renderer: Renderer,
) -> None:
    before = summarize_survey(
        DEFAULT_QUESTIONS[:4],
        {
            "awareness": [2, 2, 3],
            "appropriateness": [4, 5, 4],
            "desire": [3, 3, 3],
            "knowledge": [5, 5],  # too few last time
        },
    )
    reworded = (*DEFAULT_QUESTIONS[:4], Question("ability", "Reworded: I can do it."))
    now = summarize_survey(
        reworded,
        {
            "awareness": [4, 4, 5],
            "appropriateness": [4, 4, 4],
            "desire": [3, 3, 3],
            "knowledge": [4, 4, 4],
            "ability": [4, 4, 4],
        },
        {
            r.key: r
            for r in (*before, QuestionResult("ability", TEXTS[4], 3, 5.0, 1.0, False, False))
        },
    )

    # Before → after and the change: the mean's in score points, the agree share's in
    # percentage points.
    assert later_survey_lines(renderer, now) == [
        f"1. {TEXTS[0]} — mean 2.3 → *4.3* (+2.0), 0% → 100% agree (+100 pts), 3 answers",
        f"2. {TEXTS[1]} — mean 4.3 → *4.0* (−0.3), 100% → 100% agree (±0 pts), 3 answers",
        f"3. {TEXTS[2]} — mean 3.0 → *3.0* (±0), 0% → 0% agree (±0 pts), 3 answers"
        " :warning: *barrier*",
        f"4. {TEXTS[3]} — mean *4.0*, 100% agree, 3 answers",
        "5. Reworded: I can do it. — mean *4.0*, 100% agree, 3 answers",
    ]


def test_a_change_agrees_with_the_means_and_shares_beside_it(renderer: Renderer) -> None:
    before = summarize_survey(
        DEFAULT_QUESTIONS[:2], {"awareness": [3, 5, 5], "appropriateness": [3, 4, 4]}
    )
    now = summarize_survey(
        DEFAULT_QUESTIONS[:2],
        {"awareness": [4, 5, 5], "appropriateness": [2, 4, 4, 4, 4]},
        {r.key: r for r in before},
    )

    # 4.33 → 4.67 reads 4.3 → 4.7, so +0.4 (not the +0.3 of the unrounded means); 3.67 → 3.6
    # reads 3.7 → 3.6, so −0.1; 66.7% → 100% agree is +33.3 points, 66.7% → 80% +13.3.
    assert later_survey_lines(renderer, now) == [
        f"1. {TEXTS[0]} — mean 4.3 → *4.7* (+0.4), 66.7% → 100% agree (+33.3 pts), 3 answers",
        f"2. {TEXTS[1]} — mean 3.7 → *3.6* (−0.1), 66.7% → 80% agree (+13.3 pts), 5 answers",
    ]


def test_the_baseline_s_wording_compares_with_the_later_one(renderer: Renderer) -> None:
    before = summarize_survey(BASELINE_QUESTIONS[1:2], {"appropriateness": [2, 3, 3, 3]})
    now = summarize_survey(
        DEFAULT_QUESTIONS[1:2], {"appropriateness": [4, 4, 5]}, {r.key: r for r in before}
    )

    assert later_survey_lines(renderer, now) == [
        "1. I think the improvements under way are the right fix for this value stream. — "
        "mean 2.8 → *4.3* (+1.5), 0% → 100% agree (+100 pts), 3 answers",
    ]


# ---- PDSA reviews in the summary -----------------------------------------------------------

# The second cycle: step 3's wait 3 d → 2 d, step 4's 5 d → 2 d, step 2's %C&A 90% → 80%.
AFTER_ROWS = (
    EXAMPLE[0],
    ("Account setup", 1 * D, 45 * 60, 0.80),
    ("Kickoff call", 2 * D, 1 * H, 0.95),
    ("Data migration", 2 * D, 6 * H, 0.60),
    ("Go-live check", 0, 0, 0.0),  # nobody answered: carried over
)
AFTER = measure_cycle(steps_of(AFTER_ROWS), [steps_of(EXAMPLE)])


def step(metrics: CycleMetrics, position: int) -> StepMetrics:
    return metrics.steps[position - 1]


def studied(number: int, title: str, position: int, expectation: Expectation) -> ReviewView:
    return ReviewView(
        number,
        title,
        EXAMPLE_NAMES[position - 1],
        expectation,
        review(
            expectation,
            step(BASELINE, position),
            step(AFTER, position),
            number=number,
            basis=CALENDAR,
        ),
    )


REVIEWS = (
    studied(1, "Migration template", 4, Expectation("wait", -3 * D)),
    studied(2, "Kickoff <queue> & co", 3, Expectation("wait", -2 * D)),
    studied(3, "Review checklist", 1, Expectation("pt", -1 * H)),
    studied(4, "Setup handbook", 2, Expectation("ca", 0.10)),
    studied(5, "Go-live dry run", 5, Expectation("wait", -1 * D)),
)


def test_each_verdict_of_a_review_reads_as_people_say_it(renderer: Renderer) -> None:
    assert [r.review.verdict for r in REVIEWS] == [
        "as_predicted",
        "partly",
        "no_effect",
        "opposite",
        "not_measured",
    ]

    view = replace(summary(AFTER, number=2), reviews=REVIEWS)

    # What was measured reads before → after, and the change: a duration's difference, the
    # %C&A's in points.
    assert summary_lines(renderer, view, "*Did what we changed work?*") == [
        "• *#1 Migration template* (Data migration): predicted `wait -3d`, measured 5 d → 2 d"
        " (−3 d) — :white_check_mark: worked as predicted",
        "• *#2 Kickoff <queue> & co* (Kickoff call): predicted `wait -2d`, measured 3 d → 2 d"
        " (−1 d) — :large_yellow_circle: worked partly",
        "• *#3 Review checklist* (Contract review): predicted `pt -1h`, measured 3 h → 3 h"
        " (±0) — :white_circle: no measurable effect",
        "• *#4 Setup handbook* (Account setup): predicted `ca +10%`, measured 90% → 80%"
        " (−10 pts) — :red_circle: went the other way",
        "• *#5 Go-live dry run* (Go-live check): predicted `wait -1d`, measured —"
        " — :grey_question: not measured at its step this cycle",
    ]


def test_a_summary_without_reviews_has_no_such_section(renderer: Renderer) -> None:
    text = summary_text(renderer, summary(AFTER, number=2))

    assert "Did what we changed work?" not in text


# ---- target progress in the summary --------------------------------------------------------

TARGET_HEADING = "*How far to the future state?*"


def target_view(target: Target, *, measured: bool = True) -> TargetView:
    return TargetView(
        stream="Onboarding",
        basis=CALENDAR,
        target=target,
        progress=progress(
            target,
            baseline=BASELINE if measured else None,
            baseline_at=T0 if measured else None,
            current=AFTER if measured else None,
            current_at=T1 if measured else None,
            basis=CALENDAR,
        ),
        partial=False,
        moved=measured,
    )


def target_lines(renderer: Renderer, view: TargetView) -> list[str]:
    return summary_lines(renderer, replace(summary(AFTER, number=2), target=view), TARGET_HEADING)


def test_target_progress_reached_on_pace_and_behind_pace(renderer: Renderer) -> None:
    view = target_view(Target(lead_s=10 * D, ratio=0.10, ca=0.60, by=date(2031, 6, 30)))

    # Lead time 12.5 d → 8.5 d; ratio 3.76% → 5.54% in 14 days, so 10% some 35 days later;
    # shown as 3.8% → 5.5%, which is (5.5 − 3.8) / (10 − 3.8) = 27.4% of the way; %C&A
    # 35.2% → 31.3%, away from the target.
    assert target_lines(renderer, view) == [
        "• Lead time → 10 d: :dart: *reached* (8.5 d)",
        "• Activity ratio → 10%: 3.8% → 5.5% since the baseline, 27.4% of the way, on pace"
        " (at this pace: 2030-02-24)",
        "• Rolled %C&A → 60%: 35.2% → 31.3% since the baseline, 0% of the way, *behind pace*",
        "_By 2031-06-30._",
    ]


def test_a_target_with_only_the_baseline_measured_shows_where_it_stands(
    renderer: Renderer,
) -> None:
    view = replace(target_view(Target(ratio=0.10)), moved=False)

    assert target_lines(renderer, view)[0].startswith("• Activity ratio → 10%: now 5.5% (at")


def test_a_target_without_a_date_has_no_pace(renderer: Renderer) -> None:
    view = target_view(Target(ratio=0.10))

    assert target_lines(renderer, view)[0] == (
        "• Activity ratio → 10%: 3.8% → 5.5% since the baseline, 27.4% of the way"
        " (at this pace: 2030-02-24)"
    )
    assert "_By" not in summary_text(renderer, replace(summary(AFTER), target=view))


def test_a_target_not_measured_yet_says_so(renderer: Renderer) -> None:
    view = target_view(Target(lead_s=10 * D, ca=0.60, by=date(2031, 6, 30)), measured=False)

    assert target_lines(renderer, view) == [
        "• Lead time → 10 d: not measured yet",
        "• Rolled %C&A → 60%: not measured yet",
        "_By 2031-06-30._",
    ]


# ---- Block Kit limits, at the limits -------------------------------------------------------

HOSTILE_QUESTIONS = tuple(Question(f"q{n}", hostile(200, f"{n:02d} ")) for n in range(1, 11))


def hostile_survey() -> tuple[QuestionResult, ...]:
    """Ten 200-character questions: some too few, some barriers, all with changes."""
    scores = {
        q.key: [1 + (n + i) % 5 for i in range(n % 4 * 2)] for n, q in enumerate(HOSTILE_QUESTIONS)
    }
    before = summarize_survey(HOSTILE_QUESTIONS, {q.key: [3, 3, 3] for q in HOSTILE_QUESTIONS})
    return summarize_survey(HOSTILE_QUESTIONS, scores, {r.key: r for r in before})


def hostile_reviews(count: int) -> tuple[ReviewView, ...]:
    verdicts = [r.review for r in REVIEWS]
    return tuple(
        ReviewView(
            n,
            hostile(200, f"{n:02d} "),
            hostile(80),
            Expectation("wait", -1_234_567 * n),
            replace(verdicts[n % len(verdicts)], number=n),
        )
        for n in range(1, count + 1)
    )


def hostile_target() -> TargetView:
    return replace(
        target_view(Target(lead_s=1, ratio=1.0, ca=1.0, by=date(9998, 12, 31))),
        stream=hostile(80),
        basis=WORKING,
        partial=True,
    )


def test_the_biggest_summary_fits_with_survey_reviews_and_target(renderer: Renderer) -> None:
    view = replace(
        summary(BIG_AFTER, number=9999, baseline=BIG_BEFORE, previous=BIG_BEFORE),
        stream=hostile(80),
        basis=WORKING,
        survey=hostile_survey(),
        reviews=hostile_reviews(20),
        target=hostile_target(),
    )

    payload = renderer.message("cycle_summary.json.j2", summary=view)

    assert_slack_takes(payload)
    body = mrkdwn_of(payload)
    for question in HOSTILE_QUESTIONS:
        assert escape_mrkdwn(question.text) in body
    for item in view.reviews:
        assert escape_mrkdwn(item.title) in body
    assert "*How far to the future state?*" in body


def assert_ids_unique(payload: dict[str, Any]) -> None:
    """Block ids unique in the payload; action ids unique within each actions block."""
    block_ids = [b["block_id"] for b in payload["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), Counter(block_ids).most_common(3)
    for block in payload["blocks"]:
        if block["type"] == "actions":
            action_ids = [e["action_id"] for e in block["elements"]]
            assert len(action_ids) == len(set(action_ids)), action_ids


def test_the_survey_message_of_ten_hostile_questions_fits(renderer: Renderer) -> None:
    cycle = opened(EXAMPLE_NAMES, ("UANN",), stream=hostile(80), number=9999)

    payload = renderer.message(
        "survey_message.json.j2", cycle=cycle, questions=HOSTILE_QUESTIONS, baseline=False
    )

    assert_slack_takes(payload)
    assert len(payload["blocks"]) <= 50
    assert_ids_unique(payload)
    rows = [b for b in payload["blocks"] if b["type"] == "actions"]
    assert len(rows) == 10
    for position, row in enumerate(rows, start=1):
        assert [e["value"] for e in row["elements"]] == [f"42:{position}:{s}" for s in range(1, 6)]
    body = mrkdwn_of(payload)
    for question in HOSTILE_QUESTIONS:
        assert escape_mrkdwn(question.text) in body
    assert "`survey 4 5 3 4 4 5 3 4 5 4`" in body


@pytest.mark.parametrize(
    ("baseline", "heading", "question"),
    [
        (
            True,
            "*Are we ready for the improvements we will choose?*",
            "I expect the improvements we will choose to be the right fix for this value stream.",
        ),
        (
            False,
            "*Are we ready for the improvements under way?*",
            "I think the improvements under way are the right fix for this value stream.",
        ),
    ],
)
def test_the_survey_message_of_the_baseline_asks_before_any_improvement_exists(
    renderer: Renderer, baseline: bool, heading: str, question: str
) -> None:
    questions = BASELINE_QUESTIONS if baseline else DEFAULT_QUESTIONS
    cycle = opened(EXAMPLE_NAMES, ("UANN",), number=1 if baseline else 2)

    payload = renderer.message(
        "survey_message.json.j2", cycle=cycle, questions=questions, baseline=baseline
    )

    text = shown(payload)
    assert f":thinking_face: {heading} For each statement" in text
    assert f"*2.* {question}" in text
    assert "proposed" not in text


@pytest.mark.parametrize(
    ("baseline", "says"),
    [
        (True, "worded for the baseline, before any improvement is chosen"),
        (False, "worded for cycles after the baseline, about the improvements under way"),
    ],
)
def test_the_survey_questions_reply_says_which_wording_comes_next(
    renderer: Renderer, baseline: bool, says: str
) -> None:
    questions = BASELINE_QUESTIONS if baseline else DEFAULT_QUESTIONS
    reply = renderer.message(
        "survey_questions.json.j2",
        stream="Onboarding",
        questions=questions,
        own=False,
        reset=False,
        baseline=baseline,
    )

    text = shown(reply)
    assert says in text
    assert f"2. {questions[1].text}" in text


def test_the_survey_questions_reply_and_editor_of_ten_hostile_questions_fit(
    renderer: Renderer,
) -> None:
    reply = renderer.message(
        "survey_questions.json.j2",
        stream=hostile(80),
        questions=HOSTILE_QUESTIONS,
        own=True,
        reset=False,
        baseline=True,
    )
    assert_slack_takes(reply)
    for question in HOSTILE_QUESTIONS:
        assert escape_mrkdwn(question.text) in mrkdwn_of(reply)

    view = renderer.view(
        "survey_edit_modal.json.j2",
        stream=hostile(80),
        questions=HOSTILE_QUESTIONS,
        metadata='{"stream": 1}',
    )
    assert_slack_takes(view, "modal")
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    # Plain text: the statements exactly as typed, one a line, for the person to edit.
    assert field["element"]["initial_value"] == "\n".join(q.text for q in HOSTILE_QUESTIONS)


def hostile_improvement(n: int, status: str = "proposed") -> ImprovementView:
    return ImprovementView(
        number=n,
        title=hostile(200, f"{n:03d} "),
        step_position=n % 50 + 1,
        step_name=hostile(80),
        owner="U0123456789",
        expectation=Expectation("ca", 0.125) if n % 2 else Expectation("pt", -5_400 * n),
        effort="L",
        status=status,
        basis=WORKING,
    )


@pytest.mark.parametrize("ranked", [False, True])
def test_a_long_list_of_hostile_improvements_fits(renderer: Renderer, ranked: bool) -> None:
    items = tuple(hostile_improvement(n) for n in range(1, 201))
    listing = ImprovementList(hostile(80), WORKING, items, ranked, hostile(80) if ranked else None)

    payload = renderer.message("improvements.json.j2", listing=listing)

    assert_slack_takes(payload)
    assert escape_mrkdwn(items[0].title) in mrkdwn_of(payload)


@pytest.mark.parametrize("status", ["proposed", "doing", "done", "dropped"])
def test_an_improvement_reply_fits(renderer: Renderer, status: str) -> None:
    item = hostile_improvement(7, status)

    added = renderer.message("improvement_added.json.j2", stream=hostile(80), item=item)
    moved = renderer.message(
        "improvement_status.json.j2", stream=hostile(80), item=item, old="proposed"
    )

    for payload in (added, moved):
        assert_slack_takes(payload)
        assert escape_mrkdwn(item.title) in mrkdwn_of(payload)


def test_the_digest_shows_lead_time_from_the_baseline_and_the_way_to_the_target(
    renderer: Renderer,
) -> None:
    stream = StreamDigest(
        name="Onboarding",
        basis=CALENDAR,
        latest=CycleRef(2, ""),
        metrics=AFTER,
        lead_since_baseline=duration_change(BASELINE.lead_s, AFTER.lead_s, CALENDAR),
        trend=(
            TrendPoint(CycleRef(1, ""), BASELINE.lead_s, False),
            TrendPoint(CycleRef(2, ""), AFTER.lead_s, False),
        ),
        open=None,
        next_run_at=None,
        biggest_wait=None,
        target=target_view(Target(lead_s=5 * D, ratio=0.1)),
    )

    text = shown(renderer.message("digest.json.j2", digest=ChannelDigest("C1", (stream,))))

    # 12.5 d → 8.5 d as shown: −32% (the seconds would say −32.1%).
    assert (
        "• Lead time 12.5 d _(c1)_ → 8.5 d _(c2)_ · −32% since cycle 1"
        " (:large_green_circle: better)"
    ) in text.splitlines()
    # (12.5 − 8.5) / (12.5 − 5) = 53.3% of the way, of the numbers as shown.
    assert "• Target lead time 5 d: 12.5 d → 8.5 d since the baseline, 53.3% of the way" in text
    assert "• Target activity ratio 10%: 3.8% → 5.5% since the baseline, 27.4% of the way" in text


def test_the_target_reply_card_and_digest_fit_with_hostile_names(renderer: Renderer) -> None:
    view = hostile_target()
    reply = renderer.message("target_shown.json.j2", stream=view.stream, view=view, changed=True)
    assert_slack_takes(reply)
    assert "_The latest cycle is partial._" in mrkdwn_of(reply)

    latest = Latest(
        basis=WORKING,
        closed=CycleRef(2, hostile(80)),
        metrics=BIG_AFTER,
        vs_baseline=None,
        baseline=None,
        open=None,
        target=view,
        improving=tuple(f"#{n} {hostile(200)}" for n in range(1, 60)),
    )
    card = renderer.message(
        "stream_card.json.j2",
        owners=("U0OWNER",),
        stream=stream_view(EXAMPLE_NAMES, WORKING, hostile(80)),
        latest=latest,
    )
    assert_slack_takes(card)
    assert "*Target*" in mrkdwn_of(card)

    streams = tuple(
        StreamDigest(
            name=hostile(80, f"{n:02d} "),
            basis=WORKING,
            latest=CycleRef(2, ""),
            metrics=BIG_AFTER,
            lead_since_baseline=None,
            trend=(),
            open=None,
            next_run_at=None,
            biggest_wait=None,
            improving=tuple(f"#{i} {hostile(200)}" for i in range(1, 20)),
            target=view,
        )
        for n in range(30)
    )
    digest = renderer.message("digest.json.j2", digest=ChannelDigest("C1", streams))
    assert_slack_takes(digest)
    assert "Target rolled %C&amp;A 100%" in mrkdwn_of(digest)
