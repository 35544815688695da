"""Request signatures seen lately, shared by every web process: the same signed request twice
within Slack's five minutes is a replay.

Not scoped to a tenant: a signature is checked before anyone knows which workspace sent it.
Remembering one is a write nearly every request makes (a thread answer's event_id stands in
for it), so it is one prepared Core statement on a plain connection: no ORM session, no
second round trip.
"""

from datetime import datetime
from functools import cache

from sqlalchemy import (
    Connection,
    Insert,
    String,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from storage.models import SeenSignature
from storage.types import UTCDateTime, rows_changed


def remember_signature(*, connection: Connection, signature: str, now: datetime) -> bool:
    """Record a signature in the connection's transaction; False when it was seen before (the
    request is a replay).

    On PostgreSQL the commit does not wait for the disk: a signature lost in a crash lets at
    most a request of the last minutes in once more, and every request costs a commit less.
    """
    found = connection.execute(
        _remembering(connection.dialect.name), {"signature": signature, "seen_at": now}
    )
    return found.first() is not None


@cache
def _remembering(dialect: str) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the key, built once per process and dialect.

    RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT DO NOTHING. On
    PostgreSQL the row is selected from `set_config('synchronous_commit', 'off', true)`, which
    relaxes this transaction's commit in the same statement instead of a `SET LOCAL` before it.
    """
    table = SeenSignature.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    signature = bindparam("signature", type_=String)
    seen_at = bindparam("seen_at", type_=UTCDateTime)
    key = table.c.signature
    if dialect == "postgresql":
        relaxed = select(func.set_config("synchronous_commit", "off", True)).subquery("relaxed")
        rows = select(signature, seen_at).select_from(relaxed)
        inserting = postgresql_insert(table).from_select(["signature", "seen_at"], rows)
        return inserting.on_conflict_do_nothing().returning(key)
    plain = sqlite_insert(table).values(signature=signature, seen_at=seen_at)
    return plain.on_conflict_do_nothing().returning(key)


def forget_signatures_before(*, session: Session, before: datetime) -> int:
    """Drop signatures older than any request Slack would still accept; returns how many."""
    return rows_changed(session, delete(SeenSignature).where(col(SeenSignature.seen_at) < before))
