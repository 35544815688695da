"""How far the layers of an organisation agree on what value means (see vsm.value).

A layer's profile is the mean of its people's points per dimension, shown only with at least
`MIN_PEOPLE` people, so that a small layer cannot be read person by person; its sentences are
shown only then too, in alphabetical order (not the order they came in), without names.

The alignment of two shown layers A and B is 100% − ½ Σ_d |A_d − B_d|, the points read as
percentages: 100% when they spread their points the same way, 0% when they share nothing. The
overall alignment is the mean over all pairs of shown layers. The most disputed dimension is
the one with the largest difference between the highest and the lowest layer mean.

Decisions where the method is silent:

- ties: a layer's top dimensions and the most disputed dimension go in dimension order; the
  highest and lowest layer of a dimension in layer order;
- a dimension with a mean of 0 is not among a layer's top dimensions (a layer may have fewer
  than three);
- no dimension is disputed when fewer than two layers are shown or all shown layers agree on
  every dimension;
- answers whose layer is not among the layers are left out; points for a dimension that is not
  among the dimensions are ignored, and a dimension an answer does not have counts as 0.

All arithmetic is exact (fractions), so equal spreads tie and 100% is exactly 1.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from vsm.value import TOTAL_POINTS, Choice, ValueAnswer

MIN_PEOPLE = 3
TOP = 3


@dataclass(frozen=True)
class DimensionMean:
    """A layer's mean points for one dimension, 0 to 100."""

    key: str
    label: str
    mean: float


@dataclass(frozen=True)
class LayerProfile:
    """What one layer means by value; never anything per person.

    Attributes:
        people: how many people of the layer answered.
        too_few: fewer than `MIN_PEOPLE` answered, so nothing else is shown.
        means: per dimension, in dimension order; empty when too few.
        top: up to three dimensions with the highest means (more than 0), highest first.
        sentences: the sentences its people added, alphabetical; empty when too few.
    """

    key: str
    label: str
    people: int
    too_few: bool
    means: tuple[DimensionMean, ...]
    top: tuple[DimensionMean, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class LayerAlignment:
    """How far two shown layers agree, 0 to 1."""

    first: str
    second: str
    alignment: float


@dataclass(frozen=True)
class Disputed:
    """The dimension on which the shown layers differ most.

    Attributes:
        highest, lowest: the keys of the layers with the highest and the lowest mean.
        spread: the highest mean − the lowest, in points.
    """

    key: str
    label: str
    highest: str
    lowest: str
    spread: float


@dataclass(frozen=True)
class ValueSummary:
    """The meaning-of-value instrument added up for one run.

    Attributes:
        layers: one profile per layer, in layer order.
        pairs: the alignment of each pair of shown layers, in layer order.
        overall: the mean of `pairs`; None with fewer than two shown layers.
        most_disputed: None when fewer than two layers are shown or they agree throughout.
        change: overall − the previous run's overall; None unless both are known.
        answers: how many answers were counted (those of a known layer).
    """

    layers: tuple[LayerProfile, ...]
    pairs: tuple[LayerAlignment, ...]
    overall: float | None
    most_disputed: Disputed | None
    change: float | None
    answers: int


def alignment(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    """100% − ½ Σ_d |A_d − B_d| for two layers' mean points by dimension, as a fraction 0..1.

    A dimension missing from one mapping counts as 0 there.
    """
    keys = dict.fromkeys([*first, *second])
    exact = {key: (Fraction(first.get(key, 0)), Fraction(second.get(key, 0))) for key in keys}
    return float(_alignment(exact))


def _alignment(pairs: Mapping[str, tuple[Fraction, Fraction]]) -> Fraction:
    apart = sum((abs(a - b) for a, b in pairs.values()), Fraction(0))
    return 1 - apart / (2 * TOTAL_POINTS)


def layer_profiles(
    answers: Sequence[ValueAnswer], layers: Sequence[Choice], dimensions: Sequence[Choice]
) -> tuple[LayerProfile, ...]:
    """Each layer's profile from each person's latest answer (one answer per person)."""
    return tuple(profile for profile, _ in _profiles(answers, layers, dimensions))


def summarize_value(
    answers: Sequence[ValueAnswer],
    layers: Sequence[Choice],
    dimensions: Sequence[Choice],
    previous_overall: float | None = None,
) -> ValueSummary:
    """Add up one run: profiles, alignment per pair and overall, the most disputed dimension.

    Args:
        answers: each person's latest answer, one per person.
        layers: the stream's layers, in the order to show them.
        dimensions: the stream's dimensions, in the order to show them.
        previous_overall: the previous run's overall alignment, for the change.
    """
    profiles = _profiles(answers, layers, dimensions)
    shown = [(profile, means) for profile, means in profiles if not profile.too_few]
    pairs = []
    for (a, a_means), (b, b_means) in combinations(shown, 2):
        exact = {d.key: (a_means[d.key], b_means[d.key]) for d in dimensions}
        pairs.append((a.key, b.key, _alignment(exact)))
    overall = sum((value for _, _, value in pairs), Fraction(0)) / len(pairs) if pairs else None
    change = None
    if overall is not None and previous_overall is not None:
        change = float(overall - Fraction(repr(previous_overall)))
    layer_keys = {layer.key for layer in layers}
    return ValueSummary(
        layers=tuple(profile for profile, _ in profiles),
        pairs=tuple(LayerAlignment(a, b, float(value)) for a, b, value in pairs),
        overall=None if overall is None else float(overall),
        most_disputed=_most_disputed(shown, dimensions),
        change=change,
        answers=sum(1 for answer in answers if answer.layer in layer_keys),
    )


def _profiles(
    answers: Sequence[ValueAnswer], layers: Sequence[Choice], dimensions: Sequence[Choice]
) -> list[tuple[LayerProfile, dict[str, Fraction]]]:
    found: list[tuple[LayerProfile, dict[str, Fraction]]] = []
    for layer in layers:
        mine = [answer for answer in answers if answer.layer == layer.key]
        if len(mine) < MIN_PEOPLE:
            found.append((LayerProfile(layer.key, layer.label, len(mine), True, (), (), ()), {}))
            continue
        exact = {
            d.key: Fraction(sum(answer.points.get(d.key, 0) for answer in mine), len(mine))
            for d in dimensions
        }
        means = tuple(DimensionMean(d.key, d.label, float(exact[d.key])) for d in dimensions)
        ranked = sorted(range(len(dimensions)), key=lambda i: (-exact[dimensions[i].key], i))
        top = tuple(means[i] for i in ranked[:TOP] if exact[dimensions[i].key] > 0)
        said = sorted((a.sentence for a in mine if a.sentence), key=lambda s: (s.casefold(), s))
        profile = LayerProfile(layer.key, layer.label, len(mine), False, means, top, tuple(said))
        found.append((profile, exact))
    return found


def _most_disputed(
    shown: Sequence[tuple[LayerProfile, dict[str, Fraction]]], dimensions: Sequence[Choice]
) -> Disputed | None:
    if len(shown) < 2:
        return None
    best: Disputed | None = None
    widest = Fraction(0)
    for dimension in dimensions:
        # min() and max() keep the first of equal values: layer order breaks ties.
        high = max(shown, key=lambda pair: pair[1][dimension.key])
        low = min(shown, key=lambda pair: pair[1][dimension.key])
        spread = high[1][dimension.key] - low[1][dimension.key]
        if spread > widest:
            widest = spread
            best = Disputed(dimension.key, dimension.label, high[0].key, low[0].key, float(spread))
    return best
