"""The forms' templates with hostile data at every limit: valid views (as the stand-in checks
them like Slack), selects of at most 100 options with texts Slack takes."""

from dataclasses import replace
from typing import Any

import pytest

from commands.forms import (
    NewStreamForm,
    ProposeForm,
    StepChangeForm,
    StreamChoice,
    StreamForm,
    StreamPlaces,
)
from commands.renderer import make_renderer
from standin import blockkit
from templates.blocks import check_limits
from tests.templates.test_templates import full_stream, hostile

STREAM = full_stream(archived=False)
CHOICES = tuple(StreamChoice(n, hostile(80)) for n in range(1, 150))
PLACES = tuple(StreamPlaces(n, hostile(80), STREAM.steps) for n in range(1, 5))
FORMS: list[Any] = [
    NewStreamForm(None, "{}"),
    NewStreamForm("C1", "{}"),
    *(
        StreamForm(kind, None, CHOICES, "{}")
        for kind in ("step_add", "measure", "schedule", "target")
    ),
    *(
        StreamForm(kind, CHOICES[0], (), "{}")
        for kind in ("step_add", "measure", "schedule", "target")
    ),
    StreamForm(
        "schedule",
        CHOICES[0],
        (),
        "{}",
        {
            "every": "2",
            "unit": "days",
            "weekday": "",
            "at": "14:15",
            "window": "1d 12h",
            "tz": "Asia/Tokyo",
        },
    ),
    StreamForm("target", CHOICES[0], (), "{}", {"lead": "4d", "ratio": "", "ca": "", "by": ""}),
    StepChangeForm(hostile(80), STREAM.steps[0], 50, "{}"),
    ProposeForm(PLACES, "1:0", hostile(200), "U1", "{}"),
    ProposeForm((replace(PLACES[0], steps=()),), None, "", "U1", "{}"),
]


def _selects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "static_select" else []
        return found + [s for value in node.values() for s in _selects(value)]
    if isinstance(node, list):
        return [s for item in node for s in _selects(item)]
    return []


@pytest.mark.parametrize("form", FORMS, ids=lambda f: type(f).__name__)
def test_a_form_is_a_view_slack_takes(form: Any) -> None:
    view = make_renderer().view_for(form)

    assert view["type"] == "modal"
    assert check_limits(view, "modal") == []
    assert blockkit.view_errors(view) == []
    for select in _selects(view["blocks"]):
        groups = select.get("option_groups") or [{"options": select.get("options", [])}]
        options = [o for g in groups for o in g["options"]]
        assert 0 < len(options) <= 100
        assert all(len(o["text"]["text"]) <= 75 and len(o["value"]) <= 150 for o in options)
        if "initial_option" in select:
            assert select["initial_option"] in options
