"""What Slack sends to an app, built as plain data, and the signature it adds.

Slash command forms and `message` events (new and edited) in the shapes of Slack's documented
samples; tests/support/test_driver.py checks them against the samples it keeps as fixtures.
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

from bot.standin.webapi import APP_ID, BOT_USER_ID

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
