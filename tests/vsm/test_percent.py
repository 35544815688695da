from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.percent import (
    EXACT_PLACES,
    PercentError,
    format_percent,
    format_points,
    format_relative,
    parse_percent,
    shown_percent,
)


@pytest.mark.parametrize(
    ("text", "fraction"),
    [
        ("85%", 0.85),
        ("85", 0.85),
        ("85.5%", 0.855),
        (" 85 % ", 0.85),
        ("100", 1.0),
        ("100%", 1.0),
        ("100.0", 1.0),
        ("0", 0.0),
        ("0%", 0.0),
        ("1", 0.01),
        ("0.85%", 0.0085),
        (".5%", 0.005),
        ("33.3", 0.333),
    ],
)
def test_parse_percent_reads(text: str, fraction: float) -> None:
    assert parse_percent(text) == fraction


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No percentage is given."),
        ("101", "`101` — a percentage cannot be more than 100."),
        ("100.5%", "cannot be more than 100"),
        ("-5", "`-5` — a percentage cannot be negative."),
        ("-5%", "cannot be negative"),
        ("abc", "`abc` — that is not a number from 0 to 100."),
        ("85%%", "not a number"),
        ("%85", "not a number"),
        ("85,5", "not a number"),
        ("0.85", "`0.85` — did you mean `85%`? Write percent as 0 to 100. Try `85%`."),
        ("0.5", "did you mean `50%`?"),
        ("0.12345", "did you mean `12.345%`?"),  # as typed, not rounded for reading
        ("9" * 41, "too long"),
    ],
)
def test_parse_percent_refuses(text: str, says: str) -> None:
    with pytest.raises(PercentError) as caught:
        parse_percent(text)
    assert says in caught.value.message
    assert caught.value.usage
    assert caught.value.reason.lower() in caught.value.message.lower()


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    try:
        fraction = parse_percent(text)
    except PercentError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert 0 <= fraction <= 1


@given(st.integers(0, 1_000_000))
def test_percentages_written_to_be_read_back_read_back(millionths: int) -> None:
    fraction = millionths / 1_000_000
    written = format_percent(fraction, EXACT_PLACES)
    assert parse_percent(written) == pytest.approx(fraction, abs=1e-12)


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (0.000092, "0.0092%"),
        (0.0035, "0.35%"),
        (0.038, "3.8%"),
        (0.352, "35.2%"),
        (0, "0%"),
        (1, "100%"),
        (40_500 / 1_077_300, "3.8%"),  # VSM.md's worked example: 3.76%
        (40_500 / 386_100, "10.5%"),  # and on a working basis: 10.49%
        (0.351918, "35.2%"),
        (0.85, "85%"),  # trailing zeros dropped
        (0.8750, "87.5%"),
        (0.01, "1%"),
        (0.00999, "1%"),  # two significant figures of 0.999%: never 0, never below what it is
        (0.009, "0.9%"),
        (0.005, "0.5%"),
        (0.00123456, "0.12%"),
        (0.0000001, "0.00001%"),
        (0.99, "99%"),
        (0.9994, "99.9%"),
        (0.9996, "99.96%"),  # 99.96% would round to 100%: only a true 100% reads as one
        (0.99996, "99.996%"),
        (0.999999, "99.9999%"),
        (1.00004, "100.004%"),
        (1.5, "150%"),
        (0.00355, "0.36%"),  # half up on the decimal value
        (-0.125, "-12.5%"),
        (-0.00005, "-0.005%"),
    ],
)
def test_format_percent_reads_at_a_glance(fraction: float, shown: str) -> None:
    assert format_percent(fraction) == shown


@given(st.floats(0, 2, allow_nan=False))
def test_no_share_shows_as_0_or_100_percent_unless_it_is(fraction: float) -> None:
    shown = format_percent(fraction)
    assert (shown == "0%") == (fraction == 0)
    assert (shown == "100%") == (fraction == 1)
    # What is shown is what shown_percent says, and lies within half a unit of its last digit.
    assert Fraction(shown.removesuffix("%")) / 100 == shown_percent(fraction)
    decimals = len(shown.rstrip("%").partition(".")[2])
    half_unit = Fraction(1, 2 * 100 * 10**decimals)
    assert abs(shown_percent(fraction) - Fraction(repr(fraction))) <= half_unit


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (0.3519, Fraction(352, 1000)),
        (0.514, Fraction(514, 1000)),
        (0.000092, Fraction(92, 1_000_000)),
        (0.99996, Fraction(99_996, 100_000)),
        (0, Fraction(0)),
        (1, Fraction(1)),
    ],
)
def test_shown_percent_is_the_value_as_shown(fraction: float, shown: Fraction) -> None:
    assert shown_percent(fraction) == shown


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (0.514 - 0.352, "+16.2 pts"),  # 35.2% → 51.4%, never +46.1%
        (0.352 - 0.514, "−16.2 pts"),  # a true minus sign
        (0.01, "+1 pt"),
        (-0.01, "−1 pt"),
        (0.1, "+10 pts"),
        (0.0034, "+0.34 pts"),  # under 1 point: two significant figures, never ±0
        (-0.000092, "−0.0092 pts"),
        (0.0, "±0 pts"),
        (1.0, "+100 pts"),
    ],
)
def test_format_points(delta: float, shown: str) -> None:
    assert format_points(delta) == shown


@pytest.mark.parametrize(
    ("relative", "shown"),
    [
        ((4.5 - 23.6) / 23.6, "−80.9%"),  # VSM.md: 23.6 d → 4.5 d
        ((1 - 3) / 3, "−66.7%"),
        (0.125, "+12.5%"),
        (1.125, "+112.5%"),
        (0.0032, "+0.32%"),
        (-1.0, "−100%"),
        (-0.99996, "−99.996%"),
        (0.0, "±0%"),
        (None, "n/a"),
    ],
)
def test_format_relative(relative: float | None, shown: str) -> None:
    assert format_relative(relative) == shown


@pytest.mark.parametrize(("fraction"), [float("nan"), float("inf")])
def test_the_readings_refuse_what_is_not_a_number(fraction: float) -> None:
    for read in (format_percent, shown_percent, format_points, format_relative):
        with pytest.raises(ValueError, match="cannot show"):
            read(fraction)


@pytest.mark.parametrize(
    ("fraction", "places", "shown"),
    [
        (0.85, 2, "85%"),
        (1.0, 2, "100%"),
        (0.0, 2, "0%"),
        (0.351918, 2, "35.19%"),
        (0.037, 2, "3.7%"),  # trailing zeros dropped
        (40_500 / 1_077_300, 2, "3.76%"),
        (40_500 / 386_100, 2, "10.49%"),
        (0.355, 0, "36%"),  # half up on the decimal value, not its binary neighbour
        (0.12345, 1, "12.3%"),
        (0.12355, 3, "12.355%"),
        (-0.125, 1, "-12.5%"),
        (-0.00001, 1, "0%"),
        (1.5, 2, "150%"),
    ],
)
def test_format_percent_with_places(fraction: float, places: int, shown: str) -> None:
    assert format_percent(fraction, places=places) == shown


def test_format_percent_with_places_keeps_what_a_form_needs() -> None:
    assert format_percent(0.123456, EXACT_PLACES) == "12.3456%"
    assert format_percent(0.0000001, EXACT_PLACES) == "0%"  # exactly the places asked for


@pytest.mark.parametrize(("fraction", "places"), [(float("nan"), 2), (float("inf"), 2), (0.5, -1)])
def test_format_percent_refuses(fraction: float, places: int) -> None:
    with pytest.raises(ValueError, match="cannot show"):
        format_percent(fraction, places=places)
