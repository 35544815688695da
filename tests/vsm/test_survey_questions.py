import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.survey_questions import (
    BASELINE_QUESTIONS,
    DEFAULT_QUESTIONS,
    SurveyError,
    default_questions,
    parse_questions,
    same_question,
)

KEYS = ["awareness", "appropriateness", "desire", "knowledge", "ability", "support"]


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


def test_the_baseline_asks_about_the_improvements_we_will_choose() -> None:
    assert default_questions(baseline=True) == BASELINE_QUESTIONS
    assert default_questions(baseline=False) == DEFAULT_QUESTIONS
    assert [q.key for q in BASELINE_QUESTIONS] == KEYS  # the same keys: results compare
    appropriateness = BASELINE_QUESTIONS[1].text
    assert appropriateness == (
        "I expect the improvements we will choose to be the right fix for this value stream."
    )
    # Every statement about improvements speaks of those we will choose, none of any proposed.
    for question in BASELINE_QUESTIONS[1:]:
        assert "the improvements we will choose" in question.text
    assert not any("proposed" in q.text for q in (*BASELINE_QUESTIONS, *DEFAULT_QUESTIONS))


def test_later_cycles_ask_about_the_improvements_under_way() -> None:
    assert DEFAULT_QUESTIONS[1].text == (
        "I think the improvements under way are the right fix for this value stream."
    )
    for question in DEFAULT_QUESTIONS[1:]:
        assert "the improvements under way" in question.text
    assert BASELINE_QUESTIONS[0] == DEFAULT_QUESTIONS[0]  # awareness needs no improvement


def test_both_wordings_pass_the_edit_form() -> None:
    for questions in (BASELINE_QUESTIONS, DEFAULT_QUESTIONS):
        parsed = parse_questions("\n".join(q.text for q in questions))
        assert [q.text for q in parsed] == [q.text for q in questions]


@pytest.mark.parametrize(
    ("key", "text", "other", "same"),
    [
        ("q1", "Do we agree?", "do  WE agree?", True),
        ("q1", "Do we agree?", "Do we disagree?", False),  # a stream's own, reworded
        ("appropriateness", BASELINE_QUESTIONS[1].text, DEFAULT_QUESTIONS[1].text, True),
        (
            "support",
            "I can count on our leaders to back the proposed improvements.",  # as once asked
            DEFAULT_QUESTIONS[5].text,
            True,
        ),
        ("desire", BASELINE_QUESTIONS[2].text, DEFAULT_QUESTIONS[5].text, False),
        ("desire", BASELINE_QUESTIONS[2].text, "I want it.", False),
        # A stream's own question keyed q2 is not a default one, whatever its words.
        ("q2", BASELINE_QUESTIONS[1].text, DEFAULT_QUESTIONS[1].text, False),
    ],
)
def test_same_question(key: str, text: str, other: str, same: bool) -> None:
    assert same_question(key, text, other) is same
    assert same_question(key, other, text) is same
