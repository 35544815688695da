"""Workspaces as a whole: the app uninstalled from one, and the operator's list and forget.

When a workspace uninstalls the app (or revokes its bot token) the bot stops serving it: its
tokens go, its measurement schedules and channel digests stop, its unsent messages are
cancelled. Its streams, cycles and answers stay — a reinstall finds them again — until an
operator forgets the workspace (`vsm-bot workspace forget`).
"""

import logging
from dataclasses import dataclass

from sqlmodel import Session

from commands.services import Services
from storage import workspaces as workspace_rows
from storage.tenant import Tenant
from storage.workspaces import Held, Stopped

log = logging.getLogger(__name__)


def stop_serving(services: Services, *, enterprise_id: str, team_id: str | None) -> Stopped:
    """The app is gone from a workspace (`team_id` None: from every workspace of an org-wide
    Enterprise Grid install): stop everything the bot would still do there."""
    with services.unit_of_work() as session:
        stopped = workspace_rows.stop_workspace(
            session=session, enterprise_id=enterprise_id, team_id=team_id
        )
    log.info(
        "app gone from %s: deleted %s token(s), stopped %s schedule(s) and %s digest(s), "
        "cancelled %s message(s); its data stays until `vsm-bot workspace forget`",
        team_id or f"every workspace of {enterprise_id}",
        stopped.tokens,
        stopped.schedules,
        stopped.digests,
        stopped.messages,
    )
    return stopped


def list_workspaces(session: Session) -> list[Held]:
    """Every workspace the database holds anything for, with its streams and install."""
    return workspace_rows.held_workspaces(session=session)


class ForgetRefused(ValueError):
    """The workspace cannot be forgotten as asked; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a workspace deleted: rows per table."""

    tenant: Tenant
    deleted: dict[str, int]


def find_held(session: Session, team_id: str, enterprise_id: str | None) -> Held:
    """The workspace `team_id` (of `enterprise_id`, if given) the database holds.

    Raises:
        ForgetRefused: nothing is held for it, or its team id is in several enterprises.
    """
    held = [
        h
        for h in list_workspaces(session)
        if h.tenant.team_id == team_id
        and (enterprise_id is None or h.tenant.enterprise_id == enterprise_id)
    ]
    if not held:
        raise ForgetRefused(f"no workspace {team_id} here (see `vsm-bot workspace list`).")
    if len(held) > 1:
        raise ForgetRefused(
            f"{team_id} is in more than one Enterprise Grid org: add --enterprise E… "
            "(see `vsm-bot workspace list`)."
        )
    return held[0]


def forget(session: Session, held: Held) -> Forgotten:
    """Delete everything of a workspace that no longer has the app.

    Raises:
        ForgetRefused: the app is still installed there (it would go on serving an empty
            workspace): uninstall it first.
    """
    if held.installed_at is not None:
        raise ForgetRefused(
            f"{held.tenant.team_id} still has the app installed: remove the app from that "
            "workspace first (its admins: Settings → Manage apps), then forget it."
        )
    deleted = workspace_rows.forget_workspace(session=session, tenant=held.tenant)
    return Forgotten(tenant=held.tenant, deleted=deleted)
