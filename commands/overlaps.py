"""The same work in several streams: similar steps side by side with their latest numbers,
marking where one stream does it much faster (vsm.similar)."""

from dataclasses import dataclass

from commands.access import visible_to
from commands.services import Services
from storage import cycles as cycle_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import TimeBasis
from vsm.similar import MUCH, StreamStep, group_similar

MOST_GROUPS = 15


@dataclass(frozen=True)
class OverlapRow:
    """A step of a group with its latest closed numbers (None: not measured).

    Attributes:
        much_slower: its lead time or wait is at least twice the group's lowest.
        by_wait: the wait (not only the lead time) is what is much slower.
    """

    stream: str
    basis: TimeBasis
    position: int
    name: str
    team: str
    wait_s: int | None
    process_s: int | None
    lead_s: int | None
    ca: float | None
    fastest: bool
    much_slower: bool
    by_wait: bool


@dataclass(frozen=True)
class OverlapGroup:
    rows: tuple[OverlapRow, ...]
    by_team: bool

    @property
    def fastest(self) -> OverlapRow | None:
        return next((row for row in self.rows if row.fastest), None)


@dataclass(frozen=True)
class Overlaps:
    """The reply to `/vsm overlaps`."""

    groups: tuple[OverlapGroup, ...]
    streams: int
    left_out: int


def find_overlaps(services: Services, tenant: Tenant, *, by: str) -> Overlaps:
    """Group the steps of the workspace's streams (those `by` may see) that are the same work."""
    with services.unit_of_work(read_only=True) as session:
        visible = visible_to(services, tenant, by)
        streams = [
            s for s in stream_rows.list_streams(session=session, tenant=tenant) if visible(s)
        ]
        steps, bases = [], {}
        for stream in streams:
            closed = cycle_rows.cycles_of(
                session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
            )
            numbers = {} if not closed else {s.key: s for s in closed_metrics(closed[-1]).steps}
            bases[id_of(stream)] = stream_rows.basis_of(stream)
            for step in stream_rows.list_steps(session=session, tenant=tenant, stream=stream):
                measured = numbers.get(id_of(step))
                steps.append(
                    StreamStep(
                        id_of(stream),
                        stream.name,
                        id_of(step),
                        step.position,
                        step.name,
                        step.team,
                        None if measured is None else measured.wait_s,
                        None if measured is None else measured.process_s,
                        None if measured is None else measured.ca,
                    )
                )
    groups = group_similar(steps)
    shown = tuple(
        OverlapGroup(
            tuple(
                OverlapRow(
                    stream=row.step.stream_name,
                    basis=bases[row.step.stream_key],
                    position=row.step.position,
                    name=row.step.name,
                    team=row.step.team or "",
                    wait_s=row.step.wait_s,
                    process_s=row.step.process_s,
                    lead_s=row.step.lead_s,
                    ca=row.step.ca,
                    fastest=group.fastest is not None and row.step == group.fastest,
                    much_slower=row.much_slower,
                    by_wait=row.wait_ratio is not None and row.wait_ratio >= MUCH,
                )
                for row in group.rows
            ),
            group.by_team,
        )
        for group in groups[:MOST_GROUPS]
    )
    return Overlaps(shown, len(streams), max(len(groups) - MOST_GROUPS, 0))
