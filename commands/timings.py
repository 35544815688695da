"""The "Enter my timings" form: a modal with the person's steps, three fields each."""

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from commands.history import load_cycles
from commands.services import Services
from commands.slash import tenant_of
from commands.views import basis_of
from storage import cycles as store
from storage.models import Cycle, CycleStep, Measurement, Stream
from storage.tenant import Tenant
from vsm.durations import TimeBasis, format_exact, parse_duration
from vsm.errors import VsmError
from vsm.percent import format_percent, parse_percent

log = logging.getLogger(__name__)

OPEN_ACTION = "timings_open"
SUBMIT_CALLBACK = "timings_submit"
MOST_STEPS = 30  # three inputs a step, and a modal holds at most 100 blocks
FIELDS = ("wait", "pt", "ca")


@dataclass(frozen=True)
class FormRow:
    """One step in the form, with the person's current values as text."""

    position: int
    name: str
    wait: str
    pt: str
    ca: str


@dataclass(frozen=True)
class TimingsForm:
    cycle_id: int
    stream: str
    number: int
    rows: tuple[FormRow, ...]
    all_steps: bool
    left_out: int


class FormError(VsmError):
    """The form cannot be shown or taken; the message says why."""


def _open_cycle(session: Session, tenant: Tenant, cycle_id: int) -> tuple[Cycle, Stream]:
    found = store.cycle_by_id(session=session, tenant=tenant, cycle_id=cycle_id)
    if found is None:
        raise FormError("I cannot find that cycle any more.")
    cycle, stream = found
    if cycle.status != store.OPEN:
        raise FormError(
            f"Cycle {cycle.number} of “{stream.name}” is {cycle.status}; answers are over."
        )
    return cycle, stream


def _their_steps(steps: list[CycleStep], person: str) -> tuple[list[CycleStep], bool]:
    theirs = [step for step in steps if person in step.people]
    return (theirs, False) if theirs else (steps, True)


def timings_form(session: Session, tenant: Tenant, cycle_id: int, person: str) -> TimingsForm:
    """The form for `person`: their steps (all steps if they have none), prefilled."""
    cycle, stream = _open_cycle(session, tenant, cycle_id)
    snapshot = store.cycle_steps(session=session, cycle_ids=[cycle_id])[cycle_id]
    shown, all_steps = _their_steps(snapshot, person)
    record = load_cycles(session, [cycle])[0]
    mine = {s.position: a for s in record.steps for a in s.answers if a.person == person}
    basis = basis_of(stream)
    rows = []
    for step in shown[:MOST_STEPS]:
        answer = mine.get(step.position)
        rows.append(
            FormRow(
                position=step.position,
                name=step.name,
                wait=_exact(answer.wait_s if answer else None, basis),
                pt=_exact(answer.process_s if answer else None, basis),
                ca="" if answer is None or answer.ca is None else format_percent(answer.ca, 4),
            )
        )
    return TimingsForm(
        cycle_id, stream.name, cycle.number, tuple(rows), all_steps, max(len(shown) - MOST_STEPS, 0)
    )


def _exact(seconds: int | None, basis: TimeBasis) -> str:
    return "" if seconds is None else format_exact(seconds, basis)


def submit_timings(
    session: Session,
    tenant: Tenant,
    cycle_id: int,
    person: str,
    values: Mapping[str, str],
    now: datetime,
) -> dict[str, str]:
    """Store the form's values, replacing what `person` said about these steps.

    Args:
        values: the text of each field by block id (`s<position>_wait|pt|ca`).

    Returns:
        Field errors by block id; empty when everything was stored.
    """
    try:
        stream = _open_cycle(session, tenant, cycle_id)[1]
    except FormError as error:
        return {next(iter(values), "s1_wait"): error.message}
    snapshot = store.cycle_steps(session=session, cycle_ids=[cycle_id])[cycle_id]
    shown = _their_steps(snapshot, person)[0][:MOST_STEPS]
    basis = basis_of(stream)
    errors: dict[str, str] = {}
    parsed: dict[int, dict[str, Any]] = {}
    for step in shown:
        parsed[step.position] = {}
        for field in FIELDS:
            block = f"s{step.position}_{field}"
            text = (values.get(block) or "").strip()
            if not text:
                continue
            try:
                parsed[step.position][field] = (
                    parse_percent(text) if field == "ca" else parse_duration(text, basis)
                )
            except VsmError as error:
                errors[block] = error.message
    if not errors and not any(parsed.values()) and shown:
        errors[f"s{shown[0].position}_wait"] = "Give at least one value."
    if errors:
        return errors
    store.forget_person_steps(
        session=session, cycle_step_ids=[s.id or 0 for s in shown], person=person
    )
    store.add_measurements(
        session=session,
        items=[
            Measurement(
                cycle_id=cycle_id,
                cycle_step_id=step.id or 0,
                person=person,
                source=f"form:{now.timestamp():.6f}",
                answered_at=now,
                wait_s=parsed[step.position].get("wait"),
                process_s=parsed[step.position].get("pt"),
                ca=parsed[step.position].get("ca"),
            )
            for step in shown
            if parsed[step.position]
        ],
    )
    return {}


def field_values(view: Mapping[str, Any]) -> dict[str, str]:
    """The text typed in each input of a submitted view, by block id."""
    found: dict[str, str] = {}
    for block, actions in ((view.get("state") or {}).get("values") or {}).items():
        for action in (actions or {}).values():
            found[str(block)] = str((action or {}).get("value") or "")
    return found


def register(app: App, services: Services) -> None:
    """The button on the cycle message, and the form's submission."""
    app.action(OPEN_ACTION)(_open_listener(services))
    app.view(SUBMIT_CALLBACK)(_submit_listener(services))


def _open_listener(services: Services) -> Callable[..., None]:
    def handle_timings_open(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        tenant = tenant_of(context)
        action = (body.get("actions") or [{}])[0]
        person = (body.get("user") or {}).get("id", "")
        if tenant is None or not str(action.get("value", "")).isdigit():
            return
        try:
            with services.unit_of_work() as session:
                form = timings_form(session, tenant, int(action["value"]), person)
        except FormError as error:
            respond(
                **services.renderer.message("error.json.j2", problem=error.message, usage=None),
                response_type="ephemeral",
                replace_original=False,
            )
            return
        view = services.renderer.view(
            "timings_modal.json.j2", form=form, metadata=json.dumps({"cycle": form.cycle_id})
        )
        try:
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))

    return handle_timings_open


def _submit_listener(services: Services) -> Callable[..., None]:
    def handle_timings_submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        tenant = tenant_of(context)
        person = (body.get("user") or {}).get("id", "")
        try:
            cycle_id = int(json.loads(view.get("private_metadata") or "{}").get("cycle", 0))
        except (ValueError, TypeError, AttributeError):
            cycle_id = 0
        values = field_values(view)
        if tenant is None or not cycle_id:
            ack()
            return
        with services.unit_of_work() as session:
            errors = submit_timings(session, tenant, cycle_id, person, values, services.now())
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()

    return handle_timings_submit
