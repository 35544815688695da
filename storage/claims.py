"""The clock's claims: the next piece of due work, in every workspace, taken by one clock.

Each `next_*` locks the row it returns (`FOR UPDATE … SKIP LOCKED` on PostgreSQL) for the
caller's transaction, which then does the work and moves the row on before it commits. Any
number of clocks share the due work this way: a row one clock holds is skipped by the others,
which take the next one, and a row whose work is done is no longer due. On SQLite the lock
clause is left out; every transaction that may write holds the database's one write lock, so
clocks take turns (SQLite runs one clock; see bot/clock_lock.py).

`skip` names the rows whose work failed earlier in this pass: they stay due for the next
tick, and are not taken again and again within this one.
"""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists
from sqlmodel import Session, col, select

from storage.cycles import OPEN
from storage.models import Cycle, DigestSchedule, MeasureSchedule, Stream
from storage.schedules import Due
from storage.tenant import Tenant
from storage.types import known_id


def _first_unlocked(session: Session, query: Any, of: type) -> Any:
    """The first row of `query`, locked for this transaction; rows others hold are skipped."""
    return session.exec(query.limit(1).with_for_update(of=of, skip_locked=True)).first()


def _not_in(column: Any, skip: Collection[int]) -> list[ColumnElement[bool]]:
    return [col(column).not_in(list(skip))] if skip else []


def _cycle(session: Session, skip: Collection[int], *conditions: ColumnElement[bool]) -> Due | None:
    query = (
        select(Cycle.id, Stream.enterprise_id, Stream.team_id)
        .join(Stream, col(Stream.id) == Cycle.stream_id)
        .where(Cycle.status == OPEN, *conditions, *_not_in(Cycle.id, skip))
        .order_by(col(Cycle.closes_at), col(Cycle.id))
    )
    found = _first_unlocked(session, query, Cycle)
    if found is None:
        return None
    cycle_id, enterprise, team = found
    return Due(Tenant(team_id=team, enterprise_id=enterprise), known_id(cycle_id))


def next_cycle_to_close(
    *, session: Session, now: datetime, skip: Collection[int] = ()
) -> Due | None:
    """An open cycle whose window has ended, locked for this transaction."""
    return _cycle(session, skip, col(Cycle.closes_at) <= now)


def next_cycle_to_remind(
    *, session: Session, now: datetime, skip: Collection[int] = ()
) -> Due | None:
    """An open cycle past 80% of its window, not yet reminded and not yet over (a cycle
    whose window has ended is closed, never reminded late), locked for this transaction."""
    return _cycle(
        session,
        skip,
        col(Cycle.remind_at) <= now,
        col(Cycle.reminded_at).is_(None),
        col(Cycle.closes_at) > now,
    )


def next_measurement(*, session: Session, now: datetime, skip: Collection[int] = ()) -> Due | None:
    """A measurement schedule whose time has come, locked for this transaction.

    A stream whose open cycle's window has ended waits until that cycle is closed (by this
    clock or another), so that its next cycle opens rather than being skipped as "still open".
    """
    closing = exists().where(
        and_(
            col(Cycle.stream_id) == MeasureSchedule.stream_id,
            col(Cycle.status) == OPEN,
            col(Cycle.closes_at) <= now,
        )
    )
    query = (
        select(
            MeasureSchedule.id, MeasureSchedule.next_run_at, Stream.enterprise_id, Stream.team_id
        )
        .join(Stream, col(Stream.id) == MeasureSchedule.stream_id)
        .where(
            col(MeasureSchedule.next_run_at) <= now,
            ~closing,
            *_not_in(MeasureSchedule.id, skip),
        )
        .order_by(col(MeasureSchedule.next_run_at), col(MeasureSchedule.id))
    )
    found = _first_unlocked(session, query, MeasureSchedule)
    if found is None:
        return None
    schedule_id, seen, enterprise, team = found
    return Due(Tenant(team_id=team, enterprise_id=enterprise), known_id(schedule_id), seen)


def next_digest(*, session: Session, now: datetime, skip: Collection[int] = ()) -> Due | None:
    """A channel digest whose time has come, locked for this transaction (and loaded into
    the session: `digest_schedule_by_id` finds it there without asking again)."""
    query = (
        select(DigestSchedule)
        .where(col(DigestSchedule.next_run_at) <= now, *_not_in(DigestSchedule.id, skip))
        .order_by(col(DigestSchedule.next_run_at), col(DigestSchedule.id))
    )
    found: DigestSchedule | None = _first_unlocked(session, query, DigestSchedule)
    if found is None:
        return None
    tenant = Tenant(team_id=found.team_id, enterprise_id=found.enterprise_id)
    return Due(tenant, known_id(found.id), found.next_run_at)
