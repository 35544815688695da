"""The App Home tab: the workspace's streams and how to start, for whoever opens it."""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.services import Services
from commands.slash import tenant_of
from commands.streams import list_workspace_streams

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    """Publish the Home tab when someone opens it."""
    app.event("app_home_opened")(_listener(services))


def _listener(services: Services) -> Callable[..., None]:
    def handle_app_home_opened(
        event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        tenant = tenant_of(context)
        if tenant is None or event.get("tab") != "home":
            return
        with services.unit_of_work() as session:
            listing = list_workspace_streams(session, tenant, channel_id="")
        view = services.renderer.view("home.json.j2", listing=listing)
        try:
            client.views_publish(user_id=event["user"], view=view)
        except SlackApiError as error:
            log.warning("views.publish failed: %s", error.response.get("error"))

    return handle_app_home_opened
