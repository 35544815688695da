"""Helpers for the App Home, its buttons, the forms and the shortcuts, end to end.

    view = open_home(slack, "UANN")                       # app_home_opened → views.publish
    view = home_until(slack, "UANN", lambda v: "Onboarding" in text_of(v))
    modal = click_home(slack, view, "home_add_step", "UANN")   # the modal the click opened
    answer = submit_form(slack, modal, "UANN", name="Review", people=["UBO"])

Every view the bot publishes or opens is checked by the stand-in as Slack would check it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from standin import interactions
from standin.blockkit import all_text
from standin.payloads import event_callback, form_body, new_event_id
from tests.support.driver import FORM, JSON, HttpResult, SlackDriver, SlackRequest

View = dict[str, Any]


def text_of(view: View) -> str:
    """Every text in a view, one per line."""
    return all_text(None, view.get("blocks"))


def open_home(slack: SlackDriver, user: str, shows: Callable[[View], bool] | None = None) -> View:
    """`user` opens the Home tab; returns the view the bot published for them after that —
    once it `shows` what is expected, if given: a refresh the bot began before the opening
    may land first."""
    mark = len(_published(slack, user))
    envelope = event_callback(
        slack.workspace, interactions.app_home_opened(user), event_id=new_event_id()
    )
    result = slack.send(SlackRequest(json.dumps(envelope).encode(), JSON))
    assert result.status == 200, result.text
    slack.wait_for("views.publish", lambda c: len(_published(slack, user)) > mark)
    if shows is not None:
        return home_until(slack, user, shows)
    published = _published(slack, user)[-1]
    assert published.ok, published.response
    return dict(published.response["view"])


def _published(slack: SlackDriver, user: str) -> list[Any]:
    """The views.publish calls for `user` of this workspace (the stand-in has one token, so
    the view's metadata tells the workspaces apart)."""
    return [
        c
        for c in slack.calls("views.publish")
        if c.params.get("user_id") == user
        and json.loads(c.params["view"].get("private_metadata") or "{}").get("team")
        == slack.team_id
    ]


def current_home(slack: SlackDriver, user: str) -> View | None:
    """The Home tab Slack shows `user` of this workspace now: the last one published."""
    mine = _published(slack, user)
    return dict(mine[-1].response["view"]) if mine else None


def home_until(
    slack: SlackDriver, user: str, shows: Callable[[View], bool], timeout: float = 20.0
) -> View:
    """The Home tab Slack shows `user`, once it `shows` what is expected (waited for: Home
    tabs are published in the background, one at a time per person, and on a busy machine
    catching up with 14 changes has taken over 5 seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        view = current_home(slack, user)
        if view is not None and shows(view):
            return view
        if time.monotonic() > deadline:
            shown = "nothing" if view is None else text_of(view)
            raise AssertionError(f"{user}'s Home tab never showed it; it shows:\n{shown}")
        time.sleep(0.02)


def elements(view: View) -> list[dict[str, Any]]:
    """Every interactive element of a view: buttons, selects (accessories included)."""
    found = []
    for block in view["blocks"]:
        found.extend(block.get("elements", []) if block["type"] == "actions" else [])
        if isinstance(block.get("accessory"), dict):
            found.append(block["accessory"])
    return [e for e in found if "action_id" in e]


def find_element(view: View, action_id: str, value: str | None = None) -> dict[str, Any]:
    [found, *_] = [
        e
        for e in elements(view)
        if e["action_id"] == action_id and (value is None or e.get("value") == value)
    ] or [None]
    assert found is not None, f"no {action_id} ({value}) in:\n{text_of(view)}"
    return found


def click(
    slack: SlackDriver, view: View, action: dict[str, Any], user: str
) -> tuple[HttpResult, str]:
    """`user` clicks (or picks in) `action` in `view`; the HTTP result and the trigger_id."""
    trigger_id = slack.fake.new_trigger_id()
    payload = interactions.view_block_actions(
        slack.workspace, view=view, action=action, user=user, trigger_id=trigger_id
    )
    result = slack.send(SlackRequest(form_body({"payload": json.dumps(payload)}), FORM))
    assert result.status == 200, result.text
    return result, trigger_id


def opened_by(slack: SlackDriver, trigger_id: str) -> View:
    """The modal the bot opened with `trigger_id`."""
    [opened] = slack.wait_for("views.open", lambda c: c.params.get("trigger_id") == trigger_id)
    assert opened.ok, opened.response
    view = slack.fake.view(opened.response["view"]["id"])
    assert view is not None
    return view


def click_home(
    slack: SlackDriver,
    view: View,
    action_id: str,
    user: str,
    value: str | None = None,
    *,
    pick: str | None = None,
) -> View:
    """Click a button (or `pick` an option of a select) in the Home tab; the modal it opened."""
    element = find_element(view, action_id, value)
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b", "type": element["type"]}
    if pick is not None:
        action["selected_option"] = {"text": {"type": "plain_text", "text": pick}, "value": pick}
    elif "value" in element:
        action["value"] = element["value"]
    _, trigger_id = click(slack, view, action, user)
    return opened_by(slack, trigger_id)


def inputs(view: View) -> dict[str, dict[str, Any]]:
    """The input blocks of a modal, by block id."""
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def _state(block: dict[str, Any], given: Any) -> dict[str, Any]:
    element = block["element"]
    kind = element["type"]
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(given)}
    if kind == "users_select":
        return {"type": kind, "selected_user": given}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": given}
    if kind == "datepicker":
        return {"type": kind, "selected_date": given}
    if kind == "timepicker":
        return {"type": kind, "selected_time": given}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": [{"value": v} for v in given]}
    if kind == "static_select":
        return {"type": kind, "selected_option": None if given is None else {"value": given}}
    return {"type": kind, "value": given}


def _initial(block: dict[str, Any]) -> Any:
    element = block["element"]
    for key in ("initial_value", "initial_user", "initial_conversation", "initial_date"):
        if key in element:
            return element[key]
    if "initial_users" in element:
        return element["initial_users"]
    if "initial_time" in element:
        return element["initial_time"]
    if "initial_option" in element:
        return element["initial_option"]["value"]
    return [] if element["type"] in ("multi_users_select", "checkboxes") else None


def submit_form(slack: SlackDriver, modal: View, user: str, **typed: Any) -> dict[str, Any]:
    """Submit `modal` as the person sees it, with `typed` given by block id; the bot's answer."""
    blocks = inputs(modal)
    unknown = set(typed) - set(blocks)
    assert not unknown, f"the form has no {unknown}; it has {list(blocks)}"
    state = {
        block_id: {
            block["element"]["action_id"]: _state(block, typed.get(block_id, _initial(block)))
        }
        for block_id, block in blocks.items()
    }
    answer = slack.view_submission(None, state, user=user, view_id=modal["id"])
    # Slack shows an error only under an input block of the form; any other key is lost.
    assert set(answer.get("errors", {})) <= set(blocks), (answer, list(blocks))
    return answer


def options_of(block: dict[str, Any]) -> list[str]:
    """The values a select offers (in its groups too)."""
    element = block.get("element") or block
    groups = element.get("option_groups") or [{"options": element.get("options", [])}]
    return [o["value"] for g in groups for o in g["options"]]


def use_shortcut(slack: SlackDriver, callback_id: str, user: str) -> str:
    """`user` picks the global shortcut `callback_id`; returns its trigger_id."""
    trigger_id = slack.fake.new_trigger_id()
    payload = interactions.global_shortcut(
        slack.workspace, callback_id=callback_id, user=user, trigger_id=trigger_id
    )
    result = slack.send(SlackRequest(form_body({"payload": json.dumps(payload)}), FORM))
    assert result.status == 200, result.text
    return trigger_id


def use_message_shortcut(
    slack: SlackDriver, callback_id: str, user: str, channel: str, text: str, author: str
) -> str:
    """`user` picks the message shortcut `callback_id` on a message `author` wrote in
    `channel`; returns its trigger_id."""
    trigger_id = slack.fake.new_trigger_id()
    message = {"type": "message", "user": author, "ts": slack.fake.new_ts(), "text": text}
    payload = interactions.message_shortcut(
        slack.workspace, callback_id=callback_id, user=user, channel=channel, message=message,
        trigger_id=trigger_id, response_url=slack.fake.new_response_url(),
    )  # fmt: skip
    result = slack.send(SlackRequest(form_body({"payload": json.dumps(payload)}), FORM))
    assert result.status == 200, result.text
    return trigger_id
