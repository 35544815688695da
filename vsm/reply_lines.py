"""Read one line of a thread reply: which step it is about, and the fields it gives."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from vsm._text import quote
from vsm.durations import DurationError, TimeBasis, parse_duration
from vsm.errors import VsmError
from vsm.names import AmbiguousName, fold, match_name
from vsm.percent import PercentError, parse_percent
from vsm.waiting import CauseError, WaitCause, parse_cause

FieldName = Literal["pt", "wait", "ca"]
Fields = dict[FieldName, float]
"""Fields read from a line: durations as whole seconds, `ca` as a fraction from 0 to 1."""

_FIELD_NAMES: dict[str, FieldName] = {"pt": "pt", "wait": "wait", "ca": "ca"}
_EXAMPLE_FIELDS = "pt 3h wait 1d ca 90%"
_EXAMPLE_CAUSE = "wait 2d for approval"
# Text before a colon longer than this is a sentence, not a step name someone started to type.
_LONGEST_NAME = 80
# "Not a letter" on either side, so `pt3h` and `(wait` count but `capture` and `adapt` do not.
# Every alternative starts with a fixed character: a leading \s* would make searches quadratic.
_FIELD = re.compile(
    r"(?<![^\W\d_])"
    r"(?:(?P<ca>(?:%\s*)?c\s*&\s*a|%?ca)|(?P<pt>process\s+time|process|pt)|(?P<wait>wait\s+time|wait))"
    r"(?![^\W\d_])\s*[:=]?",
    re.IGNORECASE,
)
_DATA_WORD = re.compile(
    r"(?<![^\W\d_])(?:pt|process|wait|c\s*&\s*a|ca|step|survey)(?![^\W\d_])", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_STEP_NUMBER = re.compile(
    r"(?:step\s*#?\s*|#\s*)?(?P<number>[0-9]{1,9})(?=\s|[:,;)]|\.(?![0-9])|$)\s*[:.)]?",
    re.IGNORECASE,
)
_VALUE_END = re.compile(r"[,;]")
# A duration's parts as vsm.durations reads them: a number, then what sticks to it as its unit
# (but not a bracket). What follows them in a wait's value is the wait's cause: `2d for approval`.
_DURATION_PARTS = re.compile(r"(?:(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*[^\s0-9.(]*\s*)+")


@dataclass(frozen=True)
class StepRef:
    """A step as a reply may name it: by its position (from 1) or by its name."""

    position: int
    name: str


@dataclass(frozen=True)
class ReadLine:
    """What a line gives for one step.

    Attributes:
        position: the step's position.
        fields: the values given, at least one.
        wait_cause: the cause given after the wait, if any.
    """

    position: int
    fields: Fields
    wait_cause: WaitCause | None = None


@dataclass(frozen=True)
class UnreadLine:
    """Why a line could not be read, for the person who wrote it."""

    message: str


@dataclass(frozen=True)
class _Located:
    position: int | None  # None: the line names no step
    rest: str  # the line after the step reference
    label: str | None  # the step as the person wrote it, for examples


@dataclass(frozen=True)
class _Unread:
    chunk: str
    reason: str
    at_start: bool = False  # nothing before the chunk was read
    example: str = _EXAMPLE_FIELDS  # the fields to show in the right form


class LineReader:
    """Reads lines against one stream's steps, basis and the person's default step."""

    def __init__(
        self, steps: Sequence[StepRef], basis: TimeBasis, default_step: int | None
    ) -> None:
        self._steps = sorted(steps, key=lambda step: step.position)
        self._by_position = {step.position: step for step in self._steps}
        self._basis = basis
        self._default_step = default_step
        self._name_patterns = {
            step.position: re.compile(
                r"\s*" + r"\s+".join(map(re.escape, step.name.split())) + r"\s*:", re.IGNORECASE
            )
            for step in self._steps
            if step.name.split()
        }

    @staticmethod
    def looks_like_data(line: str) -> bool:
        """Whether a line has a digit or one of the answer keywords in it."""
        return bool(_DIGIT.search(line) or _DATA_WORD.search(line))

    def read(self, line: str) -> ReadLine | UnreadLine | None:
        """Read a line with Slack markup removed.

        Returns:
            The step position, the fields and the wait's cause given; a problem; or None for a
            line that is conversation (no digit, no keyword and no step name in front).
        """
        located = self._locate(line)
        named_a_step = isinstance(located, _Located) and located.position is not None
        if not (named_a_step or self.looks_like_data(line)):
            return None
        if isinstance(located, UnreadLine):
            return located
        read = self._read_fields(located.rest)
        if isinstance(read, _Unread) and located.position is None and read.at_start:
            reason = "start it with the step's number or name, then pt, wait or ca."
            if self._default_step is not None:
                reason = "start it with pt, wait or ca."
            return self._problem(line, line, reason, located.label)
        if isinstance(read, _Unread):
            return self._problem(line, read.chunk, read.reason, located.label, read.example)
        fields, cause = read
        position = located.position if located.position is not None else self._default_step
        if position is None:
            reason = (
                f"which step is it for? Start the line with its number or name. {self._listing}"
            )
            return self._problem(line, line, reason, located.label)
        if not fields:
            return self._problem(line, line, "there is nothing to record in it.", located.label)
        return ReadLine(position, fields, cause)

    def _locate(self, line: str) -> _Located | UnreadLine:
        by_name = self._exact_name(line)
        if by_name is not None:
            return by_name
        number = _STEP_NUMBER.match(line)
        if number is not None:
            position = int(number["number"])
            if position not in self._by_position:
                reason = f"there is no step {position}; {self._range}."
                return self._problem(line, line, reason, None)
            rest = line[number.end() :]
            own_name = self._name_patterns.get(position)
            found = own_name.match(rest) if own_name else None
            return _Located(position, rest[found.end() :] if found else rest, number["number"])
        head, colon, rest = line.partition(":")
        if _FIELD.match(line) or not colon or not head.strip() or len(head) > _LONGEST_NAME:
            return _Located(None, line, None)
        try:
            match = match_name(head, [step.name for step in self._steps], kind="step")
        except AmbiguousName as error:
            return self._problem(line, f"{head}:", error.message, None)
        except VsmError as error:
            return self._problem(line, f"{head}:", f"{error.message} {self._listing}", None)
        return _Located(self._steps[match.index].position, rest, head.strip())

    def _exact_name(self, line: str) -> _Located | UnreadLine | None:
        """The step whose whole name starts the line, followed by `:`; the longest name wins."""
        found = [
            (len(fold(self._by_position[position].name)), position, pattern.match(line))
            for position, pattern in self._name_patterns.items()
        ]
        matches = [(size, position, m) for size, position, m in found if m is not None]
        if not matches:
            return None
        longest = max(size for size, _, _ in matches)
        best = [(position, m) for size, position, m in matches if size == longest]
        if len(best) > 1:
            numbers = " or ".join(str(position) for position, _ in best)
            reason = f"several steps have that name; use the number ({numbers})."
            return self._problem(line, line, reason, None)
        position, m = best[0]
        return _Located(position, line[m.end() :], line[: m.end() - 1].strip())

    def _read_fields(self, rest: str) -> tuple[Fields, WaitCause | None] | _Unread:
        fields: Fields = {}
        cause: WaitCause | None = None
        pos = 0
        while True:
            pos = _skip_separators(rest, pos)
            if pos >= len(rest):
                return fields, cause
            keyword = _FIELD.match(rest, pos)
            end = _value_end(rest, keyword.end() if keyword else pos)
            chunk = rest[pos:end].strip()
            if keyword is None:
                return _Unread(chunk, "is it pt, wait or ca?", at_start=not fields)
            field = _FIELD_NAMES[keyword.lastgroup or ""]
            said = keyword.group(keyword.lastgroup or 0).strip()
            value = rest[keyword.end() : end].strip()
            if field in fields:
                return _Unread(chunk, f"it gives {field} twice.")
            if not value:
                return _Unread(chunk, f"{said} needs a value after it.")
            value, why = _split_cause(value) if field == "wait" else (value, "")
            try:
                fields[field] = self._value(field, value)
                cause = parse_cause(why) if why else cause
            except (DurationError, PercentError) as error:
                return _Unread(chunk, error.reason)
            except CauseError as error:
                return _Unread(chunk, error.reason, example=_EXAMPLE_CAUSE)
            pos = end

    def _value(self, field: FieldName, value: str) -> float:
        if field == "ca":
            return parse_percent(value)
        return parse_duration(value, self._basis)

    def _problem(
        self,
        line: str,
        chunk: str,
        reason: str,
        label: str | None,
        example: str = _EXAMPLE_FIELDS,
    ) -> UnreadLine:
        where = quote(line) if chunk.strip() == line.strip() else f"{quote(chunk)} in {quote(line)}"
        shown = self._example(label, example)
        return UnreadLine(f"I could not read {where} — {reason} Try `{shown}`.")

    def _example(self, label: str | None, example: str) -> str:
        if label is None and self._default_step is not None:
            return example
        if label is None:
            label = str(self._steps[0].position if self._steps else 1)
        return f"{label}: {example}"

    @property
    def _range(self) -> str:
        positions = [step.position for step in self._steps]
        if not positions:
            return "this stream has no steps yet"
        if positions == list(range(positions[0], positions[-1] + 1)):
            return f"the steps are {positions[0]}–{positions[-1]}"
        return "the steps are " + ", ".join(map(str, positions))

    @property
    def _listing(self) -> str:
        if not self._steps:
            return "This stream has no steps yet."
        return "The steps are " + ", ".join(f"{s.position} {s.name}" for s in self._steps) + "."


def _value_end(rest: str, start: int) -> int:
    """Where a value starting at `start` stops: the next keyword, comma or semicolon."""
    ends = [len(rest)]
    for pattern in (_FIELD, _VALUE_END):
        found = pattern.search(rest, start)
        if found is not None:
            ends.append(found.start())
    return min(ends)


def _split_cause(value: str) -> tuple[str, str]:
    """A wait's value split into its duration and its cause: `2d for approval` → `2d`, `for …`.

    A value that does not start with a number is left whole, to be read (and refused) as a
    duration, so that `-1d` and `for Bob` get the messages they always got.
    """
    parts = _DURATION_PARTS.match(value)
    if parts is None or parts.end() == len(value):
        return value, ""
    return value[: parts.end()].strip(), value[parts.end() :].strip()


def _skip_separators(rest: str, pos: int) -> int:
    while pos < len(rest) and (rest[pos].isspace() or rest[pos] in ",;"):
        pos += 1
    return pos
