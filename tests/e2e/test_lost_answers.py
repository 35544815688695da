"""Posts whose answer never came: Slack took the message, the bot never heard so. The bot says
the message is queued (never "posted"), looks in the channel's history before sending again,
and finds the copy Slack took by the key in its metadata: one message, and its thread counts.

The module has its own bot, database and stand-in: its ticks deliver every workspace's outbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from standin.server import Call, FakeSlack
from tests.e2e.clocking import Clock, answer, cycle_posts, in_thread, tick, ts_of
from tests.e2e.clocking import own_bot as make_own_bot
from tests.e2e.measuring import flat
from tests.e2e.vsm_commands import define, ok, shown
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

POST = "chat.postMessage"
# Longer than the web process waits for Slack (2 s): the bot sees a timeout.
SLOWER_THAN_THE_BOT_WAITS = 3.0


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with make_own_bot(tmp_path_factory.mktemp("lost")) as made:
        yield made


@pytest.fixture(scope="module")
def fake_slack(own: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return own[0]


@pytest.fixture(scope="module")
def bot(own: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return own[1]


def taken(slack: SlackDriver, channel: str) -> list[Call]:
    """The cycle messages Slack took in `channel`, whether or not the bot heard back."""
    return [
        call
        for call in slack.calls(POST)
        if call.applied
        and call.params.get("channel") == channel
        and not call.params.get("thread_ts")
        and str(call.params.get("text", "")).startswith("Measuring ")
    ]


def later() -> datetime:
    """An instant past the outbox's first backoff (30 s), for the next tick."""
    return datetime.now(UTC) + timedelta(minutes=2)


def test_a_cycle_message_whose_answer_was_lost_is_found_not_posted_again(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CLOST1"
    define(slack, "Onboarding", '"Kickoff" people:<@UANN>', channel=channel)
    fake_slack.deliver_then_time_out(POST, SLOWER_THAN_THE_BOT_WAITS)

    reply = ok(slack, "measure Onboarding", channel=channel)

    text = shown(reply)
    assert "queued" in text
    assert "it will appear when Slack answers" in text
    [posted] = taken(slack, channel)  # Slack took it although the bot never heard
    assert cycle_posts(slack, channel) == []
    tick(clock, later())

    assert taken(slack, channel) == [posted]  # not posted again
    [looked] = slack.calls("conversations.history")
    assert looked.params.get("include_all_metadata") in (True, "true", "1")
    assert looked.ok
    thread = str(posted.response["ts"])
    assert any("survey" in flat(c.params).lower() for c in in_thread(slack, channel, thread))
    answer(slack, channel, thread, "1: wait 2d pt 3h", "UANN")  # the thread is the cycle's


def test_a_reply_never_says_posted_while_slack_is_down(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CLOST2"
    define(slack, "Billing", '"Invoice" people:<@UBO>', channel=channel)
    fake_slack.fail(POST, status=500, times=1)

    opened = shown(ok(slack, "measure Billing", channel=channel))

    assert "queued" in opened
    assert "Answers go in the thread of that message" not in opened
    assert cycle_posts(slack, channel) == []
    tick(clock, later())
    [posted] = cycle_posts(slack, channel)
    answer(slack, channel, ts_of(posted), "wait 1d pt 1h", "UBO")

    fake_slack.fail(POST, status=500, times=2)
    closed = shown(ok(slack, "close Billing", channel=channel))
    assert "summary is queued" in closed
    assert "the summary is posted" not in closed

    fake_slack.fail(POST, status=500, times=1)
    digest = shown(ok(slack, "digest now", channel=channel))
    assert "is queued for this channel" in digest
    assert "Posted the digest" not in digest
