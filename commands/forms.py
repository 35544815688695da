"""Opening the forms that stand in for long commands: a new stream; adding, changing, moving
and removing steps; measuring now; the schedule; the target; proposing an improvement.

Each opener returns the form to open (or a problem to show) and checks up front what the
submission will check again: that the stream is there and the person may change it.
"""

import json
from dataclasses import dataclass, field

from sqlmodel import Session

from commands.access import may_change, require_change, visible_to
from commands.form_initial import current_settings
from commands.modals import OpenModal
from commands.outcomes import Problem
from commands.services import Services
from storage import streams as stream_rows
from storage.models import Stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.errors import VsmError
from vsm.streams import StreamStep

GONE = "That stream is not there any more (or is archived)."


@dataclass(frozen=True)
class StreamChoice:
    id: int
    name: str


@dataclass(frozen=True)
class StreamPlaces:
    """A stream and its steps, for picking where an improvement acts."""

    id: int
    name: str
    steps: tuple[StreamStep, ...]


@dataclass(frozen=True)
class NewStreamForm:
    channel_id: str | None
    metadata: str


@dataclass(frozen=True)
class StreamForm:
    """A form about one stream: `stream` when it is known, else a pick among `streams`.

    Attributes:
        kind: which form (step_add, measure, schedule, target); its template's part.
    """

    kind: str
    stream: StreamChoice | None
    streams: tuple[StreamChoice, ...]
    metadata: str
    # The fields filled in with what the stream has now (its schedule, its target), by block.
    initial: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepChangeForm:
    stream: str
    step: StreamStep
    steps: int
    metadata: str


@dataclass(frozen=True)
class ProposeForm:
    places: tuple[StreamPlaces, ...]
    initial: str | None  # "stream_id:position" picked at first (position 0: the whole stream)
    title: str
    owner: str
    metadata: str


# What the person must be allowed, per form about a stream (the use case's own words).
DOING = {
    "step_add": "change its steps",
    "measure": "open a cycle",
    "schedule": "change its schedule",
    "target": "change its target",
}


def _metadata(**data: object) -> str:
    return json.dumps({k: v for k, v in data.items() if v is not None})


def new_stream_form(channel_id: str | None = None) -> OpenModal:
    """The form for a new stream, homed in `channel_id` unless the person picks another."""
    return OpenModal(NewStreamForm(channel_id, _metadata()), None, None)


def _stream(
    session: Session, services: Services, tenant: Tenant, stream_id: int, user: str
) -> Stream:
    stream = stream_rows.get_stream(session=session, tenant=tenant, stream_id=stream_id)
    if stream is None or stream.archived or not visible_to(services, tenant, user)(stream):
        raise VsmError(GONE)
    return stream


def stream_form(
    services: Services, tenant: Tenant, user: str, kind: str, stream_id: int | None
) -> OpenModal | Problem:
    """A form about one stream (`kind` in DOING); without `stream_id`, a pick among the
    streams the person may change.

    Raises:
        NotAllowed: the person may not change the stream named.
    """
    with services.unit_of_work(read_only=True) as session:
        if stream_id is not None:
            stream = _stream(session, services, tenant, stream_id, user)
            require_change(session, services, tenant, stream, user, DOING[kind])
            chosen = StreamChoice(id_of(stream), stream.name)
            initial = current_settings(session, tenant, stream, kind)
            form = StreamForm(kind, chosen, (), _metadata(stream=chosen.id), initial)
            return OpenModal(form, None, None)
        seen = visible_to(services, tenant, user)
        choices = tuple(
            StreamChoice(id_of(s), s.name)
            for s in stream_rows.list_streams(session=session, tenant=tenant)
            if seen(s) and may_change(session, services, tenant, s, user)
        )
    if not choices:
        return Problem(
            "You own no value stream yet. Start one with *New value stream*, or ask a "
            'stream\'s owners to add you: `/vsm owners "<stream>" add @you`.'
        )
    return OpenModal(StreamForm(kind, None, choices, _metadata()), None, None)


def step_change_form(
    services: Services, tenant: Tenant, user: str, stream_id: int, position: int
) -> OpenModal:
    """The form to change, move or remove step `position` of a stream, filled in with it."""
    with services.unit_of_work(read_only=True) as session:
        stream = _stream(session, services, tenant, stream_id, user)
        require_change(session, services, tenant, stream, user, DOING["step_add"])
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        if not 1 <= position <= len(steps):
            raise VsmError(f"“{stream.name}” has no step {position} any more.")
        step = stream_rows.stream_step(steps[position - 1])
        metadata = _metadata(stream=id_of(stream), step=position, name=step.name)
        return OpenModal(StepChangeForm(stream.name, step, len(steps), metadata), None, None)


TITLE_MOST = 200  # as `/vsm improve` takes a title


def title_from_message(text: str) -> str:
    """A message's text as an improvement's title: one line, at most 200 characters."""
    line = " ".join(text.split())
    return line if len(line) <= TITLE_MOST else line[: TITLE_MOST - 1].rstrip() + "…"


def propose_form(
    services: Services,
    tenant: Tenant,
    user: str,
    *,
    stream_id: int | None = None,
    channel_id: str | None = None,
    title: str = "",
) -> OpenModal | Problem:
    """The form to propose an improvement: where it acts (a stream, or one of its steps),
    first set to `stream_id`'s stream or the one homed in `channel_id`; `title` filled in."""
    with services.unit_of_work(read_only=True) as session:
        seen = visible_to(services, tenant, user)
        streams = [s for s in stream_rows.list_streams(session=session, tenant=tenant) if seen(s)]
        steps = stream_rows.steps_of_streams(session=session, tenant=tenant, streams=streams)
    places = tuple(
        StreamPlaces(id_of(s), s.name, tuple(stream_rows.stream_step(x) for x in steps[id_of(s)]))
        for s in streams
    )
    if not places:
        return Problem("No value stream here yet to improve. Start one with *New value stream*.")
    homed = [s for s in streams if channel_id and s.channel_id == channel_id]
    first = stream_id if stream_id is not None else (id_of(homed[0]) if len(homed) == 1 else None)
    initial = f"{first}:0" if first is not None and first in {p.id for p in places} else None
    # A select holds 100 options: the stream picked at first comes first, so it is among them.
    places = tuple(sorted(places, key=lambda p: p.id != first))
    return OpenModal(ProposeForm(places, initial, title, user, _metadata()), None, None)
