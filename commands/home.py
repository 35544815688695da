"""The App Home tab: what it shows the person who opens it."""

from dataclasses import dataclass

from commands.services import Services
from commands.streams import StreamListing, workspace_streams
from storage.tenant import Tenant


@dataclass(frozen=True)
class Home:
    """The Home tab: the workspace's streams and how to start."""

    listing: StreamListing


def home_for(services: Services, tenant: Tenant, user_id: str) -> Home:
    """The Home tab for `user_id` (for now the same for everyone in the workspace)."""
    with services.unit_of_work(read_only=True) as session:
        return Home(workspace_streams(session, services, tenant, "", user_id))
