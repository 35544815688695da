"""Submitted forms (new stream, steps, measure, schedule, target, propose): the answer goes
back in the acknowledgement — field errors keep the form open; what was done replaces it."""

import re
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext

from commands.form_submit import submit_form
from commands.listeners.common import failure, tenant_of, user_of
from commands.listeners.home import HomeRefresher
from commands.services import Services

FORM_CALLBACK = re.compile(r"^form_(?!done$)")


def register(app: App, services: Services, homes: HomeRefresher) -> None:
    """Listen for the forms' Submit."""
    app.view(FORM_CALLBACK)(_listener(services, homes))


def form_values(view: Mapping[str, Any]) -> dict[str, Any]:
    """What each input of a submitted view holds, by block id: text (typed or picked), a
    tuple for people and checkboxes, a user id or None for a person picker."""
    found: dict[str, Any] = {}
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    for block, actions in (values if isinstance(values, dict) else {}).items():
        action = next(iter(actions.values()), None) if isinstance(actions, dict) else None
        if isinstance(action, dict):
            found[str(block)] = _value(action)
    return found


def _value(action: Mapping[str, Any]) -> Any:
    kind = action.get("type")
    if kind == "multi_users_select":
        return tuple(str(u) for u in action.get("selected_users") or ())
    if kind == "checkboxes":
        return tuple(str(o.get("value")) for o in action.get("selected_options") or ())
    if kind == "users_select":
        return action.get("selected_user") or None
    picked = action.get("selected_option")
    for key in ("selected_conversation", "selected_channel", "selected_date", "selected_time"):
        if key in action:
            return str(action.get(key) or "")
    if isinstance(picked, dict) or kind == "static_select":
        return str((picked or {}).get("value") or "")
    return str(action.get("value") or "")


def _listener(services: Services, homes: HomeRefresher) -> Callable[..., None]:
    def handle_form_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        tenant, user, values = tenant_of(context), user_of(body), form_values(view)
        if tenant is None:
            ack()
            return
        try:
            outcome = submit_form(
                services, tenant, str(view.get("callback_id") or ""), user,
                str(view.get("private_metadata") or ""), values,
            )  # fmt: skip
            if outcome.errors:
                ack(response_action="errors", errors=outcome.errors)
                return
            message = services.renderer.message_for(outcome.done)
            done = services.renderer.view("form_done.json.j2", blocks=message.get("blocks") or [])
        except Exception:
            shown = failure("form", view.get("callback_id"))
            said = f"Something went wrong on my side (reference {shown.reference})."
            ack(response_action="errors", errors={next(iter(values), "name"): said})
            return
        ack(response_action="update", view=done)
        homes.after_stream_change(tenant, outcome.stream or "", user)

    return handle_form_submit
