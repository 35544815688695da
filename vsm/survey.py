"""The readiness survey: are people prepared to follow the proposed improvements?

Each question is a first-person statement scored on a 1–5 agreement scale. The default six
follow Prosci's ADKAR model and Holt et al.'s (2007) readiness factors. Results are only ever
aggregated per question, never shown per person, and a question with fewer than
`MIN_ANSWERS` answers shows no numbers at all, so that a small group cannot be read person by
person.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from vsm._text import quote
from vsm.errors import VsmError
from vsm.names import fold

LOWEST, HIGHEST = 1, 5
AGREE = 4
"""Scores of 4 (agree) and 5 (strongly agree) count as agreeing."""
BARRIER_MEAN = 3
"""A mean at or below this is a barrier (ADKAR's barrier point): people do not yet agree."""
MIN_ANSWERS = 3
MAX_QUESTIONS = 10
SHORTEST_QUESTION, LONGEST_QUESTION = 5, 200

_SCALE = range(LOWEST, HIGHEST + 1)
_EXAMPLE_SCORES = (4, 5, 3, 4, 4, 5, 3, 4, 5, 4)
_LONGEST_LINE = 200
_PREFIX = re.compile(r"\s*(?:[-•*]\s+)?survey(?![^\W\d_])\s*[:=]?", re.IGNORECASE)
# Slack's own markup that is not what the person typed: mentions, channel links, @here, URLs.
_MARKUP = re.compile(r"<[@#!][^>\s]*>|<https?://[^>\s]*>")
_SEPARATORS = re.compile(r"[\s,;]+")
_WHOLE = re.compile(r"[0-9]+")
_BULLET = re.compile(r"(?:[-•*]|[0-9]{1,2}[.)])\s+")


class SurveyError(VsmError):
    """Survey questions or scores a person typed cannot be used; the message says why."""


@dataclass(frozen=True)
class Question:
    """One agree/disagree statement.

    Attributes:
        key: identifies the question across surveys and answers.
        text: the statement as people read it.
    """

    key: str
    text: str


DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question("awareness", "I understand why this value stream needs to change."),
    Question(
        "appropriateness",
        "I think the proposed improvements are the right fix for this value stream.",
    ),
    Question("desire", "I personally want the proposed improvements to happen."),
    Question(
        "knowledge", "I know what I will do differently once the proposed improvements are made."
    ),
    Question("ability", "I am confident I can do what the proposed improvements ask of me."),
    Question("support", "I can count on our leaders to back the proposed improvements."),
)
"""ADKAR and Holt et al. (2007): awareness, appropriateness, desire, knowledge, ability,
leadership support."""

QUESTION_FORM = (
    "one statement a line that people can agree or disagree with, "
    "such as `I understand why this value stream needs to change.`"
)


@dataclass(frozen=True)
class QuestionResult:
    """What the answers to one question add up to; never anything per person.

    Attributes:
        answers: how many people scored the question.
        mean: the mean score, 1 to 5; None when there are too few answers.
        agree_share: the share of scores of 4 or 5, 0 to 1; None when too few answers.
        barrier: the mean is 3 or less; False when too few answers.
        too_few: fewer than `MIN_ANSWERS` answers, so no numbers are shown.
        change: mean − the previous survey's mean for the same question; None unless both
            means are shown.
    """

    key: str
    text: str
    answers: int
    mean: float | None
    agree_share: float | None
    barrier: bool
    too_few: bool
    change: float | None = None


def parse_questions(text: str) -> tuple[Question, ...]:
    """Read the questions typed in the edit form, one a line; blank lines are skipped.

    A leading bullet or number (`- `, `• `, `1. `, `2) `) is dropped, so a pasted list works.

    Args:
        text: the form's text.

    Returns:
        1 to 10 questions keyed `q1` … `qN` in the order given.

    Raises:
        SurveyError: no question, more than 10, one shorter than 5 or longer than 200
            characters, or the same question twice (ignoring case); the message names the line.
    """
    found: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        bullet = _BULLET.match(line)
        line = line[bullet.end() :].strip() if bullet else line
        if line:
            found.append((number, line))
    if not found:
        raise SurveyError(f"There are no questions. Write {QUESTION_FORM}.", QUESTION_FORM)
    if len(found) > MAX_QUESTIONS:
        extra = len(found) - MAX_QUESTIONS
        raise SurveyError(
            f"There are {len(found)} questions; a survey can have at most {MAX_QUESTIONS}. "
            f"Remove {extra}.",
            QUESTION_FORM,
        )
    seen: dict[str, int] = {}
    for number, line in found:
        _check_question(number, line, seen.get(fold(line)))
        seen[fold(line)] = number
    return tuple(Question(f"q{index}", line) for index, (_, line) in enumerate(found, start=1))


def _check_question(number: int, line: str, same_as: int | None) -> None:
    if len(line) < SHORTEST_QUESTION:
        raise SurveyError(
            f"Line {number} ({quote(line)}) is too short to be a question: "
            f"write at least {SHORTEST_QUESTION} characters.",
            QUESTION_FORM,
        )
    if len(line) > LONGEST_QUESTION:
        raise SurveyError(
            f"Line {number} ({quote(line)}) is {len(line)} characters long; "
            f"keep a question to {LONGEST_QUESTION} characters.",
            QUESTION_FORM,
        )
    if same_as is not None:
        raise SurveyError(
            f"Line {number} ({quote(line)}) repeats line {same_as}; "
            "each question must be different.",
            QUESTION_FORM,
        )


def survey_usage(count: int) -> str:
    """The right form of a survey reply for `count` questions: `survey 4 5 3 4 4 5` for six.

    Raises:
        ValueError: `count` is not from 1 to 10.
    """
    if not 1 <= count <= MAX_QUESTIONS:
        raise ValueError(f"a survey has 1 to {MAX_QUESTIONS} questions, not {count}")
    return "`survey " + " ".join(str(score) for score in _EXAMPLE_SCORES[:count]) + "`"


def parse_survey_line(line: str, count: int) -> tuple[int, ...]:
    """Read one person's scores from a thread reply: `survey 4 5 3 4 4 5`, `Survey: 4,5,3`.

    Args:
        line: the reply line; Slack mentions in it are ignored.
        count: how many questions the survey has, 1 to 10.

    Returns:
        One score per question, in question order, each 1 to 5.

    Raises:
        SurveyError: the line does not start with `survey`, a score is not a whole number
            from 1 to 5, or there are not exactly `count` scores.
        ValueError: `count` is not from 1 to 10.
    """
    usage = survey_usage(count)
    if len(line) > _LONGEST_LINE:
        raise _survey_error(line, count, "that is too long to be survey scores.", usage)
    clean = _MARKUP.sub(" ", line)
    prefix = _PREFIX.match(clean)
    if prefix is None:
        raise _survey_error(line, count, "start it with `survey`.", usage)
    tokens = [token for token in _SEPARATORS.split(clean[prefix.end() :]) if token]
    scores: list[int] = []
    for token in tokens:
        if not _WHOLE.fullmatch(token):
            reason = f"{quote(token)} is not a score; scores are whole numbers."
            raise _survey_error(line, count, reason, usage)
        score = int(token)
        if not LOWEST <= score <= HIGHEST:
            reason = f"{quote(token)} is not a score from {LOWEST} to {HIGHEST}."
            if len(token) > 1:
                reason += " Put a space between scores."
            raise _survey_error(line, count, reason, usage)
        scores.append(score)
    if len(scores) != count:
        given = "no scores" if not scores else _scores(len(scores))
        reason = f"that has {given}, but the survey has {_questions(count)}."
        raise _survey_error(line, count, reason, usage)
    return tuple(scores)


def _survey_error(line: str, count: int, reason: str, usage: str) -> SurveyError:
    said = f"{quote(line)} — {reason}" if line.strip() else reason[:1].upper() + reason[1:]
    return SurveyError(
        f"{said} Give {_scores(count)} from {LOWEST} (disagree) to {HIGHEST} (agree), "
        f"one per question: {usage}.",
        usage,
    )


def _scores(count: int) -> str:
    return "1 score" if count == 1 else f"{count} scores"


def _questions(count: int) -> str:
    return "1 question" if count == 1 else f"{count} questions"


def summarize_survey(
    questions: Sequence[Question],
    scores: Mapping[str, Sequence[int]],
    previous: Mapping[str, QuestionResult] | None = None,
) -> tuple[QuestionResult, ...]:
    """Add up the scores per question; a question with fewer than 3 answers shows no numbers.

    Args:
        questions: the survey's questions, in the order to show them.
        scores: by question key, each person's latest score for it (one per person);
            keys that are not among `questions` are ignored.
        previous: the previous survey's results by key. A change is given only where the
            question kept its key and its text (ignoring case), since a reworded question is
            a different question.

    Returns:
        One result per question, in question order.

    Raises:
        ValueError: a score is not a whole number from 1 to 5.
    """
    results = []
    for question in questions:
        given = scores.get(question.key, ())
        if any(score not in _SCALE for score in given):
            raise ValueError(f"scores for {question.key} must be 1 to 5: {list(given)}")
        before = None if previous is None else previous.get(question.key)
        if before is not None and fold(before.text) != fold(question.text):
            before = None
        results.append(_result(question, given, before))
    return tuple(results)


def _result(
    question: Question, given: Sequence[int], before: QuestionResult | None
) -> QuestionResult:
    if len(given) < MIN_ANSWERS:
        return QuestionResult(question.key, question.text, len(given), None, None, False, True)
    # Exact arithmetic so that a mean of exactly 3 is a barrier, not 3.0000000000000004.
    mean = Fraction(sum(given), len(given))
    agree = Fraction(sum(1 for score in given if score >= AGREE), len(given))
    change = None
    if before is not None and before.mean is not None:
        change = float(mean - Fraction(repr(before.mean)))
    return QuestionResult(
        key=question.key,
        text=question.text,
        answers=len(given),
        mean=float(mean),
        agree_share=float(agree),
        barrier=mean <= BARRIER_MEAN,
        too_few=False,
        change=change,
    )
