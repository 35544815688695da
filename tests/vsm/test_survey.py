from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.survey import (
    MIN_ANSWERS,
    QuestionResult,
    format_mean,
    parse_survey_line,
    shown_mean,
    summarize_survey,
    survey_usage,
)
from vsm.survey_questions import (
    BASELINE_QUESTIONS,
    DEFAULT_QUESTIONS,
    Question,
    SurveyError,
)


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
    assert (results[0].mean_before, results[0].agree_before) == (3.0, pytest.approx(1 / 3))
    assert results[0].agree_change == pytest.approx(1 - 0.333)  # 33.3% → 100%: +66.7 points
    assert results[1].change is None  # too few answers now
    assert (results[1].mean_before, results[1].agree_before, results[1].agree_change) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("before", "after", "change", "agree_change"),
    [
        # 4.33 → 4.67 shows 4.3 → 4.7: +0.4, not the +0.33 between the unrounded means;
        # 66.7% → 66.7% agree: no change.
        ([4, 4, 5], [4, 5, 5], 0.4, 0.0),
        # 2.75 → 3.25 shows 2.8 → 3.3 (half up): +0.5; 0% → 25% agree.
        ([2, 3, 3, 3], [3, 3, 3, 4], 0.5, 0.25),
        # 3.67 → 3.6 shows 3.7 → 3.6: −0.1; 66.7% → 80% agree: +13.3 points.
        ([3, 4, 4], [2, 4, 4, 4, 4], -0.1, 0.133),
        # 4.0 → 4.04 (25 answers) shows 4.0 → 4.0: no change claimed.
        ([4, 4, 4], [4] * 24 + [5], 0.0, 0.0),
    ],
)
def test_changes_are_of_the_numbers_as_shown(
    before: list[int], after: list[int], change: float, agree_change: float
) -> None:
    previous = {r.key: r for r in summarize_survey(QUESTIONS[:1], {"a": before})}
    (result,) = summarize_survey(QUESTIONS[:1], {"a": after}, previous)
    assert result.change == pytest.approx(change, abs=1e-12)
    assert result.agree_change == pytest.approx(agree_change, abs=1e-12)


@pytest.mark.parametrize(
    ("mean", "shown", "signed"),
    [
        (13 / 3, "4.3", "+4.3"),
        (14 / 3, "4.7", "+4.7"),
        (4.25, "4.3", "+4.3"),  # half up, not to even
        (2.75, "2.8", "+2.8"),
        (3.0, "3.0", "+3.0"),
        (0.4, "0.4", "+0.4"),
        (-0.2, "-0.2", "−0.2"),  # a change: a true minus sign when signed
        (0.04, "0.0", "±0"),
        (0.0, "0.0", "±0"),
    ],
)
def test_format_mean(mean: float, shown: str, signed: str) -> None:
    assert format_mean(mean) == shown
    assert format_mean(mean, signed=True) == signed
    assert shown_mean(mean) == Fraction(shown)


def test_the_two_wordings_of_a_default_question_compare_across_cycles() -> None:
    baseline = summarize_survey(BASELINE_QUESTIONS, {"appropriateness": [2, 3, 3]})
    previous = {r.key: r for r in baseline}
    later = summarize_survey(DEFAULT_QUESTIONS, {"appropriateness": [4, 4, 5]}, previous)
    (appropriateness,) = [r for r in later if r.key == "appropriateness"]
    assert appropriateness.text != baseline[1].text
    assert (appropriateness.mean_before, appropriateness.change) == (
        pytest.approx(8 / 3),
        pytest.approx(1.6),  # 2.7 → 4.3
    )


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
