"""A form and its command, in-process on the bot's database: for the same input both accept
(and store the same thing) or both refuse — with the same words wherever the use case is the
one refusing."""

import pytest

from commands.form_submit import submit_form
from commands.outcomes import Problem
from commands.slash.routes import Asker, run_command
from commands.steps import StepChanged
from storage.tenant import Tenant
from tests.e2e.clocking import ClockCore
from tests.e2e.surfaces import open_home, text_of
from tests.e2e.vsm_commands import define
from tests.support.driver import SlackDriver

CASES = [
    # (form values, the same as a command, the use case's own words or None)
    ({"name": "Review"}, '"Review"', None),
    (
        {"name": "Contract review"},
        '"Contract review"',
        "Step 1 is already called “Contract review”.",
    ),
    ({"name": "Review", "at": "9"}, '"Review" at:9', None),
    ({"name": "x" * 81}, '"' + "x" * 81 + '"', None),
    ({"name": "Review", "team": "t" * 81}, '"Review" team:"' + "t" * 81 + '"', None),
    ({"name": "Review", "at": "3"}, '"Review" at:3', None),
]


@pytest.mark.parametrize(("values", "typed", "words"), CASES)
def test_the_step_form_and_step_add_agree(
    slack: SlackDriver, module_clock: ClockCore, values: dict, typed: str, words: str | None
) -> None:
    services = module_clock.core.services
    tenant = Tenant(team_id=slack.team_id)
    define(slack, "Form", '"Contract review"', '"Account setup"')
    define(slack, "Command", '"Contract review"', '"Account setup"')
    form_id = _stream_id(slack, "Form")

    by_form = submit_form(
        services, tenant, "form_step_add", "U1", f'{{"stream": {form_id}}}',
        {"name": "", "team": "", "people": (), "at": "", **values},
    )  # fmt: skip
    by_command = run_command(services, Asker(tenant, "U1", "C1"), f'step add "Command" {typed}')

    assert (by_form.errors == {}) == isinstance(by_command, StepChanged), (by_form, by_command)
    if isinstance(by_command, StepChanged):
        assert isinstance(by_form.done, StepChanged)
        assert by_form.done.stream.steps == by_command.stream.steps
    elif words is not None:
        assert isinstance(by_command, Problem)
        assert by_command.problem == words
        assert words in by_form.errors.values()


def _stream_id(slack: SlackDriver, name: str) -> int:
    """The stream's id, as its buttons in the owner's Home tab carry it."""
    home = open_home(slack, "U1", lambda v: name in text_of(v))
    blocks = home["blocks"]
    [at] = [i for i, b in enumerate(blocks) if f"*{name}*" in b.get("text", {}).get("text", "")]
    return int(blocks[at + 1]["elements"][0]["value"])
