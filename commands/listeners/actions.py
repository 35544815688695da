"""Buttons: *Enter my timings* on a cycle message, *Give my view* on a value run, and the
survey's 1–5 scores in its thread."""

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from commands.listeners.common import as_id, failure, first_action, tenant_of, user_of
from commands.listeners.slash import open_modal
from commands.modals import OpenModal
from commands.outcomes import Problem
from commands.services import Services
from commands.survey import answer_by_button
from commands.timings import OPEN_ACTION, timings_form
from commands.value import OPEN_ACTION as VALUE_OPEN
from commands.value_form import value_form
from storage.tenant import Tenant
from vsm.errors import VsmError

# One action id per score: Slack wants action ids unique within a block.
SURVEY_ANSWER = re.compile(r"^survey_answer_[1-5]$")
_SURVEY_VALUE = re.compile(r"^([0-9]{1,19}):([0-9]{1,2}):([1-5])$")
UNKNOWN_BUTTON = "That button is not one I know."


def register(app: App, services: Services) -> None:
    """Listen for the buttons the bot's messages carry."""
    app.action(OPEN_ACTION)(_form_opener(services, timings_form, "timings button"))
    app.action(SURVEY_ANSWER)(_survey_listener(services))
    app.action(VALUE_OPEN)(_form_opener(services, value_form, "value button"))


def _reply(respond: Respond, services: Services, shown: object) -> None:
    """A reply only the clicker sees, leaving the message they clicked as it is."""
    respond(
        **services.renderer.message_for(shown), response_type="ephemeral", replace_original=False
    )


def _form_opener(
    services: Services,
    open_form: Callable[[Services, Tenant, int, str], object],
    surface: str,
) -> Callable[..., None]:
    """A button whose value is a record's id and that opens that record's form (or says why
    it cannot): *Enter my timings* on a cycle, *Give my view* on a value run."""

    def handle_form_open(
        ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        try:
            tenant = tenant_of(context)
            record_id = as_id(first_action(body).get("value"))
            if tenant is None or record_id is None:
                return
            result = open_form(services, tenant, record_id, user_of(body))
            if isinstance(result, OpenModal):
                open_modal(services, tenant, result, body.get("trigger_id"))
            else:
                _reply(respond, services, result)
        except Exception:
            _reply(respond, services, failure(surface, first_action(body).get("value")))

    return handle_form_open


def _survey_listener(services: Services) -> Callable[..., None]:
    def handle_survey_answer(
        ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        try:
            tenant = tenant_of(context)
            if tenant is None:
                return
            found = _SURVEY_VALUE.fullmatch(str(first_action(body).get("value") or ""))
            cycle_id = as_id(found[1]) if found else None
            if found is None or cycle_id is None:
                shown: object = Problem(UNKNOWN_BUTTON)
            else:
                try:
                    shown = answer_by_button(
                        services, tenant, cycle_id, int(found[2]), int(found[3]), user_of(body)
                    )
                except VsmError as error:
                    shown = Problem(error.message)
            _reply(respond, services, shown)
        except Exception:
            _reply(respond, services, failure("survey button", first_action(body).get("value")))

    return handle_survey_answer
