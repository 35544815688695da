"""Times one clock tick that posts every channel's weekly digest, on SQLite and PostgreSQL.

    .venv/bin/python bench/digest_tick.py --db both

Builds a workspace (by default 1,000 streams × 12 steps × 26 closed cycles in 50 channels)
straight into a freshly migrated database, then runs one tick of the clock exactly as the
clock process does (`bot.app.build_core`, `bot.clock.tick`) against the stand-in Slack and
counts the SQL statements it sends. A second, idle tick right after (nothing due) gives the
cost every tick pays anyway, so statements per digest = (busy tick − idle tick) / digests.

The same is measured on a smaller workspace (fewer streams per channel, fewer cycles): the
statements per digest must be the same, or a query runs once per stream or per cycle (N+1).
Exit status 1 when they differ, or when a tick did not post every digest.
"""

import argparse
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# A sibling module: Python puts bench/ first on sys.path when it runs this file.
from digest_data import Shape, build_workspace, channel_id, tick_instant
from sqlalchemy import Engine, event, text
from throwaway import postgres_schema

from bot.app import Core, build_core
from bot.clock import tick
from bot.settings import Settings
from standin.server import FakeSlack
from storage.engine import make_engine
from storage.migrate import upgrade_database

TOKEN = "xoxb-bench-token"  # noqa: S105  # only the stand-in Slack takes it
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
KINDS = ("select", "insert", "update", "delete", "other")
PHASES = ("dispatch", "delivery")


@dataclass(frozen=True)
class Statement:
    phase: str
    sql: str
    seconds: float  # from handing it to the driver until the driver returned


@dataclass
class StatementLog:
    """Every statement the engine sends, with the phase of the tick it belongs to."""

    phase: str = "dispatch"
    seen: list[Statement] = field(default_factory=list)
    _started: float = 0.0

    @contextmanager
    def listening(self, engine: Engine) -> Iterator[None]:
        before, after = self._before, self._after  # the same objects, to remove them after
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            yield
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)

    def _before(self, *_: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, *args: Any) -> None:
        # (conn, cursor, statement, parameters, context, executemany)
        self.seen.append(Statement(self.phase, args[2], time.perf_counter() - self._started))

    def counts(self) -> Counter[tuple[str, str]]:
        """(phase, kind) → how many; kind is the statement's first word, BEGIN etc. "other"."""
        found: Counter[tuple[str, str]] = Counter()
        for statement in self.seen:
            word = statement.sql.split(None, 1)[0].lower()
            found[statement.phase, word if word in KINDS else "other"] += 1
        return found


@dataclass(frozen=True)
class Tick:
    """One timed tick."""

    seconds: float
    dispatch_s: float
    digests: int
    posted: list[dict[str, Any]]
    statements: Counter[tuple[str, str]]
    log: StatementLog


@dataclass(frozen=True)
class Run:
    """One database at one size: how long building took, the busy tick and the idle one."""

    database: str
    shape: Shape
    rows: dict[str, int]
    build_s: float
    busy: Tick
    idle: Tick

    def per_digest(self) -> dict[tuple[str, str], float]:
        """Statements per digest by (phase, kind): what the busy tick did beyond an idle one."""
        keys = set(self.busy.statements) | set(self.idle.statements)
        digests = max(self.busy.digests, 1)
        return {
            key: (self.busy.statements[key] - self.idle.statements[key]) / digests for key in keys
        }

    def total(self, phase: str | None = None) -> float:
        return sum(n for (p, _), n in self.per_digest().items() if phase in (None, p))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    big = Shape(args.streams, args.steps, args.cycles, args.channels, args.answers)
    small = Shape(args.small_streams, args.steps, args.small_cycles, args.channels, args.answers)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    runs = []
    for database in databases:
        for shape in (big, small):
            print(f"{database}: building {shape.describe()} …", file=sys.stderr, flush=True)
            with _database_url(database, args.postgres_url) as url:
                runs.append(_measure(database, url, shape, args.seed))
            if args.sql and shape is big:
                _print_statements(runs[-1])
    print()
    _print_times(runs)
    print()
    return _print_statements_per_digest(runs)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=26, help="closed cycles per stream")
    parser.add_argument("--steps", type=int, default=12, help="steps per stream")
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--answers", type=int, default=2, help="people answering each step")
    parser.add_argument("--small-streams", type=int, default=250, help="the smaller size")
    parser.add_argument("--small-cycles", type=int, default=6, help="the smaller size")
    parser.add_argument("--postgres-url", default=POSTGRES, help=f"default {POSTGRES}")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--sql", action="store_true", help="list the busy tick's statements")
    return parser


@contextmanager
def _database_url(database: str, postgres_url: str) -> Iterator[str]:
    """An empty database: a SQLite file in a temporary directory, or a fresh PG schema."""
    if database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="vsm-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'vsm.db'}"
        return
    with postgres_schema(postgres_url) as url:
        yield url


def _measure(database: str, url: str, shape: Shape, seed: int) -> Run:
    tick_at = tick_instant()
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        upgrade_database(engine)
        rows = build_workspace(engine, shape, tick_at, seed)
    finally:
        engine.dispose()
    build_s = time.perf_counter() - started
    with FakeSlack(token=TOKEN) as slack:
        settings = Settings(
            _env_file=None,  # no .env: everything this run needs is given here
            slack_bot_token=TOKEN,
            slack_api_url=slack.api_url,
            database_url=url,
        )
        core = build_core(settings)
        try:
            _warm_up(core.engine)
            busy = _timed_tick(core, tick_at, slack)
            idle = _timed_tick(core, tick_at + timedelta(seconds=30), slack)
        finally:
            core.engine.dispose()
    run = Run(database, shape, rows, build_s, busy, idle)
    _check(run, shape)
    return run


def _warm_up(engine: Engine) -> None:
    # A running clock has its pooled connection open already; the first connect is not a tick.
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _timed_tick(core: Core, now: datetime, slack: FakeSlack) -> Tick:
    """Run `bot.clock.tick` once, counting statements; delivery starts when the sender does."""
    log = StatementLog()
    mark = slack.mark()
    deliver_due = core.sender.deliver_due
    marks: dict[str, float] = {}

    def delivery_phase(*args: Any, **kwargs: Any) -> Any:
        log.phase, marks["delivery"] = "delivery", time.perf_counter()
        return deliver_due(*args, **kwargs)

    # Seen by this tick only: the instance attribute shadows the method, and is removed below.
    core.sender.deliver_due = delivery_phase
    try:
        with log.listening(core.engine):
            started = time.perf_counter()
            report = tick(core, now)
            seconds = time.perf_counter() - started
    finally:
        del core.sender.deliver_due
    posted = [call.params for call in slack.calls_since(mark, "chat.postMessage") if call.ok]
    return Tick(
        seconds=seconds,
        dispatch_s=marks.get("delivery", started) - started,
        digests=report.digests,
        posted=posted,
        statements=log.counts(),
        log=log,
    )


def _check(run: Run, shape: Shape) -> None:
    """The busy tick posted one digest per channel, each naming every stream homed there."""
    problems = []
    if run.busy.digests != shape.channels or len(run.busy.posted) != shape.channels:
        problems.append(
            f"{run.busy.digests} digests built and {len(run.busy.posted)} posted, "
            f"not {shape.channels}"
        )
    if {post["channel"] for post in run.busy.posted} != set(map(channel_id, range(shape.channels))):
        problems.append("the digests did not go one to each channel")
    named = sum(len(post["text"].split(": ", 1)[1].split(", ")) for post in run.busy.posted)
    if named != shape.streams:
        problems.append(f"the digests name {named} streams, not {shape.streams}")
    if run.idle.digests or run.idle.posted:
        problems.append("the idle tick posted something")
    if problems:
        raise SystemExit(f"{run.database}, {shape.describe()}: " + "; ".join(problems))


def _print_times(runs: list[Run]) -> None:
    print("One tick posting every channel's digest (wall time; build not included):")
    header = (
        f"{'db':<9}{'streams':>8}{'cycles':>7}{'per ch':>7}{'rows':>10}{'build':>9}"
        f"{'tick':>9}{'dispatch':>10}{'delivery':>10}{'per digest':>12}{'idle tick':>11}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        busy = run.busy
        rows = sum(run.rows.values())
        print(
            f"{run.database:<9}{run.shape.streams:>8}{run.shape.cycles:>7}"
            f"{run.shape.per_channel:>7}{rows:>10,}{run.build_s:>8.1f}s"
            f"{busy.seconds:>8.2f}s{busy.dispatch_s:>9.2f}s{busy.seconds - busy.dispatch_s:>9.2f}s"
            f"{busy.seconds / max(busy.digests, 1) * 1000:>10.1f}ms"
            f"{run.idle.seconds * 1000:>9.1f}ms"
        )


def _print_statements_per_digest(runs: list[Run]) -> int:
    """The table of statements per digest; returns 1 if a database's sizes disagree."""
    print("SQL statements per digest ((busy tick − idle tick) / digests):")
    header = (
        f"{'db':<9}{'streams/ch':>11}{'cycles':>7}   "
        + "".join(f"{kind:>7}" for kind in KINDS)
        + f"{'dispatch':>10}{'delivery':>10}{'total':>7}   tick (idle)"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        per = run.per_digest()
        kinds = [sum(n for (_, k), n in per.items() if k == kind) for kind in KINDS]
        print(
            f"{run.database:<9}{run.shape.per_channel:>11}{run.shape.cycles:>7}   "
            + "".join(f"{_number(n):>7}" for n in kinds)
            + f"{_number(run.total('dispatch')):>10}{_number(run.total('delivery')):>10}"
            + f"{_number(run.total()):>7}   "
            + f"{sum(run.busy.statements.values())} ({sum(run.idle.statements.values())})"
        )
    status = 0
    for database in dict.fromkeys(run.database for run in runs):
        mine = [run for run in runs if run.database == database]
        counts = {_rounded(run.per_digest()) for run in mine}
        same = len(counts) == 1
        print(
            f"{database}: statements per digest "
            + ("are the same at both sizes — no N+1" if same else "DIFFER between sizes — N+1?")
        )
        status = status or (0 if same else 1)
    return status


def _rounded(per: dict[tuple[str, str], float]) -> tuple[tuple[str, str, float], ...]:
    return tuple(sorted((phase, kind, round(n, 3)) for (phase, kind), n in per.items() if n))


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


def _print_statements(run: Run) -> None:
    """The busy tick's statements grouped by their text: how many, per digest, time in driver."""
    grouped: dict[tuple[str, str], list[float]] = {}
    for statement in run.busy.log.seen:
        key = (statement.phase, _shape_of(statement.sql))
        grouped.setdefault(key, []).append(statement.seconds)
    digests = max(run.busy.digests, 1)
    print(f"\n{run.database}: the busy tick's statements ({run.busy.digests} digests)")
    print(f"{'count':>6}{'/digest':>8}{'driver':>9}  {'phase':<9} statement")
    for (phase, sql), times in sorted(grouped.items(), key=_by_phase):
        count = f"{len(times):>6}{len(times) / digests:>8.2f}"
        print(f"{count}{sum(times) * 1000:>7.0f}ms  {phase:<9} {sql}")
    driver = sum(statement.seconds for statement in run.busy.log.seen)
    print(f"time in the driver: {driver:.2f} s of the tick's {run.busy.seconds:.2f} s")


def _shape_of(sql: str) -> str:
    """A statement with its column lists and IN lists cut short, to group and print it."""
    sql = " ".join(sql.split())
    sql = re.sub(r"SELECT (?!…).+? FROM", "SELECT … FROM", sql)
    sql = re.sub(r"\bIN \((?:[^()]|\([^()]*\))*\)", "IN (…)", sql)  # PG: IN (%(a)s::INTEGER, …)
    return sql[:110]


def _by_phase(item: tuple[tuple[str, str], list[float]]) -> tuple[int, float]:
    (phase, _), times = item
    return PHASES.index(phase), -sum(times)


if __name__ == "__main__":
    sys.exit(main())
