"""The Web API methods FakeSlack answers, with the state they need (not thread-safe alone).

FakeSlack (server.py) owns the HTTP side and calls `WebApi.answer` under its lock. Answers
follow the shapes in Slack's method reference; errors are the codes Slack documents.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from standin import blockkit

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0VSMBOT"
TEAM_ID = "T0FAKE"
TEAM_NAME = "Fake Workspace"
DEFAULT_TZ = "Europe/Berlin"
TRIGGER_LIFETIME = 3.0  # seconds, as Slack documents for trigger_id
MAX_VIEW_STACK = 3

# Slack shows a long name for the zone's current abbreviation; unknown ones fall back to it.
_TZ_LABELS = {
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "JST": "Japan Standard Time",
    "IST": "India Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}


class SlackError(Exception):
    """An `ok: false` answer: Slack's error code plus any extra fields."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


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

    @property
    def all_text(self) -> str:
        """Fallback text and all block texts, one per line."""
        return blockkit.all_text(self.text, self.blocks)

    def to_slack(self) -> dict[str, Any]:
        """The message object as Slack echoes it."""
        body: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": self.text,
            "ts": self.ts,
            "bot_profile": {"id": BOT_ID, "app_id": APP_ID, "name": "vsm-bot"},
        }
        if self.blocks is not None:
            body["blocks"] = self.blocks
        if self.attachments is not None:
            body["attachments"] = self.attachments
        if self.thread_ts is not None:
            body["thread_ts"] = self.thread_ts
            body["parent_user_id"] = BOT_USER_ID
        if self.metadata is not None:
            body["metadata"] = self.metadata
        if self.edited:
            body["edited"] = {"user": BOT_USER_ID, "ts": self.ts}
        return body


@dataclass(frozen=True)
class UploadedFile:
    """A file that went through files.getUploadURLExternal and the upload POST."""

    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None

    def to_slack(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": int(time.time()),
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": "application/octet-stream",
            "size": len(self.data or b""),
            "user": BOT_USER_ID,
            "is_public": True,
            "channels": [self.channel_id] if self.channel_id else [],
        }


@dataclass
class _Trigger:
    issued_at: float
    used: bool = False


@dataclass
class WebApi:
    """The fake workspace behind the Web API: messages, views, files, reactions, users."""

    base_url: str  # http://127.0.0.1:PORT
    default_tz: str = DEFAULT_TZ
    messages: dict[tuple[str, str], Message] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    reactions: set[tuple[str, str, str]] = field(default_factory=set)
    user_tz: dict[str, str] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, str] = field(default_factory=dict)
    view_stacks: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    triggers: dict[str, _Trigger] = field(default_factory=dict)
    _last_ts_us: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    # ---- identifiers -------------------------------------------------------------------------

    def new_ts(self) -> str:
        """A message ts: the current epoch time, strictly increasing like Slack's."""
        now_us = time.time_ns() // 1000
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        seconds, micros = divmod(self._last_ts_us, 1_000_000)
        return f"{seconds}.{micros:06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def new_trigger_id(self) -> str:
        trigger_id = f"{int(time.time())}.{next(self._ids)}.{self.new_id('')[-6:].lower()}"
        self.triggers[trigger_id] = _Trigger(issued_at=time.monotonic())
        return trigger_id

    # ---- dispatch ----------------------------------------------------------------------------

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The JSON body Slack would answer for `method` (HTTP 200 either way)."""
        handler = self._handlers().get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        try:
            return {"ok": True, **handler(params)}
        except SlackError as failure:
            return {"ok": False, "error": failure.error, **failure.extra}

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "api.test": lambda params: {"args": {k: str(v) for k, v in params.items()}},
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.getPermalink": self.chat_get_permalink,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "users.info": self.users_info,
            "conversations.info": self.conversations_info,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    # ---- auth, users, conversations ----------------------------------------------------------

    def auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake-workspace.slack.com/",
            "team": TEAM_NAME,
            "user": "vsm-bot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = _required(params, "user", "user_not_found")
        zone_name = self.user_tz.get(user_id, self.default_tz)
        local = datetime.now(UTC).astimezone(ZoneInfo(zone_name))
        offset = local.utcoffset()
        abbreviation = local.tzname() or zone_name
        name = user_id.lower()
        return {
            "user": {
                "id": user_id,
                "team_id": TEAM_ID,
                "name": name,
                "deleted": False,
                "real_name": f"User {user_id}",
                "tz": zone_name,
                "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
                "tz_offset": int(offset.total_seconds()) if offset else 0,
                "profile": {
                    "real_name": f"User {user_id}",
                    "real_name_normalized": f"User {user_id}",
                    "display_name": name,
                    "display_name_normalized": name,
                    "team": TEAM_ID,
                },
                "is_admin": False,
                "is_owner": False,
                "is_bot": user_id == BOT_USER_ID,
                "is_app_user": False,
                "updated": 1_700_000_000,
            }
        }

    def conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = _required(params, "channel", "channel_not_found")
        known = self.channels.get(channel_id, {})
        name = known.get("name", channel_id.lower())
        is_private = known.get("is_private", channel_id.startswith("G"))
        is_im = channel_id.startswith("D")
        channel: dict[str, Any] = {
            "id": channel_id,
            "name": name,
            "is_channel": not (is_private or is_im),
            "is_group": is_private,
            "is_im": is_im,
            "is_mpim": False,
            "is_private": is_private or is_im,
            "created": 1_700_000_000,
            "is_archived": False,
            "is_general": False,
            "name_normalized": name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "context_team_id": TEAM_ID,
            "creator": "U0CREATOR",
            "is_member": True,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if "tz" in known:
            channel["tz"] = known["tz"]
        return {"channel": channel}

    # ---- chat --------------------------------------------------------------------------------

    def chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _required(params, "channel", "channel_not_found")
        text, blocks, attachments = _message_content(params)
        message = Message(
            channel=channel,
            ts=self.new_ts(),
            text=text,
            blocks=blocks,
            thread_ts=params.get("thread_ts") or None,
            attachments=attachments,
            metadata=params.get("metadata"),
        )
        self.messages[(channel, message.ts)] = message
        return {"channel": channel, "ts": message.ts, "message": message.to_slack()}

    def chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _required(params, "channel", "channel_not_found")
        user = _required(params, "user", "user_not_in_channel")
        text, blocks, _ = _message_content(params)
        message_ts = self.new_ts()
        self.ephemerals.append(
            {"channel": channel, "user": user, "text": text, "blocks": blocks, "ts": message_ts}
        )
        return {"message_ts": message_ts}

    def chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        existing = self._message(params, "ts")
        text, blocks, attachments = _message_content(params, required=False)
        # Slack keeps the previous blocks when the update sends none (an empty list clears them).
        updated = dataclasses.replace(
            existing,
            text=text if "text" in params else existing.text,
            blocks=blocks if "blocks" in params else existing.blocks,
            attachments=attachments if "attachments" in params else existing.attachments,
            edited=True,
        )
        self.messages[(updated.channel, updated.ts)] = updated
        return {
            "channel": updated.channel,
            "ts": updated.ts,
            "text": updated.text,
            "message": updated.to_slack(),
        }

    def chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        existing = self._message(params, "ts")
        self.messages[(existing.channel, existing.ts)] = dataclasses.replace(existing, deleted=True)
        return {"channel": existing.channel, "ts": existing.ts}

    def chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _required(params, "channel", "channel_not_found")
        ts = _required(params, "message_ts", "message_not_found")
        archive = "https://fake-workspace.slack.com/archives"
        return {"channel": channel, "permalink": f"{archive}/{channel}/p{ts.replace('.', '')}"}

    def _message(self, params: dict[str, Any], ts_key: str) -> Message:
        channel = _required(params, "channel", "channel_not_found")
        ts = _required(params, ts_key, "message_not_found")
        message = self.messages.get((channel, ts))
        if message is None or message.deleted:
            raise SlackError("message_not_found")
        return message

    # ---- reactions ---------------------------------------------------------------------------

    def reactions_add(self, params: dict[str, Any]) -> dict[str, Any]:
        key = self._reaction_key(params)
        if key in self.reactions:
            raise SlackError("already_reacted")
        self.reactions.add(key)
        return {}

    def reactions_remove(self, params: dict[str, Any]) -> dict[str, Any]:
        key = self._reaction_key(params)
        if key not in self.reactions:
            raise SlackError("no_reaction")
        self.reactions.discard(key)
        return {}

    @staticmethod
    def _reaction_key(params: dict[str, Any]) -> tuple[str, str, str]:
        channel = _required(params, "channel", "channel_not_found")
        timestamp = _required(params, "timestamp", "no_item_specified")
        name = _required(params, "name", "invalid_name")
        return (channel, timestamp, name.strip(":"))

    # ---- views -------------------------------------------------------------------------------

    def views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        self._exchange_trigger(params)
        view = self._store_view(params, view_id=None, root_id=None)
        self.view_stacks[view["id"]] = [view["id"]]
        return {"view": view}

    def views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        self._exchange_trigger(params)
        # The fake cannot tell which modal the trigger came from: push onto the newest stack.
        if not self.view_stacks:
            raise SlackError("not_found")
        root_id, stack = next(reversed(self.view_stacks.items()))
        if len(stack) >= MAX_VIEW_STACK:
            raise SlackError("push_limit_reached")
        view = self._store_view(params, view_id=None, root_id=root_id, previous=stack[-1])
        stack.append(view["id"])
        return {"view": view}

    def views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id") or self._view_id_by_external(params.get("external_id"))
        existing = self.views.get(view_id or "")
        if existing is None:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != existing["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(params, view_id=existing["id"], root_id=existing["root_view_id"])
        return {"view": view}

    def views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = _required(params, "user_id", "user_not_found")
        view_id = self.home_views.get(user_id)
        if view_id and params.get("hash") and params["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(params, view_id=view_id, root_id=view_id)
        self.home_views[user_id] = view["id"]
        return {"view": view}

    def _exchange_trigger(self, params: dict[str, Any]) -> None:
        trigger = self.triggers.get(params.get("trigger_id") or "")
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if time.monotonic() - trigger.issued_at > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        trigger.used = True

    def _view_id_by_external(self, external_id: str | None) -> str | None:
        for view in self.views.values():
            if external_id and view.get("external_id") == external_id:
                return str(view["id"])
        return None

    def _store_view(
        self,
        params: dict[str, Any],
        *,
        view_id: str | None,
        root_id: str | None,
        previous: str | None = None,
    ) -> dict[str, Any]:
        sent = params.get("view")
        errors = blockkit.view_errors(sent)
        if errors or not isinstance(sent, dict):  # view_errors refuses anything but a dict
            messages = [f"[ERROR] {error}" for error in errors]
            raise SlackError("invalid_arguments", response_metadata={"messages": messages})
        view_id = view_id or self.new_id("V")
        view = {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": sent["type"],
            "blocks": sent.get("blocks", []),
            "private_metadata": sent.get("private_metadata", ""),
            "callback_id": sent.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{self.new_id('')[-8:].lower()}",
            "title": sent.get("title"),
            "clear_on_close": bool(sent.get("clear_on_close", False)),
            "notify_on_close": bool(sent.get("notify_on_close", False)),
            "close": sent.get("close"),
            "submit": sent.get("submit"),
            "previous_view_id": previous,
            "root_view_id": root_id or view_id,
            "app_id": APP_ID,
            "external_id": sent.get("external_id", ""),
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }
        self.views[view_id] = view
        return view

    # ---- files -------------------------------------------------------------------------------

    def files_get_upload_url_external(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = _required(params, "filename", "invalid_arguments")
        length = str(params.get("length", ""))
        if not length.isdigit():
            raise SlackError("invalid_arguments")
        file_id = self.new_id("F")
        self.files[file_id] = UploadedFile(id=file_id, filename=filename, length=int(length))
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        """Store the bytes POSTed to an upload URL; False when the URL was never issued."""
        known = self.files.get(file_id)
        if known is None:
            return False
        self.files[file_id] = dataclasses.replace(known, data=data)
        return True

    def files_complete_upload_external(self, params: dict[str, Any]) -> dict[str, Any]:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        completed = []
        for entry in entries:
            known = self.files.get(entry.get("id", "")) if isinstance(entry, dict) else None
            if known is None or known.data is None:
                raise SlackError("file_not_found")
            done = dataclasses.replace(
                known,
                title=entry.get("title") or known.filename,
                channel_id=params.get("channel_id") or None,
                thread_ts=params.get("thread_ts") or None,
                initial_comment=params.get("initial_comment") or None,
            )
            self.files[done.id] = done
            completed.append(done.to_slack())
        return {"files": completed}


def _required(params: dict[str, Any], key: str, error: str) -> str:
    value = params.get(key)
    if value is None or value == "":
        raise SlackError(error)
    return str(value)


def _message_content(
    params: dict[str, Any], *, required: bool = True
) -> tuple[str, list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    text = params.get("text") or ""
    blocks = params.get("blocks")
    attachments = params.get("attachments")
    if required and not (text or blocks or attachments):
        raise SlackError("no_text")
    if len(text) > blockkit.MAX_MESSAGE_TEXT:
        raise SlackError("msg_too_long")
    if blocks is not None:
        errors = blockkit.message_errors(blocks)
        if errors:
            raise SlackError(
                "invalid_blocks",
                errors=errors,
                response_metadata={"messages": [f"[ERROR] {error}" for error in errors]},
            )
    return str(text), blocks, attachments
