"""The clock, end to end: scheduled cycles open, remind, close and cancel at their instants,
exactly once however often or by how many processes the clock ticks, after downtime, across
daylight saving, and whatever happens to the bot process in between.

The module has its own bot, database and fake Slack (a tick works on every workspace in its
database), and each test its own channel. Instants come from `/vsm schedule`'s reply. Ticks run
in the test's process (bot.clock.tick on a core built once, see clocking.py); `vsm-bot tick` as
a process is tested once on its own and as two clocks at once.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from standin.server import Call, FakeSlack
from tests.e2e.clocking import (
    Clock,
    answer,
    attempts,
    cycle_posts,
    define_team,
    in_thread,
    next_instant,
    posts,
    schedule,
    start_tick,
    tick,
    tick_process,
    ts_of,
)
from tests.e2e.clocking import own_bot as make_own_bot
from tests.e2e.measuring import flat, rows
from tests.e2e.vsm_commands import ok, refused, shown
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)
ZONE_NY = ZoneInfo("America/New_York")
DIGEST_TEXT = "Value streams this week: Billing"


class KillableBot(BotProcess):
    """The bot process, which a test may kill without warning (SIGKILL to its group)."""

    def kill(self) -> None:
        process, self._process = self._process, None
        assert process is not None, "the bot is not running"
        assert process.poll() is None, "the bot has already stopped"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with make_own_bot(tmp_path_factory.mktemp("clock"), KillableBot) as made:
        yield made


# The conftest's `slack` fixture drives whatever `bot` and `fake_slack` are in scope: here the
# module's own.
@pytest.fixture(scope="module")
def fake_slack(own: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return own[0]


@pytest.fixture(scope="module")
def bot(own: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return own[1]


def reminders(slack: SlackDriver, channel: str, thread: str) -> list[str]:
    return [
        flat(c.params) for c in in_thread(slack, channel, thread) if ":bell:" in c.params["text"]
    ]


def summaries(slack: SlackDriver, channel: str) -> list[Call]:
    """The summaries the clock posted on closing a cycle (in its thread, then the channel)."""
    return [c for c in posts(slack, channel) if "Closed automatically" in flat(c.params)]


def mentioned(text: str) -> set[str]:
    return {person for person in ("UANN", "UBO", "UCY", "UDI", "UED") if f"<@{person}>" in text}


# ---- a cycle's life on the clock ------------------------------------------------------------


def test_vsm_bot_tick_as_a_process_does_the_due_work_and_says_what_it_did(
    slack: SlackDriver, bot: BotProcess
) -> None:
    """What operators and cron-style hosts run; the other tests tick in their own process."""
    channel = "CPROCESS"
    due = schedule(slack, "Invoicing", "every 1 weeks at 8:00 window:1h tz:UTC", channel)

    result = tick_process(bot, due)  # exits 0 and logs no ERROR

    [opened] = cycle_posts(slack, channel)
    assert "Measuring Invoicing · cycle 1" in flat(opened.params).splitlines()
    pattern = r"tick (\S+): opened (\d+), reminded \d+, closed \d+, cancelled \d+, digests \d+"
    said = re.fullmatch(pattern, result.stdout.strip())
    assert said, result.stdout
    assert datetime.fromisoformat(said[1]) == due
    assert int(said[2]) >= 1  # this channel's cycle; the module's other tests may have work due


def test_a_scheduled_cycle_opens_reminds_those_who_owe_and_closes_at_the_window_end(
    slack: SlackDriver, clock: Clock
) -> None:
    channel = "CLIFE"
    due = schedule(slack, "Releases", "every 1 weeks at 9:00 window:1d tz:UTC", channel)

    tick(clock, due - MINUTE)
    assert posts(slack, channel) == []

    tick(clock, due)
    [opened] = cycle_posts(slack, channel)
    assert "Measuring Releases · cycle 1" in flat(opened.params).splitlines()
    assert "Closes" in flat(opened.params)
    thread = ts_of(opened)
    answer(slack, channel, thread, "1: wait 2d, pt 3h, ca 70%", "UANN")
    answer(slack, channel, thread, "3: wait 1d, pt 1h", "UCY")  # step 3 is UCY's and UDI's

    tick(clock, due + DAY * 0.8 - MINUTE)
    assert reminders(slack, channel, thread) == []
    tick(clock, due + DAY * 0.8)
    [reminder] = reminders(slack, channel, thread)
    assert mentioned(reminder) == {"UBO", "UED"}
    assert "*2. Account setup*, *4. Go-live check*." in reminder  # the steps still owed
    assert "Contract review" not in reminder
    tick(clock, due + DAY * 0.9)
    assert len(reminders(slack, channel, thread)) == 1  # one reminder per cycle

    before = len(posts(slack, channel))
    tick(clock, due + DAY - MINUTE)
    assert len(posts(slack, channel)) == before
    tick(clock, due + DAY)
    thread_post, channel_post = summaries(slack, channel)
    assert thread_post.params["thread_ts"] == thread
    assert "thread_ts" not in channel_post.params
    assert thread_post.params["text"] == channel_post.params["text"]
    summary = flat(thread_post.params)
    assert "Closed automatically at the end of its window." in summary
    assert [rows(summary)[n].respondents for n in (1, 2, 3, 4)] == [1, 0, 1, 0]
    assert "has no open cycle" in shown(refused(slack, 'close "Releases"', channel=channel))

    after = len(posts(slack, channel))
    tick(clock, due + DAY + HOUR)
    assert len(posts(slack, channel)) == after


def test_a_cycle_nobody_answers_is_cancelled_with_a_note_and_the_next_one_opens(
    slack: SlackDriver, clock: Clock
) -> None:
    channel = "CQUIET"
    due = schedule(slack, "Audits", "every 1 weeks at 10:00 window:1h tz:UTC", channel)

    tick(clock, due)
    [opened] = cycle_posts(slack, channel)
    thread = ts_of(opened)
    tick(clock, due + 48 * MINUTE)
    [reminder] = reminders(slack, channel, thread)
    assert mentioned(reminder) == {"UANN", "UBO", "UCY", "UDI", "UED"}

    tick(clock, due + HOUR)
    [note] = [c for c in in_thread(slack, channel, thread) if ":hourglass:" in c.params["text"]]
    assert summaries(slack, channel) == []
    assert "Cycle 1 of *Audits* reached the end of its window with no answers" in flat(note.params)
    assert [c for c in posts(slack, channel) if "thread_ts" not in c.params] == [opened]
    assert "has no open cycle" in shown(refused(slack, 'close "Audits"', channel=channel))

    tick(clock, due + WEEK)
    assert "Measuring Audits · cycle 2" in flat(cycle_posts(slack, channel)[-1].params).splitlines()


def test_a_weekly_digest_posts_once_a_week_at_its_local_time(
    slack: SlackDriver, clock: Clock
) -> None:
    channel = "CNEWS"
    define_team(slack, "Payroll", channel)
    reply = ok(slack, "digest weekly on fri at 16:30 tz:America/New_York", channel=channel)
    due = next_instant(reply)
    assert due.astimezone(ZONE_NY).strftime("%a %H:%M") == "Fri 16:30"

    tick(clock, due - MINUTE)
    assert posts(slack, channel) == []
    tick(clock, due)
    [digest] = posts(slack, channel)
    assert digest.params["text"] == "Value streams this week: Payroll"
    tick(clock, due + HOUR)
    tick(clock, due + WEEK - MINUTE)
    assert len(posts(slack, channel)) == 1
    tick(clock, due + WEEK)
    assert len(posts(slack, channel)) == 2


# ---- exactly once ---------------------------------------------------------------------------


def tick_twice(clock: Clock, bot: BotProcess, moment: datetime, at_once: bool) -> None:
    """Two ticks for the same instant: one after the other, or two processes at once."""
    if not at_once:
        tick(clock, moment)
        tick(clock, moment)
        return
    ticks = [start_tick(bot, moment), start_tick(bot, moment)]
    for process in ticks:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, out + err
        assert " ERROR " not in err, err
        assert "Traceback" not in err, err


@pytest.mark.parametrize("at_once", [False, True], ids=["one-after-the-other", "two-processes"])
def test_ticking_the_same_instant_twice_sends_every_message_once(
    slack: SlackDriver, clock: Clock, bot: BotProcess, at_once: bool
) -> None:
    """On PostgreSQL the two-processes case is two clocks during a deploy overlap."""
    channel = "CTWICE2" if at_once else "CTWICE1"
    due = schedule(slack, "Billing", "every 1 weeks at 11:00 window:2h tz:UTC", channel)
    digest_due = next_instant(ok(slack, "digest weekly on sun at 08:00 tz:UTC", channel=channel))

    tick_twice(clock, bot, due, at_once)
    [opened] = cycle_posts(slack, channel)
    thread = ts_of(opened)
    answer(slack, channel, thread, "1: wait 2d, pt 3h", "UANN")
    tick_twice(clock, bot, due + 96 * MINUTE, at_once)
    tick_twice(clock, bot, due + 2 * HOUR, at_once)
    tick_twice(clock, bot, digest_due, at_once)

    places = [(c.params.get("thread_ts"), flat(c.params)) for c in posts(slack, channel)]
    assert len(places) == len(set(places)), places  # no message was posted twice
    assert len(cycle_posts(slack, channel)) == 1
    assert len(reminders(slack, channel, thread)) == 1
    assert len(summaries(slack, channel)) == 2  # in the thread and in the channel
    assert len([c for c in posts(slack, channel) if c.params["text"] == DIGEST_TEXT]) == 1
    assert all(call.ok for call in attempts(slack, channel))  # none was refused and retried


# ---- downtime -------------------------------------------------------------------------------


def test_a_clock_that_was_down_for_several_periods_catches_up_once_and_keeps_the_cadence(
    slack: SlackDriver, clock: Clock
) -> None:
    channel = "CDOWN"
    due = schedule(slack, "Hiring", "every 1 days at 9:00 window:2h tz:UTC", channel)
    tick(clock, due)
    [first] = cycle_posts(slack, channel)
    answer(slack, channel, ts_of(first), "2: wait 1d, pt 2h", "UBO")

    tick(clock, due + 5.5 * DAY)  # the clock was down for five and a half periods

    closed = summaries(slack, channel)  # the cycle open before the downtime
    assert len(closed) == 2  # in its thread and in the channel
    assert reminders(slack, channel, ts_of(first)) == []  # its window was over: too late
    [_, second] = cycle_posts(slack, channel)  # one new cycle, not one per missed day
    assert "Measuring Hiring · cycle 2" in flat(second.params).splitlines()

    tick(clock, due + 5.5 * DAY + 2 * HOUR)  # cycle 2's window ends unanswered
    tick(clock, due + 6 * DAY - MINUTE)
    assert len(cycle_posts(slack, channel)) == 2
    tick(clock, due + 6 * DAY)  # back on the cadence: 09:00, as before the downtime
    assert len(cycle_posts(slack, channel)) == 3
    assert "Measuring Hiring · cycle 3" in flat(cycle_posts(slack, channel)[-1].params).splitlines()


# ---- daylight saving ------------------------------------------------------------------------


def last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - DAY
    return last - timedelta(days=(last.weekday() - 6) % 7)


def first_sunday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7)


# The rules: the EU changes on the last Sundays of March and October; the US on the second
# Sunday of March and the first of November (in 2027: 28 March, 31 October; 14 March, 7 November).
# Each schedule runs on Sundays at a local time that the change day skips or repeats, so that
# day shows vsm/cadence.py's rules (a time in the gap runs when the gap ends; a time that
# happens twice runs at its first occurrence). The Sundays before and after run at the same
# local time with the other UTC offset. Runs: (days after the change day, UTC time), by hand.
Rule = Callable[[int], date]
DST: dict[str, tuple[str, str, Rule, list[tuple[int, str]]]] = {
    "berlin-spring": (
        "CDSTBS",
        "at 2:30 tz:Europe/Berlin",
        lambda year: last_sunday(year, 3),
        [(-7, "01:30"), (0, "01:00"), (7, "00:30")],  # 02:30 CET; 03:00 CEST; 02:30 CEST
    ),
    "berlin-autumn": (
        "CDSTBA",
        "at 2:30 tz:Europe/Berlin",
        lambda year: last_sunday(year, 10),
        [(-7, "00:30"), (0, "00:30"), (7, "01:30")],  # CEST; the first 02:30 (CEST); CET
    ),
    "new-york-spring": (
        "CDSTNS",
        "at 2:30 tz:America/New_York",
        lambda year: first_sunday(year, 3) + WEEK,
        [(-7, "07:30"), (0, "07:00"), (7, "06:30")],  # 02:30 EST; 03:00 EDT; 02:30 EDT
    ),
    "new-york-autumn": (
        "CDSTNA",
        "at 1:30 tz:America/New_York",
        lambda year: first_sunday(year, 11),
        [(-7, "05:30"), (0, "05:30"), (7, "06:30")],  # EDT; the first 01:30 (EDT); EST
    ),
}


def coming_change(rule: Rule) -> date:
    """The first change day far enough ahead that the test's weeks before it are all future."""
    today = datetime.now(UTC).date()
    return next(day for day in map(rule, count(today.year)) if day > today + 3 * WEEK)


@pytest.mark.parametrize(("channel", "when", "rule", "runs"), DST.values(), ids=DST.keys())
def test_across_daylight_saving_a_schedule_runs_once_a_week_at_its_local_time(
    slack: SlackDriver,
    clock: Clock,
    channel: str,
    when: str,
    rule: Rule,
    runs: list[tuple[int, str]],
) -> None:
    change = coming_change(rule)
    instants = [
        datetime.combine(change + timedelta(days=days), time.fromisoformat(at), UTC)
        for days, at in runs
    ]
    schedule(slack, "Support", f"every 1 weeks on sun {when} window:30m", channel)

    def opened() -> int:
        return len(cycle_posts(slack, channel))

    # The first run is in the coming week (real time): catch up just before the first instant.
    tick(clock, instants[0] - 6 * DAY)
    cycles = opened()
    assert cycles == 1
    for run in instants:
        tick(clock, run - MINUTE)  # (this also ends the last cycle's 30-minute window)
        assert opened() == cycles, f"opened before {run}"
        tick(clock, run)
        assert opened() == cycles + 1, f"not opened at {run}"
        tick(clock, run + HOUR)  # after a fall-back, the same wall-clock time again
        assert opened() == cycles + 1, f"opened again after {run}"
        cycles += 1
    ok(slack, 'schedule "Support" off', channel=channel)  # later tests tick other instants


# ---- restarts -------------------------------------------------------------------------------


def test_killing_and_restarting_the_bot_changes_nothing_people_see(
    slack: SlackDriver, bot: BotProcess, clock: Clock
) -> None:
    assert isinstance(bot, KillableBot)
    channel = "CKILL"
    due = schedule(slack, "Returns", "every 2 weeks on wed at 14:00 window:1d tz:UTC", channel)
    shown_before = ok(slack, 'schedule "Returns"', channel=channel).all_text

    bot.kill()
    bot.start()

    assert ok(slack, 'schedule "Returns"', channel=channel).all_text == shown_before
    tick(clock, due - MINUTE)
    assert posts(slack, channel) == []
    bot.kill()
    tick(clock, due)  # the clock needs no web process
    bot.start()
    [opened] = cycle_posts(slack, channel)
    thread = ts_of(opened)
    answer(slack, channel, thread, "1: wait 2d, pt 3h", "UANN")

    bot.kill()
    bot.start()

    answer(slack, channel, thread, "2: wait 1d, pt 1h", "UBO")
    tick(clock, due + DAY * 0.8)
    [reminder] = reminders(slack, channel, thread)
    assert mentioned(reminder) == {"UCY", "UDI", "UED"}
    tick(clock, due + DAY)
    [in_the_thread, _] = summaries(slack, channel)
    summary = flat(in_the_thread.params)
    assert [rows(summary)[n].respondents for n in (1, 2, 3, 4)] == [1, 1, 0, 0]
    tick(clock, due + 2 * WEEK - MINUTE)
    assert len(cycle_posts(slack, channel)) == 1
    tick(clock, due + 2 * WEEK)
    assert len(cycle_posts(slack, channel)) == 2
