"""Acknowledged means stored: answers arrive at a steady rate while the web process group is
killed with SIGKILL; every answer Slack got an HTTP 200 for is in the database.

The module has its own bot, database and stand-in (the bot is killed).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from standin import payloads
from standin.server import FakeSlack
from standin.webapi import BOT_USER_ID
from storage.engine import make_engine
from tests.e2e.clocking import own_bot as make_own_bot
from tests.e2e.vsm_commands import define, ok
from tests.support.botproc import BotProcess
from tests.support.driver import JSON, SlackDriver, SlackRequest

SENDERS = 8
RATE_PER_SENDER = 50  # answers per second each, at most: up to 400 a second in all
KILL_AFTER_S = 1.5


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with make_own_bot(tmp_path_factory.mktemp("crash")) as made:
        yield made


@pytest.fixture(scope="module")
def fake_slack(own: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return own[0]


@pytest.fixture(scope="module")
def bot(own: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return own[1]


def answer_request(slack: SlackDriver, thread: str, user: str, ts: str) -> SlackRequest:
    event = payloads.user_message(
        slack.workspace,
        text="1: wait 2d pt 3h",
        user=user,
        channel="C1",
        ts=ts,
        thread_ts=thread,
        parent_user_id=BOT_USER_ID,
    )
    envelope = payloads.event_callback(slack.workspace, event, event_id=payloads.new_event_id())
    return SlackRequest(json.dumps(envelope).encode(), JSON)


def test_no_answer_acknowledged_is_lost_when_the_web_process_is_killed(
    slack: SlackDriver, bot: BotProcess
) -> None:
    define(slack, "Onboarding", '"Kickoff" people:<@UANN>')
    ok(slack, "measure Onboarding")
    [cycle_message] = [m for m in slack.messages("C1") if not m.thread_ts]
    thread = cycle_message.ts
    acknowledged: list[str] = []
    refused: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def send(sender: int) -> None:
        while not stop.is_set():
            ts = slack.fake.new_ts()
            request = answer_request(slack, thread, f"U{sender:02d}X{ts.replace('.', '')}", ts)
            try:
                result = slack.send(request)
            except OSError:
                time.sleep(0.05)  # the bot is gone: keep trying until told to stop
                continue
            with lock:
                if result.status == 200:
                    acknowledged.append(ts)
                else:
                    refused.append(result.status)
            time.sleep(1 / RATE_PER_SENDER)

    senders = [threading.Thread(target=send, args=(n,), daemon=True) for n in range(SENDERS)]
    for sender in senders:
        sender.start()
    time.sleep(KILL_AFTER_S)
    bot.kill()
    time.sleep(0.5)
    stop.set()
    for sender in senders:
        sender.join(timeout=15)

    assert len(acknowledged) >= 50, f"only {len(acknowledged)} answers got through first"
    engine = make_engine(bot.env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            stored = {row[0] for row in connection.execute(text("SELECT source FROM measurement"))}
    finally:
        engine.dispose()
    lost = [ts for ts in acknowledged if ts not in stored]
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged answers were lost"
    bot.start()  # the module's fixture stops what it started
