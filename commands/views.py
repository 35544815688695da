"""Plain data the templates receive: no sessions, no rows, nothing that can lazy-load."""

from dataclasses import dataclass

from storage.models import Improvement, Step, Stream
from vsm.durations import TimeBasis
from vsm.improvements import Expectation


@dataclass(frozen=True)
class StepView:
    position: int
    name: str
    team: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class StreamView:
    id: int
    name: str
    channel_id: str
    trigger: str
    value: str
    customer: str
    basis: TimeBasis
    archived: bool
    steps: tuple[StepView, ...]


def basis_of(stream: Stream) -> TimeBasis:
    """The time basis a stream's durations are read and shown in."""
    if stream.time_basis == "working":
        return TimeBasis("working", stream.hours_per_day, stream.days_per_week)
    return TimeBasis("calendar")


def step_view(step: Step) -> StepView:
    return StepView(step.position, step.name, step.team, tuple(step.people))


def stream_view(stream: Stream, steps: list[Step]) -> StreamView:
    if stream.id is None:
        raise ValueError("a stream must be stored before it is shown")
    return StreamView(
        id=stream.id,
        name=stream.name,
        channel_id=stream.channel_id,
        trigger=stream.trigger,
        value=stream.value,
        customer=stream.customer,
        basis=basis_of(stream),
        archived=stream.archived,
        steps=tuple(step_view(step) for step in steps),
    )


def expectation_of(item: Improvement) -> Expectation | None:
    """An improvement's prediction, if it has one."""
    field, delta = item.expect_field, item.expect_delta
    if delta is None:
        return None
    if field == "wait":
        return Expectation("wait", delta)
    if field == "pt":
        return Expectation("pt", delta)
    if field == "ca":
        return Expectation("ca", delta)
    return None
