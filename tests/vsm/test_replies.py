import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.vsm.examples import WORKED_REPLY, WORKED_STEPS, WORKING
from vsm.durations import CALENDAR, format_exact
from vsm.percent import format_percent
from vsm.replies import LineProblem, ReplyParse, StepAnswerInput, StepRef, parse_reply
from vsm.waiting import CAUSE_WORDS, WaitCause

H, D = 3600, 86_400
STEPS = (*WORKED_STEPS, StepRef(6, "Accounting"), StepRef(7, "Ptolemy review"))


def answer(
    position: int,
    wait: int | None = None,
    pt: int | None = None,
    ca: float | None = None,
    cause: WaitCause | None = None,
) -> StepAnswerInput:
    return StepAnswerInput(position, wait_s=wait, process_s=pt, ca=ca, wait_cause=cause)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2: pt 3h, wait 1d, ca 85%", answer(2, D, 3 * H, 0.85)),
        ("step 3 wait 2d pt 45 min", answer(3, 2 * D, 2700)),
        ("Account setup: ca 90", answer(2, ca=0.9)),
        ("account SETUP : ca 90", answer(2, ca=0.9)),
        ("Account   setup: ca 90", answer(2, ca=0.9)),
        ("Kick: wait 1d", answer(3, D)),  # a unique start of a name
        ("Ptolemy review: pt 1h", answer(7, pt=H)),  # exact name, though it starts like `pt`
        ("Pto: pt 1h", answer(7, pt=H)),
        ("2 pt 3h", answer(2, pt=3 * H)),
        ("#2 pt 3h", answer(2, pt=3 * H)),
        ("# 2: pt 3h", answer(2, pt=3 * H)),
        ("Step 2: pt 3h", answer(2, pt=3 * H)),
        ("step #2 pt 3h", answer(2, pt=3 * H)),
        ("step2 pt 3h", answer(2, pt=3 * H)),
        ("2) pt 3h", answer(2, pt=3 * H)),
        ("2. pt 3h", answer(2, pt=3 * H)),
        ("2 Account setup: pt 3h", answer(2, pt=3 * H)),
        ("2: process 3h", answer(2, pt=3 * H)),
        ("2: process time 3h", answer(2, pt=3 * H)),
        ("2: PT 3h", answer(2, pt=3 * H)),
        ("2: pt3h", answer(2, pt=3 * H)),
        ("2: pt: 3h; wait: 1d", answer(2, D, 3 * H)),
        ("2: pt=3h wait=1d", answer(2, D, 3 * H)),
        ("2: wait time 1d", answer(2, D)),
        ("2: wait 1h 30m pt 10 min", answer(2, 5400, 600)),
        ("2: c&a 80", answer(2, ca=0.8)),
        ("2: C & A 80%", answer(2, ca=0.8)),
        ("2: %c&a 80", answer(2, ca=0.8)),
        ("2: %C&A 80%", answer(2, ca=0.8)),
        ("2: ca 80 % wait 0", answer(2, 0, ca=0.8)),
        ("- 2: pt 3h", answer(2, pt=3 * H)),
        ("• 2: pt 3h", answer(2, pt=3 * H)),
        ("<@U024BE7LH> 2: pt 3h", answer(2, pt=3 * H)),
        ("2: pt 3h <@U024BE7LH|sam>", answer(2, pt=3 * H)),
        ("  2:pt 3h,wait 1d,ca 85%  ", answer(2, D, 3 * H, 0.85)),
    ],
)
def test_reads_one_line(text: str, expected: StepAnswerInput) -> None:
    assert parse_reply(text, STEPS, CALENDAR) == ReplyParse(answers=(expected,))


def test_days_follow_the_basis() -> None:
    read = parse_reply("2: wait 1.5d pt 1w", STEPS, WORKING)
    assert read.answers == (answer(2, 12 * H, 40 * H),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2: pt 3",
            "I could not read `pt 3` in `2: pt 3` — 3 what? Try `2: pt 3h wait 1d ca 90%`.",
        ),
        (
            "8: pt 1h",
            "I could not read `8: pt 1h` — there is no step 8; the steps are 1–7. "
            "Try `1: pt 3h wait 1d ca 90%`.",
        ),
        (
            "Acc: pt 1h",
            "I could not read `Acc:` in `Acc: pt 1h` — “Acc” could be the step “Account setup”, "
            "“Accounting”. Give more of the name. Try `1: pt 3h wait 1d ca 90%`.",
        ),
        (
            "Foo: pt 1h",
            "I could not read `Foo:` in `Foo: pt 1h` — I don't know a step called “Foo”. "
            "The steps are 1 Contract review, 2 Account setup, 3 Kickoff call, 4 Data migration, "
            "5 Go-live check, 6 Accounting, 7 Ptolemy review. Try `1: pt 3h wait 1d ca 90%`.",
        ),
        (
            "pt 3h",
            "I could not read `pt 3h` — which step is it for? Start the line with its number or "
            "name. The steps are 1 Contract review, 2 Account setup, 3 Kickoff call, "
            "4 Data migration, 5 Go-live check, 6 Accounting, 7 Ptolemy review. "
            "Try `1: pt 3h wait 1d ca 90%`.",
        ),
        (
            "2 3h",
            "I could not read `3h` in `2 3h` — is it pt, wait or ca? "
            "Try `2: pt 3h wait 1d ca 90%`.",
        ),
        ("2:", "I could not read `2:` — there is nothing to record in it."),
        ("Account setup: about an hour, 2", "I could not read `about an hour` in"),
        (
            "Account setup: pt",
            "`pt` in `Account setup: pt` — pt needs a value after it. Try `Account setup: pt",
        ),
        ("2: wait 1d pt", "`pt` in `2: wait 1d pt` — pt needs a value after it."),
        ("2: pt 1h pt 2h", "`pt 2h` in `2: pt 1h pt 2h` — it gives pt twice."),
        ("2: ca 80 c&a 90", "it gives ca twice."),
        (
            "2: pt 3h wait 1d extra",
            "`wait 1d extra` in `2: pt 3h wait 1d extra` — I can't read `extra`",
        ),
        ("2: wait -1d", "a time cannot be negative."),
        ("2: wait 1h 2h", "it gives hours twice."),
        ("2: ca 120", "a percentage cannot be more than 100."),
        ("2: ca 0.9", "did you mean `90%`?"),
        ("2: ca high", "that is not a number from 0 to 100."),
        ("2: pt 1,5h", "`pt 1` in `2: pt 1,5h` — 1 what?"),
        ("2: pt 3h, 30m", "`30m` in `2: pt 3h, 30m` — is it pt, wait or ca?"),
        ("I will wait for Bob", "`I will wait for Bob` — start it with the step's number or name"),
        ("Back 2 you", "`Back 2 you` — start it with the step's number or name"),
        ("step pt 3h", "`step pt 3h` — start it with the step's number or name"),
    ],
)
def test_reports_a_line_it_cannot_read(text: str, message: str) -> None:
    read = parse_reply(text, STEPS, CALENDAR)
    assert read.answers == ()
    assert len(read.problems) == 1
    assert read.problems[0].line == text
    assert message in read.problems[0].message


def test_same_name_on_two_steps_asks_for_the_number() -> None:
    twins = (StepRef(1, "Review"), StepRef(2, "review"))
    read = parse_reply("Review: pt 1h", twins, CALENDAR)
    assert "several steps have that name; use the number (1 or 2)" in read.problems[0].message


def test_lines_are_read_one_step_each() -> None:
    read = parse_reply(WORKED_REPLY, WORKED_STEPS, CALENDAR)
    assert read.problems == ()
    assert read.answers == (
        answer(1, 2 * D, 3 * H, 0.7),
        answer(2, D, 2700, 0.9),
        answer(3, 3 * D, H, 0.95),
        answer(4, 5 * D, 6 * H, 0.6),
        answer(5, D, 1800, 0.98),
    )


def test_answers_come_in_step_order() -> None:
    read = parse_reply("3: pt 1h\n1: pt 2h", STEPS, CALENDAR)
    assert [a.position for a in read.answers] == [1, 3]


def test_a_bad_line_keeps_the_good_ones() -> None:
    read = parse_reply("1: pt 2h\n2: pt 3 wait 1d\n3: wait 1d", STEPS, CALENDAR)
    assert read.answers == (answer(1, pt=2 * H), answer(3, D))
    assert [p.line for p in read.problems] == ["2: pt 3 wait 1d"]


def test_a_step_on_two_lines_gets_both() -> None:
    read = parse_reply("2: pt 3h\n2: wait 1d\n2: pt 3h", STEPS, CALENDAR)
    assert read == ReplyParse(answers=(answer(2, D, 3 * H),))


def test_a_step_given_two_values_keeps_the_first_and_reports_the_second() -> None:
    read = parse_reply("2: pt 3h\n2: wait 1d pt 4h", STEPS, CALENDAR)
    assert read.answers == (answer(2, pt=3 * H),)
    assert read.problems == (
        LineProblem(
            "2: wait 1d pt 4h",
            "I did not use `2: wait 1d pt 4h`: an earlier line already gives step 2 `pt 3h`. "
            "Put one value per field in a message; send a new message to change it.",
        ),
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "Thanks all!",
        "Great, I'll get to it tomorrow.\nCheers",
        "<@U024BE7LH> can you take this one?",
        "Account setup: about an hour",  # no digit, no keyword: read as talk
        "I'm waiting on legal",  # `waiting` is not the keyword `wait`
        "Still waiting on another team for approval",
        "see <https://example.com/page/42>",
    ],
)
def test_talk_is_conversation(text: str) -> None:
    assert parse_reply(text, STEPS, CALENDAR) == ReplyParse(conversation=True)


def test_talk_between_answers_is_skipped() -> None:
    read = parse_reply("Here you go:\n\n2: pt 3h\nthanks!", STEPS, CALENDAR)
    assert read == ReplyParse(answers=(answer(2, pt=3 * H),))


def test_survey_lines_are_passed_on_untouched() -> None:
    text = "Survey 4 5 3 2 4 5\n1: pt 1h\n  survey: 3"
    read = parse_reply(text, STEPS, CALENDAR)
    assert read.survey_lines == ("Survey 4 5 3 2 4 5", "  survey: 3")
    assert read.answers == (answer(1, pt=H),)
    assert not read.conversation


def test_surveys_alone_are_not_conversation() -> None:
    assert parse_reply("survey", STEPS, CALENDAR) == ReplyParse(survey_lines=("survey",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pt 3h wait 2d", answer(4, 2 * D, 3 * H)),
        ("wait 2d, ca 90", answer(4, 2 * D, ca=0.9)),
        ("2: pt 1h", answer(2, pt=H)),  # naming a step still works
    ],
)
def test_default_step(text: str, expected: StepAnswerInput) -> None:
    assert parse_reply(text, STEPS, CALENDAR, default_step=4).answers == (expected,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pt 3", "I could not read `pt 3` — 3 what? Try `pt 3h wait 1d ca 90%`."),
        ("3h pt", "I could not read `3h pt` — start it with pt, wait or ca. Try `pt 3h"),
    ],
)
def test_default_step_problems_show_the_short_form(text: str, message: str) -> None:
    read = parse_reply(text, STEPS, CALENDAR, default_step=4)
    assert message in read.problems[0].message


def test_default_step_must_be_a_step() -> None:
    with pytest.raises(ValueError, match="default step 9"):
        parse_reply("pt 1h", STEPS, CALENDAR, default_step=9)


def test_a_stream_without_steps_says_so() -> None:
    read = parse_reply("1: pt 1h", (), CALENDAR)
    assert "there is no step 1; this stream has no steps yet." in read.problems[0].message


def test_long_lines_are_quoted_short() -> None:
    line = "2: pt 3h " + "blah " * 40
    message = parse_reply(line, STEPS, CALENDAR).problems[0].message
    assert "…`" in message
    assert len(message) < 300


@given(st.text(max_size=200), st.sampled_from([None, 1, 4]))
def test_any_text_gives_a_reading(text: str, default_step: int | None) -> None:
    read = parse_reply(text, STEPS, WORKING, default_step)
    assert isinstance(read, ReplyParse)
    for found in read.answers:
        assert found.position in {s.position for s in STEPS}
        assert (found.wait_s, found.process_s, found.ca) != (None, None, None)
    if read.conversation:
        assert read == ReplyParse(conversation=True)


_KEYWORD_SOUP = st.lists(
    st.sampled_from(["pt", "wait", "ca", "c&a", "%", "step", "2", ":", ",", " ", "h", "1.5", "d"]),
    max_size=20,
).map("".join)


@given(_KEYWORD_SOUP)
def test_keyword_soup_gives_a_reading(text: str) -> None:
    assert isinstance(parse_reply(text, STEPS, CALENDAR), ReplyParse)


@st.composite
def valid_line(draw: st.DrawFn) -> tuple[str, StepAnswerInput]:
    step = draw(st.sampled_from(STEPS))
    ref = draw(
        st.sampled_from(
            [f"{step.position}:", f"#{step.position}", f"step {step.position}", f"{step.name}:"]
        )
    )
    wait = draw(st.none() | st.integers(0, 90 * D))
    pt = draw(st.none() | st.integers(0, 30 * D))
    ca = draw(st.none() | st.integers(0, 100))
    if (wait, pt, ca) == (None, None, None):
        pt = 0
    parts = []
    if wait is not None:
        parts.append(
            f"{draw(st.sampled_from(['wait', 'wait time']))} {format_exact(wait, WORKING)}"
        )
    if pt is not None:
        keyword = draw(st.sampled_from(["pt", "process", "process time", "PT"]))
        parts.append(f"{keyword} {format_exact(pt, WORKING)}")
    if ca is not None:
        keyword = draw(st.sampled_from(["ca", "c&a", "%C&A"]))
        parts.append(f"{keyword} {format_percent(ca / 100)}")
    parts = draw(st.permutations(parts))
    separator = draw(st.sampled_from([" ", ", ", "; ", "  "]))
    line = f"{ref} {separator.join(parts)}"
    return line, StepAnswerInput(step.position, wait, pt, None if ca is None else ca / 100)


@given(st.lists(valid_line(), min_size=1, max_size=7, unique_by=lambda c: c[1].position))
def test_valid_replies_read_back(cases: list[tuple[str, StepAnswerInput]]) -> None:
    read = parse_reply("\n".join(line for line, _ in cases), STEPS, WORKING)
    assert read.problems == ()
    assert read.answers == tuple(sorted((a for _, a in cases), key=lambda a: a.position))


@pytest.mark.parametrize(
    "text",
    [
        "2: pt 1h" + " " * 40_000 + "wait 1d",
        "hello" + " " * 40_000 + "x 2",
        "2: pt 1h " + "c " * 20_000,
        "1:" + " 1" * 20_000,
        "Contract review:" * 2_500,
    ],
)
def test_long_messages_are_read_quickly(text: str) -> None:
    started = time.perf_counter()
    parse_reply(text, STEPS, CALENDAR)
    assert time.perf_counter() - started < 1  # Slack allows 40,000 characters


def test_a_colon_with_nothing_before_it_is_not_a_step_name() -> None:
    read = parse_reply(": 2", STEPS, CALENDAR)
    assert "start it with the step's number or name" in read.problems[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2: wait 2d for approval", answer(2, 2 * D, cause="decision")),
        ("2: wait 1d (queue)", answer(2, D, cause="capacity")),
        ("2: wait 3d why:dependency", answer(2, 3 * D, cause="dependency")),
        ("2: wait 1d(queue) pt 1h", answer(2, D, H, cause="capacity")),
        (
            "2: pt 1h, wait 2 days waiting on another team, ca 90",
            answer(2, 2 * D, H, 0.9, "dependency"),
        ),
        ("2: wait 1h 30m for sign-off; ca 80%", answer(2, 5400, ca=0.8, cause="decision")),
        ("4: wait 5d why: batch pt 6h", answer(4, 5 * D, 6 * H, cause="batch")),
        ("2: wait time 2d for approval", answer(2, 2 * D, cause="decision")),
        ("Account setup: wait 1d for missing info", answer(2, D, cause="information")),
        ("2: wait: 1d (other)", answer(2, D, cause="other")),
        ("2: wait 1d", answer(2, D)),  # no cause: None, as before
        ("2: wait 2d for approval\n2: pt 1h", answer(2, 2 * D, H, cause="decision")),
        ("2: wait 2d\n2: wait 2d for approval", answer(2, 2 * D, cause="decision")),
        ("2: wait 2d for approval\n2: wait 2d why:decision", answer(2, 2 * D, cause="decision")),
        ("2: wait 2d for approval\n2: wait 2d", answer(2, 2 * D, cause="decision")),
    ],
)
def test_reads_the_cause_of_a_wait(text: str, expected: StepAnswerInput) -> None:
    assert parse_reply(text, STEPS, CALENDAR) == ReplyParse(answers=(expected,))


def test_a_default_step_takes_a_cause_too() -> None:
    read = parse_reply("wait 2d for approval, pt 1h", STEPS, CALENDAR, default_step=4)
    assert read == ReplyParse(answers=(answer(4, 2 * D, H, cause="decision"),))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2: wait 2d for aproval",
            "I could not read `wait 2d for aproval` in `2: wait 2d for aproval` — I can't read "
            "`aproval` as a cause; say decision, capacity, dependency, information, batch or "
            "other. Try `2: wait 2d for approval`.",
        ),
        (
            "2: wait 2d approval backlog",
            "— that names more than one cause (decision and capacity); give one. "
            "Try `2: wait 2d for approval`.",
        ),
        ("2: wait 2d why:", "— no cause is given; say decision, capacity,"),
        ("2: wait 2d for approval #3", "I can't read `#3` in a cause"),
        ("2: wait 2 for approval", "I don't know the unit `for`."),  # a word after a number
        ("2: wait for approval", "I can't read `for` in it."),  # no time: read as a time
    ],
)
def test_reports_a_cause_it_cannot_read(text: str, message: str) -> None:
    read = parse_reply(text, STEPS, CALENDAR)
    assert read.answers == ()
    assert [problem.line for problem in read.problems] == [text]
    assert message in read.problems[0].message


def test_a_default_step_shows_the_short_form_for_a_cause() -> None:
    read = parse_reply("wait 2d for legal", STEPS, CALENDAR, default_step=4)
    assert read.problems[0].message.endswith("Try `wait 2d for approval`.")


def test_a_step_given_two_causes_keeps_the_first_and_reports_the_second() -> None:
    read = parse_reply("2: wait 2d for approval\n2: wait 2d (queue)", STEPS, CALENDAR)
    assert read.answers == (answer(2, 2 * D, cause="decision"),)
    assert read.problems == (
        LineProblem(
            "2: wait 2d (queue)",
            "I did not use `2: wait 2d (queue)`: an earlier line already gives step 2 "
            "`wait 2d why:decision`. Put one value per field in a message; send a new message "
            "to change it.",
        ),
    )


_CAUSE_FORMS = ["for {}", "({})", "why:{}", "why: {}", "waiting on {}", "{}"]


@st.composite
def line_with_a_cause(draw: st.DrawFn) -> tuple[str, StepAnswerInput]:
    step = draw(st.sampled_from(STEPS))
    wait = draw(st.integers(1, 90 * D))  # a bare `0` would take the next word as its unit
    cause, word = draw(st.sampled_from([(c, w) for c, ws in CAUSE_WORDS.items() for w in ws]))
    said = draw(st.sampled_from(_CAUSE_FORMS)).format(word)
    pt = draw(st.none() | st.integers(0, 30 * D))
    rest = "" if pt is None else draw(st.sampled_from([", pt ", " pt ", "; pt "]))
    rest += "" if pt is None else format_exact(pt, WORKING)
    line = f"{step.position}: wait {format_exact(wait, WORKING)} {said}{rest}"
    return line, StepAnswerInput(step.position, wait, pt, None, cause)


@given(st.lists(line_with_a_cause(), min_size=1, max_size=7, unique_by=lambda c: c[1].position))
def test_waits_with_causes_read_back(cases: list[tuple[str, StepAnswerInput]]) -> None:
    read = parse_reply("\n".join(line for line, _ in cases), STEPS, WORKING)
    assert read.problems == ()
    assert read.answers == tuple(sorted((a for _, a in cases), key=lambda a: a.position))
