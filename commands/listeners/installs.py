"""The app uninstalled, or its bot token revoked: stop serving that workspace."""

from collections.abc import Mapping
from typing import Any

from slack_bolt import App, BoltContext

from commands.listeners.common import failure
from commands.services import Services
from commands.workspaces import stop_serving


def register(app: App, services: Services) -> None:
    """Listen to `app_uninstalled` and `tokens_revoked`."""

    @app.event("app_uninstalled")
    def handle_app_uninstalled(context: BoltContext) -> None:
        _stop(services, context)

    @app.event("tokens_revoked")
    def handle_tokens_revoked(event: Mapping[str, Any], context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        # Only bot tokens serve the bot; a person's revoked token (none are kept) changes nothing.
        if isinstance(tokens, Mapping) and tokens.get("bot"):
            _stop(services, context)


def _stop(services: Services, context: BoltContext) -> None:
    enterprise_id = str(context.enterprise_id or "")
    # An org-wide install's events speak for the whole org: every workspace of it goes.
    team_id = None if context.is_enterprise_install else context.team_id
    if not team_id and not enterprise_id:
        return
    try:
        stop_serving(services, enterprise_id=enterprise_id, team_id=team_id)
    except Exception:
        failure("app_uninstalled")
        raise  # unanswered: Slack sends the event again
