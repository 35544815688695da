"""Defining value streams: new, list, show, rename, archive, unarchive."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from commands.compare import Latest, latest_numbers
from commands.lookup import find_stream
from commands.slash import Call, Reply, ephemeral
from commands.views import StreamView, stream_view
from storage import streams as store
from storage.models import Stream
from storage.tenant import Tenant
from vsm.durations import TimeBasis, TimeBasisError
from vsm.errors import VsmError


class NameTaken(VsmError):
    """Another stream in the workspace already has that name."""


@dataclass(frozen=True)
class NewStream:
    name: str
    channel_id: str
    created_by: str
    trigger: str = ""
    value: str = ""
    customer: str = ""
    basis: str = "calendar"
    hours_per_day: float | None = None
    days_per_week: float | None = None


@dataclass(frozen=True)
class StreamList:
    channel_id: str
    here: tuple[StreamView, ...]
    elsewhere: tuple[StreamView, ...]
    archived: tuple[str, ...]


def _check_name_free(
    session: Session, tenant: Tenant, name: str, except_id: int | None = None
) -> None:
    taken = store.find_stream_by_name(
        session=session, tenant=tenant, name=name, except_id=except_id
    )
    if taken is not None:
        # Plain words: the error template escapes the whole message, so a <#C…> link would
        # reach the person as literal text.
        where = " (archived)" if taken.archived else ""
        raise NameTaken(f"A stream called “{taken.name}” already exists{where}. Pick another name.")


def create_stream(session: Session, tenant: Tenant, new: NewStream, now: datetime) -> StreamView:
    """Store a new stream homed in the channel it was created in.

    Raises:
        NameTaken: the name is in use in this workspace (ignoring case).
        VsmError: hours/days given for a calendar basis, or a working day that cannot be.
    """
    if new.basis != "working" and (new.hours_per_day or new.days_per_week):
        raise VsmError("hours: and days: set a working-time basis; add basis:working to use them.")
    hours, days = new.hours_per_day or 8.0, new.days_per_week or 5.0
    try:
        TimeBasis("working" if new.basis == "working" else "calendar", hours, days)
    except TimeBasisError as error:
        # Checked before anything is stored; the person needs `/vsm new`'s form, not the
        # core's one-option hint.
        raise VsmError(error.message) from None
    _check_name_free(session, tenant, new.name)
    stream = Stream(
        team_id=tenant.team_id,
        name=new.name,
        name_key="",
        channel_id=new.channel_id,
        trigger=new.trigger,
        value=new.value,
        customer=new.customer,
        time_basis=new.basis,
        hours_per_day=hours,
        days_per_week=days,
        created_by=new.created_by,
        created_at=now,
    )
    store.add_stream(session=session, tenant=tenant, stream=stream)
    return stream_view(stream, [])


def list_workspace_streams(session: Session, tenant: Tenant, channel_id: str) -> StreamList:
    """The workspace's active streams, split into this channel's and the others'."""
    active = store.list_streams(session=session, tenant=tenant, channel_first=channel_id)
    steps = store.steps_of_streams(session=session, streams=active)
    views = [stream_view(s, steps[s.id]) for s in active if s.id is not None]
    archived = store.list_streams(session=session, tenant=tenant, archived=True)
    return StreamList(
        channel_id=channel_id,
        here=tuple(v for v in views if v.channel_id == channel_id),
        elsewhere=tuple(v for v in views if v.channel_id != channel_id),
        archived=tuple(s.name for s in archived),
    )


def show_stream(session: Session, tenant: Tenant, name: str) -> tuple[StreamView, Latest]:
    """The stream card: trigger, numbered steps with team and people, value, latest numbers."""
    stream = find_stream(session, tenant, name)
    view = stream_view(stream, store.list_steps(session=session, stream=stream))
    return view, latest_numbers(session, stream)


def rename(session: Session, tenant: Tenant, name: str, new_name: str) -> tuple[str, StreamView]:
    """Rename a stream; returns the old name and the renamed stream."""
    stream = find_stream(session, tenant, name, for_update=True)
    _check_name_free(session, tenant, new_name, except_id=stream.id)
    old = stream.name
    store.rename_stream(stream=stream, name=new_name)
    session.add(stream)
    return old, stream_view(stream, store.list_steps(session=session, stream=stream))


def set_archived(session: Session, tenant: Tenant, name: str, archived: bool) -> tuple[bool, str]:
    """Archive or bring back a stream; returns whether anything changed, and its name."""
    stream = find_stream(session, tenant, name, for_update=True)
    changed = stream.archived != archived
    stream.archived = archived
    session.add(stream)
    return changed, stream.name


def handle_new(call: Call) -> Reply:
    req, opts = call.request, call.options
    new = NewStream(
        name=call.args["stream"],
        channel_id=req.channel_id,
        created_by=req.user_id,
        trigger=opts.get("trigger", ""),
        value=opts.get("value", ""),
        customer=opts.get("customer", ""),
        basis=opts.get("basis", "calendar"),
        hours_per_day=opts.get("hours"),
        days_per_week=opts.get("days"),
    )
    with call.services.unit_of_work() as session:
        view = create_stream(session, req.tenant, new, call.services.now())
    return ephemeral(call.services.renderer.message("stream_created.json.j2", stream=view))


def handle_list(call: Call) -> Reply:
    req = call.request
    with call.services.unit_of_work() as session:
        listing = list_workspace_streams(session, req.tenant, req.channel_id)
    return ephemeral(call.services.renderer.message("stream_list.json.j2", listing=listing))


def handle_show(call: Call) -> Reply:
    with call.services.unit_of_work() as session:
        view, latest = show_stream(session, call.request.tenant, call.args["stream"])
    return ephemeral(
        call.services.renderer.message("stream_card.json.j2", stream=view, latest=latest)
    )


def handle_rename(call: Call) -> Reply:
    with call.services.unit_of_work() as session:
        old, view = rename(session, call.request.tenant, call.args["stream"], call.args["new_name"])
    return ephemeral(
        call.services.renderer.message("stream_renamed.json.j2", old_name=old, stream=view)
    )


def handle_archive(call: Call) -> Reply:
    return _archive(call, archived=True)


def handle_unarchive(call: Call) -> Reply:
    return _archive(call, archived=False)


def _archive(call: Call, *, archived: bool) -> Reply:
    with call.services.unit_of_work() as session:
        changed, name = set_archived(session, call.request.tenant, call.args["stream"], archived)
    return ephemeral(
        call.services.renderer.message(
            "stream_archived.json.j2", name=name, archived=archived, changed=changed
        )
    )
