"""Socket Mode: Slack's events over a WebSocket, for installs without a public URL."""

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import build_runtime
from bot.settings import Settings


def run_socket_mode(settings: Settings) -> None:
    """Connect to Slack with the app-level token and handle requests until stopped."""
    runtime = build_runtime(settings, socket_mode=True)
    handler = SocketModeHandler(runtime.app, settings.secret("SLACK_APP_TOKEN"))
    handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves start() unannotated
