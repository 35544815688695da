"""`/vsm handoff "<stream>" <n> mode:…`: how work is handed into step n (Team Topologies'
interaction modes), recorded by the stream's owners."""

from dataclasses import dataclass

from commands.access import changeable_stream
from commands.owners import log_change
from commands.services import Services
from storage import streams as stream_rows
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.flow import Crossing, crossing
from vsm.teams import MODE_LABELS, InteractionMode, parse_interaction_mode


@dataclass(frozen=True)
class HandoffSet:
    """The reply: the hand-off into step `position`, its crossing and its mode now."""

    stream: str
    position: int
    from_step: str
    to_step: str
    from_team: str
    to_team: str
    crossing: Crossing
    mode: InteractionMode
    before: InteractionMode


def set_handoff(
    services: Services,
    tenant: Tenant,
    stream_name: str,
    n: int,
    mode: InteractionMode | None,
    *,
    by: str,
) -> HandoffSet:
    """Record the interaction mode of the hand-off into step `n` (n ≥ 2).

    Raises:
        VsmError: no mode given, step 1, or a step the stream does not have.
    """
    if mode is None:
        raise VsmError("Say how work is handed over: mode:collaboration, x-as-a-service, …")
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, stream_name, by, "change its hand-offs", active=True
        )
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        if len(steps) < 2:
            raise VsmError(f"“{stream.name}” has no hand-off yet: that takes two steps.")
        if n == 1:
            raise VsmError(
                "Work comes into step 1 from the trigger, not from another step: "
                f"hand-offs are into steps 2 to {len(steps)}."
            )
        if not 2 <= n <= len(steps):
            raise VsmError(
                f"“{stream.name}” has {len(steps)} step{'' if len(steps) == 1 else 's'}; "
                f"there is no hand-off into step {n}."
            )
        before_step, step = steps[n - 2], steps[n - 1]
        was = parse_interaction_mode(step.handoff_mode)
        step.handoff_mode = mode
        session.add(step)
        session.flush()
        if was != mode:
            log_change(
                session,
                services,
                tenant,
                stream,
                by,
                "handoff.mode",
                subject=step.name,
                before=MODE_LABELS.get(was, was),
                after=MODE_LABELS[mode],
            )
        return HandoffSet(
            stream.name,
            n,
            before_step.name,
            step.name,
            before_step.team,
            step.team,
            crossing(before_step.team, step.team),
            mode,
            was,
        )
