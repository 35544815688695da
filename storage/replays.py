"""Request signatures seen lately, shared by every web process: the same signed request twice
within Slack's five minutes is a replay.

Not scoped to a tenant: a signature is checked before anyone knows which workspace sent it.
"""

from datetime import datetime

from sqlalchemy import delete, text
from sqlmodel import Session, col

from storage.models import SeenSignature
from storage.types import insert_new, rows_changed


def remember_signature(*, session: Session, signature: str, now: datetime) -> bool:
    """Record a signature; False when it was seen before (the request is a replay).

    On PostgreSQL the commit does not wait for the disk: a signature lost in a crash lets at
    most a request of the last minutes in once more, and every request costs a commit less.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    return insert_new(session, SeenSignature, signature=signature, seen_at=now)


def forget_signatures_before(*, session: Session, before: datetime) -> int:
    """Drop signatures older than any request Slack would still accept; returns how many."""
    return rows_changed(session, delete(SeenSignature).where(col(SeenSignature.seen_at) < before))
