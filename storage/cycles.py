"""Measurement cycles, their step snapshots and measurements. Every function takes the tenant:
rows are reached through their stream's workspace, never by an id alone."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Insert,
    bindparam,
    delete,
    exists,
    func,
    insert,
)
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from storage.models import (
    Cycle,
    CycleStep,
    CycleThread,
    Measurement,
    OutboxMessage,
    ProcessedEvent,
    Step,
    Stream,
)
from storage.streams import check_stream, tenant_params
from storage.tenant import Tenant
from storage.types import id_of, rows_changed, table_of

OPEN, CLOSED, CANCELLED = "open", "closed", "cancelled"


def _in_tenant(tenant: Tenant) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (
        col(Stream.enterprise_id) == tenant.enterprise_id,
        col(Stream.team_id) == tenant.team_id,
    )


def tenant_cycle_ids(tenant: Tenant, cycle_ids: Sequence[int]) -> SelectOfScalar[int | None]:
    """The ids among `cycle_ids` of cycles whose stream is in `tenant` (a subquery)."""
    return (
        select(col(Cycle.id))
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .where(col(Cycle.id).in_(cycle_ids), *_in_tenant(tenant))
    )


# ---- reading ---------------------------------------------------------------------------------


def find_open_cycle(
    *, session: Session, tenant: Tenant, stream: Stream, for_update: bool = False
) -> Cycle | None:
    """The stream's open cycle, if any."""
    query = select(Cycle).where(
        Cycle.stream_id == check_stream(stream, tenant), Cycle.status == OPEN
    )
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def has_closed_cycle(*, session: Session, tenant: Tenant, stream: Stream) -> bool:
    """Whether a cycle of the stream has closed: if none has, its next cycle is the baseline."""
    query = select(Cycle.id).where(
        Cycle.stream_id == check_stream(stream, tenant), Cycle.status == CLOSED
    )
    return session.exec(query.limit(1)).first() is not None


def next_cycle_number(*, session: Session, tenant: Tenant, stream: Stream) -> int:
    """The number the stream's next cycle gets (1 for the first)."""
    query = select(func.max(Cycle.number)).where(Cycle.stream_id == check_stream(stream, tenant))
    return int(session.exec(query).one() or 0) + 1


@dataclass(frozen=True)
class ThreadCycle:
    """The cycle whose thread a message is in: its stream, its step snapshots in position
    order, and whether an event the caller asked about was recorded already."""

    cycle: Cycle
    stream: Stream
    steps: tuple[CycleStep, ...]
    seen: bool


def thread_cycle(
    *, session: Session, tenant: Tenant, channel_id: str, thread_ts: str, event_id: str | None
) -> ThreadCycle | None:
    """The cycle whose message starts the thread `thread_ts` in `channel_id`, with its stream
    and steps, and whether the event `event_id` was recorded in `tenant` (False for None):
    one query."""
    params = {
        "channel_id": channel_id,
        "ts": thread_ts,
        "event_id": event_id,
        "enterprise_id": tenant.enterprise_id,
        "team_id": tenant.team_id,
    }
    rows = session.exec(_thread_cycle(), params=params).all()
    if not rows:
        return None
    cycle, stream, _, seen = rows[0]
    steps = tuple(step for _, _, step, _ in rows if step is not None)
    return ThreadCycle(cycle, stream, steps, bool(seen))


@cache
def _thread_cycle() -> Select[Cycle, Stream, CycleStep | None, bool]:
    seen = exists().where(
        col(ProcessedEvent.event_id) == bindparam("event_id"),
        col(ProcessedEvent.enterprise_id) == bindparam("enterprise_id"),
        col(ProcessedEvent.team_id) == bindparam("team_id"),
    )
    return (
        select(Cycle, Stream, CycleStep, seen.label("seen"))
        .join(CycleThread, col(CycleThread.cycle_id) == Cycle.id)
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .outerjoin(CycleStep, col(CycleStep.cycle_id) == Cycle.id)
        .where(
            col(CycleThread.channel_id) == bindparam("channel_id"),
            col(CycleThread.ts) == bindparam("ts"),
            *_tenant_params(),
        )
        .order_by(col(CycleStep.position))
    )


def _tenant_params() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The tenant condition of a statement built once, its values given when it runs."""
    return (
        col(Stream.enterprise_id) == bindparam("enterprise_id"),
        col(Stream.team_id) == bindparam("team_id"),
    )


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


@cache
def _cycles_query(by_status: bool) -> SelectOfScalar[Cycle]:
    query = select(Cycle).where(Cycle.stream_id == bindparam("stream_id"))
    if by_status:
        query = query.where(Cycle.status == bindparam("status"))
    return query.order_by(col(Cycle.number))


def cycles_of(
    *, session: Session, tenant: Tenant, stream: Stream, status: str | None = None
) -> list[Cycle]:
    """The stream's cycles by number, optionally only those with `status`."""
    params = {"stream_id": check_stream(stream, tenant), "status": status}
    return list(session.exec(_cycles_query(status is not None), params=params).all())


@cache
def _cycles_of_streams_query() -> SelectOfScalar[Cycle]:
    ids: BindParameter[int] = bindparam("stream_ids", expanding=True)
    query = select(Cycle).where(col(Cycle.stream_id).in_(ids), Cycle.status == bindparam("status"))
    return query.order_by(col(Cycle.stream_id), col(Cycle.number))


def cycles_of_streams(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream], status: str
) -> dict[int, list[Cycle]]:
    """The cycles with `status` of several streams in one query, by stream id, by number."""
    ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[Cycle]] = {stream_id: [] for stream_id in ids}
    if ids:
        params = {"stream_ids": ids, "status": status}
        for cycle in session.exec(_cycles_of_streams_query(), params=params).all():
            found[cycle.stream_id].append(cycle)
    return found


def _bound_tenant_cycle_ids() -> SelectOfScalar[int | None]:
    """`tenant_cycle_ids` with the tenant and the ids as bound parameters (`cycle_ids`)."""
    ids: BindParameter[int] = bindparam("cycle_ids", expanding=True)
    return (
        select(col(Cycle.id))
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .where(
            col(Cycle.id).in_(ids),
            col(Stream.enterprise_id) == bindparam("tenant_enterprise"),
            col(Stream.team_id) == bindparam("tenant_team"),
        )
    )


@cache
def _cycle_steps_query() -> SelectOfScalar[CycleStep]:
    return (
        select(CycleStep)
        .where(col(CycleStep.cycle_id).in_(_bound_tenant_cycle_ids()))
        .order_by(col(CycleStep.cycle_id), col(CycleStep.position))
    )


def cycle_steps(
    *, session: Session, tenant: Tenant, cycle_ids: Sequence[int]
) -> dict[int, list[CycleStep]]:
    """The step snapshots of several cycles, in position order, by cycle id."""
    found: dict[int, list[CycleStep]] = {cycle_id: [] for cycle_id in cycle_ids}
    if not cycle_ids:
        return found
    params = tenant_params(tenant) | {"cycle_ids": list(cycle_ids)}
    for step in session.exec(_cycle_steps_query(), params=params).all():
        found[step.cycle_id].append(step)
    return found


@cache
def _measurements_query() -> SelectOfScalar[Measurement]:
    return (
        select(Measurement)
        .where(col(Measurement.cycle_id).in_(_bound_tenant_cycle_ids()))
        .order_by(col(Measurement.answered_at), col(Measurement.id))
    )


def measurements(
    *, session: Session, tenant: Tenant, cycle_ids: Sequence[int]
) -> list[Measurement]:
    """Everything said in several cycles, oldest first."""
    if not cycle_ids:
        return []
    params = tenant_params(tenant) | {"cycle_ids": list(cycle_ids)}
    return list(session.exec(_measurements_query(), params=params).all())


# ---- writing ---------------------------------------------------------------------------------


def add_cycle(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    steps: Sequence[Step],
    opened_by: str,
    label: str,
    window_s: int | None,
    now: datetime,
) -> Cycle:
    """Store the stream's next cycle, open, with a snapshot of its steps; with a window it
    closes by itself at its end and reminds at 80% of it."""
    cycle = Cycle(
        stream_id=check_stream(stream, tenant),
        number=next_cycle_number(session=session, tenant=tenant, stream=stream),
        label=label,
        opened_at=now,
        opened_by=opened_by,
        window_s=window_s,
        closes_at=None if window_s is None else now + timedelta(seconds=window_s),
        remind_at=None if window_s is None else now + timedelta(seconds=window_s * 0.8),
        channel_id=stream.channel_id,
    )
    session.add(cycle)
    session.flush()
    for step in steps:
        session.add(
            CycleStep(
                cycle_id=id_of(cycle),
                step_key=id_of(step),
                position=step.position,
                name=step.name,
                people=list(step.people),
            )
        )
    session.flush()
    return cycle


def set_status(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    status: str,
    by: str = "",
    now: datetime | None = None,
    metrics: dict[str, object] | None = None,
) -> None:
    """Close (with who, when and the metrics snapshot) or cancel the stream's cycle."""
    if cycle.stream_id != check_stream(stream, tenant):
        raise ValueError(f"cycle {cycle.number} is not a cycle of {stream.name!r}")
    cycle.status = status
    if status == CLOSED:
        cycle.closed_at, cycle.closed_by, cycle.metrics = now, by, metrics
    session.add(cycle)
    session.flush()


def forget_source(
    *, session: Session, tenant: Tenant, cycle_id: int, source: str, person: str | None = None
) -> int:
    """Remove what one source said in a cycle (from one person, if given); returns how many."""
    statement = delete(Measurement).where(
        col(Measurement.cycle_id).in_(tenant_cycle_ids(tenant, [cycle_id])),
        col(Measurement.source) == source,
    )
    if person is not None:
        statement = statement.where(col(Measurement.person) == person)
    return rows_changed(session, statement)


def forget_person_steps(
    *, session: Session, tenant: Tenant, cycle_id: int, cycle_step_ids: Sequence[int], person: str
) -> None:
    """Remove everything a person said about these steps (the timings form replaces it all)."""
    if cycle_step_ids:
        session.execute(
            delete(Measurement).where(
                col(Measurement.cycle_id).in_(tenant_cycle_ids(tenant, [cycle_id])),
                col(Measurement.cycle_step_id).in_(cycle_step_ids),
                col(Measurement.person) == person,
            )
        )


def add_measurements(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle: Cycle,
    items: Sequence[Measurement],
) -> None:
    """Store what a source said about steps of one cycle of `stream`."""
    if not items:
        return
    cycle_id = id_of(cycle)
    if cycle.stream_id != check_stream(stream, tenant) or any(
        item.cycle_id != cycle_id for item in items
    ):
        raise ValueError(f"cycle {cycle.number} is not a cycle of {stream.name!r}")
    # One plain INSERT for them all: nothing reads the rows back.
    session.execute(_add_measurements(), [item.model_dump(exclude={"id"}) for item in items])


@cache
def _add_measurements() -> Insert:
    return insert(table_of(Measurement))


def delete_cycle(*, session: Session, tenant: Tenant, cycle_id: int) -> bool:
    """Remove a cycle, everything in it and its queued messages (for one that never reached
    Slack), so nothing of it lingers under keys a later cycle could be given."""
    found = cycle_by_id(session=session, tenant=tenant, cycle_id=cycle_id)
    if found is None:
        return False
    session.execute(delete(OutboxMessage).where(col(OutboxMessage.cycle_id) == cycle_id))
    session.delete(found[0])
    session.flush()
    return True
