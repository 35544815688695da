"""Each step's wait in a cycle with its cause, for vsm.waiting's share of wait by cause.

A step's cause comes from the answers that gave its wait: this cycle's, or, when the wait was
carried over from an earlier cycle (nobody gave one now), that earlier cycle's — the wait and
its cause travel together.
"""

from collections.abc import Sequence

from vsm.metrics import CycleMetrics, StepAnswers
from vsm.waiting import StepWait, WaitCause, step_cause


def step_waits(
    metrics: CycleMetrics,
    steps: Sequence[StepAnswers],
    earlier: Sequence[Sequence[StepAnswers]] = (),
) -> tuple[StepWait, ...]:
    """The steps of `metrics` with their wait and its cause, in position order.

    Args:
        metrics: the cycle's metrics (measure_cycle of `steps` and `earlier`).
        steps: the cycle's steps with each person's latest answer.
        earlier: earlier cycles' steps, most recent first, as measure_cycle was given them.
    """
    now = {step.key: step for step in steps}
    history = [{step.key: step for step in cycle} for cycle in earlier]
    found = []
    for step in sorted(metrics.steps, key=lambda s: s.position):
        cause = None
        if step.wait_s is not None:
            sources = [now.get(step.key)]
            if "wait" in step.carried_fields:
                sources = [past.get(step.key) for past in history]
            cause = _first_cause(sources)
        found.append(StepWait(step.key, step.position, step.name, step.wait_s, cause))
    return tuple(found)


def _first_cause(sources: Sequence[StepAnswers | None]) -> WaitCause | None:
    """The cause among the answers of the first source that gives a wait."""
    for source in sources:
        if source is None:
            continue
        waited = [answer for answer in source.answers if answer.wait_s is not None]
        if waited:
            return step_cause(answer.wait_cause for answer in waited)
    return None
