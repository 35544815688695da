"""The workspace the digest benchmark measures, written straight into a migrated database.

Rows go in through SQLAlchemy Core on the models' tables (no ORM, no Slack, no use cases), in
chunks of streams, with ids chosen here. Every closed cycle carries the `metrics` snapshot the
vsm core computes from the very answers stored as its measurements, so the digest reads what
a real workspace would hold.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlmodel import SQLModel

from storage.models import (
    Cycle,
    CycleStep,
    DigestSchedule,
    Improvement,
    Measurement,
    MeasureSchedule,
    Step,
    Stream,
    Target,
)
from vsm.cadence import Cadence, next_run
from vsm.metrics import Answer, measure_cycle
from vsm.metrics import StepAnswers as MeasuredStep
from vsm.names import fold
from vsm.snapshot import metrics_to_dict

TEAM = "TBENCH0001"
CREATOR = "UBENCH0000"
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC")
STREAM_NAMES = (
    "Customer onboarding",
    "Invoice dispute",
    "Hardware return",
    "Access request",
    "Contract renewal",
    "Feature release",
    "Incident follow-up",
    "Supplier approval",
)
STEP_NAMES = (
    "Intake",
    "Triage",
    "Qualify",
    "Estimate",
    "Approve",
    "Plan",
    "Build",
    "Review",
    "Test",
    "Sign-off",
    "Deploy",
    "Confirm",
)
CYCLE_EVERY = timedelta(days=14)
WINDOW = timedelta(days=5)
# Of each channel's streams, the 1st, 5th, 9th, … have a cycle open, so every channel has
# one at any size and the digest always takes the same queries for "open cycle" progress.
OPEN_EVERY = 4
CHUNK = 20  # streams whose rows go in one batch of inserts
HOUR = 3600


@dataclass(frozen=True)
class Shape:
    """How big the workspace is."""

    streams: int
    steps: int
    cycles: int  # closed cycles per stream
    channels: int
    answers: int  # people who answer each step of each cycle

    @property
    def per_channel(self) -> str:
        low, extra = divmod(self.streams, self.channels)
        return f"{low}" if not extra else f"{low}–{low + 1}"

    def describe(self) -> str:
        return (
            f"{self.streams} streams × {self.steps} steps × {self.cycles} closed cycles, "
            f"{self.channels} channels ({self.per_channel} streams each)"
        )


@dataclass
class Rows:
    """Rows for some streams, by table, in the order foreign keys need."""

    stream: list[dict[str, Any]] = field(default_factory=list)
    step: list[dict[str, Any]] = field(default_factory=list)
    cycle: list[dict[str, Any]] = field(default_factory=list)
    cycle_step: list[dict[str, Any]] = field(default_factory=list)
    measurement: list[dict[str, Any]] = field(default_factory=list)
    measure_schedule: list[dict[str, Any]] = field(default_factory=list)
    improvement: list[dict[str, Any]] = field(default_factory=list)
    target: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
        yield Stream.__table__, self.stream
        yield Step.__table__, self.step
        yield Cycle.__table__, self.cycle
        yield CycleStep.__table__, self.cycle_step
        yield Measurement.__table__, self.measurement
        yield MeasureSchedule.__table__, self.measure_schedule
        yield Improvement.__table__, self.improvement
        yield Target.__table__, self.target


@dataclass
class Ids:
    """The next id of each table (the database starts empty)."""

    _next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value


@dataclass(frozen=True)
class _Plan:
    """What every cycle of one stream repeats: its steps, its people, its typical numbers."""

    stream_id: int
    channel: str
    steps: list[tuple[int, int, str]]  # (step id, position, name)
    people: list[str]
    profile: list[tuple[float, float, float]]  # per step: wait s, process s, %C&A


def channel_id(number: int) -> str:
    """The Slack id of the benchmark's channel `number` (from 0)."""
    return f"CBENCH{number:04d}"


def build_workspace(engine: Engine, shape: Shape, tick_at: datetime, seed: int) -> dict[str, int]:
    """Fill an empty, migrated database; digests fall due at `tick_at`.

    Returns:
        How many rows went into each table.
    """
    rng = random.Random(seed)
    ids = Ids()
    written: dict[str, int] = {}
    with engine.begin() as connection:
        for first in range(0, shape.streams, CHUNK):
            rows = Rows()
            for index in range(first, min(first + CHUNK, shape.streams)):
                _add_stream(rows, ids, rng, shape, index, tick_at)
            _write(connection, rows.tables(), written)
        schedules = [_digest_schedule(ids, number, tick_at) for number in range(shape.channels)]
        _write(connection, [(DigestSchedule.__table__, schedules)], written)
        if connection.dialect.name == "postgresql":
            _move_sequences_past(connection, written)
    if engine.dialect.name == "postgresql":
        # Autovacuum would have analysed tables this size long before the next digest.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    return written


def _write(
    connection: Connection,
    batches: Iterable[tuple[Table, list[dict[str, Any]]]],
    written: dict[str, int],
) -> None:
    for table, rows in batches:
        if rows:
            connection.execute(insert(table), rows)
            written[table.name] = written.get(table.name, 0) + len(rows)


def _move_sequences_past(connection: Connection, written: dict[str, int]) -> None:
    # Ids were given explicitly, so PostgreSQL's sequences never moved; later inserts need them.
    for name in written:
        table = SQLModel.metadata.tables[name]
        sequence = func.pg_get_serial_sequence(name, "id")
        connection.execute(select(func.setval(sequence, func.max(table.c.id))))


def _add_stream(
    rows: Rows, ids: Ids, rng: random.Random, shape: Shape, index: int, tick_at: datetime
) -> None:
    stream_id = ids.take("stream")
    channel = channel_id(index % shape.channels)
    rank = index // shape.channels  # its place among its channel's streams
    name = f"{STREAM_NAMES[index % len(STREAM_NAMES)]} {index + 1:04d}"
    working = index % 5 == 0
    rows.stream.append(
        {
            "id": stream_id,
            "team_id": TEAM,
            "name": name,
            "name_key": fold(name),
            "channel_id": channel,
            "trigger": "Request received",
            "value": "Customer has what they asked for",
            "customer": "Internal teams",
            "time_basis": "working" if working else "calendar",
            "created_by": CREATOR,
            "created_at": tick_at - timedelta(days=800),
        }
    )
    people = [f"UBENCH{index:04d}{n}" for n in range(shape.answers)]
    steps = [_add_step(rows, ids, stream_id, position, people) for position in range(shape.steps)]
    plan = _Plan(
        stream_id=stream_id,
        channel=channel,
        steps=steps,
        people=people,
        profile=[
            (rng.uniform(2, 96) * HOUR, rng.uniform(0.25, 8) * HOUR, rng.uniform(0.85, 1.0))
            for _ in steps
        ],
    )
    earlier: list[tuple[MeasuredStep, ...]] = []
    for number in range(1, shape.cycles + 1):
        opened_at = tick_at - (shape.cycles - number + 1) * CYCLE_EVERY - timedelta(days=2)
        # Work gets better cycle by cycle (about 2% a cycle), with noise.
        better = max(0.4, 1 - 0.02 * (number - 1))
        measured = _cycle_rows(rows, ids, rng, plan, number, opened_at, better)
        metrics = measure_cycle(measured, earlier[-1:])
        earlier.append(measured)
        rows.cycle[-1].update(
            status="closed",
            closed_at=opened_at + WINDOW,
            closed_by="clock",
            metrics=metrics_to_dict(metrics),
        )
        if number == 1 and index % 2 == 0:
            _add_target(rows, ids, stream_id, metrics.lead_s, tick_at)
    _add_improvements(rows, ids, plan, index, tick_at)
    if rank % OPEN_EVERY == 0:
        # Opened yesterday; half the steps have answers so far.
        opened_at = tick_at - timedelta(days=1)
        answered = frozenset(step[0] for step in steps[: max(1, len(steps) // 2)])
        _cycle_rows(rows, ids, rng, plan, shape.cycles + 1, opened_at, 1.0, answered)
    if index % 4 != 3:
        # Three streams in four are measured again every two weeks; none falls due here.
        local = tick_at.astimezone(ZoneInfo("Europe/Berlin"))
        rows.measure_schedule.append(
            {
                "id": ids.take("measure_schedule"),
                "stream_id": stream_id,
                "every": 2,
                "unit": "weeks",
                "weekday": local.weekday(),
                "at_time": "09:00",
                "zone": "Europe/Berlin",
                "anchor": local.date() - timedelta(days=400),
                "window_s": int(WINDOW.total_seconds()),
                "next_run_at": tick_at + timedelta(days=1 + index % 13, hours=1),
                "created_by": CREATOR,
                "created_at": tick_at - timedelta(days=400),
            }
        )


def _add_target(
    rows: Rows, ids: Ids, stream_id: int, baseline_lead_s: int, tick_at: datetime
) -> None:
    """Every other stream aims at 60% of its baseline lead time within a quarter."""
    rows.target.append(
        {
            "id": ids.take("target"),
            "stream_id": stream_id,
            "lead_s": int(baseline_lead_s * 0.6),
            "ratio": 0.25,
            "ca": 0.9,
            "by_date": (tick_at + timedelta(days=90)).date(),
            "created_by": CREATOR,
            "created_at": tick_at - timedelta(days=300),
        }
    )


def _add_improvements(rows: Rows, ids: Ids, plan: _Plan, index: int, tick_at: datetime) -> None:
    """Two improvements done, one being done (in three streams of four), one proposed."""
    statuses = ["done", "done", "doing", "proposed"]
    if index % 4 == 3:
        statuses[2] = "dropped"
    for number, status in enumerate(statuses, start=1):
        step_id, _, step_name = plan.steps[(index + number) % len(plan.steps)]
        created_at = tick_at - timedelta(days=40 * (len(statuses) - number + 1))
        rows.improvement.append(
            {
                "id": ids.take("improvement"),
                "stream_id": plan.stream_id,
                "number": number,
                "title": f"Cut the hand-off before {step_name}",
                "step_key": step_id,
                "step_name": step_name,
                "owner": plan.people[0],
                "expect_field": "wait",
                "expect_delta": -float(4 * HOUR * number),
                "effort": "SML"[number % 3],
                "status": status,
                "created_by": CREATOR,
                "created_at": created_at,
                "done_at": created_at + timedelta(days=20) if status == "done" else None,
                "reviewed_cycle_id": None,
            }
        )


def _add_step(
    rows: Rows, ids: Ids, stream_id: int, index: int, people: list[str]
) -> tuple[int, int, str]:
    step_id = ids.take("step")
    name = STEP_NAMES[index % len(STEP_NAMES)]
    if index >= len(STEP_NAMES):
        name = f"{name} {index + 1}"
    rows.step.append(
        {
            "id": step_id,
            "stream_id": stream_id,
            "position": index + 1,
            "name": name,
            "team": f"Team {index % 4 + 1}",
            "people": people,
        }
    )
    return step_id, index + 1, name


def _cycle_rows(
    rows: Rows,
    ids: Ids,
    rng: random.Random,
    plan: _Plan,
    number: int,
    opened_at: datetime,
    better: float,
    answered: frozenset[int] | None = None,
) -> tuple[MeasuredStep, ...]:
    """One cycle (open until the caller closes it), its step snapshot and its answers.

    Returns:
        The cycle's steps with their answers, as the vsm core measures them.
    """
    cycle_id = ids.take("cycle")
    rows.cycle.append(
        {
            "id": cycle_id,
            "stream_id": plan.stream_id,
            "number": number,
            "label": "Baseline" if number == 1 else "",
            "status": "open",
            "opened_at": opened_at,
            "opened_by": "clock",
            "window_s": int(WINDOW.total_seconds()),
            "closes_at": opened_at + WINDOW,
            "remind_at": opened_at + WINDOW * 0.8,
            "channel_id": plan.channel,
            "message_ts": f"{opened_at.timestamp():.6f}",
            # One executemany needs the same keys in every row; closing fills these in.
            "closed_at": None,
            "closed_by": "",
            "metrics": None,
        }
    )
    measured = []
    for step_id, position, name in plan.steps:
        cycle_step_id = ids.take("cycle_step")
        rows.cycle_step.append(
            {
                "id": cycle_step_id,
                "cycle_id": cycle_id,
                "step_key": step_id,
                "position": position,
                "name": name,
                "people": plan.people,
            }
        )
        # Now and then nobody answers for a step: the cycle is partial or carries values over.
        silent = (answered is not None and step_id not in answered) or rng.random() < 0.03
        answers = () if silent else tuple(_answers(rng, plan, position, better))
        measured.append(MeasuredStep(step_id, position, name, answers))
        for n, answer in enumerate(answers):
            said_at = opened_at + timedelta(hours=2 + position, minutes=n)
            rows.measurement.append(
                {
                    "id": ids.take("measurement"),
                    "cycle_id": cycle_id,
                    "cycle_step_id": cycle_step_id,
                    "person": answer.person,
                    "source": f"{said_at.timestamp():.6f}",
                    "answered_at": said_at,
                    "wait_s": answer.wait_s,
                    "process_s": answer.process_s,
                    "ca": answer.ca,
                }
            )
    return tuple(measured)


def _answers(rng: random.Random, plan: _Plan, position: int, better: float) -> Iterator[Answer]:
    wait, process, ca = plan.profile[position - 1]
    for person in plan.people:
        rated = rng.random() < 0.8
        # People answer in round figures ("2h", "30m") and rate %C&A in steps of 5.
        yield Answer(
            person,
            wait_s=_round_to(wait * better * rng.uniform(0.7, 1.3), 900),
            process_s=_round_to(process * rng.uniform(0.8, 1.2), 300),
            ca=round(min(1.0, ca + (1 - better) / 5 + rng.uniform(-0.05, 0.03)) * 20) / 20
            if rated
            else None,
        )


def _round_to(seconds: float, unit: int) -> int:
    return max(unit, round(seconds / unit) * unit)


def _digest_schedule(ids: Ids, number: int, tick_at: datetime) -> dict[str, Any]:
    """A weekly digest for a channel, due exactly at `tick_at` in the channel's own zone."""
    zone = ZONES[number % len(ZONES)]
    local = tick_at.astimezone(ZoneInfo(zone))
    anchor = local.date() - timedelta(weeks=10)
    cadence = Cadence(1, "weeks", local.weekday(), time(local.hour, local.minute), zone)
    if next_run(cadence, anchor=anchor, after=tick_at - timedelta(seconds=1)) != tick_at:
        raise ValueError(f"the digest for {zone} would not fall due at {tick_at}")
    return {
        "id": ids.take("digest_schedule"),
        "team_id": TEAM,
        "channel_id": channel_id(number),
        "weekday": local.weekday(),
        "at_time": local.strftime("%H:%M"),
        "zone": zone,
        "anchor": anchor,
        "next_run_at": tick_at,
        "created_by": CREATOR,
        "created_at": tick_at - timedelta(days=70),
    }


def tick_instant() -> datetime:
    """A whole minute just past, so the outbox sender (on the wall clock) finds it due."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
