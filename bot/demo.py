"""`vsm-bot demo`: an improvement story played against the real bot, with no Slack at all.

It makes a throwaway SQLite database, starts the stand-in Slack (standin) and `vsm-bot
serve` in a clean environment, plays the story the way Slack would (signed slash commands,
Events API messages and button clicks over HTTP), and prints what the bot posted. Whatever
happens, it stops what it started and removes its files.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from standin.player import (
    LOOPBACK,
    Answer,
    Click,
    Command,
    Edit,
    Player,
    PlayError,
    Scene,
    Stage,
    Submit,
)
from standin.server import FakeSlack
from storage.engine import make_engine
from storage.migrate import upgrade_database

# ---- the story: the worked example of VSM.md, with made-up people ----------------------------

PEOPLE = {
    "sam": "U0SAM",
    "ada": "U0ADA",
    "ben": "U0BEN",
    "chloe": "U0CHLOE",
    "dev": "U0DEV",
    "elena": "U0ELENA",
    "farid": "U0FARID",
}
STAGE = Stage(team_id="T0DEMO", channel="C0DEMO", channel_name="onboarding", people=PEOPLE)
STREAM = '"Customer onboarding"'  # as Sam types it
RENEWALS = '"Contract renewals"'
TARGET_MONTHS = 6


def story(today: date) -> tuple[Scene, ...]:
    """The scenes, with the target's date `TARGET_MONTHS` after `today` (it must lie ahead)."""
    by = (today + timedelta(days=TARGET_MONTHS * 30)).isoformat()
    return (
        Scene(
            "Sam maps the stream",
            "Sam owns customer onboarding: from a signed contract to a customer who is live. "
            "Sam puts the stream and its five steps into Slack, with the people at each step.",
            (
                Command(
                    "sam", f'/vsm new {STREAM} trigger:"Contract signed" value:"Customer live"'
                ),
                Command(
                    "sam", f'/vsm step add {STREAM} "Contract review" team:Legal people:@ada @ben'
                ),
                Command(
                    "sam", f'/vsm step add {STREAM} "Account setup" team:Operations people:@chloe'
                ),
                Command("sam", f'/vsm step add {STREAM} "Kickoff call" team:Success people:@dev'),
                Command("sam", f'/vsm step add {STREAM} "Data migration" team:Data people:@elena'),
                Command(
                    "sam", f'/vsm step add {STREAM} "Go-live check" team:Operations people:@farid'
                ),
            ),
        ),
        Scene(
            "The baseline",
            "Sam asks everyone how long work waits at their step, how long the work itself "
            "takes, and how much of what they receive is usable as is. A readiness survey "
            "follows in the same thread.",
            (Command("sam", f"/vsm measure {STREAM}"),),
        ),
        Scene(
            "Answers in the thread",
            "Ada and Ben both review contracts and answer for step 1. Chloe works at one step "
            "only, so she leaves the step out. Elena writes a number in words, gets a hint, and "
            "edits her message.",
            (
                Answer("ada", "1: wait 1.5d, pt 2h, ca 60%"),
                Answer("ben", "1: wait 2.5d, pt 4h, ca 80%"),
                Answer("chloe", "wait 1d, pt 45m, ca 90%"),
                Answer("dev", "3: wait 3d, pt 1h, ca 95%"),
                Answer("elena", "data migration: wait five days, pt 6h, ca 60%"),
                Edit("elena", "data migration: wait 5d, pt 6h, ca 60%"),
                Answer("farid", "5: wait 1d, pt 30m, ca 98%"),
            ),
        ),
        Scene(
            "Are we ready?",
            "Ada, Ben and Chloe reply with their six survey scores; Dev clicks a score for the "
            "second statement. The bot shows the survey only added up, never per person, and so "
            "does this transcript: a score someone gives is printed as •.",
            (
                Answer("ada", "survey 4 3 4 2 4 3", private=True),
                Answer("ben", "survey 5 2 4 3 3 4", private=True),
                Answer("chloe", "survey 4 3 5 2 4 2", private=True),
                Click("dev", "survey_q2", "3", private=True),
            ),
        ),
        Scene(
            "Sam closes the baseline",
            "The summary goes to the thread and the channel.",
            (Command("sam", f"/vsm close {STREAM}"),),
        ),
        Scene(
            "A target",
            "Sam sets the future state: onboarding in five days, within six months.",
            (Command("sam", f"/vsm target {STREAM} lead:5d by:{by}"),),
        ),
        Scene(
            "The improvement",
            "Data migration is the bottleneck, and 40% of what reaches it needs fixing. Elena "
            "proposes a migration template, filled in at signing, and predicts it takes three "
            "days off the wait at her step. The team starts on it.",
            (
                Command(
                    "elena",
                    f'/vsm improve {STREAM} "Migration template filled in at signing" step:4 '
                    'owner:@elena expect:"wait -3d" effort:M',
                ),
                Command("elena", "/vsm improvement 1 doing"),
            ),
        ),
        Scene(
            "Teams and hand-offs",
            "Sam says what kind of team works each step (Team Topologies): Success is aligned "
            "to the stream, Data owns the hard part, migrations, and Operations runs the "
            "platform. Operations and Success will pair on kickoff; Data takes migrations as a "
            "service, through Elena's template. Sam looks at Data's Team API card.",
            (
                Command(
                    "sam",
                    '/vsm team "Success" type:stream-aligned mission:"Customers live and using '
                    'the product"',
                ),
                Command(
                    "sam",
                    '/vsm team "Data" type:complicated-subsystem mission:"Customer data moved in, '
                    'complete and correct" people:@elena',
                ),
                Command("sam", '/vsm team "Operations" type:platform'),
                Command("sam", f"/vsm handoff {STREAM} 3 mode:collaboration"),
                Command("sam", f"/vsm handoff {STREAM} 4 mode:x-as-a-service"),
                Command("sam", '/vsm team "Data"'),
            ),
        ),
        Scene(
            "Four weeks later",
            "The template is in use, and the team pairs on kickoff, so the call is booked "
            "sooner. Elena marks the improvement done; Sam measures again.",
            (
                Command("elena", "/vsm improvement 1 done"),
                Command("sam", f'/vsm measure {STREAM} label:"After migration templates"'),
            ),
        ),
        Scene(
            "Answers after the change",
            "Shorter waits at kickoff and migration. Ben is away and Farid does not answer: "
            "Ada's answer stands for step 1, and step 5 keeps its baseline values. This time "
            "Ada and Elena say why work waits: contracts wait for approval, migrations for the "
            "weekly batch. Ada, Chloe and Elena take the survey again.",
            (
                Answer("ada", "1: wait 2d for approval, pt 3h, ca 70%"),
                Answer("chloe", "wait 1d, pt 45m, ca 90%"),
                Answer("dev", "3: wait 1d, pt 1h, ca 98%"),
                Answer("elena", "4: wait 2d (batch), pt 3h, ca 85%"),
                Answer("ada", "survey 5 4 4 4 4 4", private=True),
                Answer("chloe", "survey 4 4 5 3 4 3", private=True),
                Answer("elena", "survey 5 5 5 4 4 4", private=True),
            ),
        ),
        Scene(
            "What is onboarding for?",
            "Sam asks what the stream's value is, in the cycle's thread. Each person picks "
            "their layer and spreads 100 points over what the value is to them: Sam, Elena and "
            "Farid from leadership, Ada, Ben and Chloe from operations, Dev as a producer. "
            "Only totals per layer are ever shown, so the transcript hides what each entered.",
            (
                Command("sam", f"/vsm value {STREAM}"),
                *_value_answers(),
            ),
        ),
        Scene(
            "Before and after",
            "Sam closes the cycle: the summary sets the improvement's prediction beside what "
            "was measured, shows the way to the target, and how readiness moved. (The demo's "
            "four weeks took seconds, so at this pace the target is due today.) Then Sam puts "
            "the baseline and the latest cycle side by side.",
            (Command("sam", f"/vsm close {STREAM}"), Command("sam", f"/vsm compare {STREAM}")),
        ),
        Scene(
            "What next",
            "Contract review is the bottleneck now. Ada and Farid propose the next "
            "improvements, and Sam ranks them.",
            (
                Command(
                    "ada",
                    f'/vsm improve {STREAM} "Standard contract for small customers" step:1 '
                    'owner:@ada expect:"wait -1d" effort:S',
                ),
                Command(
                    "farid",
                    f'/vsm improve {STREAM} "Go-live checklist in the ticket" step:5 '
                    'expect:"wait -12h" effort:S',
                ),
                Command("sam", f"/vsm improvements {STREAM} rank"),
            ),
        ),
        Scene(
            "Another stream",
            "Ben also reviews contracts for renewals. Sam maps that stream too and measures it "
            "once.",
            (
                Command("sam", f'/vsm new {RENEWALS} trigger:"Renewal due" value:"Renewed"'),
                Command(
                    "sam", f'/vsm step add {RENEWALS} "Review of contracts" team:Legal people:@ben'
                ),
                Command("sam", f'/vsm step add {RENEWALS} "Renewal call" team:Success people:@dev'),
                Command("sam", f"/vsm measure {RENEWALS}"),
                Answer("ben", "1: wait 4h, pt 1h, ca 90%"),
                Answer("dev", "2: wait 1d for input, pt 30m, ca 95%"),
                Command("sam", f"/vsm close {RENEWALS}"),
                Command(
                    "sam",
                    f'/vsm improve {RENEWALS} "Renewal call booked online" step:2 '
                    'expect:"wait -12h" effort:M',
                ),
            ),
        ),
        Scene(
            "Across streams",
            "The steering group looks at both streams side by side, at the improvements of "
            "both in one list, and at the work done in both: renewals review contracts in "
            "hours, onboarding in days.",
            (
                Command("sam", "/vsm portfolio"),
                Command("sam", "/vsm portfolio rank"),
                Command("sam", "/vsm overlaps"),
            ),
        ),
    )


def _value_answers() -> tuple[Click | Submit, ...]:
    """Each person clicks *Give my view* and saves their layer, points and maybe a sentence."""
    views = (
        ("sam", "leadership", {"revenue": 40, "customer-outcome": 30, "speed-to-market": 30},
         "Customers live sooner, so revenue starts sooner."),
        ("elena", "leadership", {"revenue": 30, "customer-outcome": 30, "cost": 40}, None),
        ("farid", "leadership", {"revenue": 50, "customer-outcome": 20, "cost": 30}, None),
        ("ada", "operations", {"customer-outcome": 50, "quality-and-risk": 30, "people": 20},
         "Customers who can use the product from day one."),
        ("ben", "operations", {"customer-outcome": 40, "quality-and-risk": 40, "people": 20},
         None),
        ("chloe", "operations", {"customer-outcome": 60, "quality-and-risk": 20, "people": 20},
         None),
        ("dev", "producer", {"customer-outcome": 100}, None),
    )  # fmt: skip
    moves: list[Click | Submit] = []
    for who, layer, points, sentence in views:
        values = {"layer": layer, **{f"d_{key}": str(n) for key, n in points.items()}}
        if sentence:
            values["sentence"] = sentence
        moves.append(Click(who, "value_actions", "Give my view"))
        moves.append(Submit(who, values, private=True))
    return tuple(moves)


INTRO = (
    "vsm-bot demo: the real bot (`vsm-bot serve`) on a throwaway SQLite database, answering a "
    "stand-in for Slack on 127.0.0.1. Everything below went over HTTP, signed as Slack signs. "
    "To run the bot in your own workspace, see “Creating the Slack app” in the README."
)

# ---- running it ------------------------------------------------------------------------------

START_TIMEOUT, STOP_TIMEOUT = 30.0, 25.0
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "SYSTEMROOT")
PROJECT = Path(__file__).resolve().parents[1]  # holds the bot package: PYTHONPATH for serve


class DemoError(Exception):
    """The demo cannot go on; the message is one line saying why."""


def run_demo(out: TextIO) -> int:
    """Play the story and print it to `out`; 0 when it ran through, 1 or 130 when not."""
    with contextlib.suppress(AttributeError, ValueError):
        out.reconfigure(errors="replace")  # type: ignore[attr-defined]  # a terminal without emoji
    with contextlib.suppress(ValueError):  # only the main thread may; elsewhere Ctrl-C alone
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up as Ctrl-C does
    try:
        with tempfile.TemporaryDirectory(prefix="vsm-demo-") as tmp:
            _play(Path(tmp), out)
    except (DemoError, PlayError) as error:
        print(f"vsm-bot demo: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `vsm-bot demo | head`: the reader has seen enough
        with contextlib.suppress(AttributeError, ValueError, OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())  # nothing left to flush
        return 0
    except Exception as error:  # one line, as promised, even for our own bugs
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"vsm-bot demo: failed: {type(error).__name__}: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "vsm-bot demo: interrupted; the bot is stopped and its files removed.", file=sys.stderr
        )
        return 130
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _play(tmp: Path, out: TextIO) -> None:
    token, secret = f"xoxb-demo-{secrets.token_hex(8)}", secrets.token_hex(16)
    database_url = f"sqlite:///{tmp / 'demo.db'}"
    engine = make_engine(database_url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    with FakeSlack(token=token) as slack:
        slack.set_channel(STAGE.channel, name=STAGE.channel_name)
        env = {
            "SLACK_BOT_TOKEN": token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "WARNING",
        }
        with _serving(tmp, env) as bot_url:
            player = Player(bot_url, secret, slack, STAGE, out)
            player.narrate(INTRO)
            for scene in story(date.today()):
                player.scene(scene)
        _save_pictures(database_url, out)


def _save_pictures(database_url: str, out: TextIO) -> Path:
    """Draw the story's maps and trend into a folder that stays after the demo, and say where."""
    from sqlmodel import Session

    from commands.export import pick_tenant
    from commands.pictures import draw_for_operator

    folder = Path(tempfile.mkdtemp(prefix="vsm-demo-pictures-"))
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            tenant = pick_tenant(session, team=None, enterprise=None)
            for name, picture, cycle in (
                ("map-cycle-1.png", "map", 1),
                ("map-cycle-2.png", "map", 2),
                ("trend.png", "trend", None),
            ):
                png, _, _ = draw_for_operator(session, tenant, STREAM.strip('"'), picture, cycle)
                (folder / name).write_bytes(png)
    finally:
        engine.dispose()
    print(file=out)
    print(f"The maps of both cycles and the trend, drawn by the bot: {folder}", file=out)
    return folder


@contextlib.contextmanager
def _serving(tmp: Path, settings: dict[str, str]) -> Iterator[str]:
    """`vsm-bot serve` on a free port, in `tmp`, with only `settings` and the basics set."""
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(settings, PYTHONPATH=str(PROJECT), PYTHONUNBUFFERED="1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = tmp / "bot.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603  # our own interpreter and fixed arguments
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            env=env,
            cwd=tmp,  # no .env of the person's is read
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping reaches the workers
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, process, log_path)
        yield url
    finally:
        _stop(process)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            lines = log_path.read_text(errors="replace").strip().splitlines() or ["no output"]
            raise DemoError(f"the bot exited on start: {lines[-1]}")
        with (
            contextlib.suppress(OSError),
            LOOPBACK.open(f"{url}/healthz", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.1)
    raise DemoError(f"the bot did not answer on {url}/healthz within {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, 10.0)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)  # the group start_new_session made: master and workers
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
