"""The tenant: which Slack workspace a row belongs to."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tenant:
    """A Slack workspace, as Bolt's context names it (never as user text names it).

    `enterprise_id` is "" outside Enterprise Grid, so that unique constraints hold on
    every database (NULLs are never equal to each other).
    """

    team_id: str
    enterprise_id: str = ""


class WrongTenant(RuntimeError):
    """A row of one workspace was handed to a query for another: a bug, never user input."""


def check_tenant(row_enterprise_id: str, row_team_id: str, tenant: Tenant) -> None:
    """Refuse to go on with a row that belongs to another workspace.

    Raises:
        WrongTenant: the row's workspace is not `tenant`.
    """
    if (row_enterprise_id, row_team_id) != (tenant.enterprise_id, tenant.team_id):
        raise WrongTenant(f"a row of {row_team_id} was used for {tenant.team_id}")
