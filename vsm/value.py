"""The meaning of value: what each layer of the organisation means by value, in 100 points.

Each person picks their layer (leadership, management, …) and spreads exactly 100 points over
the value dimensions (customer outcome, revenue, …), and may add one sentence. A stream may
set its own layers (2 to 8) and dimensions (2 to 12). This module holds the words and checks
one person's answer; vsm.alignment adds the answers up.

A layer's or dimension's key is made from its label: lower case, with every run of characters
that are neither letters nor digits made one `-` (`Speed to market` → `speed-to-market`), so
that reordering a list keeps the answers given to each entry.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vsm._text import quote
from vsm.errors import VsmError

TOTAL_POINTS = 100
MIN_LAYERS, MAX_LAYERS = 2, 8
MIN_DIMENSIONS, MAX_DIMENSIONS = 2, 12
LONGEST_LABEL = 40
LONGEST_SENTENCE = 300

_NOT_WORD = re.compile(r"[\W_]+")
_BULLET = re.compile(r"(?:[-•*]|[0-9]{1,2}[.)])\s+")
_WHOLE = re.compile(r"[0-9]+")


class ValueAnswerError(VsmError):
    """Layers, dimensions or points a person gave cannot be used; the message says why."""


@dataclass(frozen=True)
class Choice:
    """A layer or a value dimension: a key that answers keep, and the label people read."""

    key: str
    label: str


DEFAULT_LAYERS: tuple[Choice, ...] = tuple(
    Choice(key, key.capitalize())
    for key in ("leadership", "management", "operations", "producer", "consumer")
)
DEFAULT_DIMENSIONS: tuple[Choice, ...] = (
    Choice("customer-outcome", "Customer outcome"),
    Choice("revenue", "Revenue"),
    Choice("cost", "Cost"),
    Choice("speed-to-market", "Speed to market"),
    Choice("quality-and-risk", "Quality and risk"),
    Choice("compliance", "Compliance"),
    Choice("learning", "Learning"),
    Choice("people", "People"),
)


@dataclass(frozen=True)
class ValueAnswer:
    """One person's answer: their layer, their points, and their sentence.

    Attributes:
        layer: the layer's key.
        points: whole points by dimension key, every dimension, in dimension order; they add
            up to 100.
        sentence: None when none was given.
    """

    layer: str
    points: Mapping[str, int]
    sentence: str | None = None


def choice_key(label: str) -> str:
    """The key a label gets: `Speed to market` → `speed-to-market`; "" if it has no letter."""
    return _NOT_WORD.sub("-", label.casefold()).strip("-")


def parse_layers(text: str) -> tuple[Choice, ...]:
    """Read a stream's own layers: one a line (or one line with commas), 2 to 8, each different.

    Raises:
        ValueAnswerError: too few or too many, one longer than 40 characters, one with no letter
            or digit, or the same one twice (ignoring case and punctuation).
    """
    return _parse_choices(text, "layer", MIN_LAYERS, MAX_LAYERS)


def parse_dimensions(text: str) -> tuple[Choice, ...]:
    """Read a stream's own value dimensions: one a line (or one line with commas), 2 to 12.

    Raises:
        ValueAnswerError: as for `parse_layers`.
    """
    return _parse_choices(text, "dimension", MIN_DIMENSIONS, MAX_DIMENSIONS)


def _parse_choices(text: str, kind: str, fewest: int, most: int) -> tuple[Choice, ...]:
    form = f"one {kind} a line, such as `{'`, `'.join(_examples(kind))}`"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and re.search(r"[,;]", lines[0]):
        lines = [part.strip() for part in re.split(r"[,;]", lines[0]) if part.strip()]
    labels = []
    for line in lines:
        bullet = _BULLET.match(line)
        label = " ".join((line[bullet.end() :] if bullet else line).split())
        if label:
            labels.append(label)
    if not fewest <= len(labels) <= most:
        count = len(labels)
        given = f"no {kind}s" if not count else f"1 {kind}" if count == 1 else f"{count} {kind}s"
        raise ValueAnswerError(f"That is {given}; give {fewest} to {most}, {form}.", form)
    seen: dict[str, str] = {}
    for label in labels:
        key = choice_key(label)
        if len(label) > LONGEST_LABEL:
            raise ValueAnswerError(
                f"{quote(label)} is {len(label)} characters long; keep a {kind} to "
                f"{LONGEST_LABEL}.",
                form,
            )
        if not key:
            raise ValueAnswerError(f"{quote(label)} needs a letter or a digit.", form)
        if key in seen:
            same = "is there twice" if seen[key] == label else f"is the same as {quote(seen[key])}"
            raise ValueAnswerError(f"{quote(label)} {same}; each {kind} must be different.", form)
        seen[key] = label
    return tuple(Choice(key, label) for key, label in seen.items())


def _examples(kind: str) -> tuple[str, ...]:
    chosen = DEFAULT_LAYERS if kind == "layer" else DEFAULT_DIMENSIONS
    return tuple(choice.label for choice in chosen[:3])


def check_value_answer(
    layer: str,
    points: Mapping[str, int | str],
    sentence: str | None,
    *,
    layers: Sequence[Choice],
    dimensions: Sequence[Choice],
) -> ValueAnswer:
    """Check one person's answer against the stream's layers and dimensions.

    Args:
        layer: the layer's key or label, in any case.
        points: by dimension key, whole points 0 or more, as numbers or as typed (`"30"`; an
            empty text is 0); a dimension left out is 0.
        sentence: up to 300 characters; spaces squeezed; empty is None.
        layers: the stream's layers.
        dimensions: the stream's dimensions.

    Returns:
        The answer, with every dimension's points in dimension order.

    Raises:
        ValueAnswerError: an unknown layer or dimension, points that are not whole numbers of
            0 or more, points that do not add up to exactly 100, or a sentence that is too long.
    """
    chosen = _layer(layer, layers)
    labels = {dimension.key: dimension.label for dimension in dimensions}
    unknown = [key for key in points if key not in labels]
    if unknown:
        raise ValueAnswerError(
            "The value dimensions changed while you answered; open the form again."
        )
    given = {key: _points(points.get(key, 0), labels[key]) for key in labels}
    total = sum(given.values())
    if total != TOTAL_POINTS:
        off = TOTAL_POINTS - total
        more = f"{off} more" if off > 0 else f"{-off} fewer"
        raise ValueAnswerError(
            f"Your points add up to {total}; spread exactly {TOTAL_POINTS} over the "
            f"dimensions ({more})."
        )
    said = " ".join((sentence or "").split()) or None
    if said is not None and len(said) > LONGEST_SENTENCE:
        raise ValueAnswerError(
            f"Your sentence is {len(said)} characters long; keep it to {LONGEST_SENTENCE}."
        )
    return ValueAnswer(chosen.key, given, said)


def read_points(value: int | str, label: str) -> int:
    """One dimension's points as typed (`"30"`, `""` is 0), for a form to check field by field.

    Raises:
        ValueAnswerError: not a whole number, negative, or more than 100.
    """
    return _points(value, label)


def read_layer(layer: str, layers: Sequence[Choice]) -> str:
    """The key of the layer `layer` names (its key or label, in any case).

    Raises:
        ValueAnswerError: no layer is given, or it is not one of `layers`; the message lists them.
    """
    return _layer(layer, layers).key


def _layer(layer: str, layers: Sequence[Choice]) -> Choice:
    wanted = choice_key(layer)
    for choice in layers:
        if wanted in (choice.key, choice_key(choice.label)):
            return choice
    names = ", ".join(choice.label for choice in layers)
    said = f"I don't know the layer {quote(layer)}." if layer.strip() else "Pick your layer."
    raise ValueAnswerError(f"{said} The layers are {names}.")


def _points(value: int | str, label: str) -> int:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        if not _WHOLE.fullmatch(text):
            if text.startswith(("-", "−", "–")):
                raise ValueAnswerError(f"Points cannot be negative ({quote(text)} for {label}).")
            raise ValueAnswerError(f"{quote(text)} for {label} is not a whole number of points.")
        digits = text.lstrip("0") or "0"
        # A long run of digits is more than 100 points; int() of thousands of digits raises.
        value = int(digits) if len(digits) <= len(str(TOTAL_POINTS)) else TOTAL_POINTS + 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueAnswerError(f"{value!r} for {label} is not a whole number of points.")
    if value < 0:
        raise ValueAnswerError(f"Points cannot be negative ({value} for {label}).")
    if value > TOTAL_POINTS:
        raise ValueAnswerError(f"{label} has more than {TOTAL_POINTS} points; there are only 100.")
    return value
