"""What Slack sends when a person opens the App Home, clicks in it, or uses a shortcut: the
`app_home_opened` event, `block_actions` from a view, `shortcut` and `message_action`.
Shapes follow Slack's documented samples, like standin/payloads.py."""

from __future__ import annotations

import secrets
import time
from typing import Any

from standin.payloads import VERIFICATION_TOKEN, Workspace, escape
from standin.webapi import APP_ID


def app_home_opened(user: str, view: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event for `user` opening the Home tab (with the view they saw last, if any)."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D" + secrets.token_hex(4).upper(),
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    if view is not None:
        event["view"] = view
    return event


def view_block_actions(
    ws: Workspace,
    *,
    view: dict[str, Any],
    action: dict[str, Any],
    user: str,
    trigger_id: str,
) -> dict[str, Any]:
    """A click in a view (the Home tab or a modal): no channel and no response_url."""
    return {
        "type": "block_actions",
        "user": ws.user(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": view.get("id", "")},
        "trigger_id": trigger_id,
        "team": ws.team(),
        "enterprise": ws.enterprise(),
        "is_enterprise_install": False,
        # The view as Slack keeps it for this workspace (the stand-in has one bot token).
        "view": {**view, "team_id": ws.team_id, "app_installed_team_id": ws.team_id},
        "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
    }


def global_shortcut(
    ws: Workspace, *, callback_id: str, user: str, trigger_id: str
) -> dict[str, Any]:
    """A global shortcut, from the composer or search."""
    return {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": ws.team(),
        "user": ws.user(user),
        "is_enterprise_install": False,
        "enterprise": ws.enterprise(),
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def message_shortcut(
    ws: Workspace,
    *,
    callback_id: str,
    user: str,
    channel: str,
    message: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    """A message shortcut on `message` in `channel` (its text escaped as Slack does)."""
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": ws.team(),
        "user": ws.user(user),
        "channel": {"id": channel, "name": channel.lower()},
        "is_enterprise_install": False,
        "enterprise": ws.enterprise(),
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "message_ts": message["ts"],
        "message": {**message, "text": escape(str(message.get("text") or ""))},
        "response_url": response_url,
    }
