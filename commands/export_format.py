"""The export's shape: the stable JSON document (README, "Export") and its CSV form.

Fields may be added to these types, never renamed or removed: scripts rely on them.
"""

import csv
import io
import json
from typing import TypedDict

from commands.export_vsm import (
    CycleSegmentExport,
    FlowExport,
    HandoffExport,
    SegmentExport,
    StructureChangeExport,
    SupportExport,
    TeamExport,
)


class StreamExport(TypedDict):
    name: str
    trigger: str
    value: str
    customer: str
    channel_id: str
    time_basis: str
    hours_per_day: float
    days_per_week: float
    archived: bool
    created_at: str


class StepExport(TypedDict):
    position: int
    name: str
    team: str
    people: list[str]
    team_type: str | None
    handoff: HandoffExport | None


class CycleStepExport(TypedDict):
    position: int
    name: str
    wait_time_s: int | None
    process_time_s: int | None
    lead_time_s: int | None
    ca: float | None
    respondents: int
    carried_over: bool
    team: str
    team_type: str | None
    handoff: HandoffExport | None
    # Why work waited before the step (decision, capacity, …); None when nobody said.
    wait_cause: str | None


class TotalsExport(TypedDict):
    wait_time_s: int
    process_time_s: int
    lead_time_s: int
    activity_ratio: float | None
    rolled_ca: float | None
    partial: bool
    bottleneck: int | None


class SurveyExport(TypedDict):
    """One question's results: aggregates only, never anything per person."""

    key: str
    question: str
    answers: int | None
    mean: float | None
    agree_share: float | None
    barrier: bool
    too_few: bool


class CauseExport(TypedDict):
    """The wait held by one cause of waiting (or by `not_said`): steps are positions."""

    wait_time_s: int
    share: float | None
    steps: list[int]


class CycleExport(TypedDict):
    number: int
    label: str
    status: str
    opened_at: str
    closed_at: str | None
    steps: list[CycleStepExport]
    totals: TotalsExport
    survey: list[SurveyExport]
    flow: FlowExport
    structure_changes: list[StructureChangeExport]
    # By cause (decision, capacity, dependency, information, batch, other, not_said).
    wait_by_cause: dict[str, CauseExport]
    segments: list[CycleSegmentExport]


class ExpectExport(TypedDict):
    field: str
    # Whole seconds for wait and pt; percentage points as a fraction for ca.
    delta: int | float


class ImprovementExport(TypedDict):
    number: int
    title: str
    step: int | None
    step_name: str
    owner: str
    expect: ExpectExport | None
    effort: str | None
    status: str
    created_at: str
    done_at: str | None


class ProgressExport(TypedDict):
    # Lead time in whole seconds; activity ratio and rolled %C&A as fractions.
    metric: str
    target: int | float
    baseline: int | float | None
    current: int | float | None
    reached: bool
    share: float | None
    on_pace: bool | None
    projected: str | None


class TargetExport(TypedDict):
    lead_time_s: int | None
    activity_ratio: float | None
    rolled_ca: float | None
    by: str | None
    progress: list[ProgressExport]


class ChangeExport(TypedDict):
    """One change to the stream's structure or settings."""

    at: str
    by: str
    what: str
    subject: str
    before: str | None
    after: str | None


class ValueRunExport(TypedDict):
    """One run of the meaning-of-value instrument, added up: never anything per person."""

    number: int
    cycle: int | None
    started_at: str
    layers: list[dict[str, str]]
    dimensions: list[dict[str, str]]
    answers: int
    # Per layer: people (null when too_few), mean points by dimension, top dimensions, sentences.
    profiles: list[dict[str, object]]
    pairs: list[dict[str, object]]
    overall: float | None
    change: float | None
    most_disputed: dict[str, object] | None


class Export(TypedDict):
    """A stream's export: JSON-able as it is, keys in the order declared here."""

    stream: StreamExport
    steps: list[StepExport]
    cycles: list[CycleExport]
    improvements: list[ImprovementExport]
    target: TargetExport | None
    owners: list[str]
    changes: list[ChangeExport]
    teams: list[TeamExport]
    value: list[ValueRunExport]
    support: SupportExport
    segments: list[SegmentExport]


def to_json(export: Export) -> str:
    """The export as indented JSON text, ending in a newline."""
    return json.dumps(export, indent=2, ensure_ascii=False) + "\n"


# ---- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "cycle",
    "label",
    "status",
    "opened_at",
    "closed_at",
    "position",
    "step",
    "wait_time_s",
    "process_time_s",
    "lead_time_s",
    "ca",
    "respondents",
    "carried_over",
    "activity_ratio",
    "rolled_ca",
    "partial",
)
# A cell starting with one of these is a formula to a spreadsheet (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | bool | None


def to_csv(export: Export) -> str:
    """One row per cycle step and one `total` row per cycle, under a header row.

    Blank cells mean "not applicable" or "no value" (the JSON's null); booleans are
    `true`/`false`; user text that a spreadsheet would run as a formula gets a leading `'`.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for cycle in export["cycles"]:
        writer.writerows(_cycle_rows(cycle))
    return out.getvalue()


def _cycle_rows(cycle: CycleExport) -> list[list[str]]:
    head: list[Cell] = [
        cycle["number"],
        _safe(cycle["label"]),
        cycle["status"],
        cycle["opened_at"],
        cycle["closed_at"],
    ]
    rows = [
        [
            *head,
            step["position"],
            _safe(step["name"]),
            step["wait_time_s"],
            step["process_time_s"],
            step["lead_time_s"],
            step["ca"],
            step["respondents"],
            step["carried_over"],
            None,
            None,
            None,
        ]
        for step in cycle["steps"]
    ]
    totals = cycle["totals"]
    rows.append(
        [
            *head,
            "total",
            None,
            totals["wait_time_s"],
            totals["process_time_s"],
            totals["lead_time_s"],
            None,
            None,
            None,
            totals["activity_ratio"],
            totals["rolled_ca"],
            totals["partial"],
        ]
    )
    return [[_cell(value) for value in row] for row in rows]


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
