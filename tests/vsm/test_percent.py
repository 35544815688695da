import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.percent import PercentError, format_percent, parse_percent


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


@given(st.integers(0, 10_000))
def test_shown_percentages_read_back(hundredths: int) -> None:
    fraction = hundredths / 10_000
    assert parse_percent(format_percent(fraction)) == pytest.approx(fraction, abs=1e-12)


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
def test_format_percent(fraction: float, places: int, shown: str) -> None:
    assert format_percent(fraction, places=places) == shown


def test_format_percent_default_keeps_two_places() -> None:
    assert format_percent(0.123456) == "12.35%"


@pytest.mark.parametrize(("fraction", "places"), [(float("nan"), 2), (float("inf"), 2), (0.5, -1)])
def test_format_percent_refuses(fraction: float, places: int) -> None:
    with pytest.raises(ValueError, match="cannot show"):
        format_percent(fraction, places=places)
