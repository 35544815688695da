"""The "Enter my timings" form: a modal with the person's steps, three fields each."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from commands.modals import OpenModal
from commands.outcomes import Problem
from commands.services import Services
from storage import cycles as cycle_rows
from storage.history import load_cycles
from storage.models import Cycle, CycleStep, Measurement, Stream
from storage.streams import basis_of
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import TimeBasis, format_exact, parse_duration
from vsm.errors import VsmError
from vsm.percent import EXACT_PLACES, format_percent, parse_percent
from vsm.waiting import CAUSE_LIST, CAUSES

OPEN_ACTION = "timings_open"
SUBMIT_CALLBACK = "timings_submit"
MOST_STEPS = 24  # four inputs a step, and a modal holds at most 100 blocks
FIELDS = ("wait", "pt", "ca")
CAUSE_FIELD = "cause"  # a pick of vsm.waiting's causes, beside the wait


@dataclass(frozen=True)
class FormRow:
    """One step in the form, with the person's current values as text."""

    position: int
    name: str
    wait: str
    pt: str
    ca: str
    cause: str = ""


@dataclass(frozen=True)
class TimingsForm:
    cycle_id: int
    stream: str
    number: int
    rows: tuple[FormRow, ...]
    all_steps: bool
    left_out: int


@dataclass(frozen=True)
class TimingsModal:
    form: TimingsForm
    metadata: str


class FormError(VsmError):
    """The form cannot be shown or taken; the message says why."""


def _answerable_cycle(session: Session, tenant: Tenant, cycle_id: int) -> tuple[Cycle, Stream]:
    """The cycle a form is for, while it still takes answers."""
    found = cycle_rows.cycle_by_id(session=session, tenant=tenant, cycle_id=cycle_id)
    if found is None:
        raise FormError("I cannot find that cycle any more.")
    cycle, stream = found
    if cycle.status != cycle_rows.OPEN:
        raise FormError(
            f"Cycle {cycle.number} of “{stream.name}” is {cycle.status}; answers are over."
        )
    return cycle, stream


def _their_steps(steps: list[CycleStep], person: str) -> tuple[list[CycleStep], bool]:
    theirs = [step for step in steps if person in step.people]
    return (theirs, False) if theirs else (steps, True)


def timings_form(
    services: Services, tenant: Tenant, cycle_id: int, person: str
) -> OpenModal | Problem:
    """The form for `person`: their steps (all steps if they have none), prefilled."""
    try:
        with services.unit_of_work(read_only=True) as session:
            form = _form(session, tenant, cycle_id, person)
    except FormError as error:
        return Problem(error.message)
    return OpenModal(
        modal=TimingsModal(form, json.dumps({"cycle": form.cycle_id})), opened=None, fallback=None
    )


def _form(session: Session, tenant: Tenant, cycle_id: int, person: str) -> TimingsForm:
    cycle, stream = _answerable_cycle(session, tenant, cycle_id)
    snapshot = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=[cycle_id])
    shown, all_steps = _their_steps(snapshot[cycle_id], person)
    record = load_cycles(session=session, tenant=tenant, cycles=[cycle])[0]
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
                ca=""
                if answer is None or answer.ca is None
                else format_percent(answer.ca, EXACT_PLACES),
                cause=(answer.wait_cause or "") if answer else "",
            )
        )
    return TimingsForm(
        cycle_id, stream.name, cycle.number, tuple(rows), all_steps, max(len(shown) - MOST_STEPS, 0)
    )


def _exact(seconds: int | None, basis: TimeBasis) -> str:
    return "" if seconds is None else format_exact(seconds, basis)


def submit_timings(
    services: Services, tenant: Tenant, cycle_id: int, person: str, values: Mapping[str, str]
) -> dict[str, str]:
    """Store the form's values, replacing what `person` said about these steps.

    Args:
        values: the text of each field by block id (`s<position>_wait|pt|ca`).

    Returns:
        Field errors by block id; empty when everything was stored.
    """
    now = services.now()
    with services.unit_of_work() as session:
        try:
            cycle, stream = _answerable_cycle(session, tenant, cycle_id)
        except FormError as error:
            return {next(iter(values), "s1_wait"): error.message}
        snapshot = cycle_rows.cycle_steps(session=session, tenant=tenant, cycle_ids=[cycle_id])
        shown = _their_steps(snapshot[cycle_id], person)[0][:MOST_STEPS]
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
            cause_error = _read_cause(values, step.position, parsed[step.position])
            if cause_error:
                errors[f"s{step.position}_{CAUSE_FIELD}"] = cause_error
        if not errors and not any(parsed.values()) and shown:
            errors[f"s{shown[0].position}_wait"] = "Give at least one value."
        if errors:
            return errors
        cycle_rows.forget_person_steps(
            session=session,
            tenant=tenant,
            cycle_id=cycle_id,
            cycle_step_ids=[id_of(s) for s in shown],
            person=person,
        )
        cycle_rows.add_measurements(
            session=session,
            tenant=tenant,
            stream=stream,
            cycle=cycle,
            items=[
                Measurement(
                    cycle_id=cycle_id,
                    cycle_step_id=id_of(step),
                    person=person,
                    source=f"form:{now.timestamp():.6f}",
                    answered_at=now,
                    wait_s=parsed[step.position].get("wait"),
                    process_s=parsed[step.position].get("pt"),
                    ca=parsed[step.position].get("ca"),
                    wait_cause=parsed[step.position].get(CAUSE_FIELD),
                )
                for step in shown
                if parsed[step.position]
            ],
        )
        return {}


def _read_cause(values: Mapping[str, str], position: int, parsed: dict[str, Any]) -> str:
    """Put the picked cause in `parsed`; the field's error, or "" when there is none."""
    picked = (values.get(f"s{position}_{CAUSE_FIELD}") or "").strip()
    if not picked:
        return ""
    if picked not in CAUSES:
        return f"Pick one of the causes: {CAUSE_LIST}."
    if "wait" not in parsed:
        return "A cause says why work waited: give the wait too."
    parsed[CAUSE_FIELD] = picked
    return ""
