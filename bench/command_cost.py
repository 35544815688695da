"""What each kind of request costs the bot in one process: time and SQL statements.

    .venv/bin/python bench/command_cost.py                 # SQLite; --db postgres
    .venv/bin/python bench/command_cost.py --profile show  # and where a kind's time goes

Builds the web workers' WSGI application in this process (`create_wsgi_app`, as a gunicorn
worker does) against the stand-in Slack and a throwaway migrated database, seeds the stream
bench/slash_latency.py uses, and calls the application directly — no HTTP, no other process —
with signed requests of each kind of that benchmark's mix, and with thread answers to an open
cycle; then does the same with bench/bare_bolt.py's app (`bare-ack`: a `/vsm` it acks with
its fixed text; `bare-event`: a thread answer it acks), the yardstick of slash_latency.py.
For each kind it prints the median time of a request, the CPU time this process spent
per request (every thread: the work done in the background after the acknowledgement — a Home
refresh — included, and the stand-in's answers to the bot's Web API calls) and the SQL
statements the engine sent per request (counted by SQLAlchemy's `before_cursor_execute`, so
including the BEGINs SQLAlchemy itself sends).

Statements are exact and repeatable; times depend on the machine and on what else runs (CPU
time less so than the median), so compare two versions side by side. `--profile KIND` prints
cProfile's top functions for that kind, sorted by cumulative time (cProfile roughly doubles
the times it measures).

Exit status 1 when a request got no 200 or not the expected reply.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Siblings (Python puts bench/ first on sys.path when it runs this file).
import bare_bolt
import slash_latency as bench
from sqlalchemy import Engine, event

from standin.server import FakeSlack

EXTRA_KINDS = ("answer",)


class Statements:
    """Counts the statements every engine of this process sends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def __call__(self, *_: object) -> None:
        with self._lock:
            self.count += 1


def environ_for(item: bench.Signed) -> dict[str, Any]:
    """The WSGI environ gunicorn would build for this signed POST."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": bench.EVENTS_PATH,
        "QUERY_STRING": "",
        "wsgi.input": io.BytesIO(item.body),
        "CONTENT_LENGTH": str(len(item.body)),
    }
    for name, value in item.headers.items():
        if name.lower() == "content-type":
            environ["CONTENT_TYPE"] = value
        else:
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call(app: Callable[..., Iterable[bytes]], item: bench.Signed) -> tuple[int, bytes]:
    """One request through the WSGI application: its status and body."""
    status: list[str] = []
    body = b"".join(app(environ_for(item), lambda line, headers: status.append(line)))
    return int(status[0].split()[0]), body


@contextmanager
def bot_app(slack: FakeSlack, database: str, postgres_url: str) -> Iterator[Any]:
    """The WSGI app of a web worker, on a freshly migrated throwaway database."""
    with tempfile.TemporaryDirectory(prefix="vsm-cost-") as name:
        directory = Path(name)
        with bench.database_url(database, postgres_url, directory) as url:
            env = bench.server_env(slack.api_url, directory, DATABASE_URL=url, LOG_LEVEL="WARNING")
            subprocess.run(
                [*bench.bot_command(), "db", "upgrade"], env=env, check=True, capture_output=True
            )
            os.environ.update(env)
            from bot.settings import load_settings
            from bot.web import create_wsgi_app

            yield create_wsgi_app(load_settings())


def wait_for_background(counter: Statements, quiet_s: float = 0.3) -> None:
    """Until no statement was sent for `quiet_s` (the Home refreshes after a request)."""
    last, since = counter.count, time.monotonic()
    while time.monotonic() - since < quiet_s:
        time.sleep(0.05)
        if counter.count != last:
            last, since = counter.count, time.monotonic()


def measure(
    kind: str,
    app: Callable[..., Iterable[bytes]],
    items: list[bench.Signed],
    counter: Statements,
    profile: bool,
) -> bool:
    """Send `items` one after another; print the kind's figures. False on a wrong answer."""
    profiler = cProfile.Profile() if profile else None
    times, wrong = [], 0
    wait_for_background(counter)
    before, cpu_before = counter.count, time.process_time()
    for item in items:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        status, body = call(app, item)
        if profiler:
            profiler.disable()
        times.append(time.perf_counter() - started)
        if status != 200 or (item.expect is not None and item.expect.encode() not in body):
            wrong += 1
    wait_for_background(counter)
    cpu_ms = (time.process_time() - cpu_before) * 1000 / len(items)
    statements = (counter.count - before) / len(items)
    print(
        f"{kind:<10} {statistics.median(times) * 1000:8.2f} {cpu_ms:8.2f}"
        f" {statements:11.1f} {wrong:6}",
        flush=True,
    )
    if profiler:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
    return wrong == 0


def seed(app: Callable[..., Iterable[bytes]], slack: FakeSlack) -> None:
    for line in bench.seed_texts():
        status, body = call(app, bench.slash(slack, bench.Command("seed", line, bench.STREAM)))
        if status != 200:
            raise SystemExit(f"seeding: /vsm {line} answered {status}: {body[:200]!r}")


def open_cycle(app: Callable[..., Iterable[bytes]], slack: FakeSlack) -> str:
    mark = slack.mark()
    call(app, bench.slash(slack, bench.Command("measure", f'measure "{bench.STREAM}"', "")))
    return bench.cycle_posted(slack, mark)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    counter = Statements()
    event.listen(Engine, "before_cursor_execute", counter)
    rng = random.Random(args.seed)
    right = True
    with FakeSlack(token=bench.TOKEN) as slack, bot_app(slack, args.db, args.postgres_url) as app:
        seed(app, slack)
        print(f"{args.db}: {args.requests} requests a kind, after {args.warmup} to warm up")
        print(f"{'kind':<10} {'p50 ms':>8} {'CPU ms':>8} {'statements':>11} {'wrong':>6}")
        for maker, _weight in bench.MIX:
            kind = maker(0).kind.replace(" ", "-")
            made = [bench.slash(slack, maker(rng.randrange(10**9))) for _ in range(args.warmup)]
            for item in made:
                call(app, item)
            items = [bench.slash(slack, maker(rng.randrange(10**9))) for _ in range(args.requests)]
            right &= measure(kind, app, items, counter, args.profile == kind)
        thread = open_cycle(app, slack)
        answers = bench.thread_answers(slack, thread, args.warmup + args.requests)
        for item in answers[: args.warmup]:
            call(app, item)
        right &= measure("answer", app, answers[args.warmup :], counter, args.profile == "answer")
        right &= measure_bare(slack, args, counter)
    return 0 if right else 1


def measure_bare(slack: FakeSlack, args: argparse.Namespace, counter: Statements) -> bool:
    """The same for bench/bare_bolt.py's app: a `/vsm` it acks with a fixed text, an event."""
    config = bare_bolt.Config(bench.TOKEN, bench.SECRET, slack.api_url, 1, "WARNING")
    # The bot has read its settings: Bolt would note that this app's client wins over the token.
    os.environ.pop("SLACK_BOT_TOKEN", None)
    app = bare_bolt.wsgi_app(config)
    command = bench.Command("show", f'show "{bench.STREAM}"', bare_bolt.REPLY)
    commands = [bench.slash(slack, command) for _ in range(args.warmup + args.requests)]
    events = bench.thread_answers(slack, slack.new_ts(), args.warmup + args.requests)
    right = True
    for kind, items in (("bare-ack", commands), ("bare-event", events)):
        for item in items[: args.warmup]:
            call(app, item)
        right &= measure(kind, app, items[args.warmup :], counter, args.profile == kind)
    return right


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=bench.POSTGRES)
    parser.add_argument("--requests", type=int, default=300, help="timed requests a kind")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--profile", metavar="KIND", help="show, list, help, step-edit, improve or answer"
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser


if __name__ == "__main__":
    sys.exit(main())
