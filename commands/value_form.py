"""The value instrument's form: a person's layer, 100 points over the dimensions, a sentence."""

import json
from collections.abc import Mapping
from dataclasses import dataclass

from commands.modals import OpenModal
from commands.outcomes import Problem
from commands.services import Services
from storage import value as value_rows
from storage.tenant import Tenant
from storage.types import id_of
from vsm.errors import VsmError
from vsm.value import Choice, ValueAnswer, check_value_answer, read_layer, read_points

SUBMIT_CALLBACK = "value_submit"
LAYER_BLOCK, SENTENCE_BLOCK = "layer", "sentence"


def dimension_block(key: str) -> str:
    """The form's block for a dimension's points."""
    return f"d_{key}"


@dataclass(frozen=True)
class ValueModal:
    """The form, filled with what the person answered before (if they did)."""

    stream: str
    number: int
    layers: tuple[Choice, ...]
    dimensions: tuple[Choice, ...]
    mine: ValueAnswer | None
    metadata: str


def value_form(services: Services, tenant: Tenant, run_id: int, person: str) -> OpenModal | Problem:
    """The form for one run of the instrument."""
    with services.unit_of_work(read_only=True) as session:
        found = value_rows.run_by_id(session=session, tenant=tenant, run_id=run_id)
        if found is None:
            return Problem("I cannot find that question about value any more.")
        run, stream = found
        layers, dimensions = value_rows.run_choices(run)
        mine = value_rows.person_answer(session=session, tenant=tenant, run=run, person=person)
        modal = ValueModal(
            stream.name, run.number, layers, dimensions, mine, json.dumps({"run": id_of(run)})
        )
    return OpenModal(modal=modal, opened=None, fallback=None)


def submit_value(
    services: Services, tenant: Tenant, run_id: int, person: str, values: Mapping[str, str]
) -> dict[str, str]:
    """Store a person's answer to a run (replacing their earlier one).

    Args:
        values: the text of each field by block id (`layer`, `d_<dimension>`, `sentence`).

    Returns:
        Field errors by block id (points that do not add up to 100: on the last dimension);
        empty when the answer was stored.
    """
    with services.unit_of_work() as session:
        found = value_rows.run_by_id(session=session, tenant=tenant, run_id=run_id)
        if found is None:
            return {LAYER_BLOCK: "I cannot find that question about value any more."}
        run, stream = found
        layers, dimensions = value_rows.run_choices(run)
        errors: dict[str, str] = {}
        try:
            layer = read_layer(values.get(LAYER_BLOCK, ""), layers)
        except VsmError as error:
            errors[LAYER_BLOCK] = error.message
        points: dict[str, int] = {}
        for dimension in dimensions:
            block = dimension_block(dimension.key)
            try:
                points[dimension.key] = read_points(values.get(block, ""), dimension.label)
            except VsmError as error:
                errors[block] = error.message
        if errors:
            return errors
        try:
            answer = check_value_answer(
                layer, points, values.get(SENTENCE_BLOCK), layers=layers, dimensions=dimensions
            )
        except VsmError as error:
            sentence_wrong = error.message.startswith("Your sentence")
            block = SENTENCE_BLOCK if sentence_wrong else dimension_block(dimensions[-1].key)
            return {block: error.message}
        value_rows.record_answer(
            session=session,
            tenant=tenant,
            run=run,
            stream=stream,
            person=person,
            answer=answer,
            now=services.now(),
        )
    return {}
