"""The one way out to Slack's Web API: a WebClient that retries what Slack asks it to retry."""

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

WEB_API_TIMEOUT_S = 10


class _RetriedIsNotFailed(logging.Filter):
    """slack_sdk logs each failed attempt at ERROR before its retry handlers try again; a
    retried attempt is a warning. What finally fails is logged by whoever called."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and record.getMessage().startswith(
            "Failed to send a request to Slack API server"
        ):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _client_logger() -> logging.Logger:
    logger = logging.getLogger("vsm.slack")
    if not any(isinstance(f, _RetriedIsNotFailed) for f in logger.filters):
        logger.addFilter(_RetriedIsNotFailed())
    return logger


def make_client(*, token: str | None, base_url: str) -> WebClient:
    """A WebClient on `base_url` that honours 429 Retry-After and retries 5xx and dropped
    connections a bounded number of times."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=WEB_API_TIMEOUT_S,
        logger=_client_logger(),
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
