"""The value instrument's layers and dimensions: the editor owners change them in."""

import json
from dataclasses import dataclass

from commands.access import changeable_stream, require_change
from commands.modals import OpenModal
from commands.owners import log_change
from commands.services import Services
from storage import streams as stream_rows
from storage import value as value_rows
from storage.tenant import Tenant
from storage.types import id_of
from vsm.errors import VsmError
from vsm.value import Choice, parse_dimensions, parse_layers

EDIT_CALLBACK = "value_edit"
LAYERS_BLOCK, DIMENSIONS_BLOCK = "layers", "dimensions"


@dataclass(frozen=True)
class ValueSetupShown:
    """The stream's layers and dimensions (when the editor could not open, or after saving)."""

    stream: str
    layers: tuple[Choice, ...]
    dimensions: tuple[Choice, ...]
    own: bool


@dataclass(frozen=True)
class ValueEditOpened:
    stream: str


@dataclass(frozen=True)
class ValueEditModal:
    stream: str
    layers: tuple[Choice, ...]
    dimensions: tuple[Choice, ...]
    metadata: str


def edit_value(services: Services, tenant: Tenant, name: str, *, by: str) -> OpenModal:
    """Open the editor of the stream's layers and dimensions (owners and admins)."""
    with services.unit_of_work(read_only=True) as session:
        stream = changeable_stream(
            session, services, tenant, name, by, "change its value dimensions", active=True
        )
        layers, dimensions, own = value_rows.value_setup(
            session=session, tenant=tenant, stream=stream
        )
        name, stream_id = stream.name, id_of(stream)
    return OpenModal(
        modal=ValueEditModal(name, layers, dimensions, json.dumps({"stream": stream_id})),
        opened=ValueEditOpened(name),
        fallback=ValueSetupShown(name, layers, dimensions, own),
    )


def save_value_setup(
    services: Services, tenant: Tenant, stream_id: int, layers_text: str, dims_text: str, *, by: str
) -> dict[str, str]:
    """Give the stream the layers and dimensions typed in the editor; the next run asks them.

    Returns:
        Field errors by block id; empty when it was saved.

    Raises:
        NotAllowed: `by` may not change the stream.
    """
    errors: dict[str, str] = {}
    chosen: dict[str, tuple[Choice, ...]] = {}
    for block, text, read in (
        (LAYERS_BLOCK, layers_text, parse_layers),
        (DIMENSIONS_BLOCK, dims_text, parse_dimensions),
    ):
        try:
            chosen[block] = read(text)
        except VsmError as error:
            errors[block] = error.message
    if errors:
        return errors
    with services.unit_of_work() as session:
        stream = stream_rows.get_stream(
            session=session, tenant=tenant, stream_id=stream_id, for_update=True
        )
        if stream is None:
            return {LAYERS_BLOCK: "I cannot find that stream any more."}
        require_change(session, services, tenant, stream, by, "change its value dimensions")
        layers, dimensions, _ = value_rows.value_setup(
            session=session, tenant=tenant, stream=stream
        )
        value_rows.set_value_setup(
            session=session,
            tenant=tenant,
            stream=stream,
            layers=chosen[LAYERS_BLOCK],
            dimensions=chosen[DIMENSIONS_BLOCK],
            by=by,
            now=services.now(),
        )
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            "value.edit",
            before=_listed(layers, dimensions),
            after=_listed(chosen[LAYERS_BLOCK], chosen[DIMENSIONS_BLOCK]),
        )
    return {}


def _listed(layers: tuple[Choice, ...], dimensions: tuple[Choice, ...]) -> str:
    names = ", ".join(choice.label for choice in layers)
    return f"layers {names} · dimensions {', '.join(choice.label for choice in dimensions)}"
