"""Modals and the App Home tab: views.open, views.push, views.update, views.publish.

A `trigger_id` (FakeSlack.new_trigger_id) opens or pushes one view, once, within 3 seconds;
at most 3 modals stack; `hash` guards updates; every view is checked like Slack checks it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standin import blockkit
from standin.base import APP_ID, Identity, SlackError, required

TRIGGER_LIFETIME = 3.0  # seconds, as Slack documents for trigger_id
MAX_VIEW_STACK = 3


@dataclass
class _Trigger:
    issued_at: float
    used: bool = False


@dataclass
class Views:
    """Every view the app opened or published, the modal stacks and the trigger ids."""

    new_id: Callable[[str], str]
    slack_file_ready: blockkit.FileCheck
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, str] = field(default_factory=dict)
    view_stacks: dict[str, list[str]] = field(default_factory=dict)
    triggers: dict[str, _Trigger] = field(default_factory=dict)

    def new_trigger_id(self) -> str:
        number = int(self.new_id(""), 16)
        trigger_id = f"{int(time.time())}.{number}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = _Trigger(issued_at=time.monotonic())
        return trigger_id

    def open(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        self._exchange_trigger(params)
        view = self._store_view(params, who, view_id=None, root_id=None)
        self.view_stacks[view["id"]] = [view["id"]]
        return {"view": view}

    def push(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        self._exchange_trigger(params)
        # The fake cannot tell which modal the trigger came from: push onto the newest stack.
        if not self.view_stacks:
            raise SlackError("not_found")
        root_id, stack = next(reversed(self.view_stacks.items()))
        if len(stack) >= MAX_VIEW_STACK:
            raise SlackError("push_limit_reached")
        view = self._store_view(params, who, view_id=None, root_id=root_id, previous=stack[-1])
        stack.append(view["id"])
        return {"view": view}

    def update(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        view_id = params.get("view_id") or self._view_id_by_external(params.get("external_id"))
        existing = self.views.get(view_id or "")
        if existing is None:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != existing["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(
            params, who, view_id=existing["id"], root_id=existing["root_view_id"]
        )
        return {"view": view}

    def publish(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        user_id = required(params, "user_id", "user_not_found")
        view_id = self.home_views.get(user_id)
        if view_id and params.get("hash") and params["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(params, who, view_id=view_id, root_id=view_id)
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
        who: Identity,
        *,
        view_id: str | None,
        root_id: str | None,
        previous: str | None = None,
    ) -> dict[str, Any]:
        sent = params.get("view")
        errors = blockkit.view_errors(sent, slack_file_ready=self.slack_file_ready)
        if errors or not isinstance(sent, dict):  # view_errors refuses anything but a dict
            messages = [f"[ERROR] {error}" for error in errors]
            raise SlackError("invalid_arguments", response_metadata={"messages": messages})
        view_id = view_id or self.new_id("V")
        view = {
            "id": view_id,
            "team_id": who.team_id,
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
            "app_installed_team_id": who.team_id,
            "bot_id": who.bot_id,
        }
        self.views[view_id] = view
        return view
