import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vsm.cadence import Cadence, next_run, occurrences
from vsm.schedule_words import (
    CadenceError,
    ScheduleWords,
    parse_clock_time,
    parse_schedule_words,
    parse_weekday,
    parse_zone,
)

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
ZONES = (
    "UTC",
    BERLIN,
    NEW_YORK,
    "Europe/London",
    "Australia/Lord_Howe",  # DST of 30 minutes
    "Australia/Sydney",  # DST in the southern summer
    "America/Sao_Paulo",  # had DST until 2019, changing at midnight
    "America/St_Johns",  # -03:30 / -02:30
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # +05:30, no DST
    "Asia/Kathmandu",  # +05:45, no DST
    "Asia/Tokyo",
)
H = timedelta(hours=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("mon", 0),
        ("Monday", 0),
        ("Mon.", 0),
        ("MONDAYS", 0),
        (" tue ", 1),
        ("tues", 1),
        ("Tuesday", 1),
        ("wed", 2),
        ("weds", 2),
        ("thu", 3),
        ("thur", 3),
        ("Thurs.", 3),
        ("fri", 4),
        ("saturday", 5),
        ("sun", 6),
        ("Sundays", 6),
    ],
)
def test_parse_weekday_reads(text: str, day: int) -> None:
    assert parse_weekday(text) == day


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No day of the week is given."),
        ("mo", "`mo` — that is not a weekday."),
        ("mnday", "not a weekday"),
        ("weekday", "not a weekday"),
        ("1", "not a weekday"),
        ("mon..", "not a weekday"),
    ],
)
def test_parse_weekday_refuses(text: str, says: str) -> None:
    with pytest.raises(CadenceError) as caught:
        parse_weekday(text)
    assert says in caught.value.message
    assert "`mon`" in caught.value.message
    assert caught.value.usage


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("9:00", time(9)),
        ("09:00", time(9)),
        ("17:30", time(17, 30)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
        (" 9:05 ", time(9, 5)),
        ("9am", time(9)),
        ("9 AM", time(9)),
        ("9a.m.", time(9)),
        ("5:30pm", time(17, 30)),
        ("5:30 p.m.", time(17, 30)),
        ("12am", time(0)),
        ("12:15am", time(0, 15)),
        ("12pm", time(12)),
        ("12:45PM", time(12, 45)),
        ("11pm", time(23)),
    ],
)
def test_parse_clock_time_reads(text: str, at: time) -> None:
    assert parse_clock_time(text) == at


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No time of day is given."),
        ("25:00", "`25:00` — the hours of a day go from 0 to 23."),
        ("24:00", "0 to 23"),
        ("9:75", "`9:75` — an hour has only 60 minutes"),
        ("abc", "`abc` — that is not a time of day. Try `9:00`, `17:30`, `9am` or `5:30pm`."),
        ("9", "`9` — give the minutes too, or am or pm. Try `9:00` or `9pm`."),
        ("17", "Try `17:00`."),
        ("9.30", "`9.30` — write hours and minutes with a colon. Try `9:30`."),
        ("9h30", "Try `9:30`."),
        ("13pm", "`13pm` — with am or pm the hour is 1 to 12."),
        ("0am", "1 to 12"),
        ("9:5", "not a time of day"),
        ("9:00:00", "not a time of day"),
        ("-9:00", "not a time of day"),
        ("٩:٠٠", "not a time of day"),  # Arabic-Indic digits
        ("9" * 61, "too long"),
    ],
)
def test_parse_clock_time_refuses(text: str, says: str) -> None:
    with pytest.raises(CadenceError) as caught:
        parse_clock_time(text)
    assert says in caught.value.message
    assert caught.value.usage


@given(st.times().map(lambda at: at.replace(second=0, microsecond=0, fold=0)))
def test_clock_times_read_back_in_both_forms(at: time) -> None:
    assert parse_clock_time(f"{at.hour}:{at.minute:02d}") == at
    half = "am" if at.hour < 12 else "pm"
    assert parse_clock_time(f"{(at.hour - 1) % 12 + 1}:{at.minute:02d}{half}") == at


@given(
    st.text(max_size=12)
    | st.from_regex(r"[0-9]{1,3}(:[0-9]{1,3})? ?([ap]\.?m\.?)?", fullmatch=True)
)
def test_any_text_is_a_time_or_our_error(text: str) -> None:
    try:
        at = parse_clock_time(text)
    except CadenceError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert at.tzinfo is None
    assert at.second == 0


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        (" EUROPE/BERLIN ", "Europe/Berlin"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("australia/lord_howe", "Australia/Lord_Howe"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_parse_zone_reads(text: str, zone: str) -> None:
    assert parse_zone(text) == zone


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No time zone is given."),
        ("CET+1", "`CET+1` — that is not a time zone I know. Try an IANA zone name such as"),
        ("UTC+2", "not a time zone I know"),
        ("Mars/Base", "not a time zone I know"),
        ("../etc/passwd", "not a time zone I know"),
        ("/etc/localtime", "not a time zone I know"),
        ("localtime", "not a time zone I know"),
        ("Factory", "not a time zone I know"),
        ("Europe/", "not a time zone I know"),
        ("Berlin", "`Berlin` — name the zone with its region. Try `Europe/Berlin`."),
        ("new york", "Try `America/New_York`."),
        ("x" * 61, "too long"),
    ],
)
def test_parse_zone_refuses(text: str, says: str) -> None:
    with pytest.raises(CadenceError) as caught:
        parse_zone(text)
    assert says in caught.value.message
    assert caught.value.usage


@given(st.text(max_size=40))
def test_any_text_is_a_zone_or_our_error(text: str) -> None:
    try:
        zone = parse_zone(text)
    except CadenceError:
        return
    assert ZoneInfo(zone).key == zone


@pytest.mark.parametrize(
    ("words", "read"),
    [
        ("every 2 weeks", ScheduleWords(2, "weeks", None, None)),
        ("every 1 week", ScheduleWords(1, "weeks", None, None)),
        ("every week", ScheduleWords(1, "weeks", None, None)),
        ("Every Week", ScheduleWords(1, "weeks", None, None)),
        ("every 3 days", ScheduleWords(3, "days", None, None)),
        ("every day", ScheduleWords(1, "days", None, None)),
        ("every 2weeks", ScheduleWords(2, "weeks", None, None)),
        ("every other week", ScheduleWords(2, "weeks", None, None)),
        ("every other day", ScheduleWords(2, "days", None, None)),
        ("every monday", ScheduleWords(1, "weeks", 0, None)),
        ("every Fri. at 16:00", ScheduleWords(1, "weeks", 4, time(16))),
        ("weekly", ScheduleWords(1, "weeks", None, None)),
        ("daily", ScheduleWords(1, "days", None, None)),
        ("fortnightly", ScheduleWords(2, "weeks", None, None)),
        ("every 2 weeks on monday at 9:30", ScheduleWords(2, "weeks", 0, time(9, 30))),
        ("every 2 weeks at 9:30 on mon", ScheduleWords(2, "weeks", 0, time(9, 30))),
        ("weekly on tue", ScheduleWords(1, "weeks", 1, None)),
        ("weekly at 5:30 pm", ScheduleWords(1, "weeks", None, time(17, 30))),
        ("daily at 9am", ScheduleWords(1, "days", None, time(9))),
        ("every 52 weeks", ScheduleWords(52, "weeks", None, None)),
        ("every 365 days", ScheduleWords(365, "days", None, None)),
        ("every 007 days", ScheduleWords(7, "days", None, None)),
    ],
)
def test_parse_schedule_words_reads(words: str, read: ScheduleWords) -> None:
    assert parse_schedule_words(words.split()) == read


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("", "No schedule is given. Try `every <n> weeks"),
        (
            "every 2 wekes",
            "`every 2 wekes` — weeks or days? Try `every 2 weeks` or `every 2 days`.",
        ),
        ("every 2", "`every 2` — weeks or days?"),
        ("every", "`every` — every how many weeks or days?"),
        ("every two weeks", "`every two weeks` — write how many as a whole number."),
        ("every 0 weeks", "`every 0 weeks` — it must be every 1 to 52 weeks."),
        ("every 53 weeks", "1 to 52 weeks"),
        ("every 366 days", "1 to 365 days"),
        ("every 99999999999999999999 days", "1 to 365 days"),
        ("every -1 weeks", "write how many as a whole number"),
        ("every 1.5 weeks", "write how many as a whole number"),
        ("biweekly", "`biweekly` — that can mean twice a week or every two weeks."),
        ("monthly", "`monthly` — say how often first."),
        ("on monday", "`on` — say how often first."),
        (
            "every 3 days on monday",
            "`every 3 days on monday` — a schedule in days does not keep to a weekday",
        ),
        ("daily on mon", "does not keep to a weekday"),
        ("every 2 weeks on mnday", "`mnday` — that is not a weekday. Try `mon`"),
        ("every 2 weeks on", "No day of the week is given."),
        ("every 2 weeks at", "No time of day is given."),
        ("every 2 weeks at 25:00", "`25:00` — the hours of a day go from 0 to 23."),
        ("every 2 weeks at 9", "`9` — give the minutes too"),
        ("every 2 weeks on mon on tue", "`on` is given twice."),
        ("every monday on tue", "`on` is given twice."),
        ("daily at 9:00 at 10:00", "`at` is given twice."),
        ("every 2 weeks monday", "`monday` — I don't know this word here."),
        ("every 2 weeks tz:Europe/Berlin", "`tz:Europe/Berlin` — I don't know this word here."),
        ("weekly " + "x" * 200, "too long"),
    ],
)
def test_parse_schedule_words_refuses(words: str, says: str) -> None:
    with pytest.raises(CadenceError) as caught:
        parse_schedule_words(words.split())
    assert says in caught.value.message
    assert caught.value.usage


WORDS = st.sampled_from(
    [
        "every",
        "2",
        "0",
        "weeks",
        "week",
        "days",
        "day",
        "other",
        "on",
        "at",
        "mon",
        "Sunday",
        "9:30",
        "9",
        "pm",
        "weekly",
        "daily",
        "fortnightly",
        "biweekly",
        "2weeks",
        "tz:UTC",
    ]
)


@given(st.lists(WORDS | st.text(max_size=8), max_size=8))
def test_any_words_are_a_schedule_or_our_error(words: list[str]) -> None:
    try:
        read = parse_schedule_words(words)
    except CadenceError as error:
        usage = error.usage
        assert usage
        return
    assert 1 <= read.every <= (52 if read.unit == "weeks" else 365)
    assert read.weekday is None or read.unit == "weeks"


# --- the cadence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ((0, "weeks", None, time(9), BERLIN), "every 1 to 52 weeks"),
        ((53, "weeks", None, time(9), BERLIN), "every 1 to 52 weeks"),
        ((366, "days", None, time(9), BERLIN), "every 1 to 365 days"),
        ((2, "months", None, time(9), BERLIN), "weeks or days?"),
        ((True, "weeks", None, time(9), BERLIN), "a whole number"),
        ((1, "days", 0, time(9), BERLIN), "a weekday goes only with weeks"),
        ((1, "weeks", 7, time(9), BERLIN), "0 (Monday) to 6 (Sunday)"),
        ((1, "weeks", None, time(9, tzinfo=UTC), BERLIN), "takes its zone from `zone`"),
        ((1, "weeks", None, time(9), "europe/berlin"), "not a time zone I know"),
        ((1, "weeks", None, time(9), "Mars/Base"), "not a time zone I know"),
    ],
)
def test_cadence_refuses(fields: tuple, says: str) -> None:
    with pytest.raises(CadenceError, match=re.escape(says)):
        Cadence(*fields)


def cadence_of(words: str, zone: str) -> Cadence:
    read = parse_schedule_words(words.split())
    return Cadence(read.every, read.unit, read.weekday, read.at or time(9), zone)


@pytest.mark.parametrize(
    ("words", "zone", "anchor", "after", "run"),
    [
        # every 3 days from Thursday 2026-01-01: the 1st, 4th, 7th, …
        ("every 3 days", "UTC", "2026-01-01", "2025-12-01", "2026-01-01 09:00"),
        ("every 3 days", "UTC", "2026-01-01", "2026-01-01 09:01", "2026-01-04 09:00"),
        ("every 3 days", "UTC", "2026-01-01", "2026-01-05 12:00", "2026-01-07 09:00"),
        ("every day", "UTC", "2026-01-01", "2026-01-05 08:59", "2026-01-05 09:00"),
        # every 2 weeks without a weekday: on the anchor's weekday (Thursday)
        ("every 2 weeks", "UTC", "2026-01-01", "2026-01-02", "2026-01-15 09:00"),
        # every 2 weeks on Monday: the first Monday on or after the anchor, then every other
        ("every 2 weeks on mon", "UTC", "2026-01-01", "2026-01-01", "2026-01-05 09:00"),
        ("every 2 weeks on mon", "UTC", "2026-01-01", "2026-01-05 10:00", "2026-01-19 09:00"),
        ("every 2 weeks on mon", "UTC", "2026-01-05", "2026-01-05 08:00", "2026-01-05 09:00"),
        # a Thursday anchor and Thursday runs: the anchor itself
        ("weekly on thu", "UTC", "2026-01-01", "2025-06-01", "2026-01-01 09:00"),
        # the time is local: 09:00 in Berlin in winter is 08:00 UTC, in Kolkata 03:30 UTC
        ("daily at 9:00", BERLIN, "2026-01-01", "2026-01-10 12:00", "2026-01-11 08:00"),
        ("daily at 9:00", "Asia/Kolkata", "2026-01-01", "2026-01-10 12:00", "2026-01-11 03:30"),
        ("every 52 weeks at 0:00", "UTC", "2026-01-01", "2026-01-01 00:00:01", "2026-12-31 00:00"),
    ],
)
def test_next_run(words: str, zone: str, anchor: str, after: str, run: str) -> None:
    cadence = cadence_of(words, zone)
    assert next_run(cadence, anchor=date.fromisoformat(anchor), after=utc(after)) == utc(run)


def test_after_in_any_zone_counts_by_its_instant() -> None:
    cadence = Cadence(1, "days", None, time(4), "UTC")
    new_york_evening = local("2026-01-10 23:30", NEW_YORK)  # 2026-01-11 04:30 UTC
    run = next_run(cadence, anchor=date(2026, 1, 1), after=new_york_evening)
    assert run == utc("2026-01-12 04:00")
    assert run.tzinfo is UTC


def test_a_clock_down_for_periods_catches_up_with_one_run_back_on_the_cadence() -> None:
    cadence = Cadence(2, "weeks", 0, time(9, 30), BERLIN)
    anchor = date(2026, 1, 5)  # a Monday
    runs = occurrences(
        cadence, anchor=anchor, start=utc("2026-01-01"), end=local("2026-03-16 09:30", BERLIN)
    )
    assert len(runs) == 6
    five_and_a_half_periods_later = runs[5] + timedelta(weeks=1)
    assert next_run(cadence, anchor=anchor, after=five_and_a_half_periods_later) == local(
        "2026-03-30 09:30", BERLIN
    )  # the 7th run (k = 6): 6 periods after the anchor, summer time now


def test_strictly_after_the_exact_instant() -> None:
    cadence = Cadence(1, "weeks", None, time(9), BERLIN)
    anchor = date(2026, 1, 5)
    run = local("2026-01-12 09:00", BERLIN)
    assert next_run(cadence, anchor=anchor, after=run - timedelta(microseconds=1)) == run
    assert next_run(cadence, anchor=anchor, after=run) == run + timedelta(weeks=1)


def test_after_must_carry_a_zone() -> None:
    cadence = Cadence(1, "weeks", None, time(9), BERLIN)
    with pytest.raises(ValueError, match="aware"):
        next_run(cadence, anchor=date(2026, 1, 5), after=datetime(2026, 1, 5, 12))


# --- daylight saving -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "change", "before_utc", "after_utc"),
    [
        (BERLIN, "2026-03-29", "2026-03-28 08:00", "2026-03-29 07:00"),  # CET → CEST
        (BERLIN, "2026-10-25", "2026-10-24 07:00", "2026-10-25 08:00"),  # CEST → CET
        (NEW_YORK, "2026-03-08", "2026-03-07 14:00", "2026-03-08 13:00"),  # EST → EDT
        (NEW_YORK, "2026-11-01", "2026-10-31 13:00", "2026-11-01 14:00"),  # EDT → EST
    ],
)
def test_a_daily_run_keeps_its_local_time_through_a_change(
    zone: str, change: str, before_utc: str, after_utc: str
) -> None:
    cadence = Cadence(1, "days", None, time(9), zone)
    day = date.fromisoformat(change)
    runs = occurrences(
        cadence,
        anchor=date(2026, 1, 1),
        start=local(f"{day - timedelta(days=1)} 00:00", zone),
        end=local(f"{day} 23:59", zone),
    )
    assert runs == [utc(before_utc), utc(after_utc)]
    assert {run.astimezone(ZoneInfo(zone)).time() for run in runs} == {time(9)}
    assert runs[1] - runs[0] in (timedelta(hours=23), timedelta(hours=25))


@pytest.mark.parametrize(
    ("zone", "at", "day", "run_local", "run_utc"),
    [
        # spring forward: the time does not exist, so the run is at the end of the gap
        (BERLIN, time(2, 30), "2026-03-29", "03:00", "2026-03-29 01:00"),
        (BERLIN, time(2, 0), "2026-03-29", "03:00", "2026-03-29 01:00"),
        (BERLIN, time(3, 0), "2026-03-29", "03:00", "2026-03-29 01:00"),
        (BERLIN, time(1, 59), "2026-03-29", "01:59", "2026-03-29 00:59"),
        (NEW_YORK, time(2, 30), "2026-03-08", "03:00", "2026-03-08 07:00"),
        ("Australia/Lord_Howe", time(2, 15), "2026-10-04", "02:30", "2026-10-03 15:30"),
        ("America/Sao_Paulo", time(0, 30), "2018-11-04", "01:00", "2018-11-04 03:00"),
        # fall back: the time happens twice, the run is at the first
        (BERLIN, time(2, 30), "2026-10-25", "02:30", "2026-10-25 00:30"),
        (NEW_YORK, time(1, 30), "2026-11-01", "01:30", "2026-11-01 05:30"),
        ("Australia/Lord_Howe", time(1, 45), "2026-04-05", "01:45", "2026-04-04 14:45"),
        ("America/Sao_Paulo", time(23, 30), "2019-02-16", "23:30", "2019-02-17 01:30"),
        # not affected
        (NEW_YORK, time(2, 30), "2026-11-01", "02:30", "2026-11-01 07:30"),
    ],
)
def test_a_time_that_is_missing_or_doubled(
    zone: str, at: time, day: str, run_local: str, run_utc: str
) -> None:
    cadence = Cadence(1, "days", None, at, zone)
    the_day = date.fromisoformat(day)
    start = local(f"{the_day - timedelta(days=1)} 23:59:59", zone)
    end = local(f"{the_day} 23:59:59", zone)
    runs = occurrences(cadence, anchor=date(2000, 1, 1), start=start, end=end)
    assert runs == [utc(run_utc)]
    shown = runs[0].astimezone(ZoneInfo(zone))
    assert (shown.date(), shown.strftime("%H:%M")) == (the_day, run_local)


@pytest.mark.parametrize(
    ("zone", "at", "sundays_utc"),
    [
        (BERLIN, time(2, 30), ["2026-03-22 01:30", "2026-03-29 01:00", "2026-04-05 00:30"]),
        (BERLIN, time(2, 30), ["2026-10-18 00:30", "2026-10-25 00:30", "2026-11-01 01:30"]),
        (NEW_YORK, time(2, 30), ["2026-03-01 07:30", "2026-03-08 07:00", "2026-03-15 06:30"]),
        (NEW_YORK, time(1, 30), ["2026-10-25 05:30", "2026-11-01 05:30", "2026-11-08 06:30"]),
    ],
)
def test_a_weekly_sunday_run_through_a_change_runs_once_a_week(
    zone: str, at: time, sundays_utc: list[str]
) -> None:
    cadence = Cadence(1, "weeks", 6, at, zone)
    first = utc(sundays_utc[0])
    runs = occurrences(
        cadence, anchor=date(2026, 1, 1), start=first - H, end=first + timedelta(days=15)
    )
    assert runs == [utc(run) for run in sundays_utc]
    # Asked again just after the first 02:30 of a fall-back night, it does not run at the second.
    assert next_run(cadence, anchor=date(2026, 1, 1), after=runs[1]) == runs[2]


def test_windows_that_meet_hold_each_run_once() -> None:
    cadence = Cadence(1, "days", None, time(9), BERLIN)
    anchor, a, b, c = (
        date(2026, 1, 1),
        utc("2026-03-01"),
        utc("2026-03-10 08:00"),
        utc("2026-04-01"),
    )
    together = occurrences(cadence, anchor=anchor, start=a, end=c)
    apart = occurrences(cadence, anchor=anchor, start=a, end=b)
    apart += occurrences(cadence, anchor=anchor, start=b, end=c)
    assert together == apart
    assert len(together) == 31
    assert occurrences(cadence, anchor=anchor, start=c, end=a) == []


# --- properties ------------------------------------------------------------------------------


@st.composite
def cadences(draw: st.DrawFn) -> Cadence:
    unit = draw(st.sampled_from(["days", "weeks"]))
    every = draw(st.integers(1, 52 if unit == "weeks" else 365))
    weekday = draw(st.none() | st.integers(0, 6)) if unit == "weeks" else None
    at = draw(st.times()).replace(fold=0)
    return Cadence(every, unit, weekday, at, draw(st.sampled_from(ZONES)))


ANCHORS = st.dates(date(2000, 1, 1), date(2045, 12, 31))
OFFSETS = st.timedeltas(timedelta(days=-60), timedelta(days=3 * 366))


def days_from_first(cadence: Cadence, anchor: date, run: datetime) -> int:
    return (run.astimezone(ZoneInfo(cadence.zone)).date() - cadence.first_date(anchor)).days


@given(cadences(), ANCHORS, OFFSETS)
def test_the_next_run_is_later_on_the_cadence_and_a_period_apart(
    cadence: Cadence, anchor: date, offset: timedelta
) -> None:
    after = datetime.combine(anchor, time(12), tzinfo=UTC) + offset
    run = next_run(cadence, anchor=anchor, after=after)
    assert run > after
    assert run.tzinfo is UTC
    days = days_from_first(cadence, anchor, run)
    assert days >= 0
    assert days % cadence.period_days == 0
    following = next_run(cadence, anchor=anchor, after=run)
    assert abs(following - run - timedelta(days=cadence.period_days)) <= H


@given(cadences(), ANCHORS, OFFSETS)
def test_iterating_next_run_meets_every_run_once(
    cadence: Cadence, anchor: date, offset: timedelta
) -> None:
    after = datetime.combine(anchor, time(12), tzinfo=UTC) + offset
    runs = [next_run(cadence, anchor=anchor, after=after)]
    for _ in range(40):
        runs.append(next_run(cadence, anchor=anchor, after=runs[-1]))
    assert runs == sorted(set(runs))
    ks = [days_from_first(cadence, anchor, run) // cadence.period_days for run in runs]
    assert ks == list(range(ks[0], ks[0] + len(runs)))
    # From any earlier point, stepping forward arrives at the same first run: nothing skipped.
    earlier = after - timedelta(days=cadence.period_days + 2)
    step = next_run(cadence, anchor=anchor, after=earlier)
    while step <= after:
        step = next_run(cadence, anchor=anchor, after=step)
    assert step == runs[0]


@given(cadences(), ANCHORS, OFFSETS, st.timedeltas(timedelta(0), timedelta(days=120)))
def test_occurrences_are_what_next_run_steps_through(
    cadence: Cadence, anchor: date, offset: timedelta, length: timedelta
) -> None:
    start = datetime.combine(anchor, time(12), tzinfo=UTC) + offset
    runs = occurrences(cadence, anchor=anchor, start=start, end=start + length)
    assert all(start < run <= start + length for run in runs)
    if runs:
        assert runs[0] == next_run(cadence, anchor=anchor, after=start)
    assert next_run(cadence, anchor=anchor, after=runs[-1] if runs else start) > start + length


@settings(max_examples=40, deadline=None)  # a year of runs per example
@given(
    st.sampled_from(ZONES),
    st.times().map(lambda at: at.replace(microsecond=0, fold=0)),
    st.integers(2000, 2045),
)
@example("America/Sao_Paulo", time(21, 0, 1), 2019)  # 364 runs: summer time ended for good
def test_a_daily_run_for_a_year_keeps_its_local_time_or_waits_out_a_gap(
    zone: str, at: time, year: int
) -> None:
    cadence = Cadence(1, "days", None, at, zone)
    anchor = date(1999, 1, 1)
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = start.replace(year=year + 1)
    runs = occurrences(cadence, anchor=anchor, start=start, end=end)
    shown = [run.astimezone(ZoneInfo(zone)) for run in runs]
    days = [(when.date() - shown[0].date()).days for when in shown]
    assert days == list(range(len(runs)))
    # Every local day's run in the UTC year, and no other: where the zone's offset at the
    # year's start differs from the one at its end (São Paulo left summer time in 2019), a
    # run can fall outside at both ends (364) or inside at both (one more than the days).
    assert runs[0] == next_run(cadence, anchor=anchor, after=start)
    assert next_run(cadence, anchor=anchor, after=runs[-1]) > end
    assert 364 <= len(runs) <= 367
    for run, when in zip(runs, shown, strict=True):
        # In a gap the clock jumps from before `at` to after it: the run is on the jump.
        a_second_earlier = (run - timedelta(seconds=1)).astimezone(ZoneInfo(zone))
        jumped = a_second_earlier.replace(tzinfo=None) < datetime.combine(when.date(), at)
        assert when.time() == at or (when.time() > at and jumped)
