"""Times replies to /vsm from the bot beside a bare Bolt app, and thread answers stored per second.

    .venv/bin/python bench/slash_latency.py              # SQLite; --db postgres|both

Starts the stand-in Slack on loopback, the bot (`vsm-bot db upgrade`, then `vsm-bot serve`,
in a temporary directory with a clean environment, on a throwaway database) and
bench/bare_bolt.py (a Bolt app that acks `/vsm` with a fixed text, under the same gunicorn
settings), both against the one stand-in. It seeds the bot with a stream of five steps, warms
both servers, then runs alternating rounds (bot, bare, bot, bare …) at each concurrency of
the same mix of signed slash commands: show, list, help, a step edit, an improvement.

Reply-visible latency is the time from sending a command to having its reply: the ack's body
when it carries one (the bot answers in the acknowledgement), otherwise the moment the
stand-in received the post to the command's response_url. Each round reports p50/p99,
commands per second (commands / time until the last reply), the resident memory of each
whole server (the sum of VmRSS over its process group, master and workers, after the round)
and the server's CPU time per command (user + system over the group during the round): on a
machine whose cores are all busy, that is what bounds the throughput.

Then the bot opens a measurement cycle and gets N signed thread answers (Events API `message`
events) at concurrency 20; answers stored per second counts the `measurement` rows in the
database at the end (the bot commits an answer before it acknowledges it). The bare app gets
the same events, for the cost of acknowledging alone.

Exit status 1 when a round, or the answers, had more failed requests (not HTTP 200, no reply,
or not the expected reply) than --max-failed allows.
"""

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# A sibling module (Python puts bench/ first on sys.path when it runs this file): only its
# fixed reply, to check the bare app's answers; the app itself runs as its own process.
import bare_bolt
from sqlalchemy import create_engine, text
from throwaway import postgres_schema

from standin import payloads
from standin.server import RESPONSE_URL, FakeSlack
from standin.webapi import BOT_USER_ID
from storage.engine import make_engine, normalize_database_url

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-bench-token"  # noqa: S105  # only the stand-in Slack takes it
SECRET = "bench-signing-secret"  # noqa: S105  # same
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
WORKERS = 2
# Passed through to the servers; everything else in their environment is set here.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 25.0  # gunicorn's graceful_timeout is 20 s
REQUEST_TIMEOUT_S = 15.0
RESPONSE_URL_WAIT_S = 10.0
EVENTS_PATH = "/slack/events"
FORM = "application/x-www-form-urlencoded"

WORKSPACE = payloads.Workspace("TBENCH0001")
HOME = "C0BENCH001"
OWNER = "UBENCHOWNR"
STREAM = "Bench stream"
STEPS = (
    ("Intake", "UBENCH0001"),
    ("Triage", "UBENCH0002"),
    ("Build", "UBENCH0003"),
    ("Review", "UBENCH0004"),
    ("Release", "UBENCH0005"),
)


# ---- the command mix -------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One `/vsm` text and a piece of text its right reply contains."""

    kind: str
    text: str
    expect: str


def _show(n: int) -> Command:
    return Command("show", f'show "{STREAM}"', f"{len(STEPS)} steps")


def _list(n: int) -> Command:
    return Command("list", "list", "1 value stream")


def _help(n: int) -> Command:
    return Command("help", "help step edit" if n % 2 else "help", "vsm-bot help")


def _step_edit(n: int) -> Command:
    position = n % len(STEPS) + 1
    return Command("step edit", f'step edit "{STREAM}" {position} team:"Team {n}"', "Changed step")


def _improve(n: int) -> Command:
    step = n % len(STEPS) + 1
    title = f"Shorter handover {n}"
    return Command(
        "improve",
        f'improve "{STREAM}" "{title}" step:{step} expect:"wait -1d" effort:S',
        "Recorded improvement",
    )


# (maker, weight): reads outnumber changes, as in a team's day.
MIX: tuple[tuple[Callable[[int], Command], int], ...] = (
    (_show, 30),
    (_list, 20),
    (_help, 15),
    (_step_edit, 20),
    (_improve, 15),
)


def command_mix(count: int, rng: random.Random) -> list[Command]:
    makers = rng.choices([maker for maker, _ in MIX], [weight for _, weight in MIX], k=count)
    # n makes step edits and improvement titles distinct across the whole run.
    return [maker(rng.randrange(1_000_000_000)) for maker in makers]


# ---- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_command() -> list[str]:
    """`vsm-bot` beside this Python when installed there, else the same entry point via -m."""
    script = Path(sys.executable).with_name("vsm-bot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **extra)
    return env


def server_env(api_url: str, directory: Path, **extra: str) -> dict[str, str]:
    """What both servers are told: the stand-in, the token, the secret, two workers."""
    return clean_env(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "WEB_CONCURRENCY": str(WORKERS),
            "LOG_LEVEL": "INFO",
            # gunicorn's control socket is disabled in both; a private runtime dir anyway.
            "XDG_RUNTIME_DIR": str(directory),
            **extra,
        }
    )


class Server:
    """A gunicorn server started as its own process group, in `directory`, logging there."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str],
        directory: Path,
        fixed_reply: str | None = None,
    ) -> None:
        self.name = name
        self.fixed_reply = fixed_reply  # what it answers every command with, if always the same
        self.port = free_port()
        self.argv = [*argv, "--port", str(self.port)]
        self.env = env
        self.directory = directory
        self.log_path = directory / f"{name}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: RSS and stop() reach workers
            )
        try:
            self._wait_healthy(self._process)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def pgid(self) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.name} is not running")
        return self._process.pid

    def _wait_healthy(self, process: "subprocess.Popen[bytes]") -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"{self.name} exited on start:\n{self.tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(self.port, "GET", "/healthz", None, {})[0] == 200:
                    return
            time.sleep(0.1)
        raise SystemExit(f"{self.name}: /healthz did not answer 200:\n{self.tail()}")

    def rss_kib(self) -> int:
        """VmRSS summed over the process group (gunicorn master and workers)."""
        return sum(_vm_rss_kib(pid) for pid in group_members(self.pgid))

    def cpu_s(self) -> float:
        """CPU time (user + system) the process group's living members have used so far."""
        return sum(_cpu_s(pid) for pid in group_members(self.pgid))

    def stop(self) -> None:
        """SIGTERM the group, wait for the master, then SIGKILL whatever of the group is left."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if group_members(process.pid):  # a worker that outlived its master
            _signal_group(process.pid, signal.SIGKILL)

    def tail(self, lines: int = 40) -> str:
        logged = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(logged.splitlines()[-lines:])


def group_members(pgid: int) -> list[int]:
    """The pids in process group `pgid`, from /proc/<pid>/stat (field 5 is the group)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # The command name (field 2) is in parentheses and may hold spaces: split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def _vm_rss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _cpu_s(pid: int) -> float:
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS_PER_S  # utime, stime
    return 0.0


_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def start_bot(api_url: str, database_url: str, directory: Path) -> Server:
    """`vsm-bot db upgrade`, then `vsm-bot serve` (not yet entered)."""
    env = server_env(api_url, directory, DATABASE_URL=database_url)
    upgrade = subprocess.run(
        [*bot_command(), "db", "upgrade"],
        env=env,
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if upgrade.returncode != 0:
        raise SystemExit(f"vsm-bot db upgrade exited {upgrade.returncode}:\n{upgrade.stderr}")
    return Server("bot", [*bot_command(), "serve"], env, directory)


def start_bare(api_url: str, directory: Path) -> Server:
    argv = [sys.executable, str(ROOT / "bench" / "bare_bolt.py")]
    return Server("bare", argv, server_env(api_url, directory), directory, bare_bolt.REPLY)


@contextmanager
def database_url(database: str, postgres_url: str, directory: Path) -> Iterator[str]:
    """A throwaway database: a SQLite file in `directory`, or a fresh PostgreSQL schema."""
    if database == "sqlite":
        yield f"sqlite:///{directory / 'vsm.db'}"
        return
    with postgres_schema(postgres_url) as url:
        yield url


# ---- sending ---------------------------------------------------------------------------------


def request(
    port: int, verb: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    """One request on a fresh connection: no keep-alive, so both servers pay each connect."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request(verb, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class Signed:
    """A request ready to go: exact body and signed headers."""

    body: bytes
    headers: dict[str, str]
    expect: str | None = None  # text the reply must contain; None: any reply will do
    response_url: str = ""


def signed(
    body: bytes, content_type: str, expect: str | None = None, response_url: str = ""
) -> Signed:
    headers = {"Content-Type": content_type, **payloads.sign(body, SECRET)}
    return Signed(body, headers, expect, response_url)


def slash(
    slack: FakeSlack, command: Command, expect: str | None = None, user: str = OWNER
) -> Signed:
    """`/vsm …` from `user` in the home channel, with its own response_url and trigger_id.

    The reply must contain `expect`, by default what the command's right reply contains.
    """
    response_url = slack.new_response_url()
    fields = payloads.slash_command(
        WORKSPACE,
        text=command.text,
        user=user,
        channel=HOME,
        response_url=response_url,
        trigger_id=slack.new_trigger_id(),
    )
    return signed(payloads.form_body(fields), FORM, expect or command.expect, response_url)


@dataclass
class Sample:
    status: int
    latency_s: float | None = None  # None: no reply (yet)
    source: str = ""  # "ack" or "response_url"
    right: bool = False  # the reply is the expected one
    sent_at: float = 0.0  # time.time() when sent, to time a response_url post

    @property
    def failed(self) -> bool:
        return self.status != 200 or self.latency_s is None or not self.right


def send(port: int, item: Signed) -> Sample:
    sent_at, started = time.time(), time.perf_counter()
    try:
        status, body = request(port, "POST", EVENTS_PATH, item.body, item.headers)
    except (OSError, http.client.HTTPException):
        return Sample(status=0)
    elapsed = time.perf_counter() - started
    sample = Sample(status=status, sent_at=sent_at)
    reply = _ack_reply(body) if status == 200 else None
    if reply is not None:
        sample.latency_s, sample.source = elapsed, "ack"
        sample.right = item.expect is None or item.expect in reply
    return sample


def _ack_reply(body: bytes) -> str | None:
    """The ack's message as text to search, or None when the ack carries none."""
    if not body.strip():
        return None
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if not isinstance(message, dict) or not (message.get("text") or message.get("blocks")):
        return None
    return json.dumps(message, ensure_ascii=False)


def send_all(port: int, items: Sequence[Signed], concurrency: int) -> tuple[list[Sample], float]:
    """Send with at most `concurrency` requests in flight; the samples and the wall time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bench-client") as pool:
        samples = list(pool.map(lambda item: send(port, item), items))
    return samples, time.perf_counter() - started


def collect_response_urls(
    slack: FakeSlack, mark: int, items: Sequence[Signed], samples: list[Sample]
) -> float | None:
    """Time the commands whose ack carried no reply by their first post to the response_url.

    Returns when the last such post arrived (time.time()), or None when there were none.
    """
    waiting = {
        urlsplit(item.response_url).path: (item, sample)
        for item, sample in zip(items, samples, strict=True)
        if sample.status == 200 and sample.latency_s is None and item.response_url
    }
    if not waiting:
        return None
    deadline = time.monotonic() + RESPONSE_URL_WAIT_S
    last = 0.0
    while waiting and time.monotonic() < deadline:
        for call in slack.calls_since(mark, RESPONSE_URL):
            found = waiting.pop(call.path, None)
            if found is None or call.status != 200:
                continue
            item, sample = found
            sample.latency_s, sample.source = call.at - sample.sent_at, "response_url"
            posted = json.dumps(call.params, ensure_ascii=False)
            sample.right = item.expect is None or item.expect in posted
            last = max(last, call.at)
        if waiting:
            time.sleep(0.05)
    return last or None


# ---- rounds ----------------------------------------------------------------------------------


@dataclass
class Round:
    server: str
    concurrency: int
    number: int
    samples: list[Sample]
    wall_s: float
    rss_kib: int
    load: float  # 1-minute load average after the round
    cpu_s: float = 0.0  # the server's CPU time during the round

    @property
    def cpu_ms(self) -> float:
        """The server's CPU time per command: what bounds throughput on a busy machine."""
        return self.cpu_s * 1000 / len(self.samples)

    @property
    def failed(self) -> int:
        return sum(sample.failed for sample in self.samples)

    def latencies_ms(self) -> list[float]:
        return sorted(s.latency_s * 1000 for s in self.samples if s.latency_s is not None)

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms(), 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms(), 99)

    @property
    def per_s(self) -> float:
        return len(self.samples) / self.wall_s

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024

    def sources(self) -> str:
        found = sorted({s.source for s in self.samples if s.source})
        return "+".join(found) or "none"


def percentile(ordered: list[float], p: float) -> float:
    """Nearest rank: the smallest value at or below which p% of the values lie."""
    if not ordered:
        return math.nan
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def run_round(
    server: Server,
    slack: FakeSlack,
    commands: Sequence[Command],
    concurrency: int,
    number: int,
) -> Round:
    # Signed just before sending, each with its own response_url and trigger_id, so no two
    # requests share a (timestamp, body) pair: the bot refuses a replay.
    items = [slash(slack, command, server.fixed_reply) for command in commands]
    mark = slack.mark()
    started_wall, cpu_before = time.time(), server.cpu_s()
    samples, wall_s = send_all(server.port, items, concurrency)
    last_post = collect_response_urls(slack, mark, items, samples)
    if last_post is not None:
        wall_s = max(wall_s, last_post - started_wall)
    cpu_s = server.cpu_s() - cpu_before
    load = os.getloadavg()[0]
    return Round(server.name, concurrency, number, samples, wall_s, server.rss_kib(), load, cpu_s)


def print_round(database: str, result: Round) -> None:
    print(
        f"{database:<9}c={result.concurrency:<3} round {result.number}  {result.server:<5}"
        f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  {result.per_s:7.1f} cmd/s  "
        f"CPU {result.cpu_ms:5.2f} ms/cmd  "
        f"RSS {result.rss_mib:6.1f} MiB  failed {result.failed:>3}  reply in {result.sources()}  "
        f"load {result.load:.2f}",
        flush=True,
    )


# ---- seeding and the thread answers ----------------------------------------------------------


def seed_texts() -> list[str]:
    """The `/vsm` texts that make the stream the commands read and change: five steps, one
    person at each."""
    texts = [f'new "{STREAM}" trigger:"Order in" value:"Order shipped"']
    texts += [
        f'step add "{STREAM}" "{name}" team:"Team {position}" people:<@{person}>'
        for position, (name, person) in enumerate(STEPS, start=1)
    ]
    return texts


def seed(bot: Server, slack: FakeSlack) -> None:
    """The stream the commands read and change."""
    for line in seed_texts():
        [sample] = send_all(bot.port, [slash(slack, Command("seed", line, STREAM))], 1)[0]
        if sample.failed:
            raise SystemExit(f"seeding: /vsm {line} failed (HTTP {sample.status})\n{bot.tail()}")


def open_cycle(bot: Server, slack: FakeSlack) -> str:
    """`/vsm measure`; the ts of the cycle message the bot posted in the home channel."""
    mark = slack.mark()
    [sample], _ = send_all(
        bot.port, [slash(slack, Command("measure", f'measure "{STREAM}"', ""))], 1
    )
    if sample.status != 200:
        raise SystemExit(f"/vsm measure: HTTP {sample.status}\n{bot.tail()}")
    return cycle_posted(slack, mark)


def cycle_posted(slack: FakeSlack, mark: int) -> str:
    """The ts of the cycle message the bot posted since `mark`."""
    [posted, *_] = slack.wait_for(
        "chat.postMessage",
        lambda call: call.ok and str(call.params.get("text", "")).startswith("Measuring "),
        since=mark,
        timeout=10,
    )
    return str(posted.response["ts"])


def thread_answers(slack: FakeSlack, thread_ts: str, count: int) -> list[Signed]:
    """`count` answers in the cycle's thread, each from the person at the step it names."""
    items = []
    for n in range(count):
        position = n % len(STEPS) + 1
        line = f"{position}: wait {1 + n % 3}d, pt {1 + n % 4}h, ca {80 + n % 20}%"
        event = payloads.user_message(
            WORKSPACE,
            text=line,
            user=STEPS[position - 1][1],
            channel=HOME,
            ts=slack.new_ts(),
            thread_ts=thread_ts,
            parent_user_id=BOT_USER_ID,
        )
        envelope = payloads.event_callback(WORKSPACE, event, event_id=payloads.new_event_id())
        items.append(signed(json.dumps(envelope).encode(), "application/json"))
    return items


@dataclass(frozen=True)
class Answers:
    database: str
    server: str
    sent: int
    non_200: int
    wall_s: float
    stored: int | None  # None: the bare app stores nothing
    cpu_s: float = 0.0  # the server's CPU time while it took them

    @property
    def per_s(self) -> float:
        return (self.sent - self.non_200 if self.stored is None else self.stored) / self.wall_s

    @property
    def cpu_ms(self) -> float:
        return self.cpu_s * 1000 / self.sent

    def describe(self) -> str:
        stored = "nothing stored" if self.stored is None else f"{self.stored} stored"
        return (
            f"{self.sent} thread answers to {self.server}: {stored}, {self.non_200} not 200, "
            f"{self.wall_s:.2f} s, {self.per_s:.1f}/s, CPU {self.cpu_ms:.2f} ms each  "
            f"load {os.getloadavg()[0]:.2f}"
        )


def measurement_rows(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM measurement")).scalar_one())
    finally:
        engine.dispose()


def send_answers(
    database: str, server: Server, items: list[Signed], concurrency: int, url: str | None
) -> Answers:
    cpu_before = server.cpu_s()
    samples, wall_s = send_all(server.port, items, concurrency)
    cpu_s = server.cpu_s() - cpu_before
    non_200 = sum(sample.status != 200 for sample in samples)
    stored = measurement_rows(url) if url is not None else None
    return Answers(database, server.name, len(items), non_200, wall_s, stored, cpu_s)


# ---- the run ---------------------------------------------------------------------------------


@dataclass
class Run:
    database: str
    rounds: list[Round] = field(default_factory=list)
    answers: list[Answers] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A stop from outside unwinds like Ctrl-C, through the blocks that stop the servers.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    levels = [int(level) for level in args.concurrency.split(",")]
    rng = random.Random(args.seed)
    print(f"{_machine()}; load average {_load()} at the start", flush=True)
    if "postgres" in databases:
        print(_postgres_version(args.postgres_url), flush=True)
    runs = []
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vsm-bench-")))
        slack = stack.enter_context(FakeSlack(token=TOKEN))
        (directory / "bare").mkdir()
        bare = stack.enter_context(start_bare(slack.api_url, directory / "bare"))
        for database in databases:
            place = directory / database
            place.mkdir()
            with (
                database_url(database, args.postgres_url, place) as url,
                start_bot(slack.api_url, url, place) as bot,
            ):
                seed(bot, slack)
                run = Run(database)
                runs.append(run)
                warm = command_mix(args.warmup, rng)
                for server in (bot, bare):
                    send_all(server.port, [slash(slack, c) for c in warm], 2 * WORKERS * 4)
                for concurrency in levels:
                    for number in range(1, args.rounds + 1):
                        commands = command_mix(args.commands, rng)
                        for server in (bot, bare):  # alternating: A B A B …
                            result = run_round(server, slack, commands, concurrency, number)
                            run.rounds.append(result)
                            print_round(database, result)
                if args.answers:
                    thread = open_cycle(bot, slack)
                    for server, stored_in in ((bot, url), (bare, None)):
                        items = thread_answers(slack, thread, args.answers)
                        found = send_answers(
                            database, server, items, args.answer_concurrency, stored_in
                        )
                        run.answers.append(found)
                        print(f"{database:<9}{found.describe()}", flush=True)
        if slack.internal_errors:
            print("the stand-in failed:", *slack.internal_errors, sep="\n", file=sys.stderr)
    print(f"\nload average {_load()} at the end")
    return _report(runs, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES, help=f"default {POSTGRES}")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server and level")
    parser.add_argument("--concurrency", default="1,20", help="levels, comma-separated")
    parser.add_argument("--commands", type=int, default=300, help="commands per round")
    parser.add_argument("--warmup", type=int, default=60, help="commands to warm each server")
    parser.add_argument("--answers", type=int, default=500, help="thread answers (0: none)")
    parser.add_argument("--answer-concurrency", type=int, default=20)
    parser.add_argument(
        "--max-failed", type=float, default=0.01, help="failed share tolerated (default 1%%)"
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    return (
        f"{os.cpu_count()} × {cpu}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {WORKERS} workers × {bare_bolt.THREADS} threads a server"
    )


def _postgres_version(url: str) -> str:
    engine = create_engine(normalize_database_url(url))
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SELECT version()")).scalar_one()).split(" on ")[0]
    finally:
        engine.dispose()


def _load() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def _report(runs: list[Run], args: argparse.Namespace) -> int:
    status = 0
    for run in runs:
        print(
            f"\n{run.database}: replies to /vsm, medians of {args.rounds} rounds of "
            f"{args.commands} commands (RSS: VmRSS summed over master and workers; CPU: the "
            "server's CPU time per command)"
        )
        header = (
            f"{'conc':>4}  {'server':<9}{'p50 ms':>9}{'p99 ms':>9}{'cmd/s':>9}{'RSS MiB':>9}"
            f"{'CPU ms':>9}{'failed':>8}{'load':>7}"
        )
        print(header)
        print("-" * len(header))
        for concurrency in dict.fromkeys(r.concurrency for r in run.rounds):
            medians = {}
            for server in ("bot", "bare"):
                mine = [
                    r for r in run.rounds if r.concurrency == concurrency and r.server == server
                ]
                medians[server] = (
                    statistics.median(r.p50_ms for r in mine),
                    statistics.median(r.p99_ms for r in mine),
                    statistics.median(r.per_s for r in mine),
                    statistics.median(r.rss_mib for r in mine),
                    statistics.median(r.cpu_ms for r in mine),
                )
                failed = sum(r.failed for r in mine)
                load = statistics.median(r.load for r in mine)
                p50, p99, per_s, rss, cpu = medians[server]
                print(
                    f"{concurrency:>4}  {server:<9}{p50:>9.1f}{p99:>9.1f}{per_s:>9.1f}{rss:>9.1f}"
                    f"{cpu:>9.2f}{failed:>8}{load:>7.2f}"
                )
            ratios = [b / a for a, b in zip(medians["bare"], medians["bot"], strict=True)]
            print(f"{concurrency:>4}  {'bot/bare':<9}" + "".join(f"{r:>8.2f}×" for r in ratios))
        too_many = [r for r in run.rounds if r.failed > args.max_failed * len(r.samples)]
        for r in too_many:
            print(f"FAILED: {r.server} c={r.concurrency} round {r.number}: {r.failed} failed")
        status = status or (1 if too_many else 0)
    answers = [found for run in runs for found in run.answers]
    if answers:
        print(f"\nThread answers, {args.answers} at concurrency {args.answer_concurrency}:")
        header = (
            f"{'db':<9}{'server':<7}{'stored':>8}{'non-200':>9}{'seconds':>9}{'per s':>9}"
            f"{'CPU ms':>9}"
        )
        print(header)
        print("-" * len(header))
        for found in answers:
            stored = "acked" if found.stored is None else str(found.stored)
            print(
                f"{found.database:<9}{found.server:<7}{stored:>8}{found.non_200:>9}"
                f"{found.wall_s:>9.2f}{found.per_s:>9.1f}{found.cpu_ms:>9.2f}"
            )
            lost = found.stored is not None and found.stored < found.sent - found.non_200
            if found.non_200 > args.max_failed * found.sent or lost:
                print(
                    f"FAILED: {found.database} {found.server}: {found.non_200} answers not 200, "
                    f"{found.stored if found.stored is not None else '—'} stored"
                )
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
