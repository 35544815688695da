import pytest

from vsm.improvements import Candidate, Expectation, rank
from vsm.portfolio import (
    PortfolioItem,
    StreamProposals,
    rank_portfolio,
    readiness_barriers,
    readiness_mean,
)
from vsm.survey import QuestionResult

H, D = 3600, 86_400


def wait(delta: int) -> Expectation:
    return Expectation("wait", delta)


AWARE = QuestionResult("awareness", "I understand why.", 5, 4.2, 0.8, False, False)
SUPPORT = QuestionResult("support", "Leaders back it.", 4, 2.75, 0.25, True, False)
FEW = QuestionResult("desire", "I want it.", 2, None, None, False, True)

CLAIMS = StreamProposals(
    1,
    "Claims",
    bottleneck_key=13,
    readiness=(AWARE, SUPPORT, FEW),
    candidates=(
        Candidate(1, 13, wait(-2 * D), "L"),  # 172,800 s / 3 = 57,600 s per unit, bottleneck
        Candidate(2, 12, Expectation("pt", -4 * H), "S"),  # 14,400 s per unit
        Candidate(3, 11, Expectation("ca", 0.1), None),  # no lead time: 0
    ),
)
HIRING = StreamProposals(
    2,
    "Hiring",
    bottleneck_key=21,
    readiness=(AWARE, FEW),
    candidates=(
        Candidate(1, 21, wait(-D), "M"),  # 86,400 s / 2 = 43,200 s per unit, bottleneck
        Candidate(2, 22, wait(-3 * D), "S"),  # 259,200 s per unit
        Candidate(3, 23, wait(-12 * H), None),  # 43,200 s / 2 (none counts as M) = 21,600 s
    ),
)
PAYMENTS = StreamProposals(
    3, "Payments", bottleneck_key=None, candidates=(Candidate(1, 31, wait(-D), "S"),)
)


def test_rank_portfolio() -> None:
    ranked = rank_portfolio((CLAIMS, HIRING, PAYMENTS))
    assert [(item.stream_name, item.candidate.number) for item in ranked] == [
        ("Claims", 1),  # at its bottleneck, 57,600 s per unit
        ("Hiring", 1),  # at its bottleneck, 43,200 s per unit
        ("Hiring", 2),  # 259,200
        ("Payments", 1),  # 86,400
        ("Hiring", 3),  # 21,600
        ("Claims", 2),  # 14,400
        ("Claims", 3),  # 0
    ]
    assert [item.gain_per_effort_s for item in ranked] == [
        57_600,
        43_200,
        259_200,
        86_400,
        21_600,
        14_400,
        0,
    ]
    assert ranked[0] == PortfolioItem(
        1, "Claims", CLAIMS.candidates[0], True, 2 * D, 57_600, ("support",)
    )
    assert [item.flagged for item in ranked] == [True, False, False, False, False, True, True]
    assert [item.at_bottleneck for item in ranked] == [True, True] + [False] * 5


def test_equal_gains_keep_the_order_of_the_streams() -> None:
    first = StreamProposals(7, "First", None, candidates=(Candidate(4, 71, wait(-D), "S"),))
    second = StreamProposals(8, "Second", None, candidates=(Candidate(1, 81, wait(-D), "S"),))
    ranked = rank_portfolio((second, first))
    assert [item.stream_name for item in ranked] == ["Second", "First"]


def test_a_stream_keeps_its_own_order() -> None:
    # Within one stream the portfolio never reorders what vsm.improvements.rank ordered.
    ranked = rank_portfolio((HIRING, CLAIMS, PAYMENTS))
    for stream in (HIRING, CLAIMS, PAYMENTS):
        mine = [item.candidate for item in ranked if item.stream_key == stream.stream_key]
        assert tuple(mine) == rank(stream.candidates, stream.bottleneck_key)


def test_nothing_to_rank() -> None:
    assert rank_portfolio(()) == ()
    assert rank_portfolio((StreamProposals(1, "Empty", 11),)) == ()


def test_a_bad_effort_is_refused() -> None:
    bad = StreamProposals(1, "Bad", None, candidates=(Candidate(1, 11, wait(-D), "XL"),))
    with pytest.raises(ValueError, match="effort must be S, M or L"):
        rank_portfolio((bad,))


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ((), ()),
        ((AWARE, FEW), ()),
        ((AWARE, SUPPORT, FEW), ("support",)),
        (
            (
                QuestionResult("a", "A", 3, 3.0, 0.0, True, False),
                QuestionResult("b", "B", 3, 1.0, 0.0, True, False),
            ),
            ("a", "b"),
        ),
    ],
)
def test_readiness_barriers(results: tuple[QuestionResult, ...], expected: tuple[str, ...]) -> None:
    assert readiness_barriers(results) == expected


@pytest.mark.parametrize(
    ("results", "mean"),
    [
        ((AWARE, SUPPORT, FEW), (4.2 + 2.75) / 2),  # a question with too few answers is left out
        ((AWARE,), 4.2),
        ((FEW,), None),
        ((), None),
    ],
)
def test_readiness_mean_is_the_mean_of_the_shown_questions(
    results: tuple[QuestionResult, ...], mean: float | None
) -> None:
    assert readiness_mean(results) == (None if mean is None else pytest.approx(mean))
