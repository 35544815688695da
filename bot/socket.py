"""Socket Mode: Slack's events over a WebSocket, for installs without a public URL."""

import logging

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.app import build_runtime
from bot.settings import Settings


class SocketModeFailed(Exception):
    """Socket Mode could not start; the message is one line saying why."""


class _OneLine(logging.Filter):
    """The Socket Mode client logs a dropped connection with its traceback before it connects
    again by itself: one line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


def run_socket_mode(settings: Settings) -> None:
    """Connect to Slack with the app-level token and handle requests until stopped.

    Raises:
        SocketModeFailed: the connection could not be made.
    """
    runtime = build_runtime(settings)
    logger = logging.getLogger("vsm.socket_mode")
    if not any(isinstance(f, _OneLine) for f in logger.filters):
        logger.addFilter(_OneLine())
    handler = SocketModeHandler(runtime.app, settings.secret("SLACK_APP_TOKEN"), logger=logger)
    try:
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves start() unannotated
    except (SlackApiError, SlackClientError, OSError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SocketModeFailed(f"Socket Mode could not connect: {reason}") from None
