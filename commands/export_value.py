"""The export's `value`: every run of the meaning-of-value instrument, added up."""

from datetime import UTC

from sqlmodel import Session

from commands.export_format import ValueRunExport
from commands.value import run_results
from storage import value as value_rows
from storage.models import Stream, ValueRun
from storage.tenant import Tenant
from vsm.alignment import LayerProfile, ValueSummary


def value_runs(session: Session, tenant: Tenant, stream: Stream) -> list[ValueRunExport]:
    """Each run by number, as `/vsm value … results` adds it up (the change is exact here)."""
    found = []
    for run in value_rows.runs_of(session=session, tenant=tenant, stream=stream):
        results = run_results(session, tenant, stream, run)
        found.append(_run(run, results.summary, results.cycle))
    return found


def _run(run: ValueRun, summary: ValueSummary, cycle: int | None) -> ValueRunExport:
    disputed = summary.most_disputed
    return {
        "number": run.number,
        "cycle": cycle,
        "started_at": run.started_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "layers": [dict(item) for item in run.layers],
        "dimensions": [dict(item) for item in run.dimensions],
        "answers": summary.answers,
        "profiles": [_profile(profile) for profile in summary.layers],
        "pairs": [
            {"first": pair.first, "second": pair.second, "alignment": pair.alignment}
            for pair in summary.pairs
        ],
        "overall": summary.overall,
        "change": summary.change,
        "most_disputed": None
        if disputed is None
        else {
            "dimension": disputed.key,
            "highest": disputed.highest,
            "lowest": disputed.lowest,
            "spread": disputed.spread,
        },
    }


def _profile(profile: LayerProfile) -> dict[str, object]:
    # As in the messages: under 3 people nothing at all, not even how many.
    return {
        "layer": profile.key,
        "people": None if profile.too_few else profile.people,
        "too_few": profile.too_few,
        "means": {mean.key: mean.mean for mean in profile.means},
        "top": [mean.key for mean in profile.top],
        "sentences": list(profile.sentences),
    }
