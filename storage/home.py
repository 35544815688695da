"""What the App Home reads beyond the stream queries: open cycles of several streams, the
improvements one person owns across the workspace, and who has ever opened the Home tab."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from storage.cycles import OPEN
from storage.models import Cycle, HomeViewer, Improvement, Stream
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import insert_new


def open_cycles_of(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, Cycle]:
    """The open cycle of each of `streams` that has one, by stream id, in one query."""
    ids = [check_stream(stream, tenant) for stream in streams]
    if not ids:
        return {}
    query = select(Cycle).where(col(Cycle.stream_id).in_(ids), Cycle.status == OPEN)
    return {cycle.stream_id: cycle for cycle in session.exec(query).all()}


def improvements_owned(
    *, session: Session, tenant: Tenant, owner: str, statuses: Sequence[str]
) -> list[tuple[Improvement, Stream]]:
    """The improvements `owner` owns with one of `statuses`, in active streams, with their
    stream: by stream name, then number."""
    query = (
        select(Improvement, Stream)
        .join(Stream, col(Stream.id) == Improvement.stream_id)
        .where(
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
            col(Stream.archived).is_(False),
            Improvement.owner == owner,
            col(Improvement.status).in_(statuses),
        )
        .order_by(col(Stream.name_key), col(Improvement.number))
    )
    return [(item, stream) for item, stream in session.exec(query).all()]


def remember_home_viewer(*, session: Session, tenant: Tenant, user_id: str, now: datetime) -> bool:
    """Record that `user_id` opened the Home tab; True the first time."""
    return insert_new(
        session,
        HomeViewer,
        enterprise_id=tenant.enterprise_id,
        team_id=tenant.team_id,
        user_id=user_id,
        first_opened_at=now,
    )


def any_home_viewer(*, session: Session, tenant: Tenant) -> bool:
    """Whether anyone in this workspace has opened the Home tab (one indexed lookup)."""
    query = select(HomeViewer.user_id).where(
        HomeViewer.enterprise_id == tenant.enterprise_id, HomeViewer.team_id == tenant.team_id
    )
    return session.exec(query.limit(1)).first() is not None


def home_viewers(*, session: Session, tenant: Tenant, users: Iterable[str]) -> set[str]:
    """Those of `users` who have opened the Home tab in this workspace, in one query."""
    wanted = list(dict.fromkeys(users))
    if not wanted:
        return set()
    query = select(HomeViewer.user_id).where(
        HomeViewer.enterprise_id == tenant.enterprise_id,
        HomeViewer.team_id == tenant.team_id,
        col(HomeViewer.user_id).in_(wanted),
    )
    return set(session.exec(query).all())
