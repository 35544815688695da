"""The steps of a stream: add, edit, move, remove."""

from dataclasses import dataclass

from commands.access import changeable_stream
from commands.owners import log_change
from commands.segments import SegmentMoved, follow_segments
from commands.services import Services
from commands.teams import name_step_team
from storage import streams as stream_rows
from storage.models import Step
from storage.tenant import Tenant
from storage.types import id_of
from vsm.errors import VsmError
from vsm.names import fold
from vsm.streams import StreamStep, ValueStream

MAX_STEPS = 50


class StepError(VsmError):
    """A step cannot be added, found or changed as asked."""


@dataclass(frozen=True)
class StepChanged:
    """What the reply to a step command shows: the step, and the stream as it is now."""

    change: str  # added, edited, moved, removed
    step: StreamStep
    stream: ValueStream
    segments: tuple[SegmentMoved, ...] = ()  # segments whose steps changed with it


def _check_step_name_free(steps: list[Step], name: str, except_step: Step | None = None) -> None:
    for step in steps:
        if step is not except_step and fold(step.name) == fold(name):
            raise StepError(f"Step {step.position} is already called “{step.name}”.")


def _said(step: Step) -> str:
    """A step as the history writes it: `2. Review (team Legal; <@U1> <@U2>)`."""
    details = [f"team {step.team}"] if step.team else []
    if step.people:
        details.append(" ".join(f"<@{person}>" for person in step.people))
    return f"{step.position}. {step.name}" + (f" ({'; '.join(details)})" if details else "")


def _step_at(steps: list[Step], n: int, stream_name: str) -> Step:
    if not steps:
        raise StepError(f"“{stream_name}” has no steps yet.")
    if not 1 <= n <= len(steps):
        raise StepError(f"“{stream_name}” has steps 1 to {len(steps)}; there is no step {n}.")
    return steps[n - 1]


def add_step(
    services: Services,
    tenant: Tenant,
    stream_name: str,
    *,
    name: str,
    team: str = "",
    people: tuple[str, ...] = (),
    at: int | None = None,
    by: str,
) -> StepChanged:
    """Add a step at position `at` (default: last); later steps move down one."""
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, by, "change its steps", active=True
        )
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
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
        step = stream_rows.new_step(
            tenant=tenant, stream=stream, name=name, team=team, people=people
        )
        name_step_team(session, services, tenant, step, team, by)
        keys = [id_of(s) for s in steps]
        steps.insert(position - 1, step)
        stream_rows.save_steps(session=session, tenant=tenant, stream=stream, steps=steps)
        moved = follow_segments(session, tenant, stream, keys, [id_of(s) for s in steps])
        log_change(
            session, services, tenant, stream, by, "step.add", subject=name, after=_said(step)
        )
        return StepChanged(
            "added", stream_rows.stream_step(step), stream_rows.value_stream(stream, steps), moved
        )


def edit_step(
    services: Services,
    tenant: Tenant,
    stream_name: str,
    n: int,
    *,
    name: str | None = None,
    team: str | None = None,
    people: tuple[str, ...] | None = None,
    by: str,
) -> StepChanged:
    """Change a step's name, team or people (only what is given)."""
    if name is None and team is None and people is None:
        raise StepError("Nothing to change: give name:, team: or people:.")
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, by, "change its steps", active=True
        )
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        step = _step_at(steps, n, stream.name)
        before = _said(step)
        if name is not None:
            _check_step_name_free(steps, name, except_step=step)
            step.name = name
        if team is not None:
            name_step_team(session, services, tenant, step, team, by)
        if people is not None:
            step.people = list(people)
        # Positions stay as they are, so no save_steps (it would read the steps again): the
        # commit writes the changed step.
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            "step.edit",
            subject=step.name,
            before=before,
            after=_said(step),
        )
        return StepChanged(
            "edited", stream_rows.stream_step(step), stream_rows.value_stream(stream, steps)
        )


def move_step(
    services: Services, tenant: Tenant, stream_name: str, n: int, to: int, *, by: str
) -> StepChanged:
    """Move step `n` to position `to`; the steps between shift by one."""
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, by, "change its steps", active=True
        )
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        step = _step_at(steps, n, stream.name)
        _step_at(steps, to, stream.name)
        keys = [id_of(s) for s in steps]
        steps.remove(step)
        steps.insert(to - 1, step)
        stream_rows.save_steps(session=session, tenant=tenant, stream=stream, steps=steps)
        moved = follow_segments(session, tenant, stream, keys, [id_of(s) for s in steps])
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            "step.move",
            subject=step.name,
            before=n,
            after=to,
        )
        return StepChanged(
            "moved", stream_rows.stream_step(step), stream_rows.value_stream(stream, steps), moved
        )


def remove_step(
    services: Services, tenant: Tenant, stream_name: str, n: int, *, by: str
) -> StepChanged:
    """Remove step `n`; later steps move up one."""
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, by, "change its steps", active=True
        )
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        step = _step_at(steps, n, stream.name)
        removed = stream_rows.stream_step(step)
        keys = [id_of(s) for s in steps]
        steps.remove(step)
        stream_rows.save_steps(session=session, tenant=tenant, stream=stream, steps=steps)
        moved = follow_segments(session, tenant, stream, keys, [id_of(s) for s in steps])
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            "step.remove",
            subject=removed.name,
            before=_said(step),
        )
        return StepChanged("removed", removed, stream_rows.value_stream(stream, steps), moved)
