"""The App Home tab: for the person who opens it, what they owe, the streams they own or work
on with their latest numbers, the improvements they own, and where to start."""

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from commands.access import may_change, visible_to
from commands.latest import Latest, latest_numbers
from commands.services import Services
from storage import cycles as cycle_rows
from storage import home as home_rows
from storage import owners as owner_rows
from storage import person_lock
from storage import streams as stream_rows
from storage.history import load_cycles
from storage.models import Cycle, Stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.streams import ValueStream

# A Home tab holds at most 100 blocks: these keep it well inside, with "and N more" after.
MOST_OWED = 10
MOST_STREAMS = 12
MOST_IMPROVEMENTS = 10
IMPROVEMENT_MOVES = {"proposed": ("doing", "dropped"), "doing": ("done", "dropped")}


@dataclass(frozen=True)
class Owed:
    """An open cycle in which the person is named at steps they have not answered."""

    cycle_id: int
    stream: str
    number: int
    channel_id: str
    steps: tuple[str, ...]  # "2. Account setup"
    closes_at: datetime | None


@dataclass(frozen=True)
class HomeStream:
    """A stream the person owns or works on; `changeable`: they may change it."""

    stream: ValueStream
    latest: Latest
    changeable: bool
    owner: bool


@dataclass(frozen=True)
class OwnImprovement:
    stream_id: int
    stream: str
    number: int
    title: str
    status: str
    moves: tuple[str, ...]


@dataclass(frozen=True)
class Home:
    """The Home tab of `user`; each list is cut short, the `*_more` counts say by how much."""

    user: str
    owed: tuple[Owed, ...]
    owed_more: int
    streams: tuple[HomeStream, ...]
    streams_more: int
    improvements: tuple[OwnImprovement, ...]
    improvements_more: int
    workspace_streams: int
    # The workspace it was built for, carried by the view (and back in its clicks).
    metadata: str


@contextmanager
def one_home_at_a_time(services: Services, tenant: Tenant, user_id: str) -> Iterator[None]:
    """While held, no other process builds or publishes this person's Home tab: what is read
    inside is published before anything read after it."""
    with person_lock.person_lock(services.engine, tenant, user_id, "home"):
        yield


def home_for(services: Services, tenant: Tenant, user_id: str) -> Home:
    """The Home tab for `user_id`, as the database stands now."""
    with services.unit_of_work(read_only=True) as session:
        visible = visible_to(services, tenant, user_id)
        streams = [
            s for s in stream_rows.list_streams(session=session, tenant=tenant) if visible(s)
        ]
        steps = stream_rows.steps_of_streams(session=session, tenant=tenant, streams=streams)
        owners = owner_rows.owners_of_streams(session=session, tenant=tenant, streams=streams)
        open_cycles = home_rows.open_cycles_of(session=session, tenant=tenant, streams=streams)
        owed = _owed(session, tenant, streams, open_cycles, user_id)
        mine = [
            s
            for s in streams
            if user_id in owners[id_of(s)]
            or any(user_id in step.people for step in steps[id_of(s)])
            or any(o.stream == s.name for o in owed)
        ]
        shown = [
            HomeStream(
                stream_rows.value_stream(stream, steps[id_of(stream)]),
                latest_numbers(session, tenant, stream),
                may_change(session, services, tenant, stream, user_id),
                user_id in owners[id_of(stream)],
            )
            for stream in mine[:MOST_STREAMS]
        ]
        items = home_rows.improvements_owned(
            session=session, tenant=tenant, owner=user_id, statuses=tuple(IMPROVEMENT_MOVES)
        )
        improvements = [
            OwnImprovement(
                id_of(stream),
                stream.name,
                item.number,
                item.title,
                item.status,
                IMPROVEMENT_MOVES[item.status],
            )
            for item, stream in items
            if visible(stream)
        ]
        return Home(
            user=user_id,
            owed=tuple(owed[:MOST_OWED]),
            owed_more=max(len(owed) - MOST_OWED, 0),
            streams=tuple(shown),
            streams_more=max(len(mine) - MOST_STREAMS, 0),
            improvements=tuple(improvements[:MOST_IMPROVEMENTS]),
            improvements_more=max(len(improvements) - MOST_IMPROVEMENTS, 0),
            workspace_streams=len(streams),
            metadata=json.dumps({"team": tenant.team_id, "enterprise": tenant.enterprise_id}),
        )


def _owed(
    session: Session,
    tenant: Tenant,
    streams: list[Stream],
    open_cycles: dict[int, Cycle],
    user_id: str,
) -> list[Owed]:
    """The open cycles where `user_id` is named at a step they have not answered yet."""
    by_id = {id_of(s): s for s in streams}
    cycles = sorted(open_cycles.values(), key=lambda c: (c.closes_at is None, c.closes_at, c.id))
    snapshot = cycle_rows.cycle_steps(
        session=session, tenant=tenant, cycle_ids=[id_of(c) for c in cycles]
    )
    named = [c for c in cycles if any(user_id in s.people for s in snapshot[id_of(c)])]
    records = load_cycles(session=session, tenant=tenant, cycles=named)
    owed = []
    for cycle, record in zip(named, records, strict=True):
        answered = {s.position for s in record.steps if any(a.person == user_id for a in s.answers)}
        missing = tuple(
            f"{step.position}. {step.name}"
            for step in snapshot[id_of(cycle)]
            if user_id in step.people and step.position not in answered
        )
        if missing:
            stream = by_id[cycle.stream_id]
            owed.append(
                Owed(
                    id_of(cycle),
                    stream.name,
                    cycle.number,
                    cycle.channel_id,
                    missing,
                    cycle.closes_at,
                )
            )
    return owed


def home_audience(
    services: Services, tenant: Tenant, stream_name: str, *also: str, viewers_only: bool = False
) -> tuple[str, ...]:
    """Whose Home shows the stream called `stream_name`: its owners and the people at its
    steps (nobody when there is no such stream), then `also`. With `viewers_only`, only those
    who have opened their Home tab — read in the same transaction."""
    with services.unit_of_work(read_only=True) as session:
        stream = stream_rows.stream_by_name(session=session, tenant=tenant, name=stream_name)
        people: list[str] = []
        if stream is not None:
            people.extend(owner_rows.owners_of(session=session, tenant=tenant, stream=stream))
            for step in stream_rows.list_steps(session=session, tenant=tenant, stream=stream):
                people.extend(step.people)
        people.extend(also)
        audience = tuple(dict.fromkeys(people))
        if not viewers_only or not audience:
            return audience
        viewers = home_rows.home_viewers(session=session, tenant=tenant, users=audience)
        return tuple(person for person in audience if person in viewers)


def home_opened(services: Services, tenant: Tenant, user_id: str) -> None:
    """`user_id` opened the Home tab: from now on it is kept up to date for them."""
    with services.unit_of_work() as session:
        home_rows.remember_home_viewer(
            session=session, tenant=tenant, user_id=user_id, now=services.now()
        )


def workspace_has_home_viewers(services: Services, tenant: Tenant) -> bool:
    """Whether anyone in the workspace has opened the Home tab: until someone has, no change
    needs a Home published."""
    with services.unit_of_work(read_only=True) as session:
        return home_rows.any_home_viewer(session=session, tenant=tenant)


def home_viewers(services: Services, tenant: Tenant, users: Iterable[str]) -> set[str]:
    """Those of `users` who have ever opened the Home tab: the only ones whose tab is worth
    publishing again (anyone else's first opening publishes theirs)."""
    with services.unit_of_work(read_only=True) as session:
        return home_rows.home_viewers(session=session, tenant=tenant, users=users)


def stream_name_of(services: Services, tenant: Tenant, stream_id: int) -> str | None:
    """The name of the workspace's stream `stream_id` (None if it has none such)."""
    with services.unit_of_work(read_only=True) as session:
        stream = stream_rows.get_stream(session=session, tenant=tenant, stream_id=stream_id)
        return None if stream is None else stream.name
