"""The one way out to Slack's Web API: a WebClient that retries what Slack asks it to retry."""

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

WEB_API_TIMEOUT_S = 10


def make_client(*, token: str | None, base_url: str) -> WebClient:
    """A WebClient on `base_url` that honours 429 Retry-After and retries 5xx and dropped
    connections a bounded number of times."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=WEB_API_TIMEOUT_S,
        logger=logging.getLogger("vsm.slack"),
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
