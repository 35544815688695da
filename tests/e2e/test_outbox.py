"""The outbox, end to end: when Slack rate-limits, fails or drops the connection, the clock's
messages are delayed but delivered exactly once, and marked sent (a cycle message's ts becomes
its thread); a permanent error, or one that never ends, is given up with an ERROR line.

Slack's faults are injected into the module's own fake Slack. Retries happen at later ticks:
the outbox keeps each message's next attempt, so the tests tick at later instants. Ticks run in
the test's process (bot.clock.tick on a core built once, see clocking.py) and their log lines
are the ones asserted on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from standin.server import Call, FakeSlack
from tests.conftest import BOT_TOKEN
from tests.e2e.clocking import (
    Clock,
    answer,
    attempts,
    clock_core,
    cycle_posts,
    in_thread,
    next_instant,
    posts,
    schedule,
    tick,
    ts_of,
)
from tests.e2e.clocking import own_bot as make_own_bot
from tests.e2e.measuring import flat
from tests.e2e.vsm_commands import ok, refused, shown
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
POST = "chat.postMessage"


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with make_own_bot(tmp_path_factory.mktemp("outbox")) as made:
        yield made


# The conftest's `slack` fixture drives whatever `bot` and `fake_slack` are in scope: here the
# module's own, so faults injected here reach no other module's bot.
@pytest.fixture(scope="module")
def fake_slack(own: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return own[0]


@pytest.fixture(scope="module")
def bot(own: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return own[1]


def turned_away(slack: SlackDriver, channel: str) -> list[Call]:
    """The posts to `channel` that Slack did not accept."""
    return [call for call in attempts(slack, channel) if not call.ok]


def gave_up_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if " ERROR " in line and "gave up" in line]


def top_level(slack: SlackDriver, channel: str) -> list[Call]:
    return [call for call in posts(slack, channel) if not call.params.get("thread_ts")]


# Each fault outlasts the sender's own quick retries (bot/outbox.py: 2 for a 5xx or a dropped
# connection), so the outbox itself must try again at a later tick. A 429 is never retried at
# once: the message waits the time Slack gave (30 s here), so the tick 10 s later is too soon.
FAULTS: dict[str, Callable[[FakeSlack], None]] = {
    "rate-limited": lambda fake: fake.fail(POST, status=429, retry_after=30, times=1),
    "server-error": lambda fake: fake.fail(POST, status=500, times=3),
    "dropped-connection": lambda fake: fake.drop_connection(POST, times=3),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_cycle_message_slack_turns_away_is_delivered_later_once_and_becomes_the_thread(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock, fault: Callable[[FakeSlack], None]
) -> None:
    channel = f"CFAULT{list(FAULTS.values()).index(fault)}"
    due = schedule(slack, "Releases", "every 1 weeks at 9:00 window:1d tz:UTC", channel)

    fault(fake_slack)
    # slack_sdk logs each dropped connection at ERROR itself; the outbox must not give up.
    assert gave_up_lines(tick(clock, due, errors=True).log) == []
    assert cycle_posts(slack, channel) == []
    failed = len(turned_away(slack, channel))
    assert failed >= 1

    tick(clock, due + 10 * SECOND)  # too soon: the next attempt is some time later
    assert cycle_posts(slack, channel) == []
    tick(clock, due + MINUTE)
    [opened] = cycle_posts(slack, channel)
    tick(clock, due + HOUR)

    assert cycle_posts(slack, channel) == [opened]  # delivered once
    assert len(turned_away(slack, channel)) == failed
    assert top_level(slack, channel) == [opened]  # everything else went into its thread
    texts = [flat(call.params) for call in posts(slack, channel)]
    assert len(texts) == len(set(texts)), texts
    thread = ts_of(opened)
    answer(slack, channel, thread, "1: wait 2d, pt 3h", "UANN")  # the thread is the cycle's
    tick(clock, due + timedelta(days=1))
    summaries = [c for c in posts(slack, channel) if "Closed automatically" in flat(c.params)]
    assert [call.params.get("thread_ts") for call in summaries] == [thread, None]


def test_a_permanent_error_is_given_up_at_once_with_an_error_line(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CGONE"
    due = next_instant(ok(slack, "digest weekly on mon at 8:00 tz:UTC", channel=channel))

    fake_slack.error(POST, "channel_not_found")
    result = tick(clock, due, errors=True)

    [line] = gave_up_lines(result.log)
    assert "(digest, key digest:" in line
    assert f"to channel {channel} after 1 attempt(s): channel_not_found" in line
    tick(clock, due + HOUR)
    tick(clock, due + 2 * HOUR)
    assert len(attempts(slack, channel)) == 1
    assert posts(slack, channel) == []


def test_a_message_that_keeps_failing_is_given_up_after_a_bounded_number_of_tries(
    slack: SlackDriver, bot: BotProcess, clock: Clock
) -> None:
    channel = "CDOWN"
    due = next_instant(ok(slack, "digest weekly on tue at 8:00 tz:UTC", channel=channel))

    # A Slack that answers every post with a transient error, for this test's ticks only.
    with (
        FakeSlack(token=BOT_TOKEN) as broken,
        clock_core(bot, slack_api_url=broken.api_url) as cut_off,
    ):
        broken.error(POST, "internal_error", times=1000)
        outage = Clock(cut_off, clock.caplog)
        tries, moment, given_up = 0, due, []
        while not given_up and tries < 20:
            given_up = gave_up_lines(tick(outage, moment, errors=True).log)
            tries, moment = tries + 1, moment + 2 * HOUR  # past any backoff (at most 1 h)
        sent = len(broken.calls(POST))
        assert broken.internal_errors == []

    [line] = given_up
    assert 1 < sent <= 10, f"tried {sent} times"
    assert "(digest, key digest:" in line
    assert f"to channel {channel} after {sent} attempt(s): internal_error" in line
    tick(clock, moment)  # Slack is back, but a given-up message is not tried again
    assert attempts(slack, channel) == []


def test_a_slack_outage_while_closing_delays_the_summary_and_a_later_tick_delivers_it_once(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "COUTAGE"
    due = schedule(slack, "Billing", "every 1 weeks at 10:00 window:1h tz:UTC", channel)
    tick(clock, due)
    [opened] = cycle_posts(slack, channel)
    thread = ts_of(opened)
    answer(slack, channel, thread, "2: wait 1d, pt 2h", "UBO")

    def summaries() -> list[Call]:
        return [c for c in posts(slack, channel) if "Closed automatically" in flat(c.params)]

    fake_slack.fail(POST, status=500, times=6)  # both summaries: 1 try + 2 client retries each
    tick(clock, due + HOUR)
    assert summaries() == []
    closing = shown(refused(slack, 'close "Billing"', channel=channel))
    assert "has no open cycle" in closing  # closed all the same

    tick(clock, due + HOUR + 10 * SECOND)
    assert summaries() == []
    tick(clock, due + HOUR + MINUTE)
    tick(clock, due + 2 * HOUR)

    in_the_thread, in_the_channel = summaries()
    assert in_the_thread.params["thread_ts"] == thread
    assert "thread_ts" not in in_the_channel.params
    assert in_thread(slack, channel, thread).count(in_the_thread) == 1
