"""Support links between streams and a stream's segments: queries and writes, in a tenant."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Segment, Stream, SupportLink
from storage.streams import check_stream, tenant_params
from storage.tenant import Tenant
from vsm.names import fold
from vsm.segments import Segment as SegmentValue
from vsm.support import SupportLink as LinkValue


def support_links(*, session: Session, tenant: Tenant) -> list[SupportLink]:
    """Every support link of the workspace, oldest first."""
    query = (
        select(SupportLink)
        .join(Stream, col(Stream.id) == col(SupportLink.served_stream_id))
        .where(Stream.enterprise_id == tenant.enterprise_id, Stream.team_id == tenant.team_id)
        .order_by(col(SupportLink.id))
    )
    return list(session.exec(query).all())


@cache
def _links_of_stream_query() -> SelectOfScalar[SupportLink]:
    return (
        select(SupportLink)
        .join(Stream, col(Stream.id) == col(SupportLink.served_stream_id))
        .where(
            Stream.enterprise_id == bindparam("tenant_enterprise"),
            Stream.team_id == bindparam("tenant_team"),
            or_(
                col(SupportLink.served_stream_id) == bindparam("stream_id"),
                col(SupportLink.support_stream_id) == bindparam("stream_id"),
            ),
        )
        .order_by(col(SupportLink.id))
    )


def links_of_stream(*, session: Session, tenant: Tenant, stream: Stream) -> list[SupportLink]:
    """The support links the stream is in, serving or served, oldest first."""
    params = tenant_params(tenant) | {"stream_id": check_stream(stream, tenant)}
    return list(session.exec(_links_of_stream_query(), params=params).all())


def link_value(link: SupportLink) -> LinkValue:
    return LinkValue(link.support_stream_id, link.served_stream_id, link.served_step_id)


def add_support_link(
    *,
    session: Session,
    tenant: Tenant,
    support: Stream,
    served: Stream,
    step_id: int,
    by: str,
    now: datetime,
) -> SupportLink:
    link = SupportLink(
        support_stream_id=check_stream(support, tenant),
        served_stream_id=check_stream(served, tenant),
        served_step_id=step_id,
        created_by=by,
        created_at=now,
    )
    session.add(link)
    session.flush()
    return link


@cache
def _segments_query() -> SelectOfScalar[Segment]:
    query = select(Segment).where(Segment.stream_id == bindparam("stream_id"))
    return query.order_by(col(Segment.name_key))


def segments_of(*, session: Session, tenant: Tenant, stream: Stream) -> list[Segment]:
    """A stream's segments, by name."""
    params = {"stream_id": check_stream(stream, tenant)}
    return list(session.exec(_segments_query(), params=params).all())


def segments_of_streams(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, list[Segment]]:
    ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[Segment]] = {key: [] for key in ids}
    if ids:
        query = (
            select(Segment).where(col(Segment.stream_id).in_(ids)).order_by(col(Segment.name_key))
        )
        for segment in session.exec(query).all():
            found[segment.stream_id].append(segment)
    return found


def segment_value(segment: Segment) -> SegmentValue:
    return SegmentValue(segment.name, segment.first_step_id, segment.last_step_id)


def segment_by_name(
    *, session: Session, tenant: Tenant, stream: Stream, name: str
) -> Segment | None:
    query = select(Segment).where(
        Segment.stream_id == check_stream(stream, tenant), Segment.name_key == fold(name)
    )
    return session.exec(query).first()
