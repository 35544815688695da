"""The steps of a stream: add, edit, move, remove."""

from sqlmodel import Session

from commands.lookup import find_stream
from commands.slash import Call, Reply, ephemeral
from commands.views import StepView, StreamView, step_view, stream_view
from storage import streams as store
from storage.models import Step
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.names import fold

MAX_STEPS = 50


class StepError(VsmError):
    """A step cannot be added, found or changed as asked."""


def _check_step_name_free(steps: list[Step], name: str, except_step: Step | None = None) -> None:
    for step in steps:
        if step is not except_step and fold(step.name) == fold(name):
            raise StepError(f"Step {step.position} is already called “{step.name}”.")


def _step_at(steps: list[Step], n: int, stream_name: str) -> Step:
    if not steps:
        raise StepError(f"“{stream_name}” has no steps yet.")
    if not 1 <= n <= len(steps):
        raise StepError(f"“{stream_name}” has steps 1 to {len(steps)}; there is no step {n}.")
    return steps[n - 1]


def add_step(
    session: Session,
    tenant: Tenant,
    stream_name: str,
    *,
    name: str,
    team: str = "",
    people: tuple[str, ...] = (),
    at: int | None = None,
) -> tuple[StepView, StreamView]:
    """Add a step at position `at` (default: last); later steps move down one."""
    stream = find_stream(session, tenant, stream_name, for_update=True, active=True)
    steps = store.list_steps(session=session, stream=stream)
    if len(steps) >= MAX_STEPS:
        raise StepError(
            f"“{stream.name}” already has {MAX_STEPS} steps, the most a stream can have."
        )
    _check_step_name_free(steps, name)
    position = len(steps) + 1 if at is None else at
    if not 1 <= position <= len(steps) + 1:
        raise StepError(
            f"at: can be 1 to {len(steps) + 1} for “{stream.name}”; {at} is out of range."
        )
    step = Step(
        stream_id=stream.id or 0, position=position, name=name, team=team, people=list(people)
    )
    steps.insert(position - 1, step)
    store.save_step_order(session=session, steps=steps)
    return step_view(step), stream_view(stream, steps)


def edit_step(
    session: Session,
    tenant: Tenant,
    stream_name: str,
    n: int,
    *,
    name: str | None = None,
    team: str | None = None,
    people: tuple[str, ...] | None = None,
) -> tuple[StepView, StreamView]:
    """Change a step's name, team or people (only what is given)."""
    if name is None and team is None and people is None:
        raise StepError("Nothing to change: give name:, team: or people:.")
    stream = find_stream(session, tenant, stream_name, for_update=True, active=True)
    steps = store.list_steps(session=session, stream=stream)
    step = _step_at(steps, n, stream.name)
    if name is not None:
        _check_step_name_free(steps, name, except_step=step)
        step.name = name
    if team is not None:
        step.team = team
    if people is not None:
        step.people = list(people)
    session.add(step)
    session.flush()
    return step_view(step), stream_view(stream, steps)


def move_step(
    session: Session, tenant: Tenant, stream_name: str, n: int, to: int
) -> tuple[StepView, StreamView]:
    """Move step `n` to position `to`; the steps between shift by one."""
    stream = find_stream(session, tenant, stream_name, for_update=True, active=True)
    steps = store.list_steps(session=session, stream=stream)
    step = _step_at(steps, n, stream.name)
    _step_at(steps, to, stream.name)
    steps.remove(step)
    steps.insert(to - 1, step)
    store.save_step_order(session=session, steps=steps)
    return step_view(step), stream_view(stream, steps)


def remove_step(
    session: Session, tenant: Tenant, stream_name: str, n: int
) -> tuple[StepView, StreamView]:
    """Remove step `n`; later steps move up one."""
    stream = find_stream(session, tenant, stream_name, for_update=True, active=True)
    steps = store.list_steps(session=session, stream=stream)
    step = _step_at(steps, n, stream.name)
    removed = step_view(step)
    steps.remove(step)
    session.delete(step)
    store.save_step_order(session=session, steps=steps)
    return removed, stream_view(stream, steps)


def handle_step_add(call: Call) -> Reply:
    opts = call.options
    with call.services.unit_of_work() as session:
        step, stream = add_step(
            session,
            call.request.tenant,
            call.args["stream"],
            name=call.args["step"],
            team=opts.get("team", ""),
            people=opts.get("people", ()),
            at=opts.get("at"),
        )
    return _changed(call, "added", step, stream)


def handle_step_edit(call: Call) -> Reply:
    opts = call.options
    with call.services.unit_of_work() as session:
        step, stream = edit_step(
            session,
            call.request.tenant,
            call.args["stream"],
            call.args["n"],
            name=opts.get("name"),
            team=opts.get("team"),
            people=opts.get("people"),
        )
    return _changed(call, "edited", step, stream)


def handle_step_move(call: Call) -> Reply:
    with call.services.unit_of_work() as session:
        step, stream = move_step(
            session, call.request.tenant, call.args["stream"], call.args["n"], call.args["to"]
        )
    return _changed(call, "moved", step, stream)


def handle_step_remove(call: Call) -> Reply:
    with call.services.unit_of_work() as session:
        step, stream = remove_step(
            session, call.request.tenant, call.args["stream"], call.args["n"]
        )
    return _changed(call, "removed", step, stream)


def _changed(call: Call, change: str, step: StepView, stream: StreamView) -> Reply:
    return ephemeral(
        call.services.renderer.message(
            "step_changed.json.j2", change=change, step=step, stream=stream
        )
    )
