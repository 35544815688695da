"""The Slack surfaces, one module each: the only part of commands/ that knows Bolt or picks
a payload apart. Each listener acknowledges, reads the payload, calls one use case, renders
and replies; whatever fails is logged with a reference the person can quote."""

from slack_bolt import App

from commands.listeners import actions, events, installs, slash, views
from commands.services import Services


def register(app: App, services: Services) -> None:
    """Attach every listener to `app`."""
    slash.register(app, services)
    events.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    installs.register(app, services)
