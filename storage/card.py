"""What `/vsm show` (the stream card) and `/vsm list` read, in as few statements as they can
take it: the stream with its steps, its cycles with its target, its short lists (owners,
improvements under way, segments, support links) together; every stream of the workspace
with its steps. Every function takes the tenant; the statements are built once per process,
on first use."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    inspect,
    literal,
    literal_column,
    null,
    or_,
    union_all,
)
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select as ModelSelect

from storage import cycles as cycle_rows
from storage.models import (
    Cycle,
    CycleStep,
    Improvement,
    Measurement,
    Segment,
    Step,
    Stream,
    StreamOwner,
    SupportLink,
    Target,
    WorkTeam,
)
from storage.streams import basis_from, check_stream, tenant_params
from storage.tenant import Tenant
from storage.types import UTCDateTime, id_of
from vsm.names import fold
from vsm.streams import StreamStep, ValueStream

UNDER_WAY = "doing"  # the improvement status the card lists


def _team_of_step() -> ColumnElement[bool]:
    """The join to the team record a step names, in the bound tenant."""
    return and_(
        col(WorkTeam.id) == col(Step.work_team_id),
        col(WorkTeam.enterprise_id) == bindparam("tenant_enterprise"),
        col(WorkTeam.team_id) == bindparam("tenant_team"),
    )


@cache
def _steps_with_teams_query() -> ModelSelect[Step, str | None]:
    return (
        select(Step, col(WorkTeam.team_type))
        .outerjoin(WorkTeam, _team_of_step())
        .where(Step.stream_id == bindparam("stream_id"))
        .order_by(col(Step.position))
    )


def steps_with_team_types(
    *, session: Session, tenant: Tenant, stream: Stream
) -> list[tuple[Step, str | None]]:
    """A stream's steps in order, each with the type stored on the team record it names
    (None when it names none, or one of another workspace)."""
    params = tenant_params(tenant) | {"stream_id": check_stream(stream, tenant)}
    return [(step, kind) for step, kind in session.exec(_steps_with_teams_query(), params=params)]


@cache
def _named_with_steps_query() -> ModelSelect[Stream, Step | None, str | None]:
    return (
        select(Stream, Step, col(WorkTeam.team_type))
        .outerjoin(Step, col(Step.stream_id) == col(Stream.id))
        .outerjoin(WorkTeam, _team_of_step())
        .where(
            Stream.enterprise_id == bindparam("tenant_enterprise"),
            Stream.team_id == bindparam("tenant_team"),
            Stream.name_key == bindparam("name_key"),
        )
        .order_by(col(Step.position))
    )


def stream_with_steps_by_name(
    *, session: Session, tenant: Tenant, name: str
) -> tuple[Stream, list[tuple[Step, str | None]]] | None:
    """The stream called `name` (ignoring case), as `stream_by_name`, with its steps as
    `steps_with_team_types`, in one query; None when no stream has that name."""
    params = tenant_params(tenant) | {"name_key": fold(name)}
    rows = session.exec(_named_with_steps_query(), params=params).all()
    if not rows:
        return None
    return rows[0][0], [(step, kind) for _, step, kind in rows if step is not None]


@cache
def _listing_query() -> Select[*tuple[Any, ...]]:
    streams, steps = inspect(Stream).local_table, inspect(Step).local_table
    stream, step = streams.c, steps.c
    here_first = case(
        (and_(stream.archived.is_(False), stream.channel_id == bindparam("channel_first")), 0),
        else_=1,
    )
    return (
        core_select(
            stream.id,
            stream.name,
            stream.channel_id,
            stream.trigger,
            stream.value,
            stream.customer,
            stream.time_basis,
            stream.hours_per_day,
            stream.days_per_week,
            stream.archived,
            step.position,
            step.name,
            step.team,
            step.people,
        )
        .select_from(streams.outerjoin(steps, step.stream_id == stream.id))
        .where(
            stream.enterprise_id == bindparam("tenant_enterprise"),
            stream.team_id == bindparam("tenant_team"),
        )
        .order_by(stream.archived, here_first, stream.name_key, step.position)
    )


def workspace_value_streams(
    *, session: Session, tenant: Tenant, channel_first: str
) -> list[ValueStream]:
    """Every stream of the workspace with its steps, in one query: the active ones (those
    homed in `channel_first` first, then by name), then the archived ones by name."""
    rows: dict[int, tuple[Any, list[StreamStep]]] = {}
    params = tenant_params(tenant) | {"channel_first": channel_first}
    for row in session.execute(_listing_query(), params):
        stream_id, position, name, team, people = row[0], *row[10:]
        found = rows.setdefault(stream_id, (row, []))
        if position is not None:
            found[1].append(StreamStep(position, name, team, tuple(people)))
    return [
        ValueStream(
            id=row[0],
            name=row[1],
            channel_id=row[2],
            trigger=row[3],
            value=row[4],
            customer=row[5],
            basis=basis_from(row[6], row[7], row[8]),
            archived=row[9],
            steps=tuple(steps),
        )
        for row, steps in rows.values()
    ]


@cache
def _cycle_ends_and_target_query() -> ModelSelect[Cycle, Target]:
    closed = inspect(Cycle).local_table.alias("closed_cycle")

    # The statuses are written into the SQL: SQLite prepares a statement again on every run
    # when a bound value is compared with a column that a partial index (the one open cycle
    # of a stream) filters on.
    is_open = literal_column(f"'{cycle_rows.OPEN}'", String)
    is_closed = literal_column(f"'{cycle_rows.CLOSED}'", String)

    def end(number: Any) -> Any:
        # The first or latest closed cycle's number (the subquery follows the outer stream).
        query = core_select(number).where(
            closed.c.stream_id == col(Stream.id), closed.c.status == is_closed
        )
        return query.scalar_subquery()

    shown = or_(
        col(Cycle.status) == is_open,
        col(Cycle.number) == end(func.min(closed.c.number)),
        col(Cycle.number) == end(func.max(closed.c.number)),
    )
    return (
        select(Cycle, Target)
        .select_from(Stream)
        .outerjoin(Target, col(Target.stream_id) == col(Stream.id))
        .outerjoin(Cycle, and_(col(Cycle.stream_id) == col(Stream.id), shown))
        .where(
            col(Stream.id) == bindparam("stream_id"),
            col(Stream.enterprise_id) == bindparam("tenant_enterprise"),
            col(Stream.team_id) == bindparam("tenant_team"),
        )
        .order_by(col(Cycle.number))
    )


def cycle_ends_and_target(
    *, session: Session, tenant: Tenant, stream: Stream
) -> tuple[list[Cycle], Target | None]:
    """What the stream's numbers are taken from, in one query: its first and latest closed
    cycles and its open one, by number (the cycles between are not read), and its target
    (as storage.kaizen.target_of)."""
    params = tenant_params(tenant) | {"stream_id": check_stream(stream, tenant)}
    cycles: list[Cycle] = []
    target: Target | None = None
    for cycle, row in session.exec(_cycle_ends_and_target_query(), params=params):
        target = row
        if cycle is not None:
            cycles.append(cycle)
    return cycles, target


@cache
def _progress_query() -> Select[int, Any]:
    snap, said = inspect(CycleStep).local_table.c, inspect(Measurement).local_table.c
    cycles, streams = inspect(Cycle).local_table, inspect(Stream).local_table
    answered = exists().where(said.cycle_step_id == snap.id, said.cycle_id == snap.cycle_id)
    return (
        core_select(func.count(snap.id), func.sum(case((answered, 1), else_=0)))
        .select_from(
            inspect(CycleStep)
            .local_table.join(cycles, cycles.c.id == snap.cycle_id)
            .join(streams, streams.c.id == cycles.c.stream_id)
        )
        .where(
            snap.cycle_id == bindparam("cycle_id"),
            streams.c.enterprise_id == bindparam("tenant_enterprise"),
            streams.c.team_id == bindparam("tenant_team"),
        )
    )


def cycle_progress(*, session: Session, tenant: Tenant, cycle: Cycle) -> tuple[int, int]:
    """How many of a cycle's steps have answers, and how many steps it has: what
    storage.history.load_cycles would show, counted without reading the answers."""
    params = tenant_params(tenant) | {"cycle_id": id_of(cycle)}
    steps, answered = session.execute(_progress_query(), params).one()
    return int(answered or 0), int(steps)


@cache
def _under_way_query() -> Select[int, str]:
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


@dataclass(frozen=True)
class CardLists:
    """A stream's short lists, each in the order its own reader gives it."""

    owners: tuple[str, ...]  # as storage.owners.owners_of
    under_way: tuple[tuple[int, str], ...]  # as under_way
    segments: tuple[Segment, ...]  # as storage.links.segments_of
    links: tuple[SupportLink, ...]  # as storage.links.links_of_stream


_OWNER, _UNDER_WAY, _SEGMENT, _LINK = 0, 1, 2, 3
_TEXTS, _NUMBERS = ("text_a", "text_b", "text_c"), ("number_a", "number_b", "number_c")


def _part(kind: int, key: Any, sort_text: Any = None, **values: Any) -> list[Any]:
    """One list's columns: its kind and order (`sort_text`, then `key`), three texts, three
    numbers and a time, by name; what a list has not is a NULL of the column's type (which
    PostgreSQL needs to put the lists under one another)."""
    texts = [values.get(name, cast(null(), String)).label(name) for name in _TEXTS]
    numbers = [values.get(name, cast(null(), Integer)).label(name) for name in _NUMBERS]
    return [
        literal(kind, Integer).label("kind"),
        (literal("", String) if sort_text is None else sort_text).label("sort_text"),
        key.label("sort_key"),
        *texts,
        *numbers,
        values.get("made_at", cast(null(), UTCDateTime)).label("made_at"),
    ]


@cache
def _card_lists_query() -> CompoundSelect[Any]:
    owner, item = inspect(StreamOwner).local_table.c, inspect(Improvement).local_table.c
    segment, link = inspect(Segment).local_table.c, inspect(SupportLink).local_table
    stream = inspect(Stream).local_table
    stream_id = bindparam("stream_id", type_=Integer)
    query = union_all(
        core_select(*_part(_OWNER, owner.id, text_a=owner.user_id)).where(
            owner.stream_id == stream_id
        ),
        core_select(*_part(_UNDER_WAY, item.number, text_a=item.title)).where(
            item.stream_id == stream_id, item.status == UNDER_WAY
        ),
        core_select(
            *_part(
                _SEGMENT,
                segment.id,
                segment.name_key,
                text_a=segment.name,
                text_b=segment.owner,
                text_c=segment.created_by,
                number_a=segment.first_step_id,
                number_b=segment.last_step_id,
                made_at=segment.created_at,
            )
        ).where(segment.stream_id == stream_id),
        core_select(
            *_part(
                _LINK,
                link.c.id,
                text_c=link.c.created_by,
                number_a=link.c.support_stream_id,
                number_b=link.c.served_stream_id,
                number_c=link.c.served_step_id,
                made_at=link.c.created_at,
            )
        )
        .select_from(link.join(stream, stream.c.id == link.c.served_stream_id))
        .where(
            stream.c.enterprise_id == bindparam("tenant_enterprise"),
            stream.c.team_id == bindparam("tenant_team"),
            or_(link.c.served_stream_id == stream_id, link.c.support_stream_id == stream_id),
        ),
    )
    columns = query.selected_columns
    return query.order_by(columns.kind, columns.sort_text, columns.sort_key)


def card_lists(*, session: Session, tenant: Tenant, stream: Stream) -> CardLists:
    """The stream's owners, improvements under way, segments and support links, in one
    query. The segments and links are rows as their own readers give them, not in the
    session (for reading only)."""
    stream_id = check_stream(stream, tenant)
    params = tenant_params(tenant) | {"stream_id": stream_id}
    owners: list[str] = []
    under: list[tuple[int, str]] = []
    segments: list[Segment] = []
    links: list[SupportLink] = []
    for row in session.execute(_card_lists_query(), params):
        if row.kind == _OWNER:
            owners.append(row.text_a)
        elif row.kind == _UNDER_WAY:
            under.append((row.sort_key, row.text_a))
        elif row.kind == _SEGMENT:
            segments.append(
                Segment(
                    id=row.sort_key,
                    stream_id=stream_id,
                    name=row.text_a,
                    name_key=row.sort_text,
                    first_step_id=row.number_a,
                    last_step_id=row.number_b,
                    owner=row.text_b,
                    created_by=row.text_c,
                    created_at=row.made_at,
                )
            )
        else:
            links.append(
                SupportLink(
                    id=row.sort_key,
                    support_stream_id=row.number_a,
                    served_stream_id=row.number_b,
                    served_step_id=row.number_c,
                    created_by=row.text_c,
                    created_at=row.made_at,
                )
            )
    return CardLists(tuple(owners), tuple(under), tuple(segments), tuple(links))
