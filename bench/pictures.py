"""Times drawing the pictures: a value stream map, a trend, a channel's digest, as PNG bytes.

    .venv/bin/python bench/pictures.py

The data is measured and formatted by the vsm core, as the bot does before it draws. The
one-time cost of importing matplotlib is reported on its own, then each picture is drawn
once to warm up (fonts load, caches fill) and timed over `--runs` draws: median, min, max.
Exit status 1 when the median for the 12-step map or the 26-cycle trend is over the budget.
"""

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from templates.pictures.data import (
    DigestTrend,
    InteractionMode,
    MapData,
    MapStep,
    MapTotals,
    Segment,
    SupportFeed,
    TeamType,
    TrendData,
    TrendImprovement,
    TrendPoint,
    TrendTarget,
)
from vsm.durations import CALENDAR, format_duration
from vsm.metrics import Answer, StepAnswers, measure_cycle
from vsm.percent import format_percent

HOUR, DAY = 3600, 86_400


@dataclass(frozen=True)
class Timing:
    name: str
    first_s: float
    runs: list[float]
    size: int

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    # Imported here, not at the top, to time the one-time cost of loading matplotlib.
    from templates.pictures.digest import draw_digest_trends
    from templates.pictures.stream_map import draw_map
    from templates.pictures.trend import draw_trend

    import_s = time.perf_counter() - started
    cases: list[tuple[str, Callable[[], bytes], bool]] = [
        (f"map, {args.steps} steps", lambda: draw_map(_map(args.steps)), True),
        (f"trend, {args.cycles} cycles", lambda: draw_trend(_trend(args.cycles)), True),
        (
            f"digest, {args.streams} streams",
            lambda: draw_digest_trends(_digest(args.streams)),
            False,
        ),
        ("map, 50 steps", lambda: draw_map(_map(50)), False),
    ]
    timings = [_time(name, draw, args.runs) for name, draw, _ in cases]
    print(f"import matplotlib and the drawing modules: {import_s * 1000:.0f} ms (once per process)")
    print()
    _print(timings, args.runs)
    over = [
        t.name
        for t, (_, _, budgeted) in zip(timings, cases, strict=True)
        if budgeted and t.median_s * 1000 > args.budget_ms
    ]
    if over:
        print(f"\nover the {args.budget_ms:g} ms budget: {', '.join(over)}")
        return 1
    print(f"\nthe map and the trend are within the {args.budget_ms:g} ms budget")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed draws per picture")
    parser.add_argument("--steps", type=int, default=12, help="steps of the map")
    parser.add_argument("--cycles", type=int, default=26, help="closed cycles of the trend")
    parser.add_argument("--streams", type=int, default=20, help="streams in the digest")
    parser.add_argument("--budget-ms", type=float, default=200, help="median per picture")
    return parser


def _time(name: str, draw: Callable[[], bytes], runs: int) -> Timing:
    """One warm-up draw, then `runs` timed ones (building the data included: it is tiny)."""
    started = time.perf_counter()
    size = len(draw())
    first_s = time.perf_counter() - started
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        draw()
        seconds.append(time.perf_counter() - started)
    return Timing(name, first_s, seconds, size)


def _print(timings: list[Timing], runs: int) -> None:
    header = f"{'picture':<22}{'first':>9}{'median':>9}{'min':>9}{'max':>9}{'PNG':>10}"
    print(f"Drawing to PNG bytes, {runs} runs after the first:")
    print(header)
    print("-" * len(header))
    for t in timings:
        print(
            f"{t.name:<22}{t.first_s * 1000:>7.0f}ms{t.median_s * 1000:>7.0f}ms"
            f"{min(t.runs) * 1000:>7.0f}ms{max(t.runs) * 1000:>7.0f}ms{t.size / 1024:>8.0f}kB"
        )


def _map(count: int) -> MapData:
    """A stream of `count` steps measured by the core, with teams, hand-offs and segments."""
    steps = [
        StepAnswers(
            n,
            n,
            f"Step {n} of the flow",
            (Answer("U1", n * 5 * HOUR, (n % 7 + 1) * 1200, 0.5 + (n % 50) / 100),),
        )
        for n in range(1, count + 1)
    ]
    metrics = measure_cycle(steps)
    bottleneck = metrics.bottleneck.key if metrics.bottleneck else None
    types: tuple[TeamType, ...] = (
        "stream-aligned",
        "platform",
        "enabling",
        "complicated-subsystem",
    )
    modes: tuple[InteractionMode, ...] = ("collaboration", "x-as-a-service", "facilitating")
    shown = tuple(
        MapStep(
            position=s.position,
            name=s.name,
            team=f"Team {s.position % 4}",
            team_type=types[s.position % 4],
            people=s.position % 5 + 1,
            ca="not rated" if s.ca is None else format_percent(s.ca, 1),
            wait=None if s.wait_s is None else format_duration(s.wait_s, CALENDAR),
            process=None if s.process_s is None else format_duration(s.process_s, CALENDAR),
            is_bottleneck=s.key == bottleneck,
            handoff_mode=modes[s.position % 3] if s.position > 1 else None,
            handoff_cross_team=s.position > 1 and s.position % 2 == 0,
            supports=(SupportFeed("IT access", "3 d"),) if s.position % 5 == 2 else (),
        )
        for s in metrics.steps
    )
    totals = MapTotals(
        format_duration(metrics.lead_s, CALENDAR),
        format_duration(metrics.process_s, CALENDAR),
        format_percent(metrics.activity_ratio or 0, 1),
        format_percent(metrics.rolled_ca or 0, 1),
    )
    return MapData(
        "Customer onboarding",
        "A signed order form",
        "The customer is live",
        "calendar days",
        "Cycle 3 · closed 2026-03-02",
        shown,
        totals,
        (Segment("Set-up", 1, min(4, count)), Segment("Go-live", max(1, count - 3), count)),
    )


def _trend(cycles: int) -> TrendData:
    """`cycles` closed cycles whose lead time falls, with a target and five improvements."""
    points = []
    for number in range(1, cycles + 1):
        lead_s = round((3 + 20 * math.exp(-number / 6)) * DAY)
        points.append(
            TrendPoint(
                number,
                f"{number} Mar",
                lead_s / DAY,
                format_duration(lead_s, CALENDAR),
                0.04 + number / 100,
                0.35 + number / 80,
                partial=number % 9 == 0,
            )
        )
    return TrendData(
        "Customer onboarding",
        "calendar days",
        tuple(points),
        TrendTarget(4.0, "4 d", "30 Jun 2026", cycles + 2.5),
        tuple(TrendImprovement(n, f"Automate step {n}", 2 * n + 1) for n in range(1, 6)),
    )


def _digest(count: int) -> list[DigestTrend]:
    items = []
    for n in range(count):
        leads = tuple(3 + 20 * math.exp(-c / (n + 2)) for c in range(n % 26 + 1))
        items.append(DigestTrend(f"Stream {n}", leads, format_duration(leads[-1] * DAY, CALENDAR)))
    return items


if __name__ == "__main__":
    sys.exit(main())
