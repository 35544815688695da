"""What a channel's digest needs, in a fixed number of queries however many cycles there are."""

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.cycles import CLOSED, OPEN
from storage.models import Cycle, CycleStep, Measurement, Stream
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import id_of


def trend_cycles(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, list[Cycle]]:
    """Per stream, its baseline, previous and latest closed cycles (fewer if it has fewer),
    oldest first — one query, whatever the number of cycles."""
    stream_ids = [check_stream(stream, tenant) for stream in streams]
    if not stream_ids:
        return {}
    ranked = (
        select(
            col(Cycle.id).label("cycle_id"),
            func.row_number()
            .over(partition_by=col(Cycle.stream_id), order_by=col(Cycle.number))
            .label("from_first"),
            func.row_number()
            .over(partition_by=col(Cycle.stream_id), order_by=col(Cycle.number).desc())
            .label("from_last"),
        )
        .where(col(Cycle.stream_id).in_(stream_ids), Cycle.status == CLOSED)
        .subquery()
    )
    query = (
        select(Cycle)
        .join(ranked, ranked.c.cycle_id == col(Cycle.id))
        .where((ranked.c.from_first == 1) | (ranked.c.from_last <= 2))
        .order_by(col(Cycle.stream_id), col(Cycle.number))
    )
    found: dict[int, list[Cycle]] = {stream_id: [] for stream_id in stream_ids}
    for cycle in session.exec(query).all():
        found[cycle.stream_id].append(cycle)
    return found


def open_cycle_progress(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, tuple[Cycle, int, int]]:
    """Per stream with an open cycle: the cycle, how many steps have answers, how many steps."""
    stream_ids = [check_stream(stream, tenant) for stream in streams]
    if not stream_ids:
        return {}
    cycles = session.exec(
        select(Cycle).where(col(Cycle.stream_id).in_(stream_ids), Cycle.status == OPEN)
    ).all()
    ids = [cycle.id for cycle in cycles if cycle.id is not None]
    if not ids:
        return {}
    steps = dict(
        session.exec(
            select(CycleStep.cycle_id, func.count())
            .where(col(CycleStep.cycle_id).in_(ids))
            .group_by(col(CycleStep.cycle_id))
        ).all()
    )
    answered = dict(
        session.exec(
            select(Measurement.cycle_id, func.count(func.distinct(Measurement.cycle_step_id)))
            .where(col(Measurement.cycle_id).in_(ids))
            .group_by(col(Measurement.cycle_id))
        ).all()
    )
    return {
        cycle.stream_id: (
            cycle,
            int(answered.get(id_of(cycle), 0)),
            int(steps.get(id_of(cycle), 0)),
        )
        for cycle in cycles
    }


def recent_closed(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream], count: int
) -> dict[int, list[Cycle]]:
    """Per stream, its latest `count` closed cycles, oldest first — one query for them all."""
    stream_ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[Cycle]] = {stream_id: [] for stream_id in stream_ids}
    if not stream_ids:
        return found
    ranked = (
        select(
            col(Cycle.id).label("cycle_id"),
            func.row_number()
            .over(partition_by=col(Cycle.stream_id), order_by=col(Cycle.number).desc())
            .label("from_last"),
        )
        .where(col(Cycle.stream_id).in_(stream_ids), Cycle.status == CLOSED)
        .subquery()
    )
    query = (
        select(Cycle)
        .join(ranked, ranked.c.cycle_id == col(Cycle.id))
        .where(ranked.c.from_last <= count)
        .order_by(col(Cycle.stream_id), col(Cycle.number))
    )
    for cycle in session.exec(query).all():
        found[cycle.stream_id].append(cycle)
    return found
