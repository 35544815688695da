import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.vsm.examples import WORKING
from vsm.durations import CALENDAR
from vsm.improvements import (
    EFFORT,
    Candidate,
    Expectation,
    ExpectationError,
    format_expectation,
    lead_time_gain_s,
    parse_effort,
    parse_expectation,
    rank,
)

H, D = 3600, 86_400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wait -2d", Expectation("wait", -2 * D)),
        ("pt -30m", Expectation("pt", -1800)),
        ("ca +10%", Expectation("ca", 0.10)),
        ("wait: -2d", Expectation("wait", -2 * D)),
        ("PT -1h 30m", Expectation("pt", -5400)),
        ("c&a +5", Expectation("ca", 0.05)),
        ("%C&A: -5%", Expectation("ca", -0.05)),
        ("wait time +1d", Expectation("wait", D)),
        ("process time −1h", Expectation("pt", -H)),  # a typographic minus
        ("process – 2h", Expectation("pt", -2 * H)),  # an en dash, and a space after the sign
        ("wait=-1w", Expectation("wait", -7 * D)),
        ("  ca   +100  ", Expectation("ca", 1.0)),
    ],
)
def test_parse_expectation_reads(text: str, expected: Expectation) -> None:
    assert parse_expectation(text, CALENDAR) == expected


def test_days_follow_the_time_basis() -> None:
    assert parse_expectation("wait -2d", WORKING) == Expectation("wait", -2 * 8 * H)


@pytest.mark.parametrize(
    ("text", "says", "usage"),
    [
        (
            "wait 2d",
            "`wait 2d` — say whether it goes up or down. Try `wait -2d` or `wait +2d`.",
            "`wait -2d` or `wait +2d`",
        ),
        ("ca 10%", "say whether it goes up or down", "`ca -10%` or `ca +10%`"),
        ("", "No prediction is given.", None),
        ("lead -2d", "`lead -2d` — start it with wait, pt or ca.", None),
        ("capacity +5%", "start it with wait, pt or ca.", None),
        ("wait", "by how much? Give wait a change after it.", None),
        ("pt -0", "a change of zero is no change.", None),
        ("ca +0%", "a change of zero is no change.", None),
        ("wait -2", "2 what?", None),
        ("wait --2d", "a time cannot be negative.", None),
        ("wait -2 parsecs", "I don't know the unit `parsecs`.", None),
        ("ca +101%", "a percentage cannot be more than 100.", None),
        ("ca +0.5", "did you mean `50%`?", "`ca +50%`"),
        ("wait -" + "1" * 90, "too long", None),
    ],
)
def test_parse_expectation_refuses(text: str, says: str, usage: str | None) -> None:
    with pytest.raises(ExpectationError) as caught:
        parse_expectation(text, CALENDAR)
    assert says in caught.value.message
    assert caught.value.usage == (usage or "`wait -2d`, `pt -30m` or `ca +10%`")
    assert caught.value.usage in caught.value.message


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    try:
        expectation = parse_expectation(text, CALENDAR)
    except ExpectationError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert expectation.delta != 0


@given(
    st.sampled_from(["wait", "pt", "ca"]),
    st.sampled_from(["", " ", ": "]),
    st.sampled_from(["+", "-"]),
    st.integers(1, 100),
)
def test_written_expectations_read_back(field: str, colon: str, sign: str, size: int) -> None:
    unit = "%" if field == "ca" else "h"
    parsed = parse_expectation(f"{field}{colon} {sign}{size}{unit}", WORKING)
    assert parse_expectation(format_expectation(parsed, WORKING), WORKING) == parsed


@pytest.mark.parametrize(
    ("expectation", "shown"),
    [
        (Expectation("wait", -2 * D), "wait -2d"),
        (Expectation("pt", 5400), "pt +1h 30m"),
        (Expectation("ca", 0.1), "ca +10%"),
    ],
)
def test_format_expectation(expectation: Expectation, shown: str) -> None:
    assert format_expectation(expectation, CALENDAR) == shown


@pytest.mark.parametrize(("field", "delta"), [("wait", 0), ("lead", -1), ("pt", float("nan"))])
def test_expectation_refuses_impossible_values(field: str, delta: float) -> None:
    with pytest.raises(ValueError, match="expect"):
        Expectation(field, delta)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "effort"),
    [("S", "S"), ("m", "M"), (" large ", "L"), ("Small", "S"), ("medium", "M")],
)
def test_parse_effort_reads(text: str, effort: str) -> None:
    assert parse_effort(text) == effort
    assert effort in EFFORT


@pytest.mark.parametrize(("text", "says"), [("", "No effort"), ("XL", "`XL` — that is not")])
def test_parse_effort_refuses(text: str, says: str) -> None:
    with pytest.raises(ExpectationError, match=says):
        parse_effort(text)


@pytest.mark.parametrize(
    ("expectation", "gain"),
    [
        (Expectation("wait", -2 * D), 2 * D),
        (Expectation("pt", -1800), 1800),
        (Expectation("wait", D), 0),  # a rise gains nothing
        (Expectation("ca", 0.1), 0),  # %C&A does not shorten the lead time
        (None, 0),
    ],
)
def test_lead_time_gain(expectation: Expectation | None, gain: int) -> None:
    assert lead_time_gain_s(expectation) == gain


def wait(seconds: int) -> Expectation:
    return Expectation("wait", -seconds)


def test_rank_puts_the_bottleneck_first_then_gain_per_effort() -> None:
    candidates = [
        Candidate(1, 2, wait(D), "S"),  # 1 d per unit
        Candidate(2, 3, wait(H), "L"),  # at the bottleneck, however small
        Candidate(3, 1, wait(3 * D), "L"),  # 1 d per unit, ties with 1: by number
        Candidate(4, 1, wait(3 * D), None),  # counts as M: 1.5 d per unit
        Candidate(5, 3, Expectation("ca", 0.2), "S"),  # at the bottleneck, no lead-time gain
        Candidate(6, None, None, None),  # nothing expected
        Candidate(7, 3, wait(2 * D), "m"),  # lower case is fine
    ]
    ranked = rank(candidates, bottleneck_key=3)
    assert [c.number for c in ranked] == [7, 2, 5, 4, 1, 3, 6]


def test_rank_without_a_bottleneck() -> None:
    candidates = [Candidate(2, None, None, "S"), Candidate(1, 5, wait(H), "L")]
    assert [c.number for c in rank(candidates, None)] == [1, 2]


def test_rank_refuses_unknown_effort() -> None:
    with pytest.raises(ValueError, match="effort"):
        rank([Candidate(1, 1, None, "XL")], None)


candidates_strategy = st.lists(
    st.builds(
        Candidate,
        number=st.integers(1, 20),
        step_key=st.none() | st.integers(1, 4),
        expectation=st.none()
        | st.builds(Expectation, st.sampled_from(["wait", "pt"]), st.integers(-10 * D, -1))
        | st.builds(Expectation, st.just("ca"), st.floats(0.01, 1)),
        effort=st.none() | st.sampled_from(["S", "M", "L"]),
    ),
    max_size=12,
)


@given(candidates_strategy, st.none() | st.integers(1, 4))
def test_rank_is_a_permutation_with_the_bottleneck_first(
    candidates: list[Candidate], bottleneck: int | None
) -> None:
    ranked = rank(candidates, bottleneck)
    assert sorted(map(id, ranked)) == sorted(map(id, candidates))
    at_bottleneck = [bottleneck is not None and c.step_key == bottleneck for c in ranked]
    assert at_bottleneck == sorted(at_bottleneck, reverse=True)
    assert rank(ranked, bottleneck) == ranked  # stable: ranking twice changes nothing
