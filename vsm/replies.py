"""Read a person's answer in a cycle thread: `2: pt 3h, wait 1d, ca 85%`, one step a line.

A line names its step by number (`2`, `#2`, `step 2`) or by name followed by `:` (the exact
name first, ignoring case; else a unique start of a name), then gives any of `pt`/`process`/
`process time`, `wait`/`wait time` and `ca`/`c&a`/`%c&a`, in any order, with or without commas.
A wait may be followed by its cause: `wait 2d for approval`, `wait 1d (queue)`, `wait 3d
why:dependency` (see vsm.waiting for the words).

Rules a reader of the code should know:

- A message in which no line has a digit or a keyword is conversation: nothing else is read.
- Otherwise each line is read on its own. A line with neither a digit, a keyword nor a known
  step name in front (a "thanks!" between answers) is skipped as conversation.
- A line understood only in part is a problem as a whole: nothing of it is kept.
- A step named on two lines gets the fields of both. If both give the same field different
  values the later line is a problem (we cannot tell which was meant) and the earlier stays.
- Lines starting with `survey` are returned untouched for the survey feature.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vsm._text import quote
from vsm.durations import TimeBasis, format_exact
from vsm.percent import EXACT_PLACES, format_percent
from vsm.reply_lines import Fields, LineReader, StepRef, UnreadLine
from vsm.waiting import WaitCause, format_cause

__all__ = ["LineProblem", "ReplyParse", "StepAnswerInput", "StepRef", "parse_reply"]

# Slack's own markup that is not what the person typed: mentions, channel links, @here, URLs.
_MARKUP = re.compile(r"<[@#!][^>\s]*>|<https?://[^>\s]*>")
_SURVEY = re.compile(r"\s*survey(?![^\W\d_])", re.IGNORECASE)
_BULLET = re.compile(r"\s*[-•*]\s+")


@dataclass(frozen=True)
class StepAnswerInput:
    """What one message says about one step; at least one of wait, process time and ca is set.

    Attributes:
        wait_cause: the cause given after the wait; None when none was given.
    """

    position: int
    wait_s: int | None = None
    process_s: int | None = None
    ca: float | None = None
    wait_cause: WaitCause | None = None


@dataclass(frozen=True)
class LineProblem:
    """A line that could not be read, and a message that shows the right form."""

    line: str
    message: str


@dataclass(frozen=True)
class ReplyParse:
    """Everything read from one message.

    Attributes:
        answers: one per step named, in step order.
        problems: one per line that could not be read, in message order.
        survey_lines: lines starting with `survey`, untouched.
        conversation: the message holds no answer at all; the bot should stay silent.
    """

    answers: tuple[StepAnswerInput, ...] = ()
    problems: tuple[LineProblem, ...] = ()
    survey_lines: tuple[str, ...] = ()
    conversation: bool = False


def parse_reply(
    text: str, steps: Sequence[StepRef], basis: TimeBasis, default_step: int | None = None
) -> ReplyParse:
    """Read a thread reply into answers per step; never raises for any text.

    Args:
        text: the message, with Slack's escaping already undone; mentions are ignored.
        steps: the stream's steps.
        basis: what a day and a week are in this stream.
        default_step: the position of the person's step when they are assigned to exactly
            one; lines that name no step are about it.

    Returns:
        The answers, the lines that could not be read, the survey lines, and whether the
        message was only conversation.

    Raises:
        ValueError: `default_step` is not the position of one of `steps`.
    """
    if default_step is not None and default_step not in {step.position for step in steps}:
        raise ValueError(f"default step {default_step} is not one of the steps")
    lines = [(raw, _strip_markup(raw)) for raw in text.splitlines()]
    if not any(LineReader.looks_like_data(clean) for _, clean in lines):
        return ReplyParse(conversation=True)
    reader = LineReader(steps, basis, default_step)
    collected: dict[int, Fields] = {}
    causes: dict[int, WaitCause] = {}
    problems: list[LineProblem] = []
    survey: list[str] = []
    for raw, clean in lines:
        if not clean:
            continue
        if _SURVEY.match(clean):
            survey.append(raw)
            continue
        read = reader.read(clean)
        if read is None:
            continue
        if isinstance(read, UnreadLine):
            problems.append(LineProblem(clean, read.message))
            continue
        position = read.position
        earlier = collected.get(position, {})
        clash = _clash(earlier, read.fields, basis) or _cause_clash(
            earlier, causes.get(position), read.wait_cause, basis
        )
        if clash:
            problems.append(LineProblem(clean, _clash_message(clean, position, clash)))
            continue
        collected[position] = {**earlier, **read.fields}
        if read.wait_cause is not None:
            causes[position] = read.wait_cause
    answers = tuple(
        _answer(position, collected[position], causes.get(position))
        for position in sorted(collected)
    )
    return ReplyParse(answers, tuple(problems), tuple(survey))


def _strip_markup(line: str) -> str:
    without = _MARKUP.sub(" ", line).strip()
    bullet = _BULLET.match(without)
    return without[bullet.end() :] if bullet else without


def _clash(earlier: Fields, later: Fields, basis: TimeBasis) -> str:
    """The first field both give with different values, as the earlier one reads, or ``."""
    for field, value in later.items():
        before = earlier.get(field)
        if before is None or before == value:
            continue
        if field == "ca":
            return f"ca {format_percent(before, EXACT_PLACES)}"
        return f"{field} {format_exact(int(before), basis)}"
    return ""


def _cause_clash(
    earlier: Fields, before: WaitCause | None, later: WaitCause | None, basis: TimeBasis
) -> str:
    """The earlier wait and cause, as they read, if the later line gives another cause; or ``."""
    if before is None or later is None or before == later:
        return ""
    return f"wait {format_exact(int(earlier['wait']), basis)} {format_cause(before)}"


def _clash_message(line: str, position: int, earlier: str) -> str:
    return (
        f"I did not use {quote(line)}: an earlier line already gives step {position} "
        f"`{earlier}`. Put one value per field in a message; send a new message to change it."
    )


def _answer(position: int, fields: Fields, cause: WaitCause | None) -> StepAnswerInput:
    wait, process, ca = fields.get("wait"), fields.get("pt"), fields.get("ca")
    return StepAnswerInput(
        position,
        wait_s=None if wait is None else int(wait),
        process_s=None if process is None else int(process),
        ca=ca,
        wait_cause=cause,
    )
