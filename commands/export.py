"""Export: a stream, its steps and every cycle's numbers as one document, for `/vsm export`
(commands/export_upload.py) and `vsm-bot export`.

The document's shape and its CSV form live in commands/export_format.py.
"""

from datetime import UTC, date, datetime

from sqlmodel import Session

from commands.export_format import (
    CauseExport,
    CycleExport,
    CycleStepExport,
    ExpectExport,
    Export,
    ImprovementExport,
    ProgressExport,
    StepExport,
    StreamExport,
    SurveyExport,
    TargetExport,
    TotalsExport,
)
from commands.export_value import value_runs
from commands.export_vsm import (
    CycleSegmentExport,
    CycleStructure,
    HandoffExport,
    changes_export,
    cycle_segments_export,
    cycle_structure_of,
    flow_export,
    handoff_export,
    live_hand_offs,
    segments_export,
    stream_teams,
    support_export,
)
from commands.targets import TargetView, stream_target
from commands.waits import cycles_waits
from storage import cycles as cycle_rows
from storage import kaizen as kaizen_rows
from storage import links as link_rows
from storage import owners as owner_rows
from storage import streams as stream_rows
from storage.history import closed_metrics, live_metrics
from storage.models import Cycle, Improvement, Step, Stream
from storage.survey import survey_results
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import round_half_up
from vsm.errors import VsmError
from vsm.metrics import CycleMetrics, StepMetrics
from vsm.survey import QuestionResult
from vsm.targets import TargetProgress
from vsm.waiting import StepWait, WaitCause, wait_by_cause


class ExportError(VsmError):
    """The export cannot say which workspace it is for."""


# ---- the JSON document ---------------------------------------------------------------------


def export_stream(session: Session, tenant: Tenant, name: str) -> Export:
    """The stream `name` names (exact or a unique prefix): its steps, all its cycles with
    their survey results, its improvements and its target.

    Raises:
        UnknownName, AmbiguousName: as storage.streams.find_stream.
    """
    stream = stream_rows.find_stream(session=session, tenant=tenant, name=name)
    steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
    cycles = cycle_rows.cycles_of(session=session, tenant=tenant, stream=stream)
    positions = {id_of(step): step.position for step in steps}
    target = stream_target(session, tenant, stream)
    measured = [(cycle, _metrics(session, tenant, stream, cycle)) for cycle in cycles]
    structures = cycle_structure_of(session, tenant, measured)
    live, types = live_hand_offs(session, tenant, steps)
    waits = cycles_waits(session, tenant, cycles, {id_of(cycle): m for cycle, m in measured})
    segments = link_rows.segments_of(session=session, tenant=tenant, stream=stream)
    return {
        "stream": _stream(stream),
        "steps": [
            _step(step, types.get(id_of(step)), handoff_export(live.get(id_of(step))))
            for step in steps
        ],
        "cycles": [
            _cycle(
                cycle,
                metrics,
                survey_results(session=session, tenant=tenant, cycle=cycle, previous=None),
                structures[id_of(cycle)],
                waits[id_of(cycle)],
                cycle_segments_export(segments, metrics),
            )
            for cycle, metrics in measured
        ],
        "improvements": [
            _improvement(item, positions)
            for item in kaizen_rows.improvements_of(session=session, tenant=tenant, stream=stream)
        ],
        "target": None if target is None else _target(target),
        "owners": list(owner_rows.owners_of(session=session, tenant=tenant, stream=stream)),
        "changes": [
            {
                "at": _iso(change.at),
                "by": change.by,
                "what": change.what,
                "subject": change.subject,
                "before": change.before,
                "after": change.after,
            }
            for change in reversed(
                owner_rows.changes_of(session=session, tenant=tenant, stream=stream)
            )
        ],
        "teams": stream_teams(session, tenant, steps),
        "value": value_runs(session, tenant, stream),
        "support": support_export(session, tenant, stream, steps),
        "segments": segments_export(segments, steps),
    }


def _metrics(session: Session, tenant: Tenant, stream: Stream, cycle: Cycle) -> CycleMetrics:
    # A closed cycle keeps the numbers it closed with; open and cancelled ones are measured now.
    if cycle.status == cycle_rows.CLOSED:
        return closed_metrics(cycle)
    return live_metrics(session=session, tenant=tenant, stream=stream, cycle=cycle)[0]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _stream(stream: Stream) -> StreamExport:
    return {
        "name": stream.name,
        "trigger": stream.trigger,
        "value": stream.value,
        "customer": stream.customer,
        "channel_id": stream.channel_id,
        "time_basis": "working" if stream.time_basis == "working" else "calendar",
        "hours_per_day": float(stream.hours_per_day),
        "days_per_week": float(stream.days_per_week),
        "archived": stream.archived,
        "created_at": _iso(stream.created_at),
    }


def _step(step: Step, team_type: str | None, handoff: HandoffExport | None) -> StepExport:
    return {
        "position": step.position,
        "name": step.name,
        "team": step.team,
        "people": list(step.people),
        "team_type": team_type,
        "handoff": handoff,
    }


def _cycle(
    cycle: Cycle,
    metrics: CycleMetrics,
    survey: tuple[QuestionResult, ...],
    structure: CycleStructure,
    waits: tuple[StepWait, ...],
    segments: list[CycleSegmentExport],
) -> CycleExport:
    causes = {step.key: step.cause for step in waits}
    closed_at = cycle.closed_at if cycle.status == cycle_rows.CLOSED else None
    return {
        "number": cycle.number,
        "label": cycle.label,
        "status": cycle.status,
        "opened_at": _iso(cycle.opened_at),
        "closed_at": None if closed_at is None else _iso(closed_at),
        "steps": [_cycle_step(step, structure, causes.get(step.key)) for step in metrics.steps],
        "totals": _totals(metrics),
        "survey": [_question(result) for result in survey],
        "flow": flow_export(structure.flow),
        "structure_changes": changes_export(structure.changes),
        "wait_by_cause": _wait_by_cause(waits),
        "segments": segments,
    }


def _wait_by_cause(waits: tuple[StepWait, ...]) -> dict[str, CauseExport]:
    known = [step for step in waits if step.wait_s is not None]
    return {
        share.cause or "not_said": {
            "wait_time_s": share.wait_s,
            "share": share.share,
            "steps": [step.position for step in known if step.cause == share.cause],
        }
        for share in wait_by_cause(waits).shares
    }


def _cycle_step(
    step: StepMetrics, structure: CycleStructure, cause: WaitCause | None
) -> CycleStepExport:
    kept = structure.steps.get(step.key)
    return {
        "position": step.position,
        "name": step.name,
        "wait_time_s": step.wait_s,
        "process_time_s": step.process_s,
        "lead_time_s": step.lead_s,
        "ca": step.ca,
        "respondents": step.respondents,
        "carried_over": step.carried_over,
        "team": (kept.team or "") if kept else "",
        "team_type": kept.team_type if kept else None,
        "handoff": handoff_export(structure.hand_offs.get(step.key)),
        "wait_cause": cause,
    }


def _totals(metrics: CycleMetrics) -> TotalsExport:
    return {
        "wait_time_s": metrics.wait_s,
        "process_time_s": metrics.process_s,
        "lead_time_s": metrics.lead_s,
        "activity_ratio": metrics.activity_ratio,
        "rolled_ca": metrics.rolled_ca,
        "partial": metrics.partial,
        "bottleneck": None if metrics.bottleneck is None else metrics.bottleneck.position,
    }


def _question(result: QuestionResult) -> SurveyExport:
    # What the summary shows, and no more: never a score or a name, and under three answers
    # not even how many (VSM.md: such a question is shown only as "too few answers").
    return {
        "key": result.key,
        "question": result.text,
        "answers": None if result.too_few else result.answers,
        "mean": result.mean,
        "agree_share": result.agree_share,
        "barrier": result.barrier,
        "too_few": result.too_few,
    }


def _improvement(item: Improvement, positions: dict[int, int]) -> ImprovementExport:
    expectation = kaizen_rows.expectation_of(item)
    expect: ExpectExport | None = None
    if expectation is not None:
        delta = expectation.delta
        expect = {
            "field": expectation.field,
            "delta": delta if expectation.field == "ca" else round_half_up(delta),
        }
    done_at = item.done_at if item.status == "done" else None
    return {
        "number": item.number,
        "title": item.title,
        # Where its step stands now; None when it named no step or the step is gone.
        "step": None if item.step_key is None else positions.get(item.step_key),
        "step_name": item.step_name,
        "owner": item.owner,
        "expect": expect,
        "effort": item.effort,
        "status": item.status,
        "created_at": _iso(item.created_at),
        "done_at": None if done_at is None else _iso(done_at),
    }


# The target's own keys, which are also the totals' keys the progress is measured on.
_TARGET_KEYS = {"lead": "lead_time_s", "ratio": "activity_ratio", "ca": "rolled_ca"}


def _target(view: TargetView) -> TargetExport:
    target = view.target
    return {
        "lead_time_s": target.lead_s,
        "activity_ratio": target.ratio,
        "rolled_ca": target.ca,
        "by": _day(target.by),
        "progress": [_progress(item) for item in view.progress],
    }


def _progress(item: TargetProgress) -> ProgressExport:
    def amount(value: float) -> int | float:
        # Lead time in whole seconds, as everywhere else in the export; the rest are fractions.
        return round_half_up(value) if item.metric == "lead" else value

    return {
        "metric": _TARGET_KEYS[item.metric],
        "target": amount(item.target),
        "baseline": None if item.baseline is None else amount(item.baseline),
        "current": None if item.current is None else amount(item.current),
        "reached": item.reached,
        "share": item.share,
        "on_pace": item.on_pace,
        "projected": _day(item.projected),
    }


# ---- which workspace (for the command line) --------------------------------------------------


def pick_tenant(session: Session, *, team: str | None, enterprise: str | None) -> Tenant:
    """The workspace to export from: the one `team`/`enterprise` name, or the only one stored.

    Raises:
        ExportError: no stored workspace fits, or several do; the message lists them.
    """
    tenants = stream_rows.list_tenants(session=session)
    fits = [
        tenant
        for tenant in tenants
        if (team is None or tenant.team_id == team)
        and (enterprise is None or tenant.enterprise_id == enterprise)
    ]
    if len(fits) == 1:
        return fits[0]
    if not tenants:
        raise ExportError("the database holds no value streams yet.")
    if not fits:
        asked = " ".join(f"--{k} {v}" for k, v in (("team", team), ("enterprise", enterprise)) if v)
        raise ExportError(f"no streams for {asked}; the workspaces here: {_listed(tenants)}.")
    raise ExportError(f"several workspaces hold streams: {_listed(fits)}; pick one with --team.")


def _listed(tenants: list[Tenant]) -> str:
    return ", ".join(
        f"{t.team_id} (enterprise {t.enterprise_id})" if t.enterprise_id else t.team_id
        for t in tenants
    )
