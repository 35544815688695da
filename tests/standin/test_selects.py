"""The stand-in refuses a view with a select Slack would refuse."""

from typing import Any

import pytest

from standin.blockkit import view_errors


def _option(n: int, text: str = "") -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text or f"o{n}"}, "value": str(n)}


def _modal(select: dict[str, Any]) -> dict[str, Any]:
    block = {"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "L"}}
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "T"},
        "blocks": [{**block, "element": {"type": "static_select", "action_id": "a", **select}}],
    }


@pytest.mark.parametrize(
    ("select", "refused"),
    [
        ({"options": [_option(1)]}, False),
        ({"options": [_option(n) for n in range(101)]}, True),
        ({"options": []}, True),
        ({"options": [_option(1, "x" * 76)]}, True),
        ({"options": [_option(1)], "initial_option": _option(2)}, True),
        ({"option_groups": [{"options": [_option(1)]}], "initial_option": _option(1)}, False),
    ],
)
def test_a_select_is_checked_as_slack_does(select: dict[str, Any], refused: bool) -> None:
    assert bool(view_errors(_modal(select))) is refused
