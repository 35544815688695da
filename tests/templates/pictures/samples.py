"""Picture data built the way the bot builds it: measured by the vsm core, formatted by it.

The worked example of VSM.md is measured with `measure_cycle`, and every number is written
with `format_duration` / `format_percent`, so the tests check that the pictures show the
core's numbers rather than numbers typed into the test.
"""

import math
from dataclasses import replace
from typing import Any

from templates.pictures.data import (
    DigestTrend,
    MapData,
    MapStep,
    MapTotals,
    TeamType,
    TrendData,
    TrendImprovement,
    TrendPoint,
    TrendTarget,
)
from vsm.durations import CALENDAR, TimeBasis, format_duration
from vsm.metrics import Answer, CycleMetrics, StepAnswers, measure_cycle
from vsm.percent import format_percent

H, D = 3600, 86_400
EXAMPLE = (  # VSM.md's worked example: name, wait, PT, %C&A
    ("Contract review", 2 * D, 3 * H, 0.70),
    ("Account setup", 1 * D, 45 * 60, 0.90),
    ("Kickoff call", 3 * D, 1 * H, 0.95),
    ("Data migration", 5 * D, 6 * H, 0.60),
    ("Go-live check", 1 * D, 30 * 60, 0.98),
)
# Text people type that fonts and matplotlib trip over: emoji sequences, CJK, right-to-left
# scripts with a left-to-right run, mathtext dollars, TeX, newlines, control characters.
HOSTILE_NAMES = (
    "Deploy 🚀 to prod 👨‍👩‍👧 🇫🇷 👍🏽 1️⃣",
    "顧客データの移行と検証作業",
    "בדיקת איכות לפני העלייה לאוויר (QA 2)",
    "مراجعة العقد والموافقة عليه",
    "Costs $5 and $10 _x_ \\alpha {b} ^2",
    "Line one\nline two\tand a tab \x00\x07 bell",
    "Überprüfung der Vertragsunterlagen " * 8,
    "x",
)


def rows_cycle(rows: tuple[tuple[str, int, int, float], ...], people: int = 1) -> list[StepAnswers]:
    """The rows as a cycle's steps, each answered by `people` people (no answer if wait is 0)."""
    persons = tuple(f"U{n}" for n in range(people))
    return [
        StepAnswers(n, n, name, tuple(Answer(p, wait, pt, ca) for p in persons) if wait else ())
        for n, (name, wait, pt, ca) in enumerate(rows, start=1)
    ]


def many_rows(count: int) -> tuple[tuple[str, int, int, float], ...]:
    """`count` steps with different waits and process times (the last has the longest wait)."""
    return tuple(
        (f"Step {n} of the flow", n * 5 * H, (n % 7 + 1) * 20 * 60, 0.5 + (n % 50) / 100)
        for n in range(1, count + 1)
    )


def share(fraction: float | None) -> str:
    return "—" if fraction is None else format_percent(fraction, 1)


def map_of(
    metrics: CycleMetrics,
    basis: TimeBasis = CALENDAR,
    *,
    stream: str = "Customer onboarding",
    teams: dict[int, tuple[str, TeamType | None]] | None = None,
) -> MapData:
    """The map of a measured cycle, with every number written by the core."""
    bottleneck = metrics.bottleneck.key if metrics.bottleneck else None
    team_of = teams or {}
    steps = tuple(
        MapStep(
            position=s.position,
            name=s.name,
            team=team_of.get(s.position, ("", None))[0],
            team_type=team_of.get(s.position, ("", None))[1],
            people=s.respondents,
            ca="not rated" if s.ca is None else format_percent(s.ca, 1),
            wait=None if s.wait_s is None else format_duration(s.wait_s, basis),
            process=None if s.process_s is None else format_duration(s.process_s, basis),
            wait_s=s.wait_s,
            process_s=s.process_s,
            is_bottleneck=s.key == bottleneck,
            wait_carried="wait" in s.carried_fields,
            process_carried="process" in s.carried_fields,
            ca_carried="ca" in s.carried_fields,
        )
        for s in metrics.steps
    )
    totals = MapTotals(
        lead_time=format_duration(metrics.lead_s, basis),
        process_time=format_duration(metrics.process_s, basis),
        activity_ratio=share(metrics.activity_ratio),
        rolled_ca=share(metrics.rolled_ca),
        partial=metrics.partial,
        missing_steps=metrics.missing_steps,
    )
    basis_label = "calendar days" if basis.kind == "calendar" else "working days"
    return MapData(
        stream=stream,
        trigger="A signed order form arrives from sales",
        value="The customer is live and the first invoice is sent",
        basis=basis_label,
        cycle="Cycle 3 · closed 2026-03-02",
        steps=steps,
        totals=totals,
    )


def worked_map(**changes: Any) -> MapData:
    """The worked example, measured and formatted by the core."""
    data = map_of(measure_cycle(rows_cycle(EXAMPLE)))
    return replace(data, **changes)


def trend_of(
    cycles: int,
    basis: TimeBasis = CALENDAR,
    *,
    target: bool = True,
    improvements: int = 3,
    missing: tuple[int, ...] = (),
    partial: tuple[int, ...] = (),
) -> TrendData:
    """A stream whose data-migration wait shrinks cycle by cycle, measured by the core."""
    points = []
    for number in range(1, cycles + 1):
        factor = 0.35 + 0.65 * math.exp(-(number - 1) / 6)
        rows = tuple(
            (name, round(wait * factor) if n == 4 else wait, pt, ca)
            for n, (name, wait, pt, ca) in enumerate(EXAMPLE, start=1)
        )
        metrics = measure_cycle(rows_cycle(rows))
        lead = None if number in missing else metrics.lead_s / basis.seconds_per_day
        points.append(
            TrendPoint(
                cycle=number,
                label=f"{number} Mar",
                lead=lead,
                lead_text=format_duration(metrics.lead_s, basis),
                activity_ratio=metrics.activity_ratio,
                rolled_ca=metrics.rolled_ca,
                partial=number in partial,
                activity_ratio_text=share(metrics.activity_ratio),
                rolled_ca_text=share(metrics.rolled_ca),
            )
        )
    goal = TrendTarget(4.0, format_duration(4 * basis.seconds_per_day, basis), "30 Jun 2026", None)
    return TrendData(
        stream="Customer onboarding",
        unit="calendar days" if basis.kind == "calendar" else "working days",
        points=tuple(points),
        target=replace(goal, cycle=cycles + 2.5) if target else None,
        improvements=tuple(
            TrendImprovement(n, f"Automate step {n}", min(2 * n, cycles + 1))
            for n in range(1, improvements + 1)
        ),
    )


def digest_items(count: int) -> list[DigestTrend]:
    """`count` streams with 1 to 26 closed cycles each, the latest lead time written."""
    items = []
    for n in range(count):
        leads = tuple(20.0 * math.exp(-c / (n + 2)) + n for c in range(n % 26 + 1))
        items.append(
            DigestTrend(
                stream=f"Stream {n:02d} {HOSTILE_NAMES[n % len(HOSTILE_NAMES)]}",
                leads=leads,
                latest=format_duration(leads[-1] * D, CALENDAR),
                change=None if len(leads) == 1 else f"{(leads[-1] - leads[0]) / leads[0]:+.1%}",
            )
        )
    return items
