"""Modal submissions: the timings and value forms, and the survey's and value's editors. Field
errors go back in the acknowledgement (`response_action: errors`), so the form stays open."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from commands.listeners.common import failure, field_values, metadata_id, tenant_of, user_of
from commands.listeners.home import HomeRefresher
from commands.services import Services
from commands.survey import EDIT_CALLBACK, QUESTIONS_BLOCK, save_questions
from commands.timings import SUBMIT_CALLBACK, submit_timings
from commands.value_form import LAYER_BLOCK, submit_value
from commands.value_form import SUBMIT_CALLBACK as VALUE_SUBMIT
from commands.value_setup import DIMENSIONS_BLOCK, LAYERS_BLOCK, save_value_setup
from commands.value_setup import EDIT_CALLBACK as VALUE_EDIT
from storage.tenant import Tenant
from vsm.errors import VsmError


def register(app: App, services: Services, homes: HomeRefresher) -> None:
    """Listen for the forms the bot opens."""
    app.view(SUBMIT_CALLBACK)(
        _form_submitter(
            services,
            submit_timings,
            record="cycle",
            surface="timings form",
            first_block=lambda values: next(iter(values), None),
            done=lambda tenant, user: homes.refresh(tenant, (user,)),
        )
    )
    app.view(EDIT_CALLBACK)(_survey_edit_listener(services))
    app.view(VALUE_SUBMIT)(
        _form_submitter(
            services,
            submit_value,
            record="run",
            surface="value form",
            first_block=lambda values: LAYER_BLOCK,
        )
    )
    app.view(VALUE_EDIT)(_value_edit_listener(services))


def _failed(ack: Ack, surface: str, view: dict[str, Any], block: str | None) -> None:
    shown = failure(surface, view.get("callback_id"))
    message = f"Something went wrong on my side; nothing was stored (reference {shown.reference})."
    if block:
        ack(response_action="errors", errors={block: message})
    else:
        ack()


def _form_submitter(
    services: Services,
    submit: Callable[[Services, Tenant, int, str, dict[str, str]], dict[str, str]],
    *,
    record: str,
    surface: str,
    first_block: Callable[[dict[str, str]], str | None],
    done: Callable[[Tenant, str], None] | None = None,
) -> Callable[..., None]:
    """A form about one record (its id in the view's metadata under `record`) whose use case
    returns field errors: the timings form, the value form."""

    def handle_form_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        values = field_values(view)
        try:
            tenant = tenant_of(context)
            record_id = metadata_id(view, record)
            if tenant is None or record_id is None:
                ack()
                return
            errors = submit(services, tenant, record_id, user_of(body), values)
        except Exception:
            _failed(ack, surface, view, first_block(values))
            return
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if done is not None:
            done(tenant, user_of(body))

    return handle_form_submit


def _survey_edit_listener(services: Services) -> Callable[..., None]:
    def handle_survey_edit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        try:
            tenant = tenant_of(context)
            stream_id = metadata_id(view, "stream")
            if tenant is None or stream_id is None:
                ack()
                return
            text = field_values(view).get(QUESTIONS_BLOCK, "")
            try:
                save_questions(services, tenant, stream_id, text, by=user_of(body))
            except VsmError as error:
                ack(response_action="errors", errors={QUESTIONS_BLOCK: error.message})
                return
        except Exception:
            _failed(ack, "survey editor", view, QUESTIONS_BLOCK)
            return
        ack()

    return handle_survey_edit


def _value_edit_listener(services: Services) -> Callable[..., None]:
    def handle_value_edit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        values = field_values(view)
        try:
            tenant = tenant_of(context)
            stream_id = metadata_id(view, "stream")
            if tenant is None or stream_id is None:
                ack()
                return
            errors = save_value_setup(
                services,
                tenant,
                stream_id,
                values.get(LAYERS_BLOCK, ""),
                values.get(DIMENSIONS_BLOCK, ""),
                by=user_of(body),
            )
        except VsmError as error:  # no longer allowed to change the stream
            ack(response_action="errors", errors={LAYERS_BLOCK: error.message})
            return
        except Exception:
            _failed(ack, "value editor", view, LAYERS_BLOCK)
            return
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    return handle_value_edit
