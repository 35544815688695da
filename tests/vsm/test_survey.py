import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.survey import (
    DEFAULT_QUESTIONS,
    MIN_ANSWERS,
    Question,
    QuestionResult,
    SurveyError,
    parse_questions,
    parse_survey_line,
    summarize_survey,
    survey_usage,
)


def test_default_questions_cover_adkar_and_holt() -> None:
    keys = [question.key for question in DEFAULT_QUESTIONS]
    assert keys == ["awareness", "appropriateness", "desire", "knowledge", "ability", "support"]
    assert DEFAULT_QUESTIONS[0].text == "I understand why this value stream needs to change."


def test_default_questions_pass_the_edit_form() -> None:
    typed = "\n".join(question.text for question in DEFAULT_QUESTIONS)
    parsed = parse_questions(typed)
    assert [q.text for q in parsed] == [q.text for q in DEFAULT_QUESTIONS]
    assert [q.key for q in parsed] == ["q1", "q2", "q3", "q4", "q5", "q6"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I see why.", ("I see why.",)),
        ("  First one  \n\n   \nSecond one\n", ("First one", "Second one")),
        ("- First one\n• Second one\n3. Third one\n4) Fourth one", None),
        ("x" * 200, ("x" * 200,)),
        ("\n".join(f"Question {n}" for n in range(10)), None),
    ],
)
def test_parse_questions_reads(text: str, expected: tuple[str, ...] | None) -> None:
    parsed = parse_questions(text)
    if expected is not None:
        assert tuple(q.text for q in parsed) == expected
    assert [q.key for q in parsed] == [f"q{n}" for n in range(1, len(parsed) + 1)]
    assert all(not q.text.startswith(("-", "•", "3.", "4)")) for q in parsed)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "There are no questions."),
        ("\n  \n", "There are no questions."),
        ("Fine question\nabc", "Line 2 (`abc`) is too short to be a question"),
        ("Fine question\n\n" + "y" * 201, "Line 3 (`yyy"),
        ("Fine question\n\n" + "y" * 201, "is 201 characters long; keep a question to 200"),
        ("Do you agree?\nI agree\ndo  YOU agree?", "Line 3 (`do YOU agree?`) repeats line 1"),
        ("\n".join(f"Question {n}" for n in range(12)), "There are 12 questions"),
        ("\n".join(f"Question {n}" for n in range(12)), "at most 10. Remove 2."),
    ],
)
def test_parse_questions_refuses(text: str, says: str) -> None:
    with pytest.raises(SurveyError) as caught:
        parse_questions(text)
    assert says in caught.value.message
    assert caught.value.usage


@given(st.text(max_size=400))
def test_any_form_text_parses_or_raises_our_error(text: str) -> None:
    try:
        questions = parse_questions(text)
    except SurveyError as error:
        message = error.message
        assert message.startswith(("There are", "Line "))
        return
    assert 1 <= len(questions) <= 10
    assert all(5 <= len(q.text) <= 200 for q in questions)
    assert len({" ".join(q.text.split()).casefold() for q in questions}) == len(questions)


@pytest.mark.parametrize(
    ("line", "count", "scores"),
    [
        ("survey 4 5 3 4 4 5", 6, (4, 5, 3, 4, 4, 5)),
        ("survey: 4,5,3,4,4,5", 6, (4, 5, 3, 4, 4, 5)),
        ("Survey 4 5 3 4 4 5", 6, (4, 5, 3, 4, 4, 5)),
        ("SURVEY=1, 2, 3", 3, (1, 2, 3)),
        ("  survey 5  ", 1, (5,)),
        ("survey4 4", 2, (4, 4)),
        ("- survey 1;2", 2, (1, 2)),
        ("<@U123ABC> survey 3 3 3", 3, (3, 3, 3)),
        ("survey 1 1 1 1 1 1 1 1 1 1", 10, (1,) * 10),
    ],
)
def test_parse_survey_line_reads(line: str, count: int, scores: tuple[int, ...]) -> None:
    assert parse_survey_line(line, count) == scores


@pytest.mark.parametrize(
    ("line", "count", "says"),
    [
        (
            "survey 4 5",
            6,
            "`survey 4 5` — that has 2 scores, but the survey has 6 questions. Give 6 scores "
            "from 1 (disagree) to 5 (agree), one per question: `survey 4 5 3 4 4 5`.",
        ),
        ("survey", 2, "`survey` — that has no scores, but the survey has 2 questions."),
        ("survey 4 4", 1, "Give 1 score from 1 (disagree) to 5 (agree)"),
        ("survey 4 4", 1, "the survey has 1 question."),
        ("survey 4 5 6", 3, "`6` is not a score from 1 to 5."),
        ("survey 0 5 3", 3, "`0` is not a score from 1 to 5."),
        ("survey 453", 3, "Put a space between scores."),
        ("survey 4.5 3 3", 3, "`4.5` is not a score; scores are whole numbers."),
        ("survey -1 3 3", 3, "`-1` is not a score"),
        ("survey four five", 2, "`four` is not a score"),
        ("surveys 4 5", 2, "start it with `survey`."),
        ("4 5", 2, "`4 5` — start it with `survey`."),
        ("", 2, "Start it with `survey`."),
        ("survey " + "4 " * 200, 2, "too long"),
    ],
)
def test_parse_survey_line_refuses(line: str, count: int, says: str) -> None:
    with pytest.raises(SurveyError) as caught:
        parse_survey_line(line, count)
    assert says in caught.value.message
    assert caught.value.usage == survey_usage(count)


@pytest.mark.parametrize(("count", "usage"), [(1, "`survey 4`"), (6, "`survey 4 5 3 4 4 5`")])
def test_survey_usage(count: int, usage: str) -> None:
    assert survey_usage(count) == usage


@pytest.mark.parametrize("count", [0, 11])
def test_survey_usage_needs_1_to_10_questions(count: int) -> None:
    with pytest.raises(ValueError, match="1 to 10"):
        survey_usage(count)


@given(st.text(max_size=60), st.integers(1, 10))
def test_any_line_parses_or_raises_our_error(line: str, count: int) -> None:
    try:
        scores = parse_survey_line(line, count)
    except SurveyError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert len(scores) == count
    assert all(1 <= score <= 5 for score in scores)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=10), st.sampled_from([" ", ",", ", "]))
def test_scores_read_back(scores: list[int], separator: str) -> None:
    line = "survey " + separator.join(map(str, scores))
    assert parse_survey_line(line, len(scores)) == tuple(scores)


QUESTIONS = (Question("a", "First question"), Question("b", "Second question"))


def test_summary_per_question() -> None:
    results = summarize_survey(QUESTIONS, {"a": [4, 5, 3, 4], "b": [2, 3, 3]})
    assert results == (
        QuestionResult("a", "First question", 4, 4.0, 0.75, False, False),
        QuestionResult("b", "Second question", 3, 8 / 3, 0.0, True, False),
    )


@pytest.mark.parametrize(
    ("scores", "barrier"),
    [
        ([3, 3, 3], True),
        ([3, 3, 4], False),
        ([1, 5, 3], True),
        ([2, 4, 4], False),
        ([2, 3, 4], True),
    ],
)
def test_a_mean_of_3_or_less_is_a_barrier(scores: list[int], barrier: bool) -> None:
    (result,) = summarize_survey(QUESTIONS[:1], {"a": scores})
    assert result.barrier is barrier


@pytest.mark.parametrize("scores", [[], [5], [5, 5]])
def test_too_few_answers_show_no_numbers(scores: list[int]) -> None:
    (result,) = summarize_survey(QUESTIONS[:1], {"a": scores})
    assert result == QuestionResult("a", "First question", len(scores), None, None, False, True)


def test_unanswered_and_unknown_keys() -> None:
    results = summarize_survey(QUESTIONS, {"zzz": [1, 1, 1]})
    assert [(r.answers, r.too_few) for r in results] == [(0, True), (0, True)]


def test_change_from_the_previous_survey() -> None:
    previous = {r.key: r for r in summarize_survey(QUESTIONS, {"a": [2, 3, 4], "b": [4, 4, 4]})}
    results = summarize_survey(QUESTIONS, {"a": [4, 4, 4], "b": [5, 5]}, previous)
    assert results[0].change == pytest.approx(1.0)
    assert results[1].change is None  # too few answers now


def test_no_change_when_the_previous_is_hidden_or_reworded() -> None:
    hidden = {r.key: r for r in summarize_survey(QUESTIONS, {"a": [2, 3]})}
    assert summarize_survey(QUESTIONS, {"a": [4, 4, 4]}, hidden)[0].change is None
    reworded = (Question("a", "A different question"),)
    previous = {r.key: r for r in summarize_survey(QUESTIONS, {"a": [2, 3, 4]})}
    assert summarize_survey(reworded, {"a": [4, 4, 4]}, previous)[0].change is None
    same_words = (Question("a", "FIRST   question"),)
    assert summarize_survey(same_words, {"a": [4, 4, 4]}, previous)[0].change == 1.0


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_scores_outside_the_scale_are_a_programming_error(bad: int) -> None:
    with pytest.raises(ValueError, match="must be 1 to 5"):
        summarize_survey(QUESTIONS, {"a": [3, 3, bad]})


@given(st.lists(st.integers(1, 5), max_size=30))
def test_summary_properties(scores: list[int]) -> None:
    (result,) = summarize_survey(QUESTIONS[:1], {"a": scores})
    assert result.answers == len(scores)
    assert result.too_few is (len(scores) < MIN_ANSWERS)
    if result.too_few:
        assert (result.mean, result.agree_share, result.barrier) == (None, None, False)
        return
    assert result.mean is not None
    assert result.agree_share is not None
    assert 1 <= result.mean <= 5
    assert 0 <= result.agree_share <= 1
    assert result.barrier is (result.mean <= 3)
