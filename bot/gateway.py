"""The one way out to Slack's Web API: every call the bot makes goes through `SlackGateway`.

It retries what Slack asks it to retry (429 with Retry-After, 5xx, dropped connections), turns
every failure into commands.ports.SlackFailure with Slack's error code, and logs one line per
failed call (a retried attempt is a warning of slack_sdk's own, not an error).
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from commands.ports import SlackChannel, SlackFailure, SlackUser
from storage.tenant import Tenant

log = logging.getLogger(__name__)

WEB_API_TIMEOUT_S = 10
MAX_CLIENTS = 1000  # one per workspace's current token (OAuth); the oldest goes first
KEY_EVENT = "vsm_outbox"  # the metadata event type that carries an outbox message's key
# The longest Retry-After a call waits out in place. Longer, and the call fails at once: one
# workspace's rate limit must not hold up a process that serves all the others (the outbox
# defers that workspace's messages; a Home tab is published again the next time).
RATE_LIMIT_WAIT_MAX_S = 5
# Errors that are an answer, not a failure: the caller expects them now and then.
_EXPECTED = frozenset({"already_reacted"})


class _RetriedIsNotFailed(logging.Filter):
    """slack_sdk logs each failed attempt at ERROR before its retry handlers try again; a
    retried attempt is a warning. What finally fails is logged once, by the gateway."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and record.getMessage().startswith(
            "Failed to send a request to Slack API server"
        ):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class _ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out a 429 only when Slack asks for a short wait (RATE_LIMIT_WAIT_MAX_S)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        waits = [v for k, v in response.headers.items() if k.lower() == "retry-after"]
        try:
            return not waits or int(waits[0][0]) <= RATE_LIMIT_WAIT_MAX_S
        except (ValueError, IndexError):
            return True


def _client_logger() -> logging.Logger:
    logger = logging.getLogger("vsm.slack")
    if not any(isinstance(f, _RetriedIsNotFailed) for f in logger.filters):
        logger.addFilter(_RetriedIsNotFailed())
    return logger


def make_client(
    *, token: str | None, base_url: str, timeout: float = WEB_API_TIMEOUT_S, retries: bool = True
) -> WebClient:
    """A WebClient on `base_url` that honours 429 Retry-After and retries 5xx and dropped
    connections a bounded number of times (none with `retries=False`)."""
    handlers = (
        [
            ConnectionErrorRetryHandler(max_retry_count=2),
            _ShortRateLimitRetry(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
        if retries
        else []
    )
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=int(timeout),
        logger=_client_logger(),
        retry_handlers=handlers,
    )


class SlackGateway:
    """commands.ports.SlackApi on slack_sdk's WebClient.

    Args:
        token_for: the bot token to use for a workspace.
        base_url: the Web API's base URL (a loopback stand-in in tests).
        retries: retry 429s, 5xx and dropped connections (the clock); a process answering
            Slack within 3 seconds cannot wait, and leaves a failed post to the clock.
        timeout: seconds to wait for each answer.
        log_failures: log one line per failed call (off for a caller that says it itself).
    """

    def __init__(
        self,
        token_for: Callable[[Tenant], str],
        base_url: str,
        *,
        retries: bool = True,
        timeout: float = WEB_API_TIMEOUT_S,
        log_failures: bool = True,
    ) -> None:
        self._token_for = token_for
        self._log_failures = log_failures
        self._base_url = base_url
        self._retries = retries
        self._timeout = timeout
        # One client per token (a client holds its token); building one per call costs.
        self._clients: dict[str, WebClient] = {}

    def _client_for(self, token: str) -> WebClient:
        client = self._clients.get(token)
        if client is None:
            if len(self._clients) >= MAX_CLIENTS:  # rotated tokens would pile up for ever
                self._clients.pop(next(iter(self._clients)))
            client = self._clients[token] = make_client(
                token=token, base_url=self._base_url, timeout=self._timeout, retries=self._retries
            )
        return client

    # ---- commands.ports.SlackApi --------------------------------------------------------------

    def post_message(
        self,
        tenant: Tenant,
        *,
        channel: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] | None = None,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> str:
        response = self.call(
            tenant,
            "chat.postMessage",
            channel=channel,
            thread_ts=thread_ts,
            text=text,
            blocks=list(blocks) if blocks else None,
            unfurl_links=False,
            unfurl_media=False,
            metadata=None
            if key is None
            else {"event_type": KEY_EVENT, "event_payload": {"key": key}},
        )
        return str(response.get("ts", ""))

    def find_posted(
        self, tenant: Tenant, *, channel: str, key: str, thread_ts: str | None, oldest: float
    ) -> str | None:
        # A rare check (history is rate-limited hard for some apps): only after a lost answer.
        if thread_ts:
            response = self.call(
                tenant,
                "conversations.replies",
                channel=channel,
                ts=thread_ts,
                oldest=f"{oldest:.6f}",
                include_all_metadata=True,
                limit=200,
            )
        else:
            response = self.call(
                tenant,
                "conversations.history",
                channel=channel,
                oldest=f"{oldest:.6f}",
                include_all_metadata=True,
                limit=200,
            )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") if isinstance(message, dict) else None
            payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
            if isinstance(payload, dict) and payload.get("key") == key:
                return str(message.get("ts") or "") or None
        return None

    def add_reaction(self, tenant: Tenant, *, channel: str, ts: str, name: str) -> None:
        self.call(tenant, "reactions.add", channel=channel, timestamp=ts, name=name)

    def open_view(self, tenant: Tenant, *, trigger_id: str, view: Mapping[str, Any]) -> None:
        self.call(tenant, "views.open", trigger_id=trigger_id, view=dict(view))

    def publish_home(self, tenant: Tenant, *, user_id: str, view: Mapping[str, Any]) -> None:
        self.call(tenant, "views.publish", user_id=user_id, view=dict(view))

    def upload_file(
        self,
        tenant: Tenant,
        *,
        channel: str,
        content: str | bytes,
        filename: str,
        title: str,
        comment: str,
        thread_ts: str | None = None,
        alt_text: str | None = None,
    ) -> str:
        def upload(client: WebClient) -> SlackResponse:
            return client.files_upload_v2(
                channel=channel,
                content=content,
                filename=filename,
                title=title,
                initial_comment=comment or None,
                thread_ts=thread_ts,
                alt_txt=alt_text,
            )

        response = self._run(tenant, "files.uploadV2", upload)
        files = response.get("files") or [response.get("file") or {}]
        first = files[0] if isinstance(files, list) and files else {}
        return str(first.get("id") or "") if isinstance(first, dict) else ""

    def open_dm(self, tenant: Tenant, user_id: str) -> str:
        found = self.call(tenant, "conversations.open", users=user_id).get("channel")
        channel = found.get("id") if isinstance(found, dict) else None
        if not channel:
            raise SlackFailure("conversations.open", "no_channel")
        return str(channel)

    def user_time_zone(self, tenant: Tenant, user_id: str) -> str | None:
        try:
            return self.user(tenant, user_id).tz
        except SlackFailure:
            return None

    def user(self, tenant: Tenant, user_id: str) -> SlackUser:
        found = self.call(tenant, "users.info", user=user_id).get("user")
        user = found if isinstance(found, dict) else {}
        return SlackUser(
            user_id=user_id,
            tz=str(user["tz"]) if user.get("tz") else None,
            is_admin=bool(user.get("is_admin")),
            is_owner=bool(user.get("is_owner")),
        )

    def channel(self, tenant: Tenant, channel_id: str) -> SlackChannel:
        found = self.call(tenant, "conversations.info", channel=channel_id).get("channel")
        channel = found if isinstance(found, dict) else {}
        return SlackChannel(channel_id=channel_id, is_private=bool(channel.get("is_private")))

    def channel_members(self, tenant: Tenant, channel_id: str) -> frozenset[str]:
        members: set[str] = set()
        cursor: str | None = None
        for _ in range(100):  # 100 pages of 1,000: bigger channels than Slack allows
            response = self.call(
                tenant, "conversations.members", channel=channel_id, limit=1000, cursor=cursor
            )
            members |= {str(m) for m in response.get("members") or []}
            meta = response.get("response_metadata") or {}
            cursor = str(meta.get("next_cursor") or "") if isinstance(meta, dict) else ""
            if not cursor:
                break
        return frozenset(members)

    # ---- any method ---------------------------------------------------------------------------

    def call(self, tenant: Tenant, method: str, **params: Any) -> SlackResponse:
        """Call a Web API method for `tenant`; parameters that are None are left out.

        Raises:
            SlackFailure: Slack answered ok=false, or could not be reached.
        """
        given = {key: value for key, value in params.items() if value is not None}
        # slack_sdk's own method (chat.postMessage → chat_postMessage) encodes each as Slack
        # wants it: JSON for writes, form fields for reads such as users.info.
        name = method.replace(".", "_")
        return self._run(tenant, method, lambda client: getattr(client, name)(**given))

    def _run(
        self, tenant: Tenant, method: str, work: Callable[[WebClient], SlackResponse]
    ) -> SlackResponse:
        try:
            return work(self._client_for(self._token_for(tenant)))
        except SlackApiError as error:
            status = int(getattr(error.response, "status_code", 200) or 200)
            code = str(error.response.get("error") or "") or (
                f"server_error_{status}" if status >= 500 else "unknown_error"
            )
            retry_after = _retry_after(error.response.headers.get("Retry-After"))
            failure = SlackFailure(method, code, retry_after, status)
        except (SlackClientError, OSError) as error:
            failure = SlackFailure(method, "timeout" if _timed_out(error) else "connection")
            failure.__cause__ = error
        if self._log_failures and failure.code not in _EXPECTED:
            log.warning("slack: %s for %s failed: %s", method, tenant.team_id, failure.code)
        raise failure


def _retry_after(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() else None


def _timed_out(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or "timed out" in str(error).lower()
