"""What Slack sends to an app, built as plain data, and the signature it adds.

Slash command forms, `message` events (new, edited, deleted, from other apps), button clicks
and modal submissions, in the shapes of Slack's documented samples; tests/support/test_driver.py
checks them against the samples it keeps as fixtures.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from standin.webapi import APP_ID, BOT_ID, BOT_USER_ID

# Slack still sends this deprecated field; the value is made up, not a secret.
VERIFICATION_TOKEN = "deprecated-verification-token"  # noqa: S105
# Slack's own markup passes through unescaped: <@U1>, <#C1|name>, <!here>, <https://…|label>.
_MARKUP = re.compile(r"<(?:[@#!]|https?://|mailto:)[^<>]*>")


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request it sends to an app.

    Args:
        body: the exact bytes that will be sent.
        secret: the app's signing secret.
        timestamp: seconds since the epoch; now when omitted (pass an old one to go stale).
    """
    ts = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(ts).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def escape(text: str) -> str:
    """Escape &, < and > as Slack does in message and command text, keeping its own markup."""
    out: list[str] = []
    position = 0
    for match in _MARKUP.finditer(text):
        out.append(_escape_plain(text[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def channel_type(channel: str) -> str:
    return {"G": "group", "D": "im"}.get(channel[:1], "channel")


@dataclass(frozen=True)
class Workspace:
    """The tenant a payload comes from."""

    team_id: str
    enterprise_id: str | None = None

    @property
    def domain(self) -> str:
        return f"ws-{self.team_id.lower()}"

    def team(self) -> dict[str, Any]:
        team: dict[str, Any] = {"id": self.team_id, "domain": self.domain}
        if self.enterprise_id:
            team["enterprise_id"] = self.enterprise_id
            team["enterprise_name"] = f"Org {self.enterprise_id}"
        return team

    def enterprise(self) -> dict[str, Any] | None:
        if not self.enterprise_id:
            return None
        return {"id": self.enterprise_id, "name": f"Org {self.enterprise_id}"}

    def user(self, user_id: str) -> dict[str, Any]:
        name = user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}


# ---- slash commands --------------------------------------------------------------------------


def slash_command(
    ws: Workspace,
    *,
    text: str,
    user: str,
    channel: str,
    response_url: str,
    trigger_id: str,
    command: str = "/vsm",
    channel_name: str | None = None,
    user_name: str | None = None,
) -> dict[str, str]:
    """The form fields of a slash command (text escaped like Slack does)."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": ws.team_id,
        "team_domain": ws.domain,
        "channel_id": channel,
        "channel_name": channel_name or channel.lower(),
        "user_id": user,
        "user_name": user_name or user.lower(),
        "command": command,
        "text": escape(text),
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    if ws.enterprise_id:
        fields["enterprise_id"] = ws.enterprise_id
        fields["enterprise_name"] = f"Org {ws.enterprise_id}"
    return fields


def form_body(fields: dict[str, str]) -> bytes:
    return urlencode(fields).encode()


# ---- Events API ------------------------------------------------------------------------------


def event_callback(ws: Workspace, event: dict[str, Any], *, event_id: str) -> dict[str, Any]:
    """The envelope Slack wraps every Events API event in."""
    envelope: dict[str, Any] = {
        "token": VERIFICATION_TOKEN,
        "team_id": ws.team_id,
        "context_team_id": ws.team_id,
        "context_enterprise_id": ws.enterprise_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": ws.enterprise_id,
                "team_id": ws.team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{secrets.token_hex(12)}",
    }
    if ws.enterprise_id:
        envelope["enterprise_id"] = ws.enterprise_id
    return envelope


def user_message(
    ws: Workspace,
    *,
    text: str,
    user: str,
    channel: str,
    ts: str,
    thread_ts: str | None = None,
    parent_user_id: str | None = None,
) -> dict[str, Any]:
    """A `message` event typed by a person (plain text escaped like Slack does)."""
    event: dict[str, Any] = {
        "type": "message",
        "client_msg_id": str(uuid.uuid4()),
        "text": escape(text),
        "user": user,
        "ts": ts,
        "team": ws.team_id,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type(channel),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
        if parent_user_id:
            event["parent_user_id"] = parent_user_id
    return event


def message_changed(
    ws: Workspace,
    *,
    ts: str,
    text: str,
    previous_text: str,
    user: str,
    channel: str,
    event_ts: str,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """An edit: the event's own ts is new; the edited message keeps its `ts`."""
    before = user_message(ws, text=previous_text, user=user, channel=channel, ts=ts)
    after = {**user_message(ws, text=text, user=user, channel=channel, ts=ts)}
    after["client_msg_id"] = before["client_msg_id"]
    after["edited"] = {"user": user, "ts": event_ts}
    for message in (before, after):
        for key in ("channel", "event_ts", "channel_type"):
            message.pop(key)
        if thread_ts:
            message["thread_ts"] = thread_ts
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": after,
        "previous_message": before,
        "channel": channel,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel_type(channel),
    }


def block_actions(
    ws: Workspace,
    *,
    action_id: str,
    value: str,
    block_id: str,
    text: dict[str, Any] | None = None,
    user: str,
    channel: str,
    message: dict[str, Any],
    response_url: str,
    trigger_id: str,
) -> dict[str, Any]:
    """A click on the button `action_id` (with `value`) in `message`, as Slack sends it."""
    return {
        "type": "block_actions",
        "user": ws.user(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id,
        "team": ws.team(),
        "enterprise": ws.enterprise(),
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": channel.lower()},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": text or {"type": "plain_text", "text": value, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


# ---- what the stand-in never needs itself, but tests send: deletions, other apps, URL
# verification, modal submissions ----------------------------------------------------------


def new_team_id() -> str:
    return "T" + secrets.token_hex(4).upper()


# ---- Events API ------------------------------------------------------------------------------


def message_deleted(
    ws: Workspace,
    *,
    ts: str,
    previous_text: str,
    user: str,
    channel: str,
    event_ts: str,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A deletion: `deleted_ts` names the message that is gone."""
    before = user_message(ws, text=previous_text, user=user, channel=channel, ts=ts)
    for key in ("channel", "event_ts", "channel_type"):
        before.pop(key)
    if thread_ts:
        before["thread_ts"] = thread_ts
    return {
        "type": "message",
        "subtype": "message_deleted",
        "previous_message": before,
        "channel": channel,
        "hidden": True,
        "deleted_ts": ts,
        "event_ts": event_ts,
        "ts": event_ts,
        "channel_type": channel_type(channel),
    }


def bot_message(
    ws: Workspace,
    *,
    text: str,
    channel: str,
    ts: str,
    bot_id: str = BOT_ID,
    user: str | None = BOT_USER_ID,
    subtype: str | None = "bot_message",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A message posted by an app: ours (the defaults) or another one."""
    event: dict[str, Any] = {
        "type": "message",
        "text": escape(text),
        "ts": ts,
        "bot_id": bot_id,
        "app_id": APP_ID if bot_id == BOT_ID else f"A{bot_id[1:]}",
        "team": ws.team_id,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type(channel),
        "bot_profile": {"id": bot_id, "name": "vsm-bot" if bot_id == BOT_ID else "other-bot"},
    }
    if subtype:
        event["subtype"] = subtype
    if user:
        event["user"] = user
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def url_verification(challenge: str) -> dict[str, Any]:
    return {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}


# ---- interactivity ---------------------------------------------------------------------------


def state_values(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """view.state.values; a plain string stands for a plain_text_input's value."""
    return {
        block_id: {
            action_id: (
                {"type": "plain_text_input", "value": value} if isinstance(value, str) else value
            )
            for action_id, value in actions.items()
        }
        for block_id, actions in values.items()
    }


def view_submission(
    ws: Workspace,
    *,
    view: dict[str, Any],
    values: dict[str, dict[str, Any]],
    user: str,
    trigger_id: str,
) -> dict[str, Any]:
    """A modal's Submit: `view` as Slack stored it, with the user's input in state.values."""
    submitted = {
        **view,
        "team_id": ws.team_id,
        "app_installed_team_id": ws.team_id,
        "state": {"values": state_values(values)},
    }
    return {
        "type": "view_submission",
        "team": ws.team(),
        "user": ws.user(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": ws.enterprise(),
    }


def new_modal_view(*, callback_id: str, private_metadata: str, view_id: str) -> dict[str, Any]:
    """The stored view of a modal the fake never opened (a test submitting directly)."""
    return {
        "id": view_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "title": {"type": "plain_text", "text": "vsm-bot"},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit"},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": APP_ID,
        "external_id": "",
        "bot_id": BOT_ID,
    }
