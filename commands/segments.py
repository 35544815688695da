"""Segments: `/vsm segment "<stream>" "<segment>" steps:<from>-<to> [owner:@u] | off` names a
run of steps; it follows its steps by identity when steps move or go, and each cycle measures
it over its own steps."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import changeable_stream
from commands.owners import log_change
from commands.services import Services
from storage import links as link_rows
from storage import streams as stream_rows
from storage.models import Segment, Step, Stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.metrics import CycleMetrics
from vsm.names import fold
from vsm.segments import (
    SegmentComparison,
    SegmentMetrics,
    compare_segment,
    follow_segment,
    measure_segment,
    new_segment,
    segment_range,
)

_RANGE = re.compile(r"\s*(\d{1,2})\s*(?:[-–—]|\.\.|to)\s*(\d{1,2})\s*|\s*(\d{1,2})\s*")


@dataclass(frozen=True)
class SegmentSet:
    """The reply: the segment as it now covers steps `first`..`last` (or removed)."""

    stream: str
    name: str
    first: int
    last: int
    first_step: str
    last_step: str
    owner: str
    off: bool
    created: bool


@dataclass(frozen=True)
class SegmentMoved:
    """A segment whose range changed when steps changed: from..to before, now (None: gone)."""

    name: str
    before: tuple[int, int]
    after: tuple[int, int] | None
    reversed: bool


@dataclass(frozen=True)
class SegmentView:
    """A segment's numbers in a cycle, against an earlier cycle's (when measured there)."""

    name: str
    owner: str
    metrics: SegmentMetrics
    versus: SegmentComparison | None


def read_steps(text: str) -> tuple[int, int]:
    """`2-4`, `2..4`, `2 to 4` or `3` → the first and last step (in order).

    Raises:
        VsmError: anything else.
    """
    found = _RANGE.fullmatch(text)
    if found is None:
        raise VsmError(f"steps: is a run of steps like `2-4` (or one step, `3`), not `{text}`.")
    if found.group(3):
        return int(found.group(3)), int(found.group(3))
    first, last = int(found.group(1)), int(found.group(2))
    return min(first, last), max(first, last)


def set_segment(
    services: Services,
    tenant: Tenant,
    stream_name: str,
    name: str,
    *,
    steps: tuple[int, int] | None,
    owner: str | None,
    off: bool,
    by: str,
) -> SegmentSet:
    """Name (or change, or with `off` remove) a segment of a stream.

    Raises:
        VsmError: steps: missing for a new segment, out of range, or no such segment to remove.
    """
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, by, "change its segments", active=True
        )
        rows = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        keys = [id_of(step) for step in rows]
        found = link_rows.segment_by_name(session=session, tenant=tenant, stream=stream, name=name)
        if off:
            if found is None:
                raise VsmError(f"“{stream.name}” has no segment “{name}”.")
            where = segment_range(link_rows.segment_value(found), keys)
            session.delete(found)
            log_change(session, services, tenant, stream, by, "segment.remove", subject=found.name)
            return _set(stream, found, rows, where.first_position, where.last_position, True, False)
        if steps is None and found is None:
            raise VsmError("Say which steps it covers: steps:<from>-<to>, e.g. steps:2-4.")
        segment = found or Segment(
            stream_id=id_of(stream),
            name="",
            name_key="",
            first_step_id=0,
            last_step_id=0,
            created_by=by,
            created_at=services.now(),
        )
        if steps is not None:
            first, last = steps
            if not 1 <= first <= last <= len(rows):
                raise VsmError(
                    f"“{stream.name}” has steps 1 to {len(rows)}; "
                    f"steps:{first}-{last} is not a run of them."
                )
            value = new_segment(name, keys[first - 1], keys[last - 1], keys)
            segment.name, segment.name_key = value.name, fold(value.name)
            segment.first_step_id, segment.last_step_id = value.first_key, value.last_key
        if owner is not None:
            segment.owner = owner
        session.add(segment)
        session.flush()
        where = segment_range(link_rows.segment_value(segment), keys)
        what = f"steps {where.first_position}–{where.last_position}"
        log_change(
            session, services, tenant, stream, by, "segment.set", subject=segment.name, after=what
        )
        return _set(
            stream, segment, rows, where.first_position, where.last_position, False, found is None
        )


def _set(
    stream: Stream,
    segment: Segment,
    rows: Sequence[Step],
    first: int,
    last: int,
    off: bool,
    new: bool,
) -> SegmentSet:
    return SegmentSet(
        stream.name,
        segment.name,
        first,
        last,
        rows[first - 1].name,
        rows[last - 1].name,
        segment.owner,
        off,
        new,
    )


def follow_segments(
    session: Session, tenant: Tenant, stream: Stream, before: Sequence[int], after: Sequence[int]
) -> tuple[SegmentMoved, ...]:
    """Keep the stream's segments on their steps after its steps changed (`before` → `after`,
    step keys in order); the segments whose range changed, and those that are gone."""
    moved = []
    for row in link_rows.segments_of(session=session, tenant=tenant, stream=stream):
        followed = follow_segment(link_rows.segment_value(row), before, after)
        old = (followed.range_before.first_position, followed.range_before.last_position)
        if followed.after is None:
            session.delete(row)
            moved.append(SegmentMoved(row.name, old, None, False))
            continue
        row.first_step_id, row.last_step_id = followed.after.first_key, followed.after.last_key
        session.add(row)
        now_range = followed.range_after
        if followed.changed and now_range is not None:
            new = (now_range.first_position, now_range.last_position)
            moved.append(SegmentMoved(row.name, old, new, followed.reversed))
    session.flush()
    return tuple(moved)


def segment_views(
    segments: Sequence[Segment],
    metrics: CycleMetrics,
    before: CycleMetrics | None,
    basis: TimeBasis,
) -> tuple[SegmentView, ...]:
    """Each segment measured in a cycle (one that was not: left out), against `before`."""
    found = []
    for row in segments:
        value = link_rows.segment_value(row)
        mine = measure_segment(value, metrics.steps)
        if mine is None:
            continue
        theirs = None if before is None else measure_segment(value, before.steps)
        versus = None if theirs is None else compare_segment(theirs, mine, basis)
        found.append(SegmentView(row.name, row.owner, mine, versus))
    return tuple(found)
