"""The Web API methods FakeSlack answers, with the state they need (not thread-safe alone).

FakeSlack (server.py) checks the token, then calls `WebApi.answer(method, params, who)` under
its lock, `who` being the workspace the token speaks for. Answers follow the shapes in Slack's
method reference; errors are the codes Slack documents. The methods live here (chat,
reactions, history) and in directory.py (users, conversations), views.py and files.py.

chat.postMessage stores `metadata` ({"event_type", "event_payload"}, JSON or a JSON string)
on the message; image blocks may show an uploaded file (`slack_file: {"id": "F…"}`) once
Slack has processed it; a bot that is not in the channel gets `not_in_channel`.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standin.base import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DEFAULT_IDENTITY,
    DEFAULT_TZ,
    TEAM_ID,
    TEAM_NAME,
    Identity,
    SlackError,
    required,
)
from standin.directory import Directory
from standin.files import Files, UploadedFile
from standin.messages import Message, history, message_content, metadata_of, replies
from standin.views import Views

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "DEFAULT_TZ",
    "TEAM_ID",
    "TEAM_NAME",
    "Message",
    "SlackError",
    "UploadedFile",
    "WebApi",
]

Handler = Callable[[dict[str, Any], Identity], dict[str, Any]]


@dataclass
class WebApi:
    """The fake workspace behind the Web API: messages, views, files, reactions, people."""

    base_url: str  # http://127.0.0.1:PORT
    default_tz: str = DEFAULT_TZ
    messages: dict[tuple[str, str], Message] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    reactions: set[tuple[str, str, str]] = field(default_factory=set)
    _last_ts_us: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.directory = Directory(default_tz=self.default_tz)
        self.files = Files(base_url=self.base_url, new_id=self.new_id)
        self.views = Views(new_id=self.new_id, slack_file_ready=self.files.is_ready)

    # ---- identifiers -------------------------------------------------------------------------

    def new_ts(self) -> str:
        """A message ts: the current epoch time, strictly increasing like Slack's."""
        now_us = time.time_ns() // 1000
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        seconds, micros = divmod(self._last_ts_us, 1_000_000)
        return f"{seconds}.{micros:06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    # ---- dispatch ----------------------------------------------------------------------------

    def answer(
        self, method: str, params: dict[str, Any], who: Identity = DEFAULT_IDENTITY
    ) -> dict[str, Any]:
        """The JSON body Slack would answer for `method` called by `who` (HTTP 200 either way)."""
        handler = self._handlers().get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        try:
            return {"ok": True, **handler(params, who)}
        except SlackError as failure:
            return {"ok": False, "error": failure.error, **failure.extra}

    def _handlers(self) -> dict[str, Handler]:
        return {
            "api.test": lambda params, who: {"args": {k: str(v) for k, v in params.items()}},
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "conversations.info": self.directory.conversations_info,
            "conversations.members": self.directory.conversations_members,
            "conversations.open": self.conversations_open,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "users.info": self.directory.users_info,
            "views.open": self.views.open,
            "views.push": self.views.push,
            "views.update": self.views.update,
            "views.publish": self.views.publish,
            "files.getUploadURLExternal": self.files.get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
            "files.info": self.files.info,
        }

    # ---- auth --------------------------------------------------------------------------------

    def auth_test(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "url": who.url,
            "team": who.team_name,
            "user": "vsm-bot",
            "team_id": who.team_id,
            "user_id": who.bot_user_id,
            "bot_id": who.bot_id,
            "is_enterprise_install": who.is_enterprise_install,
        }
        if who.enterprise_id:
            answer["enterprise_id"] = who.enterprise_id
        return answer

    # ---- chat --------------------------------------------------------------------------------

    def chat_post_message(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel = required(params, "channel", "channel_not_found")
        self.directory.check_bot_in(channel)
        text, blocks, attachments = message_content(params, slack_file_ready=self.files.is_ready)
        message = Message(
            channel=channel,
            ts=self.new_ts(),
            text=text,
            blocks=blocks,
            thread_ts=params.get("thread_ts") or None,
            attachments=attachments,
            metadata=metadata_of(params),
            poster=who,
        )
        self.messages[(channel, message.ts)] = message
        return {"channel": channel, "ts": message.ts, "message": message.to_slack()}

    def chat_post_ephemeral(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel = required(params, "channel", "channel_not_found")
        user = required(params, "user", "user_not_in_channel")
        text, blocks, _ = message_content(params, slack_file_ready=self.files.is_ready)
        message_ts = self.new_ts()
        self.ephemerals.append(
            {"channel": channel, "user": user, "text": text, "blocks": blocks, "ts": message_ts}
        )
        return {"message_ts": message_ts}

    def chat_update(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        existing = self._message(params, "ts")
        text, blocks, attachments = message_content(
            params, required_text=False, slack_file_ready=self.files.is_ready
        )
        # Slack keeps the previous blocks when the update sends none (an empty list clears them).
        updated = dataclasses.replace(
            existing,
            text=text if "text" in params else existing.text,
            blocks=blocks if "blocks" in params else existing.blocks,
            attachments=attachments if "attachments" in params else existing.attachments,
            metadata=metadata_of(params) if params.get("metadata") else existing.metadata,
            edited=True,
        )
        self.messages[(updated.channel, updated.ts)] = updated
        return {
            "channel": updated.channel,
            "ts": updated.ts,
            "text": updated.text,
            "message": updated.to_slack(),
        }

    def chat_delete(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        existing = self._message(params, "ts")
        self.messages[(existing.channel, existing.ts)] = dataclasses.replace(existing, deleted=True)
        return {"channel": existing.channel, "ts": existing.ts}

    def chat_get_permalink(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel = required(params, "channel", "channel_not_found")
        ts = required(params, "message_ts", "message_not_found")
        archive = f"{who.url}archives"
        return {"channel": channel, "permalink": f"{archive}/{channel}/p{ts.replace('.', '')}"}

    def conversations_history(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel = required(params, "channel", "channel_not_found")
        self.directory.check_bot_in(channel)
        return history((m for (c, _), m in self.messages.items() if c == channel), params)

    def conversations_replies(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel = required(params, "channel", "channel_not_found")
        self.directory.check_bot_in(channel)
        return replies((m for (c, _), m in self.messages.items() if c == channel), params)

    def conversations_open(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        """The direct message with one person (the same id every time): `D` + their id."""
        users = [u for u in str(params.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            raise SlackError("not_enough_users")  # group DMs: not something the bot opens
        channel = "D" + users[0].strip()[1:]
        return {"channel": {"id": channel, "is_im": True, "user": users[0].strip()}}

    def _message(self, params: dict[str, Any], ts_key: str) -> Message:
        channel = required(params, "channel", "channel_not_found")
        ts = required(params, ts_key, "message_not_found")
        message = self.messages.get((channel, ts))
        if message is None or message.deleted:
            raise SlackError("message_not_found")
        return message

    # ---- reactions ---------------------------------------------------------------------------

    def reactions_add(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        key = self._reaction_key(params)
        if key in self.reactions:
            raise SlackError("already_reacted")
        self.reactions.add(key)
        return {}

    def reactions_remove(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        key = self._reaction_key(params)
        if key not in self.reactions:
            raise SlackError("no_reaction")
        self.reactions.discard(key)
        return {}

    @staticmethod
    def _reaction_key(params: dict[str, Any]) -> tuple[str, str, str]:
        channel = required(params, "channel", "channel_not_found")
        timestamp = required(params, "timestamp", "no_item_specified")
        name = required(params, "name", "invalid_name")
        return (channel, timestamp, name.strip(":"))

    # ---- files -------------------------------------------------------------------------------

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        """Store the bytes POSTed to an upload URL; False when the URL was never issued."""
        return self.files.receive_upload(file_id, data)

    def files_complete_upload_external(
        self, params: dict[str, Any], who: Identity
    ) -> dict[str, Any]:
        channels = str(params.get("channels") or "").split(",")
        channel = str(params.get("channel_id") or channels[0]).strip() or None
        comment = params.get("initial_comment") or None
        blocks = None
        if channel is not None:
            self.directory.check_bot_in(channel)
            if comment is None and params.get("blocks") is not None:
                # Slack ignores blocks when there is an initial_comment; otherwise checks them.
                _, blocks, _ = message_content(
                    {"blocks": params["blocks"]}, slack_file_ready=self.files.is_ready
                )
        done = self.files.complete(params, channel)
        shown = [f.to_slack(self.base_url) for f in done]
        if channel is not None:
            message = Message(
                channel=channel,
                ts=self.new_ts(),
                text=str(comment or ""),
                blocks=blocks,
                thread_ts=params.get("thread_ts") or None,
                files=shown,
                poster=who,
            )
            self.messages[(channel, message.ts)] = message
        return {"files": shown}
