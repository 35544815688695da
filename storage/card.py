"""What a stream's numbers are read from, in as few statements as the card can take them: its
cycles with its target, and the titles of the improvements under way. Every function takes
the tenant; the statements are built once per process, on first use."""

from functools import cache

from sqlalchemy import Select, and_, bindparam, inspect
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select as ModelSelect

from storage.models import Cycle, Improvement, Stream, Target
from storage.streams import check_stream, tenant_params
from storage.tenant import Tenant

UNDER_WAY = "doing"  # the improvement status the card lists


@cache
def _cycles_and_target_query() -> ModelSelect[Cycle, Target]:
    return (
        select(Cycle, Target)
        .select_from(Stream)
        .outerjoin(Target, col(Target.stream_id) == col(Stream.id))
        .outerjoin(Cycle, col(Cycle.stream_id) == col(Stream.id))
        .where(
            col(Stream.id) == bindparam("stream_id"),
            col(Stream.enterprise_id) == bindparam("tenant_enterprise"),
            col(Stream.team_id) == bindparam("tenant_team"),
        )
        .order_by(col(Cycle.number))
    )


def cycles_and_target(
    *, session: Session, tenant: Tenant, stream: Stream
) -> tuple[list[Cycle], Target | None]:
    """The stream's cycles by number (as storage.cycles.cycles_of) and its target (as
    storage.kaizen.target_of), in one query."""
    params = tenant_params(tenant) | {"stream_id": check_stream(stream, tenant)}
    cycles: list[Cycle] = []
    target: Target | None = None
    for cycle, row in session.exec(_cycles_and_target_query(), params=params):
        target = row
        if cycle is not None:
            cycles.append(cycle)
    return cycles, target


@cache
def _under_way_query() -> Select[tuple[int, str]]:
    item = inspect(Improvement).local_table.c
    return (
        core_select(item.number, item.title)
        .where(and_(item.stream_id == bindparam("stream_id"), item.status == UNDER_WAY))
        .order_by(item.number)
    )


def under_way(*, session: Session, tenant: Tenant, stream: Stream) -> list[tuple[int, str]]:
    """The numbers and titles of the stream's improvements under way, by number."""
    params = {"stream_id": check_stream(stream, tenant)}
    return [(number, title) for number, title in session.execute(_under_way_query(), params)]
