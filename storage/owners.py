"""Who owns a stream, and the log of who changed what. Every function takes the tenant."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Insert, bindparam, delete, exists, false, func, insert, inspect
from sqlalchemy import Select as CoreSelect
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from storage.models import Stream, StreamChange, StreamOwner
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import table_of
from vsm.names import fold

MAX_FIELD = 600


@cache
def _owners_query() -> CoreSelect[str]:
    owner = inspect(StreamOwner).local_table.c
    return (
        core_select(owner.user_id)
        .where(owner.stream_id == bindparam("stream_id"))
        .order_by(owner.id)
    )


def owners_of(*, session: Session, tenant: Tenant, stream: Stream) -> tuple[str, ...]:
    """The stream's owners' user ids, in the order they became owners."""
    # A Core read does not flush the session first: owners are added only by add_owners,
    # which flushes them.
    params = {"stream_id": check_stream(stream, tenant)}
    return tuple(session.execute(_owners_query(), params).scalars())


def stream_to_change(
    *, session: Session, tenant: Tenant, name: str, user: str | None
) -> tuple[Stream, bool] | None:
    """The stream called `name` (its whole name, ignoring case), locked for the rest of the
    transaction, and whether `user` owns it (False for None, not looked up)."""
    params = {
        "enterprise_id": tenant.enterprise_id,
        "team_id": tenant.team_id,
        "name_key": fold(name),
        "user": user,
    }
    # On SQLite a transaction that writes holds the database from its BEGIN: the owners it
    # reads with the stream are the owners when it changes it. On PostgreSQL the statement
    # may wait for the row lock while its snapshot is older: the owners are read after it.
    together = user is not None and session.get_bind().dialect.name == "sqlite"
    row = session.exec(_stream_to_change(together), params=params).first()
    if row is None:
        return None
    if together or user is None:
        return row[0], bool(row[1])
    owned = session.exec(_is_owner(), params={"stream_id": row[0].id, "user": user}).first()
    return row[0], owned is not None


@cache
def _stream_to_change(with_owner: bool) -> Select[Stream, bool]:
    owned = exists().where(
        col(StreamOwner.stream_id) == col(Stream.id), col(StreamOwner.user_id) == bindparam("user")
    )
    return (
        select(Stream, (owned if with_owner else false()).label("owned"))
        .where(
            col(Stream.enterprise_id) == bindparam("enterprise_id"),
            col(Stream.team_id) == bindparam("team_id"),
            col(Stream.name_key) == bindparam("name_key"),
        )
        .with_for_update()
    )


@cache
def _is_owner() -> SelectOfScalar[int | None]:
    return select(col(StreamOwner.id)).where(
        col(StreamOwner.stream_id) == bindparam("stream_id"),
        col(StreamOwner.user_id) == bindparam("user"),
    )


def owners_of_streams(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, tuple[str, ...]]:
    """The owners of several streams, by stream id, in one query."""
    ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[str]] = {stream_id: [] for stream_id in ids}
    if ids:
        query = (
            select(StreamOwner.stream_id, StreamOwner.user_id)
            .where(col(StreamOwner.stream_id).in_(ids))
            .order_by(col(StreamOwner.id))
        )
        for stream_id, user_id in session.exec(query).all():
            found[stream_id].append(user_id)
    return {stream_id: tuple(users) for stream_id, users in found.items()}


def add_owners(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    users: Sequence[str],
    by: str,
    now: datetime,
) -> tuple[str, ...]:
    """Make `users` owners too; returns those who were not owners before."""
    stream_id = check_stream(stream, tenant)
    have = set(owners_of(session=session, tenant=tenant, stream=stream))
    added = tuple(dict.fromkeys(user for user in users if user not in have))
    for user in added:
        session.add(StreamOwner(stream_id=stream_id, user_id=user, added_by=by, added_at=now))
    session.flush()
    return added


def remove_owners(*, session: Session, tenant: Tenant, stream: Stream, users: Sequence[str]) -> int:
    """Remove these owners; returns how many were owners."""
    result = session.execute(
        delete(StreamOwner).where(
            col(StreamOwner.stream_id) == check_stream(stream, tenant),
            col(StreamOwner.user_id).in_(list(users)),
        )
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def record_change(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    by: str,
    what: str,
    now: datetime,
    subject: str = "",
    before: str | None = None,
    after: str | None = None,
) -> None:
    """Log one change to a stream (texts clipped to what the log keeps)."""
    # A plain INSERT: nothing reads the new row back, so no entity and no flush.
    values = {
        "stream_id": check_stream(stream, tenant),
        "at": now,
        "by": by,
        "what": what,
        "subject": subject[:200],
        "before": None if before is None else before[:MAX_FIELD],
        "after": None if after is None else after[:MAX_FIELD],
    }
    session.execute(_record_change(), values)


@cache
def _record_change() -> Insert:
    return insert(table_of(StreamChange))


def changes_of(
    *, session: Session, tenant: Tenant, stream: Stream, offset: int = 0, limit: int | None = None
) -> list[StreamChange]:
    """The stream's changes, newest first."""
    query = (
        select(StreamChange)
        .where(StreamChange.stream_id == check_stream(stream, tenant))
        .order_by(col(StreamChange.at).desc(), col(StreamChange.id).desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def count_changes(*, session: Session, tenant: Tenant, stream: Stream) -> int:
    """How many changes the stream's log holds."""
    query = select(func.count()).where(StreamChange.stream_id == check_stream(stream, tenant))
    return int(session.exec(query).one())
