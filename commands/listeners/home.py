"""The App Home tab, published for the person who opens it."""

from contextlib import suppress

from commands.home import home_for
from commands.ports import SlackFailure
from commands.services import Services
from storage.tenant import Tenant


def publish_home(services: Services, tenant: Tenant, user_id: str) -> None:
    """Publish `user_id`'s Home tab as it stands now."""
    if services.slack is None:
        return
    view = services.renderer.view_for(home_for(services, tenant, user_id))
    # A failure is logged by the gateway; the next opening publishes again.
    with suppress(SlackFailure):
        services.slack.publish_home(tenant, user_id=user_id, view=view)
