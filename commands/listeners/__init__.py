"""The Slack surfaces, one module each: the only part of commands/ that knows Bolt or picks
a payload apart. Each listener acknowledges, reads the payload, calls one use case, renders
and replies; whatever fails is logged with a reference the person can quote."""

from slack_bolt import App

from commands.listeners import (
    actions,
    events,
    forms,
    home,
    home_buttons,
    installs,
    shortcuts,
    slash,
    views,
)
from commands.services import Services


def register(app: App, services: Services) -> None:
    """Attach every listener to `app`."""
    homes = home.HomeRefresher(services)
    slash.register(app, services, homes)
    events.register(app, services, homes)
    actions.register(app, services)
    views.register(app, services, homes)
    home.register(app, services, homes)
    home_buttons.register(app, services, homes)
    forms.register(app, services, homes)
    shortcuts.register(app, services)
    installs.register(app, services)
