"""Messages the app posted, and how Slack reads them back: `conversations.history`.

`conversations.history` (channel, oldest, latest, inclusive, limit, include_all_metadata,
cursor) answers the channel's top-level messages newest first, thread parents with their
`reply_count`; `metadata` only with include_all_metadata; `has_more` and
`response_metadata.next_cursor` page through the rest.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from standin import blockkit
from standin.base import (
    APP_ID,
    DEFAULT_IDENTITY,
    Identity,
    SlackError,
    decode_cursor,
    encode_cursor,
    flag,
    limit_of,
    required,
)

HISTORY_LIMIT = 100  # Slack's default page
HISTORY_MAX = 999
MAX_METADATA = 8_000  # characters of JSON; Slack refuses larger metadata
_CURSOR_PREFIX = "next_ts:"


@dataclass(frozen=True)
class Message:
    """A message the bot posted, as it stands now (updates replace it, deletes flag it)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None = None
    thread_ts: str | None = None
    attachments: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    edited: bool = False
    deleted: bool = False
    files: list[dict[str, Any]] | None = None  # a file upload's message shares these files
    poster: Identity = field(default=DEFAULT_IDENTITY, compare=False)

    @property
    def all_text(self) -> str:
        """Fallback text and all block texts, one per line."""
        return blockkit.all_text(self.text, self.blocks)

    @property
    def is_top_level(self) -> bool:
        return self.thread_ts is None or self.thread_ts == self.ts

    def to_slack(self) -> dict[str, Any]:
        """The message object as Slack echoes it."""
        bot = self.poster
        body: dict[str, Any] = {
            "type": "message",
            "user": bot.bot_user_id,
            "bot_id": bot.bot_id,
            "app_id": APP_ID,
            "team": bot.team_id,
            "text": self.text,
            "ts": self.ts,
            "bot_profile": {"id": bot.bot_id, "app_id": APP_ID, "name": "vsm-bot"},
        }
        if self.blocks is not None:
            body["blocks"] = self.blocks
        if self.attachments is not None:
            body["attachments"] = self.attachments
        if self.thread_ts is not None:
            body["thread_ts"] = self.thread_ts
            if self.thread_ts != self.ts:
                body["parent_user_id"] = bot.bot_user_id
        if self.metadata is not None:
            body["metadata"] = self.metadata
        if self.files is not None:
            body["files"] = self.files
            body["upload"] = True
        if self.edited:
            body["edited"] = {"user": bot.bot_user_id, "ts": self.ts}
        return body


def message_content(
    params: dict[str, Any],
    *,
    required_text: bool = True,
    slack_file_ready: blockkit.FileCheck | None = None,
) -> tuple[str, list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    """The text, blocks and attachments of chat.postMessage/update, checked as Slack does."""
    text = params.get("text") or ""
    blocks = params.get("blocks")
    attachments = params.get("attachments")
    if required_text and not (text or blocks or attachments):
        raise SlackError("no_text")
    if len(text) > blockkit.MAX_MESSAGE_TEXT:
        raise SlackError("msg_too_long")
    if blocks is not None:
        errors = blockkit.message_errors(blocks, slack_file_ready=slack_file_ready)
        if errors:
            raise SlackError(
                "invalid_blocks",
                errors=errors,
                response_metadata={"messages": [f"[ERROR] {error}" for error in errors]},
            )
    return str(text), blocks, attachments


def metadata_of(params: dict[str, Any]) -> dict[str, Any] | None:
    """`metadata` ({"event_type", "event_payload"}), sent as JSON or as a JSON-encoded string."""
    raw = params.get("metadata")
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise SlackError("invalid_metadata_format") from None
    if not isinstance(raw, dict):
        raise SlackError("invalid_metadata_format")
    event_type, payload = raw.get("event_type"), raw.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError("invalid_metadata_schema")
    if len(json.dumps(raw)) > MAX_METADATA:
        raise SlackError("metadata_too_large")
    return {"event_type": event_type, "event_payload": payload}


def history(messages: Iterable[Message], params: dict[str, Any]) -> dict[str, Any]:
    """conversations.history over the messages of one channel (any order, deleted included)."""
    oldest = _ts_bound(params.get("oldest"), 0.0)
    latest = _ts_bound(params.get("latest"), math.inf)
    inclusive = flag(params, "inclusive")
    limit = limit_of(params, default=HISTORY_LIMIT, maximum=HISTORY_MAX)
    cursor = params.get("cursor")
    start = float(decode_cursor(str(cursor), _CURSOR_PREFIX)) if cursor else math.inf

    alive = [m for m in messages if not m.deleted]
    replies: dict[str, list[Message]] = {}
    for message in alive:
        if not message.is_top_level and message.thread_ts:
            replies.setdefault(message.thread_ts, []).append(message)
    candidates = sorted(
        (
            m
            for m in alive
            if m.is_top_level
            and _within(float(m.ts), oldest, latest, inclusive)
            and float(m.ts) <= start
        ),
        key=lambda m: float(m.ts),
        reverse=True,
    )
    page, rest = candidates[:limit], candidates[limit:]
    with_metadata = flag(params, "include_all_metadata")
    return {
        "messages": [_history_item(m, replies.get(m.ts, []), with_metadata) for m in page],
        "has_more": bool(rest),
        "pin_count": 0,
        "channel_actions_ts": None,
        "channel_actions_count": 0,
        "response_metadata": {
            "next_cursor": encode_cursor(_CURSOR_PREFIX + rest[0].ts) if rest else ""
        },
    }


def replies(messages: Iterable[Message], params: dict[str, Any]) -> dict[str, Any]:
    """conversations.replies over the messages of one channel: the thread `ts` (its parent
    first, then its replies, oldest first); `metadata` only with include_all_metadata."""
    parent_ts = required(params, "ts", "thread_not_found")
    oldest = _ts_bound(params.get("oldest"), 0.0)
    limit = limit_of(params, default=HISTORY_LIMIT, maximum=HISTORY_MAX)
    alive = [m for m in messages if not m.deleted]
    parent = next((m for m in alive if m.ts == parent_ts and m.is_top_level), None)
    if parent is None:
        raise SlackError("thread_not_found")
    thread = sorted(
        (m for m in alive if m.thread_ts == parent_ts and m.ts != parent_ts),
        key=lambda m: float(m.ts),
    )
    shown = [parent, *(m for m in thread if float(m.ts) >= oldest)][:limit]
    with_metadata = flag(params, "include_all_metadata")
    items = []
    for message in shown:
        item = message.to_slack()
        if not with_metadata:
            item.pop("metadata", None)
        item["thread_ts"] = parent_ts
        items.append(item)
    return {"messages": items, "has_more": False, "response_metadata": {"next_cursor": ""}}


def channel_of(params: dict[str, Any]) -> str:
    return required(params, "channel", "channel_not_found")


def _history_item(message: Message, replies: list[Message], with_metadata: bool) -> dict[str, Any]:
    item = message.to_slack()
    if not with_metadata:
        item.pop("metadata", None)
    if replies:
        latest = max(replies, key=lambda m: float(m.ts))
        item.update(
            thread_ts=message.ts,
            reply_count=len(replies),
            reply_users_count=1,
            reply_users=[message.poster.bot_user_id],
            latest_reply=latest.ts,
        )
    return item


def _ts_bound(value: Any, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SlackError("invalid_ts_" + ("oldest" if default == 0.0 else "latest")) from None


def _within(ts: float, oldest: float, latest: float, inclusive: bool) -> bool:
    if inclusive:
        return oldest <= ts <= latest
    return oldest < ts < latest
