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
