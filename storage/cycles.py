"""Queries on measurement cycles, their step snapshots and measurements. Tenant-scoped."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func
from sqlmodel import Session, col, select

from storage.models import Cycle, CycleStep, Measurement, OutboxMessage, Stream
from storage.tenant import Tenant
from storage.types import rows_changed

OPEN, CLOSED, CANCELLED = "open", "closed", "cancelled"


def _in_tenant(tenant: Tenant) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (
        col(Stream.enterprise_id) == tenant.enterprise_id,
        col(Stream.team_id) == tenant.team_id,
    )


def open_cycle(*, session: Session, stream: Stream, for_update: bool = False) -> Cycle | None:
    """The stream's open cycle, if any."""
    query = select(Cycle).where(Cycle.stream_id == stream.id, Cycle.status == OPEN)
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def next_cycle_number(*, session: Session, stream: Stream) -> int:
    """The number the stream's next cycle gets (1 for the first)."""
    query = select(func.max(Cycle.number)).where(Cycle.stream_id == stream.id)
    return int(session.exec(query).one() or 0) + 1


def add_cycle(*, session: Session, cycle: Cycle, steps: Sequence[CycleStep]) -> Cycle:
    """Store a new cycle with its snapshot of the stream's steps."""
    session.add(cycle)
    session.flush()
    for step in steps:
        step.cycle_id = cycle.id or 0
        session.add(step)
    session.flush()
    return cycle


def cycle_by_thread(
    *, session: Session, tenant: Tenant, channel_id: str, thread_ts: str
) -> tuple[Cycle, Stream] | None:
    """The cycle whose message starts the thread `thread_ts` in `channel_id`, with its stream."""
    query = (
        select(Cycle, Stream)
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .where(Cycle.channel_id == channel_id, Cycle.message_ts == thread_ts, *_in_tenant(tenant))
    )
    row = session.exec(query).first()
    return None if row is None else (row[0], row[1])


def cycle_by_id(
    *, session: Session, tenant: Tenant, cycle_id: int, for_update: bool = False
) -> tuple[Cycle, Stream] | None:
    """A cycle and its stream, only if the stream belongs to `tenant`."""
    query = (
        select(Cycle, Stream)
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .where(Cycle.id == cycle_id, *_in_tenant(tenant))
    )
    if for_update:
        query = query.with_for_update(of=Cycle)
    row = session.exec(query).first()
    return None if row is None else (row[0], row[1])


def cycles_of(*, session: Session, stream: Stream, status: str | None = None) -> list[Cycle]:
    """The stream's cycles by number, optionally only those with `status`."""
    query = select(Cycle).where(Cycle.stream_id == stream.id)
    if status is not None:
        query = query.where(Cycle.status == status)
    return list(session.exec(query.order_by(col(Cycle.number))).all())


def cycle_steps(*, session: Session, cycle_ids: Sequence[int]) -> dict[int, list[CycleStep]]:
    """The step snapshots of several cycles, in position order, by cycle id."""
    found: dict[int, list[CycleStep]] = {cycle_id: [] for cycle_id in cycle_ids}
    if not cycle_ids:
        return found
    query = (
        select(CycleStep)
        .where(col(CycleStep.cycle_id).in_(cycle_ids))
        .order_by(col(CycleStep.cycle_id), col(CycleStep.position))
    )
    for step in session.exec(query).all():
        found[step.cycle_id].append(step)
    return found


def measurements(*, session: Session, cycle_ids: Sequence[int]) -> list[Measurement]:
    """Everything said in several cycles, oldest first."""
    if not cycle_ids:
        return []
    query = (
        select(Measurement)
        .where(col(Measurement.cycle_id).in_(cycle_ids))
        .order_by(col(Measurement.answered_at), col(Measurement.id))
    )
    return list(session.exec(query).all())


def forget_source(
    *, session: Session, cycle_id: int, source: str, person: str | None = None
) -> int:
    """Remove what one source said in a cycle (from one person, if given); returns how many."""
    statement = delete(Measurement).where(
        col(Measurement.cycle_id) == cycle_id, col(Measurement.source) == source
    )
    if person is not None:
        statement = statement.where(col(Measurement.person) == person)
    return rows_changed(session, statement)


def forget_person_steps(*, session: Session, cycle_step_ids: Sequence[int], person: str) -> None:
    """Remove everything a person said about these steps (the timings form replaces it all)."""
    if cycle_step_ids:
        session.execute(
            delete(Measurement).where(
                col(Measurement.cycle_step_id).in_(cycle_step_ids),
                col(Measurement.person) == person,
            )
        )


def add_measurements(*, session: Session, items: Sequence[Measurement]) -> None:
    """Store what a source said."""
    session.add_all(items)
    session.flush()


def delete_cycle(*, session: Session, cycle: Cycle) -> None:
    """Remove a cycle, everything in it and its queued messages (for one that never reached
    Slack), so nothing of it lingers under keys a later cycle could be given."""
    session.execute(delete(OutboxMessage).where(col(OutboxMessage.cycle_id) == cycle.id))
    session.delete(cycle)
    session.flush()
