"""A `/vsm` call as the use cases see it, whatever Slack surface it came from."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from commands.services import Services
from storage.tenant import Tenant

Reply = dict[str, Any]


@dataclass(frozen=True)
class SlashRequest:
    """Who asked, where, and what they typed (the tenant from Bolt's context, never the text)."""

    tenant: Tenant
    user_id: str
    channel_id: str
    text: str
    trigger_id: str | None = None


@dataclass(frozen=True)
class Call:
    """A parsed subcommand on its way to a handler."""

    args: Mapping[str, Any]
    options: Mapping[str, Any]
    request: SlashRequest
    services: Services


Handler = Callable[[Call], Reply]


def tenant_of(context: Mapping[str, Any]) -> Tenant | None:
    """The workspace of a Bolt request, from Bolt's context; None if Slack did not say."""
    team_id = context.get("team_id") or ""
    enterprise_id = context.get("enterprise_id") or ""
    if not team_id and not enterprise_id:
        return None
    return Tenant(team_id=team_id, enterprise_id=enterprise_id)


def ephemeral(payload: Mapping[str, Any]) -> Reply:
    """A rendered message as a reply only the asker sees."""
    return {**payload, "response_type": "ephemeral"}
