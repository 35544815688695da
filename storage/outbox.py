"""The outbox: messages committed with the change that caused them, sent afterwards."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Cycle, CycleThread, OutboxMessage
from storage.tenant import Tenant
from storage.types import known_id, rows_changed

PENDING, SENT, FAILED = "pending", "sent", "failed"
PICTURE = "picture"  # a file to draw and upload, not a message to post
# Kinds that belong in their cycle's thread and never at the top of the channel.
THREAD_ONLY = frozenset({"survey"})


def enqueue(
    *,
    session: Session,
    tenant: Tenant,
    key: str,
    kind: str,
    channel_id: str,
    payload: dict[str, Any],
    now: datetime,
    thread_ts: str | None = None,
    cycle_id: int | None = None,
) -> int:
    """Queue a message under a unique key and return its id; queueing the same key again
    queues nothing and returns the first one's id."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # One statement: a key queued already (by another process a moment ago too: the unique
    # key makes this one wait for it) is left as it is.
    statement = (
        insert(OutboxMessage)
        .values(
            key=key,
            enterprise_id=tenant.enterprise_id,
            team_id=tenant.team_id,
            kind=kind,
            channel_id=channel_id,
            thread_ts=thread_ts,
            cycle_id=cycle_id,
            payload=payload,
            status=PENDING,
            attempts=0,
            last_error="",
            outcome_unknown=False,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(col(OutboxMessage.id))
    )
    inserted = session.execute(statement).scalar()
    if inserted is not None:
        return int(inserted)
    return known_id(session.exec(select(OutboxMessage.id).where(OutboxMessage.key == key)).one())


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    # A message that goes only into its cycle's thread is not due before that thread exists
    # (see `waits_for_thread`): the sender that posts the cycle's message takes it next.
    thread_known = exists().where(
        col(Cycle.id) == OutboxMessage.cycle_id, col(Cycle.message_ts).is_not(None)
    )
    return (
        col(OutboxMessage.status) == PENDING,
        col(OutboxMessage.next_attempt_at) <= now,
        or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
        or_(
            col(OutboxMessage.thread_ts).is_not(None),
            col(OutboxMessage.cycle_id).is_(None),
            col(OutboxMessage.kind).not_in([*THREAD_ONLY, PICTURE]),
            thread_known,
        ),
    )


def _taken(now: datetime, lease: timedelta) -> dict[Any, Any]:
    """What taking a message sets. A lease still on the row ran out without its sender saying
    how the post went (every outcome clears it): that sender died, maybe after Slack took the
    post, so the next sender looks in the channel before posting (SET reads the old values)."""
    return {
        OutboxMessage.claimed_until: now + lease,
        OutboxMessage.attempts: OutboxMessage.attempts + 1,
        OutboxMessage.outcome_unknown: or_(
            col(OutboxMessage.outcome_unknown), col(OutboxMessage.claimed_until).is_not(None)
        ),
    }


def claim_due(
    *, session: Session, now: datetime, lease: timedelta, limit: int
) -> list[OutboxMessage]:
    """Take up to `limit` pending messages whose time has come, oldest first, for sending.

    The rows are locked while they are taken (`FOR UPDATE SKIP LOCKED` on PostgreSQL): senders
    in other processes skip them and take the next ones, so any number share the outbox. Each
    taken row is leased until `now + lease`; one whose sender dies comes back after that.
    """
    query = (
        select(OutboxMessage.id)
        .where(*_due(now))
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(of=OutboxMessage, skip_locked=True)
    )
    ids = [known_id(message_id) for message_id in session.exec(query).all()]
    if not ids:
        return []
    session.execute(
        update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(_taken(now, lease))
    )
    taken = (
        select(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids))
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .execution_options(populate_existing=True)
    )
    return list(session.exec(taken).all())


def defer_workspace(*, session: Session, tenant: Tenant, until: datetime, now: datetime) -> int:
    """Hold back every pending message of a workspace that nobody is sending until `until`
    (Slack rate-limited it); returns how many were held back. Other workspaces are untouched."""
    statement = (
        update(OutboxMessage)
        .where(
            col(OutboxMessage.enterprise_id) == tenant.enterprise_id,
            col(OutboxMessage.team_id) == tenant.team_id,
            col(OutboxMessage.status) == PENDING,
            col(OutboxMessage.next_attempt_at) < until,
            or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
        )
        .values(next_attempt_at=until)
    )
    return rows_changed(session, statement)


def claim(
    *, session: Session, message_id: int, now: datetime, lease: timedelta
) -> OutboxMessage | None:
    """Take a pending message for sending, compare-and-set: only one sender wins it."""
    statement = (
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == message_id,
            col(OutboxMessage.status) == PENDING,
            or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
        )
        .values(_taken(now, lease))
    )
    if rows_changed(session, statement) != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)


def renew(*, session: Session, message_id: int, held_until: datetime, until: datetime) -> bool:
    """Extend a sender's lease on a message it took, only if it still holds it (`held_until`
    unchanged): False when the lease ran out and another sender took the message."""
    statement = (
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == message_id,
            col(OutboxMessage.status) == PENDING,
            col(OutboxMessage.claimed_until) == held_until,
        )
        .values(claimed_until=until)
    )
    return rows_changed(session, statement) == 1


def waits_for_thread(message: OutboxMessage) -> bool:
    """Whether a message may only go into its cycle's thread (never the top of the channel)."""
    return message.kind in THREAD_ONLY or (message.kind == PICTURE and message.cycle_id is not None)


def thread_of(*, session: Session, message: OutboxMessage) -> str | None:
    """Where a message goes: its own thread, else the thread of its cycle if it has one."""
    if message.thread_ts or message.cycle_id is None or message.kind == "cycle_opened":
        return message.thread_ts
    cycle = session.get(Cycle, message.cycle_id)
    return None if cycle is None else cycle.message_ts


def mark_sent(*, session: Session, message_id: int, ts: str, now: datetime) -> None:
    """Record that Slack took the message; a cycle's opening message becomes its thread."""
    statement = (
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .values(status=SENT, sent_ts=ts, sent_at=now, claimed_until=None, outcome_unknown=False)
        .returning(col(OutboxMessage.kind), col(OutboxMessage.cycle_id))
    )
    found = session.execute(statement).first()
    if found is None or found.kind != "cycle_opened" or found.cycle_id is None:
        return
    cycle = session.get(Cycle, found.cycle_id)
    if cycle is not None:
        if cycle.message_ts is None:
            cycle.message_ts = ts
            session.add(cycle)
        add_thread(session=session, cycle_id=found.cycle_id, channel_id=cycle.channel_id, ts=ts)


def add_thread(*, session: Session, cycle_id: int, channel_id: str, ts: str) -> None:
    """Record a thread of a cycle (its message's, or a copy's); recording it twice is once."""
    try:
        with session.begin_nested():
            session.add(CycleThread(cycle_id=cycle_id, channel_id=channel_id, ts=ts))
    except IntegrityError:
        pass  # known already


def mark_failed(
    *,
    session: Session,
    message_id: int,
    error: str,
    retry_at: datetime | None,
    unknown: bool = False,
) -> OutboxMessage | None:
    """Record a failed attempt: try again at `retry_at`, or give up when it is None.

    Args:
        unknown: Slack may have taken the message (no answer came): look before resending.
    """
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return None
    message.last_error = error[:300]
    message.claimed_until = None
    message.outcome_unknown = message.outcome_unknown or unknown
    if retry_at is None:
        message.status = FAILED
    else:
        message.next_attempt_at = retry_at
    session.add(message)
    return message


def messages_by_ids(*, session: Session, ids: Sequence[int]) -> list[OutboxMessage]:
    """Outbox rows by id (for reporting what happened to them)."""
    if not ids:
        return []
    query = select(OutboxMessage).where(col(OutboxMessage.id).in_(ids))
    return list(session.exec(query).all())


def put_back(
    *, session: Session, message_id: int, retry_at: datetime, unknown: bool = False
) -> None:
    """Put back a taken message without counting the attempt: its thread does not exist yet,
    or its workspace is rate-limited. It is tried again at `retry_at`.

    Args:
        unknown: Slack may have taken an earlier attempt: look before sending again.
    """
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return
    message.attempts = max(message.attempts - 1, 0)
    message.claimed_until, message.next_attempt_at = None, retry_at
    message.outcome_unknown = message.outcome_unknown or unknown
    session.add(message)
