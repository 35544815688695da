from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.vsm.examples import WORKING
from vsm.durations import (
    CALENDAR,
    MAX_DURATION_S,
    DurationError,
    TimeBasis,
    TimeBasisError,
    format_duration,
    format_exact,
    parse_duration,
    round_half_up,
    shown_duration,
)

H, D = 3600, 86_400
WD = 8 * H


@pytest.mark.parametrize(
    ("text", "calendar", "working"),
    [
        ("0", 0, 0),
        ("0.0", 0, 0),
        ("0h", 0, 0),
        ("90s", 90, 90),
        ("1 sec", 1, 1),
        ("2 secs", 2, 2),
        ("1 second", 1, 1),
        ("45m", 2700, 2700),
        ("45 min", 2700, 2700),
        ("45mins", 2700, 2700),
        ("1 minute", 60, 60),
        ("10 minutes", 600, 600),
        ("2h", 2 * H, 2 * H),
        ("2 hr", 2 * H, 2 * H),
        ("2hrs", 2 * H, 2 * H),
        ("1 hour", H, H),
        ("3 hours", 3 * H, 3 * H),
        ("1h30m", 5400, 5400),
        ("1h 30m", 5400, 5400),
        ("1 h 30 m", 5400, 5400),
        ("30m 1h", 5400, 5400),
        ("1.5d", 129_600, 43_200),
        ("1.5 D", 129_600, 43_200),
        ("3 days", 3 * D, 3 * WD),
        ("1 day", D, WD),
        ("2w", 14 * D, 10 * WD),
        ("1 wk", 7 * D, 5 * WD),
        ("2 wks", 14 * D, 10 * WD),
        ("1 week", 7 * D, 5 * WD),
        ("2 weeks", 14 * D, 10 * WD),
        ("1w 2d 3h 4m 5s", 9 * D + 3 * H + 245, 7 * WD + 3 * H + 245),
        (".5h", 1800, 1800),
        ("  2H  ", 2 * H, 2 * H),
        ("0.5s", 1, 1),  # half up
        ("0.4s", 0, 0),
        ("0.0125m", 1, 1),  # 0.75 s
        ("1825d", MAX_DURATION_S, 1825 * WD),
    ],
)
def test_parse_duration_reads(text: str, calendar: int, working: int) -> None:
    assert parse_duration(text, CALENDAR) == calendar
    assert parse_duration(text, WORKING) == working


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2", "`2` — 2 what? Try `2h`."),
        ("1.5", "`1.5` — 1.5 what? Try `1.5h`."),
        ("", "No time is given."),
        ("   ", "No time is given."),
        ("-2h", "`-2h` — a time cannot be negative."),
        ("−2h", "cannot be negative"),
        ("2x", "I don't know the unit `x`."),
        ("2 parsecs", "I don't know the unit `parsecs`."),
        ("1h 2h", "`1h 2h` — it gives hours twice."),
        ("1 min 2m", "it gives minutes twice."),
        ("1h 30", "30 what? Give each number a unit."),
        ("h", "I can't read `h` in it."),
        ("about 2h", "I can't read `about` in it."),
        ("1,5d", "I don't know the unit `,`."),
        ("1826d", "more than five years"),
        ("99999999999999999999w", "more than five years"),
        ("1" * 81 + "s", "too long"),
        ("2h`", "I don't know the unit `h'`."),
    ],
)
def test_parse_duration_refuses(text: str, says: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text, CALENDAR)
    assert says in caught.value.message
    assert caught.value.usage
    assert caught.value.text == text
    assert caught.value.reason.lower() in caught.value.message.lower()


def test_refusals_show_examples() -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration("1x", CALENDAR)
    assert caught.value.message.endswith("Try `45m`, `3h`, `1h 30m`, `1.5d` or `2w`.")


@given(st.text(max_size=40))
@example("1.5.5h")
@example("٣h")
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    try:
        seconds = parse_duration(text, CALENDAR)
    except DurationError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert 0 <= seconds <= MAX_DURATION_S


@st.composite
def compound(draw: st.DrawFn) -> tuple[str, Fraction]:
    units = draw(st.lists(st.sampled_from(["s", "m", "h", "d", "w"]), unique=True, min_size=1))
    per = {"s": 1, "m": 60, "h": H, "d": WD, "w": 5 * WD}
    names = {"s": ["s", "sec", "seconds"], "m": ["m", "min", "minutes"], "h": ["h", "hrs"]}
    names |= {"d": ["d", "days"], "w": ["w", "weeks"]}
    parts, total = [], Fraction(0)
    for unit in units:
        tenths = draw(st.integers(0, 99))
        number = Fraction(tenths, 10)
        total += number * per[unit]
        shown = f"{tenths // 10}.{tenths % 10}" if tenths % 10 else f"{tenths // 10}"
        space = draw(st.sampled_from(["", " "]))
        parts.append(f"{shown}{space}{draw(st.sampled_from(names[unit]))}")
    return draw(st.sampled_from([" ", "  "])).join(parts), total


@given(compound())
def test_compound_durations_add_up(case: tuple[str, Fraction]) -> None:
    text, total = case
    assert parse_duration(text, WORKING) == round_half_up(total)


@pytest.mark.parametrize(
    ("seconds", "calendar", "working"),
    [
        (0, "0 s", "0 s"),
        (40, "40 s", "40 s"),
        (59.4, "59 s", "59 s"),
        (59.5, "1 m", "1 m"),  # rounds to 60 s, so shown as a minute
        (60, "1 m", "1 m"),
        (2700, "45 m", "45 m"),
        (3569, "59 m", "59 m"),
        (3570, "1 h", "1 h"),  # 59.5 m rounds to 60 m
        (3600, "1 h", "1 h"),
        (12_600, "3.5 h", "3.5 h"),
        (7200, "2 h", "2 h"),
        (40_500, "11.3 h", "1.4 wd"),  # 11.25 h rounds half up
        (28_619, "7.9 h", "7.9 h"),
        (28_620, "8 h", "1 wd"),  # 7.95 h rounds to 8.0 h, a full working day
        (86_039, "23.9 h", "3 wd"),
        (86_220, "1 d", "3 wd"),  # 23.95 h rounds half up to 24.0 h
        (86_256, "1 d", "3 wd"),  # 23.96 h rounds to 24.0 h, a full day
        (86_400, "1 d", "3 wd"),
        (2_039_040, "23.6 d", "70.8 wd"),
        (1_077_300, "12.5 d", "37.4 wd"),
        (386_100, "4.5 d", "13.4 wd"),
        (-7200, "-2 h", "-2 h"),
        (-0.4, "0 s", "0 s"),
        (-59.5, "-1 m", "-1 m"),
    ],
)
def test_format_duration(seconds: float, calendar: str, working: str) -> None:
    assert format_duration(seconds, CALENDAR) == calendar
    assert format_duration(seconds, WORKING) == working


@pytest.mark.parametrize("seconds", [float("inf"), float("nan")])
def test_format_duration_refuses_non_numbers(seconds: float) -> None:
    with pytest.raises(ValueError, match="cannot show"):
        format_duration(seconds, CALENDAR)
    with pytest.raises(ValueError, match="cannot show"):
        shown_duration(seconds, CALENDAR)


@pytest.mark.parametrize(
    ("seconds", "calendar", "working"),
    [
        # shown as:      `3 d`          `9.1 wd` (of 8 h)
        (3 * D + H, 3 * D, 91 * 2880),
        (D + H, D, 31 * 2880),  # `1 d`, `3.1 wd`
        (45 * 60 + 29, 45 * 60, 45 * 60),  # `45 m` on both
        (23.96 * H, D, 3 * 8 * H),  # `1 d` (not 24 h); `3 wd`
        (59.5, 60, 60),  # `1 m`
        (0, 0, 0),
        (-(3 * D + H), -3 * D, -91 * 2880),
        (1_077_300, 125 * 8640, 374 * 2880),  # VSM.md's worked example: `12.5 d`, `37.4 wd`
    ],
)
def test_shown_duration_is_what_format_duration_shows(
    seconds: float, calendar: int, working: int
) -> None:
    assert shown_duration(seconds, CALENDAR) == calendar
    assert shown_duration(seconds, WORKING) == working


@given(st.floats(min_value=-1e9, max_value=1e9))
def test_shown_duration_reads_as_the_shown_text(seconds: float) -> None:
    shown = shown_duration(seconds, WORKING)
    assert format_duration(float(shown), WORKING) == format_duration(seconds, WORKING)


@given(st.floats(min_value=-1e10, max_value=1e10))
def test_format_duration_always_shows_a_unit(seconds: float) -> None:
    number, unit = format_duration(seconds, WORKING).split(" ")
    assert unit in {"s", "m", "h", "wd"}
    assert not number.endswith(".0")


@pytest.mark.parametrize(
    ("seconds", "calendar", "working"),
    [
        (0, "0", "0"),
        (59, "59s", "59s"),
        (3600, "1h", "1h"),
        (5400, "1h 30m", "1h 30m"),
        (36_000, "10h", "1d 2h"),
        (186_910, "2d 3h 55m 10s", "6d 3h 55m 10s"),
        (86_400, "1d", "3d"),
    ],
)
def test_format_exact(seconds: int, calendar: str, working: str) -> None:
    assert format_exact(seconds, CALENDAR) == calendar
    assert format_exact(seconds, WORKING) == working


def test_format_exact_refuses_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_exact(-1, CALENDAR)


@given(st.integers(0, MAX_DURATION_S))
def test_format_exact_round_trips_on_the_calendar(seconds: int) -> None:
    assert parse_duration(format_exact(seconds, CALENDAR), CALENDAR) == seconds


@given(st.integers(0, MAX_DURATION_S), st.integers(1, 24), st.sampled_from([4, 4.5, 5, 6, 7]))
def test_format_exact_round_trips_on_whole_hour_working_days(
    seconds: int, hours: int, days: float
) -> None:
    basis = TimeBasis("working", hours, days)
    assert parse_duration(format_exact(seconds, basis), basis) == seconds


@given(st.integers(0, MAX_DURATION_S), st.integers(3600, 86_400))
def test_format_exact_round_trips_on_any_whole_second_working_day(
    seconds: int, day_seconds: int
) -> None:
    basis = TimeBasis("working", day_seconds / 3600)
    assert basis.seconds_per_day == day_seconds
    assert parse_duration(format_exact(seconds, basis), basis) == seconds


@pytest.mark.parametrize(
    ("basis", "day", "week", "suffix"),
    [
        (CALENDAR, 86_400, 604_800, "d"),
        (TimeBasis("calendar", 6, 3), 86_400, 604_800, "d"),  # hours and days count only at work
        (WORKING, 28_800, 144_000, "wd"),
        (TimeBasis("working", 7.5, 4.5), 27_000, 121_500, "wd"),
        (TimeBasis("working", 24, 7), 86_400, 604_800, "wd"),
    ],
)
def test_basis_sizes(basis: TimeBasis, day: int, week: float, suffix: str) -> None:
    assert basis.seconds_per_day == day
    assert basis.seconds_per_week == week
    assert basis.day_suffix == suffix


@pytest.mark.parametrize(
    ("hours", "days", "says"),
    [
        (0, 5, "from 1 to 24 hours"),
        (0.5, 5, "from 1 to 24 hours"),
        (25, 5, "from 1 to 24 hours"),
        (float("nan"), 5, "from 1 to 24 hours"),
        (7.3333, 5, "whole number of seconds"),
        (8, 0, "more than 0 and at most 7 days"),
        (8, 8, "more than 0 and at most 7 days"),
    ],
)
def test_basis_refuses_impossible_working_time(hours: float, days: float, says: str) -> None:
    with pytest.raises(TimeBasisError, match=says):
        TimeBasis("working", hours, days)


def test_basis_refuses_unknown_kind() -> None:
    with pytest.raises(TimeBasisError, match="calendar or working"):
        TimeBasis("lunar")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(0, 0), (0.5, 1), (1.49, 1), (2.5, 3), (-2.5, -3), (-0.4, 0), (Fraction(7, 2), 4)],
)
def test_round_half_up(value: float, rounded: int) -> None:
    assert round_half_up(value) == rounded
