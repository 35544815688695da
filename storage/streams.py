"""Streams and their steps: queries, writes, and the rows as vsm values. Every function takes
the tenant but `list_tenants`, which is for the operator's command line."""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, bindparam, case
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Step, Stream
from storage.tenant import Tenant, check_tenant
from storage.types import id_of
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.names import fold, match_name
from vsm.streams import StreamStep, ValueStream


class StreamArchived(VsmError):
    """The stream exists but is archived, so it cannot change."""


# The hot reads are built once per process, on first use, with their values as bound
# parameters: building a statement and its cache key costs more than running it.


def _scoped(tenant: Tenant) -> SelectOfScalar[Stream]:
    return select(Stream).where(
        Stream.enterprise_id == tenant.enterprise_id, Stream.team_id == tenant.team_id
    )


def _in_tenant() -> SelectOfScalar[Stream]:
    """The tenant's streams, the tenant given as `tenant_enterprise` and `tenant_team`."""
    return select(Stream).where(
        Stream.enterprise_id == bindparam("tenant_enterprise"),
        Stream.team_id == bindparam("tenant_team"),
    )


def tenant_params(tenant: Tenant) -> dict[str, Any]:
    """The bound tenant of a statement built once (`tenant_enterprise`, `tenant_team`)."""
    return {"tenant_enterprise": tenant.enterprise_id, "tenant_team": tenant.team_id}


def check_stream(stream: Stream, tenant: Tenant) -> int:
    """The stream's id, after checking it belongs to `tenant` (rows passed between queries).

    Raises:
        WrongTenant: it belongs to another workspace.
    """
    check_tenant(stream.enterprise_id, stream.team_id, tenant)
    return id_of(stream)


# ---- reading ---------------------------------------------------------------------------------


@cache
def _list_query(channel_first: bool) -> SelectOfScalar[Stream]:
    query = _in_tenant().where(Stream.archived == bindparam("archived"))
    if channel_first:
        first = case((col(Stream.channel_id) == bindparam("channel_first"), 0), else_=1)
        query = query.order_by(first)
    return query.order_by(col(Stream.name_key))


def list_streams(
    *, session: Session, tenant: Tenant, channel_first: str | None = None, archived: bool = False
) -> list[Stream]:
    """The workspace's streams (active or archived), those homed in `channel_first` first."""
    params = tenant_params(tenant) | {"archived": archived, "channel_first": channel_first}
    return list(session.exec(_list_query(channel_first is not None), params=params).all())


def streams_in_channel(*, session: Session, tenant: Tenant, channel_id: str) -> list[Stream]:
    """The active streams homed in a channel, by name."""
    query = (
        _scoped(tenant)
        .where(Stream.channel_id == channel_id, col(Stream.archived).is_(False))
        .order_by(col(Stream.name_key))
    )
    return list(session.exec(query).all())


@cache
def _by_id_query(for_update: bool) -> SelectOfScalar[Stream]:
    query = _in_tenant().where(Stream.id == bindparam("stream_id"))
    return query.with_for_update() if for_update else query


def get_stream(
    *, session: Session, tenant: Tenant, stream_id: int, for_update: bool = False
) -> Stream | None:
    """A stream by id, only if it belongs to `tenant`; locked for the transaction if asked."""
    params = tenant_params(tenant) | {"stream_id": stream_id}
    return session.exec(_by_id_query(for_update), params=params).first()


@cache
def _by_ids_query() -> SelectOfScalar[Stream]:
    ids: BindParameter[int] = bindparam("stream_ids", expanding=True)
    return _in_tenant().where(col(Stream.id).in_(ids))


def streams_by_ids(*, session: Session, tenant: Tenant, ids: Sequence[int]) -> dict[int, Stream]:
    """The streams with these ids, in `tenant` only, by id."""
    if not ids:
        return {}
    params = tenant_params(tenant) | {"stream_ids": sorted(set(ids))}
    return {id_of(s): s for s in session.exec(_by_ids_query(), params=params).all()}


@cache
def _by_name_query(excluding: bool) -> SelectOfScalar[Stream]:
    query = _in_tenant().where(Stream.name_key == bindparam("name_key"))
    return query.where(Stream.id != bindparam("except_id")) if excluding else query


def stream_by_name(
    *, session: Session, tenant: Tenant, name: str, except_id: int | None = None
) -> Stream | None:
    """The stream called `name` (ignoring case), other than `except_id`, if there is one."""
    params = tenant_params(tenant) | {"name_key": fold(name), "except_id": except_id}
    return session.exec(_by_name_query(except_id is not None), params=params).first()


def find_stream(
    *,
    session: Session,
    tenant: Tenant,
    name: str,
    for_update: bool = False,
    active: bool = False,
    visible: Callable[[Stream], bool] | None = None,
) -> Stream:
    """The stream `name` names: an exact name (ignoring case), else a unique prefix.

    Args:
        for_update: lock it for the rest of the transaction.
        active: refuse an archived stream (for commands that change a stream).
        visible: the streams the person may see; the others are as if they did not exist.

    Raises:
        UnknownName, AmbiguousName: as vsm.names.match_name.
        StreamArchived: `active` was asked for and the stream is archived.
    """
    stream = stream_by_name(session=session, tenant=tenant, name=name)
    if stream is not None and visible is not None and not visible(stream):
        stream = None
    if stream is None:
        # Prefixes reach only active streams: an archived one is found by its whole name.
        candidates = list_streams(session=session, tenant=tenant)
        if visible is not None:
            candidates = [s for s in candidates if visible(s)]
        stream = candidates[match_name(name, [s.name for s in candidates]).index]
    if for_update:
        locked = get_stream(
            session=session, tenant=tenant, stream_id=id_of(stream), for_update=True
        )
        stream = locked or stream
    if active and stream.archived:
        raise StreamArchived(
            f'“{stream.name}” is archived. Bring it back first: /vsm unarchive "{stream.name}"'
        )
    return stream


@cache
def _steps_query() -> SelectOfScalar[Step]:
    return select(Step).where(Step.stream_id == bindparam("stream_id")).order_by(col(Step.position))


def list_steps(*, session: Session, tenant: Tenant, stream: Stream) -> list[Step]:
    """A stream's steps in order."""
    params = {"stream_id": check_stream(stream, tenant)}
    return list(session.exec(_steps_query(), params=params).all())


@cache
def _steps_of_streams_query() -> SelectOfScalar[Step]:
    ids: BindParameter[int] = bindparam("stream_ids", expanding=True)
    return select(Step).where(col(Step.stream_id).in_(ids)).order_by(col(Step.position))


def steps_of_streams(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, list[Step]]:
    """The steps of several streams in one query, by stream id."""
    ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[Step]] = {stream_id: [] for stream_id in ids}
    if not ids:
        return found
    for step in session.exec(_steps_of_streams_query(), params={"stream_ids": ids}).all():
        found[step.stream_id].append(step)
    return found


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


# ---- rows as vsm values ----------------------------------------------------------------------


def basis_of(stream: Stream) -> TimeBasis:
    """The time basis a stream's durations are read and shown in."""
    return basis_from(stream.time_basis, stream.hours_per_day, stream.days_per_week)


def basis_from(time_basis: str, hours_per_day: float, days_per_week: float) -> TimeBasis:
    """The time basis a stream's columns give."""
    if time_basis == "working":
        return TimeBasis("working", hours_per_day, days_per_week)
    return TimeBasis("calendar")


def stream_step(step: Step) -> StreamStep:
    """A step row as the vsm value."""
    return StreamStep(step.position, step.name, step.team, tuple(step.people))


def value_stream(stream: Stream, steps: Sequence[Step]) -> ValueStream:
    """A stream row and its step rows as the vsm value."""
    return ValueStream(
        id=id_of(stream),
        name=stream.name,
        channel_id=stream.channel_id,
        trigger=stream.trigger,
        value=stream.value,
        customer=stream.customer,
        basis=basis_of(stream),
        archived=stream.archived,
        steps=tuple(stream_step(step) for step in steps),
    )


# ---- writing ---------------------------------------------------------------------------------


def add_stream(*, session: Session, tenant: Tenant, stream: Stream) -> Stream:
    """Store a new stream for `tenant` (the tenant is set here, whatever `stream` says)."""
    stream.enterprise_id = tenant.enterprise_id
    stream.team_id = tenant.team_id
    stream.name_key = fold(stream.name)
    session.add(stream)
    session.flush()
    return stream


def rename_stream(*, session: Session, tenant: Tenant, stream: Stream, name: str) -> None:
    """Give a stream a new name (its folded key follows)."""
    check_stream(stream, tenant)
    stream.name = name
    stream.name_key = fold(name)
    session.add(stream)
    session.flush()


def set_archived(*, session: Session, tenant: Tenant, stream: Stream, archived: bool) -> None:
    """Archive a stream, or bring it back."""
    check_stream(stream, tenant)
    stream.archived = archived
    session.add(stream)
    session.flush()


def new_step(
    *, tenant: Tenant, stream: Stream, name: str, team: str, people: Sequence[str]
) -> Step:
    """A step of `stream`, not stored yet: `save_steps` numbers and stores it."""
    return Step(
        stream_id=check_stream(stream, tenant),
        position=0,
        name=name,
        team=team,
        people=list(people),
    )


def save_steps(*, session: Session, tenant: Tenant, stream: Stream, steps: Sequence[Step]) -> None:
    """Make `steps` the stream's steps, numbered 1, 2, 3… in the order given; steps of the
    stream that are not among them are removed."""
    stream_id = check_stream(stream, tenant)
    kept = {id(step) for step in steps}
    for old in list_steps(session=session, tenant=tenant, stream=stream):
        if id(old) not in kept:
            session.delete(old)
    for position, step in enumerate(steps, start=1):
        if step.stream_id != stream_id:
            raise ValueError(f"step {step.name!r} belongs to another stream")
        step.position = position
        session.add(step)
    session.flush()
