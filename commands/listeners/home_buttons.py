"""Buttons on the App Home tab: enter my timings, move an improvement on, and the buttons
that open forms. A click has no channel to answer in, so what cannot be done is shown in a
small modal; what was done shows in the Home tab, published again."""

import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any

from slack_bolt import Ack, App, BoltContext

from commands import forms, kaizen
from commands.access import NotAllowed, NotAllowedReply
from commands.home import stream_name_of
from commands.listeners.common import as_id, failure, first_action, tenant_of, user_of
from commands.listeners.home import HomeRefresher
from commands.listeners.slash import open_modal
from commands.modals import OpenModal
from commands.outcomes import Problem
from commands.ports import SlackFailure
from commands.services import Services
from commands.timings import timings_form
from storage.tenant import Tenant
from vsm.errors import VsmError

HOME_ACTION = re.compile(r"^home_")
_IMPROVEMENT = re.compile(r"^([0-9]{1,19}):([0-9]{1,9})$")
GONE = "That stream is not there any more."


def register(app: App, services: Services, homes: HomeRefresher) -> None:
    """Listen for every button and menu of the Home tab."""
    app.action(HOME_ACTION)(_listener(services, homes))


def _listener(services: Services, homes: HomeRefresher) -> Callable[..., None]:
    def handle_home_action(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        action = first_action(body)
        tenant = tenant_of(context)
        if tenant is None:
            return
        user, trigger = user_of(body), body.get("trigger_id")
        try:
            shown = home_action(services, tenant, user, action)
            if isinstance(shown, OpenModal):
                shown = open_modal(services, tenant, shown, trigger)
            if shown is not None:
                show_notice(services, tenant, shown, trigger)
        except Exception:
            show_notice(services, tenant, failure("home", action), trigger)
        if str(action.get("action_id") or "").startswith("home_improvement_"):
            homes.refresh(tenant, (user,))  # shows the improvement's new status

    return handle_home_action


def show_notice(services: Services, tenant: Tenant, shown: object, trigger: object) -> None:
    """Tell the person who clicked (where there is no channel to answer in) in a small modal."""
    if services.slack is None or not trigger:
        return
    message = services.renderer.message_for(shown)
    view = services.renderer.view("notice.json.j2", blocks=message.get("blocks") or [])
    with suppress(SlackFailure):  # the gateway logged it; the trigger may have run out
        services.slack.open_view(tenant, trigger_id=str(trigger), view=view)


def home_action(
    services: Services, tenant: Tenant, user: str, action: Mapping[str, Any]
) -> object | None:
    """What a click on the Home tab does: a form to open, something to say, or None."""
    action_id = str(action.get("action_id") or "")
    value = str(action.get("value") or (action.get("selected_option") or {}).get("value") or "")
    try:
        if action_id == "home_timings":
            cycle_id = as_id(value)
            return (
                Problem(GONE)
                if cycle_id is None
                else timings_form(services, tenant, cycle_id, user)
            )
        if action_id.startswith("home_improvement_"):
            return _move_improvement(services, tenant, user, value, action_id.rsplit("_", 1)[1])
        opener = FORM_OPENERS.get(action_id)
        return None if opener is None else opener(services, tenant, user, value)
    except NotAllowed as refused:
        return NotAllowedReply(refused.stream, refused.doing, refused.owners)
    except VsmError as error:
        return Problem(error.message)


def _move_improvement(
    services: Services, tenant: Tenant, user: str, value: str, status: str
) -> object | None:
    found = _IMPROVEMENT.fullmatch(value)
    stream_id = as_id(found[1]) if found else None
    name = None if stream_id is None else stream_name_of(services, tenant, stream_id)
    if found is None or name is None or status not in kaizen.STATUSES:
        return Problem(GONE)
    kaizen.move_improvement(services, tenant, name, int(found[2]), status, channel_id="", by=user)
    return None  # the Home tab, published again, shows the new status


def _change_step(services: Services, tenant: Tenant, user: str, value: str) -> object:
    stream, _, position = value.partition(":")
    stream_id, number = as_id(stream), as_id(position)
    if stream_id is None or number is None:
        return Problem(GONE)
    return forms.step_change_form(services, tenant, user, stream_id, number)


def _about_stream(kind: str) -> Callable[[Services, Tenant, str, str], object]:
    return lambda services, tenant, user, value: forms.stream_form(
        services, tenant, user, kind, as_id(value)
    )


FORM_OPENERS: dict[str, Callable[[Services, Tenant, str, str], object]] = {
    "home_new_stream": lambda services, tenant, user, value: forms.new_stream_form(),
    "home_add_step": _about_stream("step_add"),
    "home_measure": _about_stream("measure"),
    "home_schedule": _about_stream("schedule"),
    "home_target": _about_stream("target"),
    "home_propose": lambda services, tenant, user, value: forms.propose_form(
        services, tenant, user, stream_id=as_id(value)
    ),
    "home_change_step": _change_step,
}
