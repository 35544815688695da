"""Defining value streams: new, list, show, rename, archive, unarchive."""

from dataclasses import dataclass

from sqlmodel import Session

from commands.access import changeable_stream, readable_stream_with_steps, visible_to
from commands.latest import Latest, latest_and_last_closed
from commands.management import CardManagement, card_management
from commands.owners import log_change
from commands.services import Services
from storage import card as card_rows
from storage import owners as owner_rows
from storage import streams as stream_rows
from storage.models import Stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import TimeBasis, TimeBasisError
from vsm.errors import VsmError
from vsm.streams import ValueStream


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
class StreamListing:
    """The workspace's streams: this channel's, the others', and the archived ones' names."""

    channel_id: str
    here: tuple[ValueStream, ...]
    elsewhere: tuple[ValueStream, ...]
    archived: tuple[str, ...]


# ---- what the replies show (each shown by the template named after it) ----------------------


@dataclass(frozen=True)
class StreamCreated:
    stream: ValueStream


@dataclass(frozen=True)
class StreamList:
    listing: StreamListing


@dataclass(frozen=True)
class StreamCard:
    stream: ValueStream
    latest: Latest
    owners: tuple[str, ...] = ()
    management: CardManagement | None = None  # hand-offs, flow, support streams, segments


@dataclass(frozen=True)
class StreamRenamed:
    old_name: str
    stream: ValueStream


@dataclass(frozen=True)
class StreamArchived:
    name: str
    archived: bool
    changed: bool


# ---- use cases -------------------------------------------------------------------------------


def _check_name_free(
    session: Session, tenant: Tenant, name: str, except_id: int | None = None
) -> None:
    taken = stream_rows.stream_by_name(
        session=session, tenant=tenant, name=name, except_id=except_id
    )
    if taken is not None:
        # Plain words: the error template escapes the whole message, so a <#C…> link would
        # reach the person as literal text.
        where = " (archived)" if taken.archived else ""
        raise NameTaken(f"A stream called “{taken.name}” already exists{where}. Pick another name.")


def create_stream(services: Services, tenant: Tenant, new: NewStream) -> StreamCreated:
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
    with services.unit_of_work() as session:
        _check_name_free(session, tenant, new.name)
        stream = stream_rows.add_stream(
            session=session,
            tenant=tenant,
            stream=Stream(
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
                created_at=services.now(),
            ),
        )
        owner_rows.add_owners(
            session=session,
            tenant=tenant,
            stream=stream,
            users=[new.created_by],
            by=new.created_by,
            now=services.now(),
        )
        log_change(session, services, tenant, stream, new.created_by, "create", after=new.name)
        return StreamCreated(stream_rows.value_stream(stream, []))


def workspace_streams(
    session: Session, services: Services, tenant: Tenant, channel_id: str, user: str
) -> StreamListing:
    """The workspace's streams `user` may see: the active ones, this channel's and the
    others', and the archived ones' names."""
    seen = visible_to(services, tenant, user)
    streams = [
        s
        for s in card_rows.workspace_value_streams(
            session=session, tenant=tenant, channel_first=channel_id
        )
        if seen(s)
    ]
    return StreamListing(
        channel_id=channel_id,
        here=tuple(s for s in streams if not s.archived and s.channel_id == channel_id),
        elsewhere=tuple(s for s in streams if not s.archived and s.channel_id != channel_id),
        archived=tuple(s.name for s in streams if s.archived),
    )


def list_streams(services: Services, tenant: Tenant, channel_id: str, user: str) -> StreamList:
    """`/vsm list`: the workspace's streams, this channel's first."""
    with services.unit_of_work(read_only=True) as session:
        return StreamList(workspace_streams(session, services, tenant, channel_id, user))


def show_stream(services: Services, tenant: Tenant, name: str, user: str) -> StreamCard:
    """The stream card: trigger, numbered steps with team and people, value, latest numbers,
    and who owns it."""
    with services.unit_of_work(read_only=True) as session:
        stream, steps = readable_stream_with_steps(session, services, tenant, name, user)
        lists = card_rows.card_lists(session=session, tenant=tenant, stream=stream)
        latest, last_closed = latest_and_last_closed(session, tenant, stream, lists.under_way)
        return StreamCard(
            stream_rows.value_stream(stream, [step for step, _ in steps]),
            latest,
            lists.owners,
            card_management(
                session,
                tenant,
                stream,
                steps,
                last_closed,
                lists,
                latest.closed,
                visible_to(services, tenant, user),
            ),
        )


def rename_stream(
    services: Services, tenant: Tenant, name: str, new_name: str, *, by: str
) -> StreamRenamed:
    """Rename a stream."""
    with services.unit_of_work() as session:
        stream = changeable_stream(session, services, tenant, name, by, "rename it")
        _check_name_free(session, tenant, new_name, except_id=id_of(stream))
        old = stream.name
        stream_rows.rename_stream(session=session, tenant=tenant, stream=stream, name=new_name)
        log_change(session, services, tenant, stream, by, "rename", before=old, after=new_name)
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        return StreamRenamed(old, stream_rows.value_stream(stream, steps))


def archive_stream(
    services: Services, tenant: Tenant, name: str, archived: bool, *, by: str
) -> StreamArchived:
    """Archive a stream, or bring it back (`archived=False`)."""
    doing = "archive it" if archived else "bring it back"
    with services.unit_of_work() as session:
        stream = changeable_stream(session, services, tenant, name, by, doing)
        changed = stream.archived != archived
        stream_rows.set_archived(session=session, tenant=tenant, stream=stream, archived=archived)
        if changed:
            log_change(
                session, services, tenant, stream, by, "archive" if archived else "unarchive"
            )
        return StreamArchived(stream.name, archived, changed)
