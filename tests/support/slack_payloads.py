"""What Slack sends to an app beyond what the stand-in needs (bot/standin/payloads.py builds
slash commands, new and edited messages, and signs): deletions, other apps' messages, URL
verification, button clicks and modal submissions, and the documented samples they follow.

Shapes follow Slack's documented samples, kept in tests/support/payloads/ and checked by
test_driver.py: every key a documented sample has, the built payload has too.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

from bot.standin.payloads import VERIFICATION_TOKEN, Workspace, channel_type, escape, user_message
from bot.standin.webapi import APP_ID, BOT_ID, BOT_USER_ID

PAYLOADS = Path(__file__).parent / "payloads"


def sample(name: str) -> Any:
    """A documented Slack payload kept as a fixture (tests/support/payloads/NAME.json)."""
    return json.loads((PAYLOADS / f"{name}.json").read_text())


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
