"""Digests of many workspaces due at once, posted by 1, 2 and 4 clock processes on PostgreSQL.

    .venv/bin/python bench/clock_scale.py                    # 200 workspaces × 10 channels
    .venv/bin/python bench/clock_scale.py --clocks 1 4 --latency 0.05 --throttled 20

For each number of clocks: a freshly migrated PostgreSQL schema gets the workspaces (each
channel a stream homed there and its weekly digest, every digest due at the same minute), the
stand-in Slack installs every workspace (its own bot token) and answers each Web API call after
`--latency` seconds, as a network would. Then that many processes each build the clock's core
(bot.app.build_core with every workspace's token) and, released together, run one tick
(bot.clock.tick: claim and build the due digests, then send the outbox) until nothing is left.
Printed per run: the posts Slack took per second (from the release until the last process
ended), duplicates (a message posted more than once) and missing posts (due, never posted).

`--throttled K` makes the stand-in answer every call of K workspaces with 429 (Retry-After
60 s): their digests must wait in the outbox (each workspace costing one call, or a few when
several clocks meet it at once) while every other workspace's go out; they are counted apart.
Exit status 1 on any duplicate or missing post.
"""

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from throwaway import postgres_schema

from bot.app import build_core
from bot.clock import tick
from bot.settings import Settings
from standin.server import FakeSlack
from storage.engine import make_engine
from storage.migrate import upgrade_database
from storage.models import DigestSchedule, Step, Stream
from storage.tenant import Tenant

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
POST = "chat.postMessage"
KEY_EVENT = "vsm_outbox"  # bot/gateway.py: the metadata event that carries the outbox key
CREATOR = "USCALE0000"
WORKER_TIMEOUT_S = 600


@dataclass(frozen=True)
class Result:
    clocks: int
    seconds: float
    posted: int  # posts Slack took, duplicates included
    unique: int
    expected: int
    waiting: int  # messages of rate-limited workspaces still in the outbox
    limited_calls: int  # calls the rate-limited workspaces cost

    @property
    def duplicates(self) -> int:
        return self.posted - self.unique

    @property
    def missing(self) -> int:
        return self.expected - self.unique


def team_id(number: int) -> str:
    return f"TSCALE{number:04d}"


def channel_id(team: int, channel: int) -> str:
    return f"CS{team:04d}X{channel:02d}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.worker:
        return _work(args.worker)
    print(
        f"{args.workspaces} workspaces × {args.channels} channels: "
        f"{args.workspaces * args.channels} digests due at once; stand-in latency "
        f"{args.latency * 1000:.0f} ms per call; {args.throttled} workspaces rate-limited",
        flush=True,
    )
    print(
        f"{'clocks':>6} {'seconds':>8} {'posts/s':>8} {'posted':>7} {'dups':>5} {'missing':>7}",
        flush=True,
    )
    results = []
    for clocks in args.clocks:
        result = _run(args, clocks)
        results.append(result)
        print(
            f"{result.clocks:>6} {result.seconds:>8.2f} {result.unique / result.seconds:>8.0f} "
            f"{result.posted:>7} {result.duplicates:>5} {result.missing:>7}"
            + (
                f"   (rate-limited: {result.waiting} waiting, {result.limited_calls} calls)"
                if args.throttled
                else ""
            ),
            flush=True,
        )
    return 1 if any(r.duplicates or r.missing for r in results) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--channels", type=int, default=10, help="per workspace")
    parser.add_argument("--clocks", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per Web API call")
    parser.add_argument("--throttled", type=int, default=0, help="workspaces answered 429")
    parser.add_argument("--postgres-url", default=POSTGRES)
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # a clock process: its job file
    return parser


# ---- one run -------------------------------------------------------------------------------


def _run(args: argparse.Namespace, clocks: int) -> Result:
    tick_at = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    limited = {team_id(n) for n in range(args.throttled)}
    with postgres_schema(args.postgres_url, "vsm_scale") as url, FakeSlack() as slack:
        engine = make_engine(url)
        try:
            upgrade_database(engine)
            _build(engine, args.workspaces, args.channels, tick_at)
        finally:
            engine.dispose()
        tokens = {
            team_id(n): str(slack.oauth.install(team_id(n))["access_token"])
            for n in range(args.workspaces)
        }
        for team in limited:
            slack.throttle(team, retry_after=60)
        slack.set_latency(args.latency)
        with tempfile.TemporaryDirectory(prefix="vsm-clock-scale-") as directory:
            job = Path(directory) / "job.json"
            job.write_text(
                json.dumps(
                    {
                        "url": url,
                        "slack": slack.api_url,
                        "tokens": tokens,
                        "now": tick_at.isoformat(),
                    }
                )
            )
            seconds = _release(clocks, job)
        keys = _posted_keys(slack, limited)
        waiting = _waiting(url, limited)
        limited_calls = sum(1 for call in slack.calls(POST) if call.team_id in limited)
        if slack.internal_errors:
            raise RuntimeError(f"the stand-in failed: {slack.internal_errors}")
    expected = (args.workspaces - len(limited)) * args.channels
    return Result(clocks, seconds, sum(keys.values()), len(keys), expected, waiting, limited_calls)


def _release(clocks: int, job: Path) -> float:
    """Start the clock processes, let them all load, release them at once; the seconds from
    the release until the last one ended."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(job)]
    workers = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(clocks)
    ]
    try:
        for worker in workers:
            line = worker.stdout.readline().strip() if worker.stdout else ""
            if line != "ready":
                raise RuntimeError(f"a clock process did not start: {line!r}")
        started = time.perf_counter()
        for worker in workers:
            if worker.stdin is not None:
                worker.stdin.write("go\n")
                worker.stdin.flush()
        for worker in workers:
            if worker.wait(timeout=WORKER_TIMEOUT_S) != 0:
                raise RuntimeError("a clock process failed")
        return time.perf_counter() - started
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def _posted_keys(slack: FakeSlack, limited: set[str]) -> Counter[str]:
    """Outbox keys of the posts Slack took, counted (the rate-limited workspaces' apart)."""
    keys: Counter[str] = Counter()
    for call in slack.calls(POST):
        metadata = call.params.get("metadata") or {}
        if call.applied and metadata.get("event_type") == KEY_EVENT:
            keys[str(metadata["event_payload"]["key"])] += 1
    return keys


def _waiting(url: str, limited: set[str]) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT team_id, status FROM outbox WHERE status <> 'sent'")
            ).all()
    finally:
        engine.dispose()
    strays = [row for row in rows if row.team_id not in limited]
    if strays:
        raise RuntimeError(f"{len(strays)} messages of workspaces Slack did not limit are unsent")
    return len(rows)


# ---- the data ------------------------------------------------------------------------------


def _build(engine: Any, workspaces: int, channels: int, tick_at: datetime) -> None:
    """Per workspace and channel: a stream of two steps homed there, and its weekly digest
    due at `tick_at` (UTC)."""
    streams, steps, digests = [], [], []
    stream_id = 0
    for team in range(workspaces):
        for channel in range(channels):
            stream_id += 1
            name = f"Onboarding {channel + 1}"
            streams.append(
                {
                    "id": stream_id,
                    "team_id": team_id(team),
                    "name": name,
                    "name_key": name.casefold(),
                    "channel_id": channel_id(team, channel),
                    "created_by": CREATOR,
                    "created_at": tick_at - timedelta(days=30),
                }
            )
            for position, step in enumerate(("Intake", "Review"), start=1):
                steps.append(
                    {"stream_id": stream_id, "position": position, "name": step, "people": []}
                )
            digests.append(
                {
                    "team_id": team_id(team),
                    "channel_id": channel_id(team, channel),
                    "weekday": tick_at.weekday(),
                    "at_time": f"{tick_at:%H:%M}",
                    "zone": "UTC",
                    "anchor": tick_at.date() - timedelta(weeks=4),
                    "next_run_at": tick_at,
                    "created_by": CREATOR,
                    "created_at": tick_at - timedelta(days=30),
                }
            )
    with engine.begin() as connection:
        connection.execute(insert(Stream.__table__), streams)  # type: ignore[attr-defined]
        connection.execute(insert(Step.__table__), steps)  # type: ignore[attr-defined]
        connection.execute(insert(DigestSchedule.__table__), digests)  # type: ignore[attr-defined]
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('stream', 'id'), :last)"),
            {"last": stream_id},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


# ---- a clock process -----------------------------------------------------------------------


def _work(job_path: str) -> int:
    """One clock: load, say ready, wait for the release, tick until nothing is left."""
    logging.basicConfig(level=logging.ERROR)  # a rate limit's warnings are expected here
    job = json.loads(Path(job_path).read_text())
    tokens: dict[str, str] = job["tokens"]
    settings = Settings(_env_file=None, slack_api_url=job["slack"], database_url=job["url"])

    def token_for(tenant: Tenant) -> str:
        return tokens[tenant.team_id]

    core = build_core(settings, token_for=token_for)
    with core.engine.connect() as connection:  # a running clock has its connection already
        connection.execute(text("SELECT 1"))
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    tick(core, datetime.fromisoformat(job["now"]))
    core.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
