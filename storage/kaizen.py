"""Improvements (kaizen) and future-state targets of a stream."""

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Improvement, Stream, Target

ACTIVE_STATUSES = ("proposed", "doing")


def next_improvement_number(*, session: Session, stream: Stream) -> int:
    """The number the stream's next improvement gets (#1 for the first)."""
    query = select(func.max(Improvement.number)).where(Improvement.stream_id == stream.id)
    return int(session.exec(query).one() or 0) + 1


def add_improvement(*, session: Session, improvement: Improvement) -> Improvement:
    """Store a new improvement."""
    session.add(improvement)
    session.flush()
    return improvement


def improvements_of(
    *, session: Session, stream: Stream, statuses: Sequence[str] | None = None
) -> list[Improvement]:
    """The stream's improvements by number, optionally only those with these statuses."""
    query = select(Improvement).where(Improvement.stream_id == stream.id)
    if statuses is not None:
        query = query.where(col(Improvement.status).in_(statuses))
    return list(session.exec(query.order_by(col(Improvement.number))).all())


def improvement(*, session: Session, stream: Stream, number: int) -> Improvement | None:
    """One of the stream's improvements by its number."""
    query = select(Improvement).where(
        Improvement.stream_id == stream.id, Improvement.number == number
    )
    return session.exec(query).first()


def done_unreviewed(*, session: Session, stream: Stream) -> list[Improvement]:
    """Improvements done but not yet set beside a measurement."""
    query = (
        select(Improvement)
        .where(
            Improvement.stream_id == stream.id,
            Improvement.status == "done",
            col(Improvement.reviewed_cycle_id).is_(None),
        )
        .order_by(col(Improvement.number))
    )
    return list(session.exec(query).all())


def reviewed_in(*, session: Session, cycle_id: int) -> list[Improvement]:
    """The improvements a cycle's summary reviewed."""
    query = (
        select(Improvement)
        .where(Improvement.reviewed_cycle_id == cycle_id)
        .order_by(col(Improvement.number))
    )
    return list(session.exec(query).all())


def in_progress_of(*, session: Session, stream_ids: Sequence[int]) -> dict[int, list[Improvement]]:
    """Improvements being done, per stream, in one query."""
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


def target_of(*, session: Session, stream: Stream) -> Target | None:
    """The stream's future-state target, if it has one."""
    return session.exec(select(Target).where(Target.stream_id == stream.id)).first()


def save_target(*, session: Session, stream: Stream, target: Target) -> Target:
    """Set the stream's target, replacing any it had."""
    drop_target(session=session, stream=stream)
    target.stream_id = stream.id or 0
    session.add(target)
    session.flush()
    return target


def drop_target(*, session: Session, stream: Stream) -> bool:
    """Remove the stream's target; returns whether it had one."""
    existing = target_of(session=session, stream=stream)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def targets_of(*, session: Session, stream_ids: Sequence[int]) -> dict[int, Target]:
    """The targets of several streams, by stream id, in one query."""
    if not stream_ids:
        return {}
    query = select(Target).where(col(Target.stream_id).in_(stream_ids))
    return {target.stream_id: target for target in session.exec(query).all()}
