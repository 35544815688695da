"""The readiness survey's questions: the default six in their two wordings, and a stream's
own questions as people type them.

The default statements follow Prosci's ADKAR model and Holt et al.'s (2007) readiness
factors. Most of them speak of the improvements, and what those are depends on the cycle:
the baseline (a stream's first cycle) is measured before any improvement exists, so it asks
about "the improvements we will choose"; every later cycle about "the improvements under
way". Each statement keeps its key in both wordings, so its results compare across cycles.
"""

import re
from dataclasses import dataclass

from vsm._text import quote
from vsm.errors import VsmError
from vsm.names import fold

MAX_QUESTIONS = 10
SHORTEST_QUESTION, LONGEST_QUESTION = 5, 200

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


BASELINE_QUESTIONS: tuple[Question, ...] = (
    Question("awareness", "I understand why this value stream needs to change."),
    Question(
        "appropriateness",
        "I expect the improvements we will choose to be the right fix for this value stream.",
    ),
    Question("desire", "I personally want the improvements we will choose to happen."),
    Question(
        "knowledge",
        "I expect to know what I will do differently once the improvements we will choose "
        "are made.",
    ),
    Question(
        "ability", "I am confident I can do what the improvements we will choose will ask of me."
    ),
    Question("support", "I can count on our leaders to back the improvements we will choose."),
)
"""The default questions of a baseline cycle, asked before any improvement exists."""

DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question("awareness", "I understand why this value stream needs to change."),
    Question(
        "appropriateness",
        "I think the improvements under way are the right fix for this value stream.",
    ),
    Question("desire", "I personally want the improvements under way to succeed."),
    Question(
        "knowledge",
        "I know what I will do differently once the improvements under way are made.",
    ),
    Question("ability", "I am confident I can do what the improvements under way ask of me."),
    Question("support", "I can count on our leaders to back the improvements under way."),
)
"""The default questions of every cycle after the baseline. ADKAR and Holt et al. (2007):
awareness, appropriateness, desire, knowledge, ability, leadership support."""

_FORMER_QUESTIONS: tuple[Question, ...] = (
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
"""The one wording every cycle was asked in before there were two; cycles keep the words
they were asked in, so these still compare with the new wordings."""

_WORDINGS: dict[str, frozenset[str]] = {
    key: frozenset(
        fold(q.text)
        for q in (*BASELINE_QUESTIONS, *DEFAULT_QUESTIONS, *_FORMER_QUESTIONS)
        if q.key == key
    )
    for key in (q.key for q in DEFAULT_QUESTIONS)
}

QUESTION_FORM = (
    "one statement a line that people can agree or disagree with, "
    "such as `I understand why this value stream needs to change.`"
)


def default_questions(*, baseline: bool) -> tuple[Question, ...]:
    """The default questions in the wording for a cycle: the baseline's, or a later one's.

    Args:
        baseline: the cycle is the stream's baseline (no cycle of it has closed yet), so no
            improvement has been chosen.
    """
    return BASELINE_QUESTIONS if baseline else DEFAULT_QUESTIONS


def same_question(key: str, text: str, other_text: str) -> bool:
    """Whether two statements with the same key ask the same thing, so their results compare.

    The same words (ignoring case) do; so do two wordings of one default question (the
    baseline's "improvements we will choose" and a later cycle's "improvements under way").
    A reworded question of a stream's own is a different question.
    """
    if fold(text) == fold(other_text):
        return True
    wordings = _WORDINGS.get(key, frozenset())
    return fold(text) in wordings and fold(other_text) in wordings


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
