"""The readiness survey: are people prepared to follow the improvements?

Each question is a first-person statement scored on a 1–5 agreement scale (the questions
themselves are `vsm.survey_questions`'). Results are only ever aggregated per question, never
shown per person, and a question with fewer than `MIN_ANSWERS` answers shows no numbers at
all, so that a small group cannot be read person by person.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from vsm._text import quote
from vsm.durations import round_half_up
from vsm.percent import shown_percent
from vsm.survey_questions import MAX_QUESTIONS, Question, SurveyError, same_question

LOWEST, HIGHEST = 1, 5
AGREE = 4
"""Scores of 4 (agree) and 5 (strongly agree) count as agreeing."""
BARRIER_MEAN = 3
"""A mean at or below this is a barrier (ADKAR's barrier point): people do not yet agree."""
MIN_ANSWERS = 3

_SCALE = range(LOWEST, HIGHEST + 1)
_EXAMPLE_SCORES = (4, 5, 3, 4, 4, 5, 3, 4, 5, 4)
_LONGEST_LINE = 200
_PREFIX = re.compile(r"\s*(?:[-•*]\s+)?survey(?![^\W\d_])\s*[:=]?", re.IGNORECASE)
# Slack's own markup that is not what the person typed: mentions, channel links, @here, URLs.
_MARKUP = re.compile(r"<[@#!][^>\s]*>|<https?://[^>\s]*>")
_SEPARATORS = re.compile(r"[\s,;]+")
_WHOLE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class QuestionResult:
    """What the answers to one question add up to; never anything per person.

    Attributes:
        answers: how many people scored the question.
        mean: the mean score, 1 to 5; None when there are too few answers.
        agree_share: the share of scores of 4 or 5, 0 to 1; None when too few answers.
        barrier: the mean is 3 or less; False when too few answers.
        too_few: fewer than `MIN_ANSWERS` answers, so no numbers are shown.
        mean_before, agree_before: the previous survey's mean and agree share for the same
            question; None unless both surveys show numbers for it.
        change: the mean's change since, of the means as shown (`format_mean`): 4.33 → 4.67
            shows `4.3 → 4.7`, so the change is +0.4; None without `mean_before`.
        agree_change: the agree share's change since, in points as a fraction, of the shares
            as shown (`shown_percent`); None without `agree_before`.
    """

    key: str
    text: str
    answers: int
    mean: float | None
    agree_share: float | None
    barrier: bool
    too_few: bool
    change: float | None = None
    mean_before: float | None = None
    agree_before: float | None = None
    agree_change: float | None = None


def shown_mean(mean: float) -> Fraction:
    """A mean score as shown: one decimal, rounded half up (4.25 → 4.3, 2/3 → 0.7).

    Raises:
        ValueError: `mean` is not finite.
    """
    return Fraction(round_half_up(Fraction(repr(mean)) * 10), 10)


def format_mean(mean: float, *, signed: bool = False) -> str:
    """Show a mean score, or a change of one, with one decimal: `4.3`, `3.0`; signed `+0.4`,
    `−0.2` (a true minus sign), `±0`.

    Raises:
        ValueError: `mean` is not finite.
    """
    tenths = int(shown_mean(mean) * 10)
    whole, tenth = divmod(abs(tenths), 10)
    if not signed:
        return f"-{whole}.{tenth}" if tenths < 0 else f"{whole}.{tenth}"
    if tenths == 0:
        return "±0"
    return ("+" if tenths > 0 else "−") + f"{whole}.{tenth}"


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
            question kept its key and asks the same thing (`same_question`: the same text
            ignoring case, or two wordings of one default question), since a reworded
            question is a different question.

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
        if before is not None and not same_question(question.key, before.text, question.text):
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
    found = QuestionResult(
        key=question.key,
        text=question.text,
        answers=len(given),
        mean=float(mean),
        agree_share=float(agree),
        barrier=mean <= BARRIER_MEAN,
        too_few=False,
    )
    if before is None or before.mean is None or before.agree_share is None:
        return found
    return replace(
        found,
        mean_before=before.mean,
        agree_before=before.agree_share,
        change=float(shown_mean(float(mean)) - shown_mean(before.mean)),
        agree_change=float(shown_percent(float(agree)) - shown_percent(before.agree_share)),
    )
