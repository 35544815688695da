"""Messages in channels the bot is in. Answers in cycle threads come with measurement cycles;
until then every message is acknowledged and left alone, so Slack never retries it."""

from slack_bolt import App

from commands.services import Services


def register(app: App, services: Services) -> None:
    """Acknowledge every `message` event (Bolt acknowledges events before listeners run)."""

    @app.event("message")
    def handle_message() -> None:
        return None
