"""Queries on streams and their steps. Every one is scoped to a tenant but `list_tenants`."""

from collections.abc import Sequence

from sqlalchemy import case
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Step, Stream
from storage.tenant import Tenant
from vsm.names import fold


def _scoped(tenant: Tenant) -> SelectOfScalar[Stream]:
    return select(Stream).where(
        Stream.enterprise_id == tenant.enterprise_id, Stream.team_id == tenant.team_id
    )


def list_streams(
    *, session: Session, tenant: Tenant, channel_first: str | None = None, archived: bool = False
) -> list[Stream]:
    """The workspace's streams (active or archived), those homed in `channel_first` first."""
    query = _scoped(tenant).where(Stream.archived == archived)
    if channel_first is not None:
        query = query.order_by(case((col(Stream.channel_id) == channel_first, 0), else_=1))
    return list(session.exec(query.order_by(col(Stream.name_key))).all())


def get_stream(
    *, session: Session, tenant: Tenant, stream_id: int, for_update: bool = False
) -> Stream | None:
    """A stream by id, only if it belongs to `tenant`; locked for the transaction if asked."""
    query = _scoped(tenant).where(Stream.id == stream_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def find_stream_by_name(
    *, session: Session, tenant: Tenant, name: str, except_id: int | None = None
) -> Stream | None:
    """The stream called `name` (ignoring case), other than `except_id`, if there is one."""
    query = _scoped(tenant).where(Stream.name_key == fold(name))
    if except_id is not None:
        query = query.where(Stream.id != except_id)
    return session.exec(query).first()


def add_stream(*, session: Session, tenant: Tenant, stream: Stream) -> Stream:
    """Store a new stream for `tenant` (the tenant is set here, whatever `stream` says)."""
    stream.enterprise_id = tenant.enterprise_id
    stream.team_id = tenant.team_id
    stream.name_key = fold(stream.name)
    session.add(stream)
    session.flush()
    return stream


def rename_stream(*, stream: Stream, name: str) -> None:
    """Give a stream a new name (its folded key follows)."""
    stream.name = name
    stream.name_key = fold(name)


def list_steps(*, session: Session, stream: Stream) -> list[Step]:
    """A stream's steps in order. `stream` was loaded through a tenant-scoped query."""
    query = select(Step).where(Step.stream_id == stream.id).order_by(col(Step.position))
    return list(session.exec(query).all())


def steps_of_streams(*, session: Session, streams: Sequence[Stream]) -> dict[int, list[Step]]:
    """The steps of several streams in one query, by stream id."""
    ids = [stream.id for stream in streams if stream.id is not None]
    found: dict[int, list[Step]] = {stream_id: [] for stream_id in ids}
    if not ids:
        return found
    query = select(Step).where(col(Step.stream_id).in_(ids)).order_by(col(Step.position))
    for step in session.exec(query).all():
        found[step.stream_id].append(step)
    return found


def save_step_order(*, session: Session, steps: Sequence[Step]) -> None:
    """Number `steps` 1, 2, 3… in the order given and store them."""
    for position, step in enumerate(steps, start=1):
        step.position = position
        session.add(step)
    session.flush()


def list_tenants(*, session: Session) -> list[Tenant]:
    """Every workspace that holds at least one stream, by enterprise then team id.

    The one query not scoped to a tenant: it is for the operator's command line, which must
    find out which workspaces there are.
    """
    query = (
        select(Stream.enterprise_id, Stream.team_id)
        .distinct()
        .order_by(col(Stream.enterprise_id), col(Stream.team_id))
    )
    return [
        Tenant(team_id=team, enterprise_id=enterprise) for enterprise, team in session.exec(query)
    ]
