import pytest

from vsm.alignment import (
    DimensionMean,
    Disputed,
    LayerAlignment,
    LayerProfile,
    alignment,
    layer_profiles,
    summarize_value,
)
from vsm.value import DEFAULT_DIMENSIONS, DEFAULT_LAYERS, ValueAnswer

KEYS = [d.key for d in DEFAULT_DIMENSIONS]  # customer-outcome, revenue, cost, speed-to-market, …


def said(layer: str, sentence: str | None = None, **points: int) -> ValueAnswer:
    spread = {key: points.get(key.replace("-", "_"), 0) for key in KEYS}
    assert sum(spread.values()) == 100
    return ValueAnswer(layer, spread, sentence)


# Leadership means: revenue 50, cost 30, customer outcome 20.
LEADERSHIP = [
    said("leadership", "Growth pays for everything.", revenue=50, cost=30, customer_outcome=20),
    said("leadership", None, revenue=40, cost=40, customer_outcome=20),
    said("leadership", "keep costs down", revenue=60, cost=20, customer_outcome=20),
]
# Operations means: customer outcome 40, quality and risk 40, cost 20.
OPERATIONS = [
    said("operations", None, customer_outcome=40, cost=20, quality_and_risk=40),
    said("operations", None, customer_outcome=30, cost=30, quality_and_risk=40),
    said("operations", None, customer_outcome=50, cost=10, quality_and_risk=40),
]
# Consumer means: customer outcome 60, quality and risk 40.
CONSUMER = [said("consumer", "It just has to work.", customer_outcome=60, quality_and_risk=40)] * 3
# Management: two people only, so too few to show.
MANAGEMENT = [said("management", "secret", people=100), said("management", None, learning=100)]
ALL = LEADERSHIP + OPERATIONS + CONSUMER + MANAGEMENT


def means(**points: float) -> tuple[DimensionMean, ...]:
    labels = {d.key: d.label for d in DEFAULT_DIMENSIONS}
    return tuple(DimensionMean(k, labels[k], points.get(k.replace("-", "_"), 0)) for k in KEYS)


def test_layer_profiles() -> None:
    profiles = {p.key: p for p in layer_profiles(ALL, DEFAULT_LAYERS, DEFAULT_DIMENSIONS)}
    assert list(profiles) == ["leadership", "management", "operations", "producer", "consumer"]
    leadership = profiles["leadership"]
    assert leadership == LayerProfile(
        "leadership",
        "Leadership",
        3,
        False,
        means(revenue=50, cost=30, customer_outcome=20),
        (
            DimensionMean("revenue", "Revenue", 50),
            DimensionMean("cost", "Cost", 30),
            DimensionMean("customer-outcome", "Customer outcome", 20),
        ),
        ("Growth pays for everything.", "keep costs down"),
    )
    # A tie at 40: customer outcome comes before quality and risk among the dimensions.
    assert [d.key for d in profiles["operations"].top] == [
        "customer-outcome",
        "quality-and-risk",
        "cost",
    ]
    assert [d.key for d in profiles["consumer"].top] == ["customer-outcome", "quality-and-risk"]
    assert profiles["consumer"].sentences == ("It just has to work.",) * 3
    assert profiles["management"] == LayerProfile("management", "Management", 2, True, (), (), ())
    assert profiles["producer"] == LayerProfile("producer", "Producer", 0, True, (), (), ())


def test_summary_of_the_hand_computed_example() -> None:
    summary = summarize_value(ALL, DEFAULT_LAYERS, DEFAULT_DIMENSIONS, previous_overall=0.4)
    # leadership–operations: |20−40| + |50−0| + |30−20| + |0−40| = 120 → 100% − 60% = 40%
    # leadership–consumer: 40 + 50 + 30 + 40 = 160 → 20%; operations–consumer: 20 + 20 = 40 → 80%
    assert summary.pairs == (
        LayerAlignment("leadership", "operations", 0.4),
        LayerAlignment("leadership", "consumer", 0.2),
        LayerAlignment("operations", "consumer", 0.8),
    )
    assert summary.overall == 7 / 15  # (40% + 20% + 80%) / 3
    assert summary.change == 1 / 15  # from 40%
    # Revenue: leadership 50, operations 0, consumer 0 → 50 points apart, the widest.
    assert summary.most_disputed == Disputed("revenue", "Revenue", "leadership", "operations", 50)
    assert summary.answers == 11


@pytest.mark.parametrize(
    ("answers", "overall", "disputed"),
    [
        ([], None, None),
        (LEADERSHIP + MANAGEMENT, None, None),  # one shown layer: no pair
        (
            LEADERSHIP + OPERATIONS,
            0.4,
            Disputed("revenue", "Revenue", "leadership", "operations", 50),
        ),
        (
            OPERATIONS + CONSUMER,
            0.8,
            Disputed("customer-outcome", "Customer outcome", "consumer", "operations", 20),
        ),
        (
            CONSUMER + [said("producer", customer_outcome=60, quality_and_risk=40)] * 3,
            1.0,
            None,  # identical layers: nothing is disputed
        ),
        (
            [said("leadership", revenue=100)] * 3 + [said("producer", cost=100)] * 4,
            0.0,
            Disputed("revenue", "Revenue", "leadership", "producer", 100),  # a tie: first wins
        ),
    ],
)
def test_overall_and_most_disputed(
    answers: list[ValueAnswer], overall: float | None, disputed: Disputed | None
) -> None:
    summary = summarize_value(answers, DEFAULT_LAYERS, DEFAULT_DIMENSIONS)
    assert summary.overall == overall
    assert summary.most_disputed == disputed
    assert summary.change is None


def test_no_change_without_two_overalls() -> None:
    assert summarize_value(LEADERSHIP, DEFAULT_LAYERS, DEFAULT_DIMENSIONS, 0.5).change is None
    both = summarize_value(LEADERSHIP + OPERATIONS, DEFAULT_LAYERS, DEFAULT_DIMENSIONS, 0.55)
    assert both.change == -0.15  # 40% − 55%, exactly


def test_means_need_not_be_whole() -> None:
    thirds = [
        said("leadership", revenue=100),
        said("leadership", revenue=50, cost=50),
        said("leadership", cost=100),
    ]
    profile = layer_profiles(thirds, DEFAULT_LAYERS, DEFAULT_DIMENSIONS)[0]
    assert [d.mean for d in profile.top] == [50, 50]
    assert sum(d.mean for d in profile.means) == 100


def test_answers_of_unknown_layers_and_dimensions_are_left_out() -> None:
    stray = ValueAnswer("board", {"revenue": 100})
    old = ValueAnswer("leadership", {"revenue": 50, "gone": 50})
    summary = summarize_value([*LEADERSHIP, stray, old], DEFAULT_LAYERS, DEFAULT_DIMENSIONS)
    assert summary.answers == 4
    leadership = summary.layers[0]
    assert leadership.people == 4
    assert leadership.means[1] == DimensionMean("revenue", "Revenue", 50)  # (150 + 50) / 4
    assert sum(d.mean for d in leadership.means) == 87.5  # the 50 on "gone" is not counted


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({"a": 50, "b": 50}, {"a": 50, "b": 50}, 1.0),
        ({"a": 100}, {"b": 100}, 0.0),
        ({"a": 70, "b": 30}, {"a": 40, "b": 60}, 0.7),
        ({"a": 25, "b": 25, "c": 50}, {"a": 50, "c": 50}, 0.75),
    ],
)
def test_alignment(first: dict[str, float], second: dict[str, float], expected: float) -> None:
    assert alignment(first, second) == expected
    assert alignment(second, first) == expected
