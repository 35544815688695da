"""Helpers for the clock and outbox end-to-end tests: a bot of the module's own, ticks at
chosen instants, and what reached one channel.

    due = schedule(slack, "Releases", "every 1 weeks at 9:00 window:1d tz:UTC", CHANNEL)
    tick(clock, due)                    # bot.clock.tick at <due>, which must log no ERROR
    [opened] = cycle_posts(slack, CHANNEL)
    answer(slack, CHANNEL, opened.response["ts"], "1: wait 2d pt 3h", "UANN")

The tick runs in the test's process (`clock`: the core built once per module by
bot.app.build_core, with a `now` the test moves), on the same database and fake Slack as the
module's bot process, which stays the real gunicorn process the driver talks to. A tick
does the due work of every workspace in its database, so a module that ticks gets its own bot
process, database and fake Slack (`own_bot`), and each test its own channel: assertions look
only at that channel. Instants are what `/vsm schedule` says (its reply names the next run as a
Slack date), so the tests follow the cadence the bot computed from real time.

`tick_process` and `start_tick` run `vsm-bot tick --now` as a process, for the few tests about
the command itself and about two clocks at once.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import clock as bot_clock
from bot.app import Core, build_core
from bot.settings import Settings
from commands.clock import TickReport
from standin.server import Call, FakeSlack
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.vsm_commands import define, ok
from tests.support import databases
from tests.support.botproc import BotProcess, base_env, bot_command
from tests.support.cli_in_process import clear_bot_settings
from tests.support.driver import Reply, SlackDriver

# A team of four steps: step 3 has two people, so one answer there covers both.
TEAM = (
    ("Contract review", ("UANN",)),
    ("Account setup", ("UBO",)),
    ("Kickoff call", ("UCY", "UDI")),
    ("Go-live check", ("UED",)),
)
_SLACK_DATE = re.compile(r"<!date\^(\d+)\^")
# What `vsm-bot` writes to stderr (bot/cli.py), so in-process logs read as a process's do.
_LOG_FORMAT = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")


@contextmanager
def own_bot(
    tmp_dir: Path, bot_class: type[BotProcess] = BotProcess
) -> Iterator[tuple[FakeSlack, BotProcess]]:
    """A fake Slack, a fresh database and a bot process serving on them, for one module."""
    with (
        FakeSlack(token=BOT_TOKEN) as fake,
        databases.fresh_database_url(tmp_dir / "database") as url,
    ):
        process = bot_class(url, fake.api_url, BOT_TOKEN, SIGNING_SECRET, tmp_dir / "bot")
        process.start()
        try:
            yield fake, process
        finally:
            process.stop()
        assert fake.internal_errors == [], "FakeSlack itself failed; see the errors"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# ---- the clock in this process --------------------------------------------------------------


class MovableNow:
    """The `now` the core's services and outbox sender read: the instant being ticked."""

    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


@dataclass(frozen=True)
class ClockCore:
    """What `vsm-bot tick` builds, built once: the core on the bot's database and Slack."""

    core: Core
    now: MovableNow


@contextmanager
def clock_core(bot: BotProcess, *, slack_api_url: str | None = None) -> Iterator[ClockCore]:
    """bot.app.build_core on `bot`'s database and fake Slack (or the Slack at `slack_api_url`)."""
    with pytest.MonkeyPatch.context() as patch:
        clear_bot_settings(patch)  # only what the test says: nothing from the shell or a .env
        settings = Settings(
            slack_bot_token=bot.env["SLACK_BOT_TOKEN"],
            slack_api_url=slack_api_url or bot.env["SLACK_API_URL"],
            database_url=bot.env["DATABASE_URL"],
            _env_file=None,
        )
    now = MovableNow()
    core = build_core(settings, now=now)
    try:
        yield ClockCore(core, now)
    finally:
        core.engine.dispose()


@dataclass(frozen=True)
class Clock:
    """A module's ClockCore, with this test's log capture."""

    shared: ClockCore
    caplog: pytest.LogCaptureFixture


@dataclass(frozen=True)
class Ticked:
    """What one in-process tick did, and the log lines it wrote (formatted as the CLI does)."""

    report: TickReport
    log: str


def tick(clock: Clock, moment: datetime, *, errors: bool = False) -> Ticked:
    """bot.clock.tick for `moment`: must not raise and, unless `errors`, logs no ERROR."""
    clock.shared.now.moment = moment
    seen = len(clock.caplog.records)
    with clock.caplog.at_level(logging.INFO):
        report = bot_clock.tick(clock.shared.core, moment)
    records = clock.caplog.records[seen:]
    log = "".join(_LOG_FORMAT.format(record) + "\n" for record in records)
    if not errors:
        assert [r for r in records if r.levelno >= logging.ERROR] == [], log
        assert "Traceback" not in log, log
    return Ticked(report, log)


# ---- `vsm-bot tick` as a process ------------------------------------------------------------


def tick_process(bot: BotProcess, moment: datetime) -> subprocess.CompletedProcess[str]:
    """`vsm-bot tick --now <moment>` with the bot's environment: exits 0, logs no ERROR."""
    result = bot.run_cli(["tick", "--now", iso(moment)])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " ERROR " not in result.stderr, output
    assert "Traceback" not in result.stderr, output
    return result


def start_tick(bot: BotProcess, moment: datetime) -> subprocess.Popen[str]:
    """`vsm-bot tick --now <moment>` started, not waited for."""
    return subprocess.Popen(
        [*bot_command(), "tick", "--now", iso(moment)],
        env=base_env(bot.env),
        cwd=bot.tmp_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def next_instant(reply: Reply) -> datetime:
    """The first Slack date in a reply: for `/vsm schedule` and `/vsm digest`, the next run."""
    found = _SLACK_DATE.search(reply.all_text)
    assert found, f"no date in {reply.all_text!r}"
    return datetime.fromtimestamp(int(found[1]), UTC)


def define_team(slack: SlackDriver, name: str, channel: str) -> None:
    """A stream homed in `channel` with TEAM's steps and people."""
    steps = [
        f'"{step}" people:' + " ".join(f"<@{p}|{p.lower()}>" for p in people)
        for step, people in TEAM
    ]
    define(slack, name, *steps, channel=channel)


def schedule(slack: SlackDriver, name: str, when: str, channel: str) -> datetime:
    """Define `name` in `channel` and measure it `when`; returns the first run's instant."""
    define_team(slack, name, channel)
    return next_instant(ok(slack, f'schedule "{name}" {when}', channel=channel))


# ---- what reached one channel ---------------------------------------------------------------


def posts(slack: SlackDriver, channel: str) -> list[Call]:
    """Every chat.postMessage Slack accepted in `channel` since the driver began."""
    return [
        call
        for call in slack.calls("chat.postMessage")
        if call.ok and call.params.get("channel") == channel
    ]


def attempts(slack: SlackDriver, channel: str) -> list[Call]:
    """Every chat.postMessage that reached Slack for `channel`, accepted or not."""
    return [c for c in slack.calls("chat.postMessage") if c.params.get("channel") == channel]


def cycle_posts(slack: SlackDriver, channel: str) -> list[Call]:
    """The cycle messages ("Measuring …", top level) accepted in `channel`."""
    return [
        call
        for call in posts(slack, channel)
        if not call.params.get("thread_ts") and str(call.params["text"]).startswith("Measuring ")
    ]


def in_thread(slack: SlackDriver, channel: str, thread: str) -> list[Call]:
    """The bot's accepted replies in the thread `thread`."""
    return [c for c in posts(slack, channel) if c.params.get("thread_ts") == thread]


def ts_of(call: Call) -> str:
    return str(call.response["ts"])


def answer(slack: SlackDriver, channel: str, thread: str, text: str, user: str) -> str:
    """`user` answers in the cycle's thread; waits for the bot's ✅; returns the answer's ts."""
    status, _, ts = slack.message(text, user=user, channel=channel, thread_ts=thread)
    assert status == 200
    [reaction] = slack.wait_for("reactions.add", lambda c: c.params.get("timestamp") == ts)
    assert reaction.params["name"] == "white_check_mark"
    return ts
