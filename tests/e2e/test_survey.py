"""The readiness survey, end to end: the 1–5 buttons the bot posts in every cycle's thread,
text answers, the results in the summary (added up, never per person), and each stream's own
questions, edited in a modal.

Who scored what is never shown: the tests answer the survey as people who give no timings, so
that any mention of them in a summary could only come from the survey.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from standin.server import Call
from tests.e2e.measuring import (
    HOME,
    STREAM,
    answer,
    close,
    define_example,
    example_line,
    flat,
    hint,
    open_cycle,
)
from tests.e2e.vsm_commands import ok, shown
from tests.support.driver import RESPONSE_URL, SlackDriver

# The default statements of a baseline, asked before any improvement exists …
DEFAULTS = (
    "I understand why this value stream needs to change.",
    "I expect the improvements we will choose to be the right fix for this value stream.",
    "I personally want the improvements we will choose to happen.",
    "I expect to know what I will do differently once the improvements we will choose are made.",
    "I am confident I can do what the improvements we will choose will ask of me.",
    "I can count on our leaders to back the improvements we will choose.",
)
# … and of every later cycle.
LATER = (
    "I understand why this value stream needs to change.",
    "I think the improvements under way are the right fix for this value stream.",
    "I personally want the improvements under way to succeed.",
    "I know what I will do differently once the improvements under way are made.",
    "I am confident I can do what the improvements under way ask of me.",
    "I can count on our leaders to back the improvements under way.",
)
# They give no timings, so the summary has no reason to name them.
ANN, BO, CY = "USVANN", "USVBO", "USVCY"
MEASURER = "UDI"  # the person at step 4 of the worked example
_QUESTION_LINE = re.compile(r"^(\d+)\. ")


# ---- helpers ---------------------------------------------------------------------------------


def start(slack: SlackDriver) -> str:
    """The worked example's stream with its first cycle open; returns the cycle's thread."""
    define_example(slack)
    return open_cycle(slack, "measure onboarding")


def survey_post(slack: SlackDriver, thread: str) -> Call:
    """The survey the bot posted in the thread of the cycle `thread`."""
    [post] = slack.wait_for(
        "chat.postMessage",
        lambda c: (
            c.ok
            and c.params.get("thread_ts") == thread
            and str(c.params.get("text", "")).startswith("Readiness survey")
        ),
    )
    return post


def button_rows(post: Call) -> list[list[dict[str, Any]]]:
    """The buttons of each actions block of the survey, one list per row."""
    return [block["elements"] for block in post.params["blocks"] if block["type"] == "actions"]


def question_texts(post: Call) -> list[str]:
    """The numbered statements the survey message asks, as people read them."""
    found = []
    for line in flat(post.params).splitlines():
        match = re.match(r"^\*(\d+)\.\* (.*)$", line)
        if match:
            found.append(match.group(2))
    return found


def click(slack: SlackDriver, thread: str, position: int, score: int, user: str) -> dict[str, Any]:
    """`user` clicks `score` on question `position` of the survey in `thread`; returns what
    the bot answered on the click's response_url."""
    post = survey_post(slack, thread)
    [button] = [
        b for b in button_rows(post)[position - 1] if b["action_id"] == f"survey_answer_{score}"
    ]
    result = slack.block_action(
        button["action_id"],
        button["value"],
        user=user,
        channel=HOME,
        message_ts=str(post.response["ts"]),
    )
    assert result.status == 200
    assert result.response_url is not None
    path = urlsplit(result.response_url).path
    [answered] = slack.wait_for(RESPONSE_URL, lambda c: c.path == path and c.status == 200)
    return dict(answered.params)


def answer_survey(slack: SlackDriver, thread: str, scores: str, user: str) -> None:
    """`user` replies `survey <scores>` in the thread; the bot must tick it."""
    answer(slack, thread, f"survey {scores}", user)


def measure_one_step(slack: SlackDriver, thread: str) -> None:
    """The person at step 4 gives timings, so that the cycle can be closed."""
    answer(slack, thread, example_line(4), MEASURER)


def results(summary: str) -> list[str]:
    """The summary's survey lines, numbered, as people read them."""
    lines = summary.splitlines()
    [start_at] = [
        n for n, line in enumerate(lines) if line.startswith("*Are people ready?* (readiness")
    ]
    return [line for line in lines[start_at + 1 :] if _QUESTION_LINE.match(line)]


def survey_command(slack: SlackDriver, text: str) -> tuple[Any, dict[str, Any]]:
    """`/vsm <text>`; returns the HTTP result (with its trigger_id) and the reply shown."""
    result = slack.command_raw(text, channel=HOME)
    assert result.status == 200
    reply = slack.reply_to(result)
    assert reply.response_type == "ephemeral"
    return result, dict(reply.payload)


def open_editor(slack: SlackDriver) -> dict[str, Any]:
    """`/vsm survey Onboarding edit`: the modal opened with the command's own trigger_id."""
    result, reply = survey_command(slack, f'survey "{STREAM}" edit')
    assert "Editing the survey of *Onboarding* in the form that just opened." in flat(reply)
    [opened] = slack.wait_for(
        "views.open", lambda c: c.params.get("trigger_id") == result.trigger_id
    )
    assert opened.ok, opened.response
    view = slack.fake.view(opened.response["view"]["id"])
    assert view is not None
    return view


def submit(slack: SlackDriver, view: dict[str, Any], text: str | None) -> dict[str, Any]:
    """Save the editor with `text` in its one field (None: left empty)."""
    state = {"questions": {"value": {"type": "plain_text_input", "value": text}}}
    return slack.view_submission(None, state, view_id=view["id"])


def questions_shown(slack: SlackDriver) -> str:
    return shown(ok(slack, f'survey "{STREAM}"', channel=HOME))


# ---- the survey message ----------------------------------------------------------------------


def test_the_survey_is_in_the_cycle_thread_with_one_row_of_five_buttons_per_question(
    slack: SlackDriver,
) -> None:
    thread = start(slack)

    post = survey_post(slack, thread)

    assert post.params["channel"] == HOME
    assert post.params["thread_ts"] == thread
    assert question_texts(post) == list(DEFAULTS)
    rows = button_rows(post)
    assert len(rows) == len(DEFAULTS)
    cycles = set()
    for position, buttons in enumerate(rows, start=1):
        assert [b["action_id"] for b in buttons] == [f"survey_answer_{n}" for n in range(1, 6)]
        assert [b["text"]["text"] for b in buttons] == ["1", "2", "3", "4", "5"]
        values = [b["value"].split(":") for b in buttons]
        assert [(int(p), int(s)) for _, p, s in values] == [(position, n) for n in range(1, 6)]
        cycles.update(cycle for cycle, _, _ in values)
    assert len(cycles) == 1  # every button names the same cycle
    block_ids = [b.get("block_id") for b in post.params["blocks"] if b.get("block_id")]
    assert len(block_ids) == len(set(block_ids)) == len(DEFAULTS)
    assert "`survey 4 5 3 4 4 5`" in flat(post.params)  # how to answer in text


def test_a_click_is_acknowledged_only_to_the_clicker_and_a_second_click_replaces_it(
    slack: SlackDriver,
) -> None:
    thread = start(slack)
    posts_before = len(slack.calls("chat.postMessage"))

    first = click(slack, thread, 1, 2, ANN)
    second = click(slack, thread, 1, 5, ANN)  # Ann changes her mind
    click(slack, thread, 1, 4, BO)
    click(slack, thread, 1, 4, CY)

    for acked, score in ((first, 2), (second, 5)):
        assert acked["response_type"] == "ephemeral"
        assert acked["replace_original"] is False
        assert (f"Noted your {score} for “{DEFAULTS[0]}” (Onboarding). Only you see this") in flat(
            acked
        )
    # Nothing about the clicks reached the channel or the thread.
    assert len(slack.calls("chat.postMessage")) == posts_before
    assert slack.calls("chat.postEphemeral") == []
    measure_one_step(slack, thread)

    summary = close(slack)

    # 5, 4, 4: had Ann's first click counted too, there would be 4 answers and a mean of 3.8.
    assert results(summary)[0] == f"1. {DEFAULTS[0]} — mean *4.3*, 100% agree, 3 answers"


def test_text_answers_are_ticked_and_malformed_ones_get_a_hint(slack: SlackDriver) -> None:
    thread = start(slack)

    answer_survey(slack, thread, "4 5 3 4 4 5", ANN)
    answer(slack, thread, "Survey: 4, 4, 3, 4, 4, 5", BO)
    too_few = hint(slack, thread, "survey 4 5", CY)
    out_of_range = hint(slack, thread, "survey 9 9 9 9 9 9", CY)

    assert "that has 2 scores, but the survey has 6 questions." in too_few
    assert "Give 6 scores from 1 (disagree) to 5 (agree), one per question" in too_few
    assert "`survey 4 5 3 4 4 5`" in too_few
    assert "`9` is not a score from 1 to 5." in out_of_range
    assert "nothing of it is stored" in out_of_range
    answer_survey(slack, thread, "2 2 2 2 2 2", CY)
    measure_one_step(slack, thread)

    lines = results(close(slack))

    # Ann's and Bo's lines and Cy's good one count; his malformed ones count for nothing.
    assert lines[0] == f"1. {DEFAULTS[0]} — mean *3.3*, 66.7% agree, 3 answers"
    assert lines[1] == f"2. {DEFAULTS[1]} — mean *3.7*, 66.7% agree, 3 answers"


# ---- the results in the summary --------------------------------------------------------------


def test_the_summary_shows_mean_agreement_answers_barriers_and_changes_per_question(
    slack: SlackDriver,
) -> None:
    thread = start(slack)
    answer_survey(slack, thread, "2 5 3 1 5 4", ANN)
    answer_survey(slack, thread, "2 4 3 2 4 4", BO)
    answer_survey(slack, thread, "3 4 3 1 5 5", CY)
    measure_one_step(slack, thread)

    first = results(close(slack))

    assert first == [
        f"1. {DEFAULTS[0]} — mean *2.3*, 0% agree, 3 answers :warning: *barrier*",
        f"2. {DEFAULTS[1]} — mean *4.3*, 100% agree, 3 answers",
        f"3. {DEFAULTS[2]} — mean *3.0*, 0% agree, 3 answers :warning: *barrier*",
        f"4. {DEFAULTS[3]} — mean *1.3*, 0% agree, 3 answers :warning: *barrier*",
        f"5. {DEFAULTS[4]} — mean *4.7*, 100% agree, 3 answers",
        f"6. {DEFAULTS[5]} — mean *4.3*, 100% agree, 3 answers",
    ]

    thread = open_cycle(slack, "measure onboarding")
    answer_survey(slack, thread, "4 4 3 2 5 4", ANN)
    answer_survey(slack, thread, "5 4 3 2 5 4", BO)
    for position, score in ((1, 4), (2, 4), (3, 3)):  # Cy answers three questions only
        click(slack, thread, position, score, CY)
    measure_one_step(slack, thread)

    summary = close(slack)
    second = results(summary)

    # The second cycle asks about the improvements under way, and its answers compare with
    # the baseline's: before → after, the mean's change and the agree share's in points.
    assert "*Are people ready?* (readiness survey, 1–5; changes since cycle 1)" in summary
    assert second == [
        f"1. {LATER[0]} — mean 2.3 → *4.3* (+2.0), 0% → 100% agree (+100 pts), 3 answers",
        f"2. {LATER[1]} — mean 4.3 → *4.0* (−0.3), 100% → 100% agree (±0 pts), 3 answers",
        f"3. {LATER[2]} — mean 3.0 → *3.0* (±0), 0% → 0% agree (±0 pts), 3 answers"
        " :warning: *barrier*",
        # Two answers each: shown only as too few, without a number of any kind.
        f"4. {LATER[3]} — _too few answers_",
        f"5. {LATER[4]} — _too few answers_",
        f"6. {LATER[5]} — _too few answers_",
    ]


def test_one_persons_answers_show_only_as_too_few(slack: SlackDriver) -> None:
    thread = start(slack)
    answer_survey(slack, thread, "1 2 3 4 5 1", ANN)
    measure_one_step(slack, thread)

    summary = close(slack)

    assert results(summary) == [
        f"{n}. {text} — _too few answers_" for n, text in enumerate(DEFAULTS, start=1)
    ]


def test_nothing_in_the_summary_can_be_traced_to_one_person(slack: SlackDriver) -> None:
    thread = start(slack)
    answer_survey(slack, thread, "1 2 3 4 5 1", ANN)
    answer_survey(slack, thread, "5 5 5 5 5 5", BO)
    for position in range(1, 7):
        click(slack, thread, position, 3, CY)
    measure_one_step(slack, thread)
    before_close = len(slack.calls("chat.postMessage"))

    summary = close(slack)

    for person in (ANN, BO, CY):
        assert person not in summary
    assert f"<@{MEASURER}>" in summary  # who gave timings is named, as always
    assert "1 2 3 4 5 1" not in summary
    assert "survey" not in summary.replace("readiness survey, 1–5", "")
    # 1, 5, 3 → 3.0; 2, 5, 3 → 3.3: means and shares, no single score.
    assert results(summary)[0] == f"1. {DEFAULTS[0]} — mean *3.0*, 33.3% agree, 3 answers" + (
        " :warning: *barrier*"
    )
    # Nor did anything the bot posted since name the people who answered the survey.
    for post in slack.calls("chat.postMessage")[before_close:]:
        assert not any(person in str(post.params) for person in (ANN, BO, CY))


def test_a_cycle_nobody_surveyed_says_so(slack: SlackDriver) -> None:
    thread = start(slack)
    measure_one_step(slack, thread)

    summary = close(slack)

    assert "_Nobody answered the survey this cycle._" in summary.splitlines()
    assert results(summary) == []


def test_a_click_after_the_cycle_closed_is_refused_only_to_the_clicker(
    slack: SlackDriver,
) -> None:
    thread = start(slack)
    measure_one_step(slack, thread)
    close(slack)
    posts_before = len(slack.calls("chat.postMessage"))

    refused = click(slack, thread, 1, 4, ANN)

    assert refused["response_type"] == "ephemeral"
    assert refused["replace_original"] is False
    assert "Cycle 1 of “Onboarding” is closed; the survey is over." in flat(refused)
    assert "Noted" not in flat(refused)
    assert len(slack.calls("chat.postMessage")) == posts_before


# ---- the questions of a stream ---------------------------------------------------------------


def test_survey_shows_the_questions(slack: SlackDriver) -> None:
    define_example(slack)

    text = questions_shown(slack)

    assert "*Readiness survey of Onboarding* (the default questions)" in text
    assert "worded for the baseline, before any improvement is chosen" in text
    for n, question in enumerate(DEFAULTS, start=1):
        assert f"{n}. {question}" in text.splitlines()
    assert '`/vsm survey "Onboarding" edit`' in text


def test_the_baseline_asks_about_the_improvements_we_will_choose_later_cycles_those_under_way(
    slack: SlackDriver,
) -> None:
    thread = start(slack)
    baseline = survey_post(slack, thread)
    ok(slack, "cancel onboarding")
    # A cancelled cycle is no baseline: the next one still asks as the baseline.
    thread = open_cycle(slack, "measure onboarding")
    again = survey_post(slack, thread)
    measure_one_step(slack, thread)
    close(slack)

    thread = open_cycle(slack, "measure onboarding")
    later = survey_post(slack, thread)

    for post, heading, questions in (
        (baseline, "*Are we ready for the improvements we will choose?*", DEFAULTS),
        (again, "*Are we ready for the improvements we will choose?*", DEFAULTS),
        (later, "*Are we ready for the improvements under way?*", LATER),
    ):
        assert heading in flat(post.params)
        assert question_texts(post) == list(questions)
        assert "proposed" not in flat(post.params)
    text = questions_shown(slack)
    assert "worded for cycles after the baseline, about the improvements under way" in text
    assert f"2. {LATER[1]}" in text.splitlines()


def test_edit_opens_a_modal_with_the_command_trigger_and_the_current_questions(
    slack: SlackDriver,
) -> None:
    define_example(slack)

    view = open_editor(slack)

    assert (view["type"], view["callback_id"]) == ("modal", "survey_edit")
    [field] = [block for block in view["blocks"] if block["type"] == "input"]
    assert field["block_id"] == "questions"
    assert field["element"]["multiline"] is True
    assert field["element"]["initial_value"] == "\n".join(DEFAULTS)


def test_bad_questions_are_refused_on_the_field_and_nothing_changes(slack: SlackDriver) -> None:
    define_example(slack)
    view = open_editor(slack)
    eleven = "\n".join(f"Statement number {n} is true." for n in range(1, 12))
    twice = "We need to change.\nOur leaders back it.\nwe need to CHANGE."

    for text, problem in (
        (eleven, "There are 11 questions; a survey can have at most 10. Remove 1."),
        (twice, "Line 3 (`we need to CHANGE.`) repeats line 1; each question must be different."),
        (None, "There are no questions."),
        ("   \n\n  ", "There are no questions."),
    ):
        answered = submit(slack, view, text)
        assert answered["response_action"] == "errors", answered
        assert list(answered["errors"]) == ["questions"]
        assert problem in answered["errors"]["questions"]

    assert "(the default questions)" in questions_shown(slack)


def test_new_questions_are_asked_from_the_next_cycle_and_the_open_one_keeps_its_own(
    slack: SlackDriver,
) -> None:
    thread = start(slack)
    view = open_editor(slack)
    mine = ["Handovers are clear to me.", "I have time to improve.", "We share one goal."]

    assert submit(slack, view, "- " + "\n- ".join(mine)) == {}  # the modal closes

    text = questions_shown(slack)
    assert "*Readiness survey of Onboarding* (its own questions)" in text
    assert [line for line in text.splitlines() if _QUESTION_LINE.match(line)] == [
        f"{n}. {q}" for n, q in enumerate(mine, start=1)
    ]
    # The open cycle still asks the six questions it was opened with.
    assert "the survey has 6 questions" in hint(slack, thread, "survey 4 5 3", ANN)
    for person in (ANN, BO, CY):
        answer_survey(slack, thread, "4 4 4 4 4 4", person)
    measure_one_step(slack, thread)
    first = results(close(slack))
    assert [line.split(" — ")[0] for line in first] == [
        f"{n}. {q}" for n, q in enumerate(DEFAULTS, start=1)
    ]

    thread = open_cycle(slack, "measure onboarding")

    post = survey_post(slack, thread)
    assert question_texts(post) == mine
    assert len(button_rows(post)) == 3
    assert "`survey 4 5 3`" in flat(post.params)
    assert "the survey has 3 questions" in hint(slack, thread, "survey 4 4 4 4 4 4", ANN)
    for person in (ANN, BO, CY):
        answer_survey(slack, thread, "5 4 2", person)
    measure_one_step(slack, thread)
    # New questions: nothing to compare with, so no change is shown.
    assert results(close(slack)) == [
        f"1. {mine[0]} — mean *5.0*, 100% agree, 3 answers",
        f"2. {mine[1]} — mean *4.0*, 100% agree, 3 answers",
        f"3. {mine[2]} — mean *2.0*, 0% agree, 3 answers :warning: *barrier*",
    ]


def test_reset_brings_back_the_default_questions(slack: SlackDriver) -> None:
    define_example(slack)
    assert submit(slack, open_editor(slack), "We share one goal.\nI have time.") == {}

    text = shown(ok(slack, f'survey "{STREAM}" reset', channel=HOME))

    assert ":recycle: *Onboarding* asks the default questions again." in text
    assert "(the default questions)" in text
    for n, question in enumerate(DEFAULTS, start=1):
        assert f"{n}. {question}" in text.splitlines()
    thread = open_cycle(slack, "measure onboarding")
    assert question_texts(survey_post(slack, thread)) == list(DEFAULTS)
