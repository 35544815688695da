"""Several clocks on one database share the due work of many workspaces: every cycle opens,
is reminded and is closed once, every digest and every queued message is posted once, nothing
is left behind; and a workspace Slack rate-limits waits alone while the others are served.

The clocks are bot.app.build_core each with its own engine, ticking at once on threads
(tests/support/fleet.py); on PostgreSQL they share rows by locks others skip, on SQLite they
take turns at the write lock. Either way the outcome must be the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import Session

from bot import clock as bot_clock
from bot.outbox import LEASE
from commands.clock import dispatch_due
from storage import outbox as outbox_rows
from storage.types import known_id
from tests.support.fleet import KEY_EVENT, Fleet, fleet_of

TEAMS = ("TALPHA", "TBRAVO", "TCHARLIE", "TDELTA", "TECHO")
CHANNELS = 3
CLOCKS = 3
STREAMS = len(TEAMS) * CHANNELS


@pytest.fixture
def fleet(fresh_database_url: str) -> Iterator[Fleet]:
    with fleet_of(fresh_database_url, teams=TEAMS, channels=CHANNELS) as made:
        yield made


@pytest.fixture(autouse=True)
def no_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    with caplog.at_level(logging.INFO):
        yield
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


def keys_of(kind: str, fleet: Fleet) -> set[str]:
    return {row.key for row in fleet.outbox() if row.kind == kind}


def assert_each_posted_once(fleet: Fleet) -> None:
    """Every message queued so far was posted exactly once, and is marked sent."""
    posted = fleet.posted_keys()
    assert [key for key, times in posted.items() if times > 1] == []  # no duplicate
    rows = fleet.outbox()
    assert {row.key for row in rows} == set(posted)  # nothing skipped, nothing extra
    assert {row.status for row in rows} == {"sent"}


def test_several_clocks_open_remind_close_and_digest_every_workspace_once(
    fleet: Fleet,
) -> None:
    due = fleet.schedule_everything()
    clocks = fleet.clocks(CLOCKS)

    opening = fleet.tick_together(clocks, due)
    assert sum(r.opened for r in opening) == STREAMS
    assert sum(r.digests for r in opening) == STREAMS  # a digest per channel, a stream each
    assert_each_posted_once(fleet)
    assert len(keys_of("cycle_opened", fleet)) == len(keys_of("survey", fleet)) == STREAMS

    reminding = fleet.tick_together(clocks, due + timedelta(hours=20))  # 80% of one day
    assert sum(r.reminded for r in reminding) == STREAMS
    assert_each_posted_once(fleet)

    closing = fleet.tick_together(clocks, due + timedelta(days=1))
    assert sum(r.cancelled for r in closing) == STREAMS  # nobody answered
    assert sum(r.opened + r.reminded + r.digests for r in closing) == 0
    assert_each_posted_once(fleet)
    assert len(keys_of("cycle_expired", fleet)) == STREAMS

    # Each post went with its own workspace's token, to its own workspace's channels.
    for team in TEAMS:
        rows = fleet.outbox(team)
        assert set(fleet.posted_keys(team)) == {row.key for row in rows}
        assert {row.channel_id[1 : 1 + len(team)] for row in rows} == {team}


def test_the_same_instant_ticked_again_by_every_clock_posts_nothing_more(fleet: Fleet) -> None:
    due = fleet.schedule_everything()
    clocks = fleet.clocks(CLOCKS)
    fleet.tick_together(clocks, due)
    posted = fleet.fake.mark()

    again = fleet.tick_together(clocks, due)

    assert sum(r.opened + r.digests for r in again) == 0
    assert fleet.fake.calls_since(posted, "chat.postMessage") == []
    assert_each_posted_once(fleet)


def test_a_rate_limited_workspace_costs_one_call_and_waits_while_the_others_are_posted(
    fleet: Fleet,
) -> None:
    due = fleet.schedule_everything()
    [clock] = fleet.clocks(1)
    limited = TEAMS[0]
    fleet.fake.throttle(limited, retry_after=60)

    fleet.now.moment = due
    bot_clock.tick(clock, due)

    # The limited workspace was asked once; everything else went out meanwhile, once.
    assert [c.status for c in fleet.fake.calls("chat.postMessage") if c.team_id == limited] == [429]
    assert_others_posted_and_limited_waiting(fleet, limited, due)


def test_with_several_clocks_a_rate_limited_workspace_waits_alone_and_goes_out_later_once(
    fleet: Fleet,
) -> None:
    due = fleet.schedule_everything()
    clocks = fleet.clocks(CLOCKS)
    limited = TEAMS[1]
    fleet.fake.throttle(limited, retry_after=60)

    fleet.tick_together(clocks, due)
    assert_others_posted_and_limited_waiting(fleet, limited, due)

    fleet.tick_together(clocks, due + timedelta(seconds=30))  # sooner than Slack said
    assert_others_posted_and_limited_waiting(fleet, limited, due)

    fleet.fake.lift_throttle(limited)
    fleet.tick_together(clocks, due + timedelta(seconds=61))
    assert_each_posted_once(fleet)
    assert len(fleet.posted_keys(limited)) == 3 * CHANNELS  # cycle, survey, digest each


def assert_others_posted_and_limited_waiting(fleet: Fleet, limited: str, due: datetime) -> None:
    """Every other workspace's messages were posted once; the limited one's all wait (none
    given up, no attempt counted) until at least the time Slack gave."""
    posted = fleet.posted_keys()
    assert [key for key, times in posted.items() if times > 1] == []
    assert fleet.posted_keys(limited) == {}
    for team in TEAMS:
        rows = fleet.outbox(team)
        if team != limited:
            assert {row.key for row in rows} == set(fleet.posted_keys(team))
            assert {row.status for row in rows} == {"sent"}
            continue
        assert len(rows) == 3 * CHANNELS  # a cycle, its survey and a digest per channel
        assert {row.status for row in rows} == {"pending"}
        assert {row.attempts for row in rows} == {0}
        assert min(row.next_attempt_at for row in rows) >= due + timedelta(seconds=60)


def test_a_message_whose_clock_died_after_posting_is_found_in_the_channel_not_posted_again(
    fleet: Fleet,
) -> None:
    due = fleet.schedule_everything()
    clocks = fleet.clocks(CLOCKS)
    # Everything queued, nothing sent yet. Queued "now" as Slack's clock has it, so that the
    # post below is not older than the message (the sender looks back from when it was queued).
    fleet.now.moment = queued = datetime.now(UTC)
    dispatch_due(clocks[0].services, due)
    # A clock takes a message, posts it, and dies before it can mark it sent.
    with Session(clocks[0].engine, expire_on_commit=False) as session:
        [taken] = outbox_rows.claim_due(session=session, now=queued, lease=LEASE, limit=1)
        session.commit()
    team = taken.team_id
    slack = WebClient(base_url=fleet.fake.api_url, token=fleet.tokens[team], retry_handlers=[])
    dead_clocks_post = slack.chat_postMessage(
        channel=taken.channel_id,
        text=str(taken.payload["text"]),
        metadata={"event_type": KEY_EVENT, "event_payload": {"key": taken.key}},
    )

    fleet.tick_together(clocks, due + LEASE + timedelta(seconds=1))  # the lease ran out

    assert_each_posted_once(fleet)
    [row] = [row for row in fleet.outbox(team) if row.key == taken.key]
    assert row.sent_ts == dead_clocks_post["ts"]


def test_a_429_met_by_a_message_sent_at_once_holds_its_workspace_back_for_every_sender(
    fleet: Fleet,
) -> None:
    due = fleet.schedule_everything()
    [clock] = fleet.clocks(1)
    fleet.now.moment = due
    dispatch_due(clock.services, due)  # queued, as a request's work is, then sent at once:
    limited = TEAMS[2]
    fleet.fake.throttle(limited, retry_after=60)
    digest = next(row for row in fleet.outbox(limited) if row.kind == "digest")

    [delivery] = clock.sender.deliver([known_id(digest.id)])

    assert (delivery.sent, delivery.error, delivery.gave_up) == (False, "ratelimited", False)
    rows = fleet.outbox(limited)
    assert {row.status for row in rows} == {"pending"}
    assert min(row.next_attempt_at for row in rows) >= due + timedelta(seconds=60)
    fleet.now.moment = due + timedelta(seconds=30)
    bot_clock.tick(clock, fleet.now.moment)  # the clock, meanwhile, asks no more
    calls = [c for c in fleet.fake.calls("chat.postMessage") if c.team_id == limited]
    assert [c.status for c in calls] == [429]
    assert_others_posted_and_limited_waiting(fleet, limited, due)
