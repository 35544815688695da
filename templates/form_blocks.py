"""Block Kit pieces for forms and the App Home: selects, people pickers, numbers, dates.

Kept within Slack's limits like templates/blocks.py: at most 100 options to a select, option
texts of at most 75 characters and values of at most 150.
"""

from collections.abc import Callable, Sequence
from typing import Any

from templates.blocks import Block, field, plain

OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100


def option(text: str, value: str) -> Block:
    return {"text": plain(text, OPTION_TEXT_MAX), "value": str(value)[:OPTION_VALUE_MAX]}


def option_group(label: str, options: Sequence[Block]) -> Block:
    return {"label": plain(label, OPTION_TEXT_MAX), "options": list(options)}


def select(
    action_id: str,
    placeholder: str,
    options: Sequence[Block] = (),
    *,
    groups: Sequence[Block] = (),
    initial: Block | None = None,
) -> Block:
    """A static select of `options` (or of `groups` of options), at most 100 in all."""
    element: Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
    }
    if groups:
        element["option_groups"] = _cap_groups(groups)
    else:
        element["options"] = list(options)[:OPTIONS_MAX]
    if initial is not None:
        element["initial_option"] = initial
    return element


def _cap_groups(groups: Sequence[Block]) -> list[Block]:
    capped: list[Block] = []
    room = OPTIONS_MAX
    for group in groups:
        if room <= 0:
            break
        kept = group["options"][:room]
        room -= len(kept)
        capped.append({**group, "options": kept})
    return capped


def people_picker(action_id: str = "value", initial: Sequence[str] = ()) -> Block:
    element: Block = {
        "type": "multi_users_select",
        "action_id": action_id,
        "placeholder": plain("Pick people", 150),
    }
    if initial:
        element["initial_users"] = list(initial)
    return element


def person_picker(action_id: str = "value", initial: str | None = None) -> Block:
    element: Block = {
        "type": "users_select",
        "action_id": action_id,
        "placeholder": plain("Pick someone", 150),
    }
    if initial:
        element["initial_user"] = initial
    return element


def channel_picker(action_id: str = "value", initial: str | None = None) -> Block:
    element: Block = {
        "type": "conversations_select",
        "action_id": action_id,
        "placeholder": plain("Pick a channel", 150),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return element


def number(
    action_id: str = "value", initial: Any = None, *, decimal: bool = False, low: Any = None,
    high: Any = None,
) -> Block:  # fmt: skip
    element: Block = {"type": "number_input", "action_id": action_id, "is_decimal_allowed": decimal}
    if initial is not None:
        element["initial_value"] = str(initial)
    if low is not None:
        element["min_value"] = str(low)
    if high is not None:
        element["max_value"] = str(high)
    return element


def date_picker(action_id: str = "value", initial: str | None = None) -> Block:
    element: Block = {"type": "datepicker", "action_id": action_id}
    if initial:
        element["initial_date"] = initial
    return element


def time_picker(action_id: str = "value", initial: str | None = None) -> Block:
    element: Block = {"type": "timepicker", "action_id": action_id}
    if initial:
        element["initial_time"] = initial
    return element


def checkboxes(action_id: str, options: Sequence[Block]) -> Block:
    return {"type": "checkboxes", "action_id": action_id, "options": list(options)}


GLOBALS: dict[str, Callable[..., Any]] = {
    fn.__name__: fn
    for fn in (
        option,
        option_group,
        select,
        field,
        people_picker,
        person_picker,
        channel_picker,
        number,
        date_picker,
        time_picker,
        checkboxes,
    )
}
