"""The map picture's Value Stream Management layer: each box's team and team type as the cycle
was measured, the interaction mode on each hand-off, the segments as brackets and the support
streams as feeders into the steps they serve."""

from dataclasses import replace

from sqlmodel import Session

from commands.flows import flow_of
from commands.support import support_numbers
from storage import links as link_rows
from storage import streams as stream_rows
from storage.models import Cycle, Stream
from storage.structure import cycle_structures
from storage.tenant import Tenant
from storage.types import id_of
from templates.pictures.data import MapData, Segment, SupportFeed
from vsm.durations import format_duration
from vsm.metrics import CycleMetrics
from vsm.segments import measure_segment


def with_management(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    metrics: CycleMetrics,
    data: MapData,
) -> MapData:
    """`data` with the cycle's teams, team types, hand-off modes, segments and the support
    streams homed in the stream's own channel (the map goes there)."""
    structure = cycle_structures(session=session, tenant=tenant, cycle_ids=[id_of(cycle)])
    flow = flow_of(metrics, structure[id_of(cycle)])
    kept = {step.key: step for step in structure[id_of(cycle)]}
    into = {hand.position: hand for hand in flow.hand_offs}
    feeds = _feeds(session, tenant, stream)
    keys = {step.position: step.key for step in metrics.steps}
    steps = []
    for shown in data.steps:
        key = keys.get(shown.position)
        step = kept.get(key) if key is not None else None
        hand = into.get(shown.position)
        steps.append(
            replace(
                shown,
                team=step.team or "" if step else shown.team,
                team_type=step.team_type if step else None,
                handoff_mode=None if hand is None or hand.mode == "none" else hand.mode,
                handoff_cross_team=None
                if hand is None or hand.crossing == "unknown"
                else hand.crossing == "cross-team",
                supports=feeds.get(key, ()) if key is not None else (),
            )
        )
    segments = [
        measured
        for row in link_rows.segments_of(session=session, tenant=tenant, stream=stream)
        if (measured := measure_segment(link_rows.segment_value(row), metrics.steps))
    ]
    return replace(
        data,
        steps=tuple(steps),
        segments=tuple(Segment(s.name, s.first_position, s.last_position) for s in segments),
    )


def _feeds(session: Session, tenant: Tenant, stream: Stream) -> dict[int, tuple[SupportFeed, ...]]:
    found: dict[int, tuple[SupportFeed, ...]] = {}
    for link in link_rows.support_links(session=session, tenant=tenant):
        if link.served_stream_id != id_of(stream):
            continue
        other = stream_rows.get_stream(
            session=session, tenant=tenant, stream_id=link.support_stream_id
        )
        if other is None or other.channel_id != stream.channel_id:
            continue
        lead = support_numbers(session, tenant, other).lead.after
        shown = None if lead is None else format_duration(int(lead), stream_rows.basis_of(other))
        feed = SupportFeed(other.name, shown)
        found[link.served_step_id] = (*found.get(link.served_step_id, ()), feed)
    return found
