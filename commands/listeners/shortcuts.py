"""Shortcuts: *New value stream* (global) opens the new-stream form; *Propose as improvement*
(on a message) opens the proposal form with the message's text as its title."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from commands import forms
from commands.listeners.common import failure, tenant_of, user_of
from commands.listeners.home_buttons import show_notice
from commands.listeners.slash import open_modal
from commands.modals import OpenModal
from commands.services import Services
from commands.slash.tokens import unescape

NEW_STREAM = "new_value_stream"
PROPOSE = "propose_improvement"


def register(app: App, services: Services) -> None:
    """Listen for the two shortcuts of the manifest."""
    app.shortcut(NEW_STREAM)(_new_stream_listener(services))
    app.shortcut(PROPOSE)(_propose_listener(services))


def _new_stream_listener(services: Services) -> Callable[..., None]:
    def handle_new_stream(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        tenant = tenant_of(context)
        if tenant is None:
            return
        try:
            open_modal(services, tenant, forms.new_stream_form(), body.get("trigger_id"))
        except Exception:
            show_notice(services, tenant, failure("new stream shortcut"), body.get("trigger_id"))

    return handle_new_stream


def _propose_listener(services: Services) -> Callable[..., None]:
    def handle_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        tenant, trigger = tenant_of(context), body.get("trigger_id")
        if tenant is None:
            return
        message, channel = body.get("message"), body.get("channel")
        text = message.get("text") if isinstance(message, dict) else ""
        channel_id = channel.get("id") if isinstance(channel, dict) else ""
        try:
            shown: object = forms.propose_form(
                services, tenant, user_of(body),
                channel_id=str(channel_id or ""),
                title=forms.title_from_message(unescape(str(text or ""))),
            )  # fmt: skip
            if isinstance(shown, OpenModal):
                shown = open_modal(services, tenant, shown, trigger)
        except Exception:
            shown = failure("propose shortcut", body.get("message_ts"))
        if shown is not None:
            show_notice(services, tenant, shown, trigger)

    return handle_propose
