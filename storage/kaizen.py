"""Improvements (kaizen) and future-state targets of a stream, and the rows as vsm values."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, func, insert
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import Session, col, select

from storage.models import Improvement, Stream, Target
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import table_of
from vsm.improvements import Expectation
from vsm.targets import Target as TargetValue

ACTIVE_STATUSES = ("proposed", "doing")


# ---- rows as vsm values ----------------------------------------------------------------------


def expectation_of(item: Improvement) -> Expectation | None:
    """An improvement's prediction, if it has one."""
    field, delta = item.expect_field, item.expect_delta
    if delta is None:
        return None
    if field == "wait":
        return Expectation("wait", delta)
    if field == "pt":
        return Expectation("pt", delta)
    if field == "ca":
        return Expectation("ca", delta)
    return None


def target_value(row: Target) -> TargetValue:
    """A target row as the vsm value."""
    return TargetValue(lead_s=row.lead_s, ratio=row.ratio, ca=row.ca, by=row.by_date)


# ---- improvements ----------------------------------------------------------------------------


def add_improvement(
    *, session: Session, tenant: Tenant, stream: Stream, improvement: Improvement
) -> Improvement:
    """Store a new improvement of `stream` under its next number (the row is not added to the
    session: it comes back with its id and number, for reading)."""
    improvement.stream_id = check_stream(stream, tenant)
    values = improvement.model_dump(exclude={"id", "number", "stream_id"})
    row = session.execute(_add_improvement(), {**values, "of_stream": improvement.stream_id}).one()
    improvement.id, improvement.number = row.id, row.number
    return improvement


@cache
def _add_improvement() -> ReturningInsert[int, int]:
    # The next number is read in the INSERT itself: one statement, not two.
    table = table_of(Improvement)
    number = (
        select(func.coalesce(func.max(table.c.number), 0) + 1)
        .where(table.c.stream_id == bindparam("of_stream"))
        .scalar_subquery()
    )
    values = {"stream_id": bindparam("of_stream"), "number": number}
    return insert(table).values(values).returning(table.c.id, table.c.number)


def improvements_of(
    *, session: Session, tenant: Tenant, stream: Stream, statuses: Sequence[str] | None = None
) -> list[Improvement]:
    """The stream's improvements by number, optionally only those with these statuses."""
    query = select(Improvement).where(Improvement.stream_id == check_stream(stream, tenant))
    if statuses is not None:
        query = query.where(col(Improvement.status).in_(statuses))
    return list(session.exec(query.order_by(col(Improvement.number))).all())


def improvement(
    *, session: Session, tenant: Tenant, stream: Stream, number: int
) -> Improvement | None:
    """One of the stream's improvements by its number."""
    query = select(Improvement).where(
        Improvement.stream_id == check_stream(stream, tenant), Improvement.number == number
    )
    return session.exec(query).first()


def set_improvement_status(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    item: Improvement,
    status: str,
    now: datetime,
) -> None:
    """Move an improvement to `status`; becoming done starts the wait for its review."""
    if item.stream_id != check_stream(stream, tenant):
        raise ValueError(f"improvement #{item.number} is not one of {stream.name!r}")
    if status == "done" and item.status != "done":
        item.done_at, item.reviewed_cycle_id = now, None
    item.status = status
    session.add(item)
    session.flush()


def done_unreviewed(*, session: Session, tenant: Tenant, stream: Stream) -> list[Improvement]:
    """Improvements done but not yet set beside a measurement."""
    query = (
        select(Improvement)
        .where(
            Improvement.stream_id == check_stream(stream, tenant),
            Improvement.status == "done",
            col(Improvement.reviewed_cycle_id).is_(None),
        )
        .order_by(col(Improvement.number))
    )
    return list(session.exec(query).all())


def mark_reviewed(
    *, session: Session, tenant: Tenant, stream: Stream, items: Sequence[Improvement], cycle_id: int
) -> None:
    """Record that a cycle's summary set these improvements beside what it measured."""
    stream_id = check_stream(stream, tenant)
    for item in items:
        if item.stream_id != stream_id:
            raise ValueError(f"improvement #{item.number} is not one of {stream.name!r}")
        item.reviewed_cycle_id = cycle_id
        session.add(item)
    session.flush()


def in_progress_of(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, list[Improvement]]:
    """Improvements being done, per stream, in one query."""
    stream_ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[Improvement]] = {stream_id: [] for stream_id in stream_ids}
    if not stream_ids:
        return found
    query = (
        select(Improvement)
        .where(col(Improvement.stream_id).in_(stream_ids), Improvement.status == "doing")
        .order_by(col(Improvement.stream_id), col(Improvement.number))
    )
    for item in session.exec(query).all():
        found[item.stream_id].append(item)
    return found


# ---- targets ---------------------------------------------------------------------------------


def target_of(*, session: Session, tenant: Tenant, stream: Stream) -> Target | None:
    """The stream's future-state target, if it has one."""
    query = select(Target).where(Target.stream_id == check_stream(stream, tenant))
    return session.exec(query).first()


def save_target(*, session: Session, tenant: Tenant, stream: Stream, target: Target) -> Target:
    """Set the stream's target, replacing any it had."""
    drop_target(session=session, tenant=tenant, stream=stream)
    target.stream_id = check_stream(stream, tenant)
    session.add(target)
    session.flush()
    return target


def drop_target(*, session: Session, tenant: Tenant, stream: Stream) -> bool:
    """Remove the stream's target; returns whether it had one."""
    existing = target_of(session=session, tenant=tenant, stream=stream)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def targets_of(*, session: Session, tenant: Tenant, streams: Sequence[Stream]) -> dict[int, Target]:
    """The targets of several streams, by stream id, in one query."""
    stream_ids = [check_stream(stream, tenant) for stream in streams]
    if not stream_ids:
        return {}
    query = select(Target).where(col(Target.stream_id).in_(stream_ids))
    return {target.stream_id: target for target in session.exec(query).all()}
