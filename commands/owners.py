"""A stream's owners (`/vsm owners`) and its history of changes (`/vsm history`): every change
to its structure or settings is recorded — who, when, what, before → after."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from commands.access import changeable_stream, readable_stream
from commands.services import Services
from storage import owners as owner_rows
from storage.models import Stream
from storage.tenant import Tenant
from vsm.errors import VsmError

HISTORY_PAGE = 15


@dataclass(frozen=True)
class OwnersShown:
    stream: str
    owners: tuple[str, ...]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: bool = False


@dataclass(frozen=True)
class ChangeView:
    at: datetime
    by: str
    what: str
    subject: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class StreamHistory:
    """The reply to `/vsm history`: one page of changes, newest first."""

    stream: str
    changes: tuple[ChangeView, ...]
    page: int
    pages: int
    total: int


def log_change(
    session: Session,
    services: Services,
    tenant: Tenant,
    stream: Stream,
    user: str,
    what: str,
    *,
    subject: str = "",
    before: object = None,
    after: object = None,
) -> None:
    """Record one change to a stream in its history."""
    owner_rows.record_change(
        session=session,
        tenant=tenant,
        stream=stream,
        by=user,
        what=what,
        now=services.now(),
        subject=subject,
        before=None if before is None else str(before),
        after=None if after is None else str(after),
    )


def change_owners(
    services: Services,
    tenant: Tenant,
    name: str,
    action: Literal["add", "remove", ""],
    users: tuple[str, ...],
    *,
    by: str,
) -> OwnersShown:
    """`/vsm owners "<stream>" [add|remove @u …]`: show the owners, or change them.

    Raises:
        NotAllowed: `by` may not change the stream.
        VsmError: no people named, or the last owner would go.
    """
    if action and not users:
        raise VsmError(f"Name the people to {action}, like `@ada @ben`.")
    with services.unit_of_work() as session:
        if not action:
            stream = readable_stream(session, services, tenant, name, by)
            return OwnersShown(
                stream.name, owner_rows.owners_of(session=session, tenant=tenant, stream=stream)
            )
        stream = changeable_stream(session, services, tenant, name, by, "change its owners")
        before = owner_rows.owners_of(session=session, tenant=tenant, stream=stream)
        if action == "add":
            added = owner_rows.add_owners(
                session=session,
                tenant=tenant,
                stream=stream,
                users=users,
                by=by,
                now=services.now(),
            )
            removed: tuple[str, ...] = ()
        else:
            removed = tuple(user for user in dict.fromkeys(users) if user in before)
            if removed and set(before) <= set(removed):
                raise VsmError(
                    f"“{stream.name}” would have no owner left; add the new owner first."
                )
            owner_rows.remove_owners(session=session, tenant=tenant, stream=stream, users=removed)
            added = ()
        after = owner_rows.owners_of(session=session, tenant=tenant, stream=stream)
        if added or removed:
            log_change(
                session,
                services,
                tenant,
                stream,
                by,
                f"owners.{action}",
                before=" ".join(before),
                after=" ".join(after),
            )
        return OwnersShown(stream.name, after, added, removed, changed=bool(added or removed))


def stream_history(
    services: Services, tenant: Tenant, name: str, page: int, *, by: str
) -> StreamHistory:
    """`/vsm history "<stream>" [page]`: who changed what, newest first."""
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, by)
        total = owner_rows.count_changes(session=session, tenant=tenant, stream=stream)
        pages = max((total + HISTORY_PAGE - 1) // HISTORY_PAGE, 1)
        page = min(max(page, 1), pages)
        rows = owner_rows.changes_of(
            session=session,
            tenant=tenant,
            stream=stream,
            offset=(page - 1) * HISTORY_PAGE,
            limit=HISTORY_PAGE,
        )
        changes = tuple(
            ChangeView(row.at, row.by, row.what, row.subject, row.before, row.after) for row in rows
        )
        return StreamHistory(stream.name, changes, page, pages, total)
