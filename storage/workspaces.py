"""Workspaces as a whole: which hold data, stopping one that uninstalled, forgetting one.

A workspace's rows are found by their tenant columns (enterprise_id, team_id); every other row
hangs off a stream or a cycle and goes with it (ON DELETE CASCADE). Tables are found on the
metadata, so a table added later with tenant columns is forgotten with the rest.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Table, delete, func, select, update
from sqlmodel import Session, SQLModel, col

from storage import installations
from storage.models import DigestSchedule, MeasureSchedule, OutboxMessage, Stream
from storage.outbox import FAILED, PENDING
from storage.tenant import Tenant
from storage.types import rows_changed

UNINSTALLED = "app_uninstalled"  # the last_error of messages cancelled by an uninstall


@dataclass(frozen=True)
class Stopped:
    """What stopping a workspace (or an org's every workspace) ended."""

    schedules: int
    digests: int
    messages: int
    tokens: int


def stop_workspace(*, session: Session, enterprise_id: str, team_id: str | None) -> Stopped:
    """The app was uninstalled (or its bot token revoked): delete its tokens, its measurement
    schedules and digests, and cancel its unsent messages. Streams, cycles and answers stay.

    Args:
        team_id: None for an org-wide Enterprise Grid install: every workspace of the org.
    """
    streams = select(col(Stream.id)).where(*_tenant_of(Stream, enterprise_id, team_id))
    schedules = rows_changed(
        session, delete(MeasureSchedule).where(col(MeasureSchedule.stream_id).in_(streams))
    )
    digests = rows_changed(
        session, delete(DigestSchedule).where(*_tenant_of(DigestSchedule, enterprise_id, team_id))
    )
    messages = rows_changed(
        session,
        update(OutboxMessage)
        .where(
            *_tenant_of(OutboxMessage, enterprise_id, team_id),
            col(OutboxMessage.status) == PENDING,
        )
        .values(status=FAILED, last_error=UNINSTALLED, claimed_until=None),
    )
    tokens = installations.delete_tokens(
        session=session, enterprise_id=enterprise_id, team_id=team_id
    )
    return Stopped(schedules=schedules, digests=digests, messages=messages, tokens=tokens)


@dataclass(frozen=True)
class Held:
    """A workspace the database holds anything for."""

    tenant: Tenant
    streams: int
    installed_at: datetime | None  # when its bot token (its own or its org's) was issued
    team_name: str


def held_workspaces(*, session: Session) -> list[Held]:
    """Every workspace with streams or a bot token, and every org-wide install (team ""),
    by enterprise and team id."""
    per_tenant = select(col(Stream.enterprise_id), col(Stream.team_id), func.count()).group_by(
        col(Stream.enterprise_id), col(Stream.team_id)
    )
    counts = {(e, t): int(n) for e, t, n in session.execute(per_tenant).all()}
    installs = installations.installed(session=session)
    # An org-wide install is listed as its org, team "" (each workspace with data has a line).
    tenants = set(counts) | {(i.enterprise_id, i.team_id or "") for i in installs}
    held = []
    for enterprise_id, team_id in sorted(tenants):
        tenant = Tenant(team_id=team_id, enterprise_id=enterprise_id)
        install = installations.serves(installs, tenant)
        held.append(
            Held(
                tenant=tenant,
                streams=counts.get((enterprise_id, team_id), 0),
                installed_at=install.installed_at if install else None,
                team_name=install.team_name if install else "",
            )
        )
    return held


def forget_workspace(*, session: Session, tenant: Tenant) -> dict[str, int]:
    """Delete every row of the workspace, tokens included; the rows deleted per table."""
    deleted: dict[str, int] = {}
    # Children before parents: a row that another row of the tenant points at goes last.
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name.startswith("slack_") or not _has_tenant(table):
            continue
        count = rows_changed(
            session,
            delete(table).where(
                table.c.enterprise_id == tenant.enterprise_id, table.c.team_id == tenant.team_id
            ),
        )
        if count:
            deleted[table.name] = count
    tokens = installations.delete_tokens(
        session=session, enterprise_id=tenant.enterprise_id, team_id=tenant.team_id
    )
    if tokens:
        deleted["slack_bots"] = tokens
    return deleted


def _has_tenant(table: Table) -> bool:
    return "enterprise_id" in table.c and "team_id" in table.c


def _tenant_of(
    model: type[Stream] | type[DigestSchedule] | type[OutboxMessage],
    enterprise_id: str,
    team_id: str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(model.enterprise_id) == enterprise_id]
    if team_id is not None:
        conditions.append(col(model.team_id) == team_id)
    return conditions
