"""Who may see and change a stream. Its owners and the workspace's admins change its structure
and settings; everyone may read, answer, take the survey and propose improvements. What lives
in a private channel is shown only to that channel's members.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session

from commands.services import Services
from storage import card as card_rows
from storage import owners as owner_rows
from storage import streams as stream_rows
from storage.models import Step, Stream
from storage.tenant import Tenant
from vsm.errors import VsmError

CLOCK = "clock"  # the scheduler acts on behalf of the owners who set the schedule


class NotAllowed(VsmError):
    """The person may not change this stream; the reply names who may."""

    def __init__(self, stream: str, doing: str, owners: tuple[str, ...]) -> None:
        super().__init__(f"Only the owners of “{stream}” or a workspace admin can {doing}.")
        self.stream = stream
        self.doing = doing
        self.owners = owners


@dataclass(frozen=True)
class NotAllowedReply:
    """The reply to a change someone may not make: who may, and how to become one."""

    stream: str
    doing: str
    owners: tuple[str, ...]


class Homed(Protocol):
    """A stream, as a row or as a value: where it lives decides who may see it."""

    @property
    def channel_id(self) -> str: ...


def visible_to(services: Services, tenant: Tenant, user: str) -> Callable[[Homed], bool]:
    """Which streams `user` may see: those homed in a public channel or one they are in."""
    if user == CLOCK:
        return lambda stream: True
    return lambda stream: services.directory.may_see(tenant, stream.channel_id, user)


def readable_stream(
    session: Session, services: Services, tenant: Tenant, name: str, user: str
) -> Stream:
    """The stream `name` names among those `user` may see.

    Raises:
        UnknownName, AmbiguousName: as storage.streams.find_stream.
    """
    return stream_rows.find_stream(
        session=session, tenant=tenant, name=name, visible=visible_to(services, tenant, user)
    )


def readable_stream_with_steps(
    session: Session, services: Services, tenant: Tenant, name: str, user: str
) -> tuple[Stream, list[tuple[Step, str | None]]]:
    """`readable_stream`, with its steps in order and each step's team type (as
    storage.card.steps_with_team_types): in one query when `name` is the stream's name.

    Raises:
        UnknownName, AmbiguousName: as storage.streams.find_stream.
    """
    found = card_rows.stream_with_steps_by_name(session=session, tenant=tenant, name=name)
    if found is not None and visible_to(services, tenant, user)(found[0]):
        return found
    stream = readable_stream(session, services, tenant, name, user)
    return stream, card_rows.steps_with_team_types(session=session, tenant=tenant, stream=stream)


def may_change(
    session: Session, services: Services, tenant: Tenant, stream: Stream, user: str
) -> bool:
    """Whether `user` may change the stream's structure and settings."""
    if user == CLOCK:
        return True
    if user in owner_rows.owners_of(session=session, tenant=tenant, stream=stream):
        return True
    return services.directory.is_admin(tenant, user)


def require_change(
    session: Session, services: Services, tenant: Tenant, stream: Stream, user: str, doing: str
) -> None:
    """Go on only if `user` may change the stream.

    Raises:
        NotAllowed: they may not; the error names the owners.
    """
    if not may_change(session, services, tenant, stream, user):
        owners = owner_rows.owners_of(session=session, tenant=tenant, stream=stream)
        raise NotAllowed(stream.name, doing, owners)


def changeable_stream(
    session: Session,
    services: Services,
    tenant: Tenant,
    name: str,
    user: str,
    doing: str,
    *,
    active: bool = False,
) -> Stream:
    """The stream `name` names, locked for the change, if `user` may change it.

    Raises:
        UnknownName, AmbiguousName, StreamArchived: as storage.streams.find_stream.
        NotAllowed: `user` is neither an owner nor an admin.
    """
    owner = None if user == CLOCK else user
    stream, owned = _locked_stream(session, services, tenant, name, user, owner, active=active)
    if owned is None:
        require_change(session, services, tenant, stream, user, doing)
    elif not (user == CLOCK or owned or services.directory.is_admin(tenant, user)):
        owners = owner_rows.owners_of(session=session, tenant=tenant, stream=stream)
        raise NotAllowed(stream.name, doing, owners)
    return stream


def locked_stream(
    session: Session, services: Services, tenant: Tenant, name: str, user: str, *, active: bool
) -> Stream:
    """The stream `name` names among those `user` may see, locked for the change (for what
    anyone may change, such as proposing an improvement).

    Raises:
        UnknownName, AmbiguousName, StreamArchived: as storage.streams.find_stream.
    """
    return _locked_stream(session, services, tenant, name, user, None, active=active)[0]


def _locked_stream(
    session: Session,
    services: Services,
    tenant: Tenant,
    name: str,
    user: str,
    owner: str | None,
    *,
    active: bool,
) -> tuple[Stream, bool | None]:
    """The stream, locked, and whether `owner` owns it (None: not looked up)."""
    seen = visible_to(services, tenant, user)
    # Most commands give the whole name: the stream is found, locked and (on SQLite) its
    # ownership checked in one query.
    found = owner_rows.stream_to_change(session=session, tenant=tenant, name=name, user=owner)
    if found is not None and seen(found[0]) and not (active and found[0].archived):
        return found
    # A beginning of a name, a stream out of sight or an archived one: the whole search says
    # which stream is meant, or why none may change.
    stream = stream_rows.find_stream(
        session=session, tenant=tenant, name=name, for_update=True, active=active, visible=seen
    )
    return stream, None
