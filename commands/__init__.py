"""What the bot does: one module per capability, each a thin listener over a use case."""

from slack_bolt import App

from commands import events, home, router, survey, timings
from commands.services import Services


def register(app: App, services: Services) -> None:
    """Attach every listener to `app`."""
    router.register(app, services)
    home.register(app, services)
    events.register(app, services)
    timings.register(app, services)
    survey.register(app, services)
