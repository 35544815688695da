"""Lean metrics of one measurement cycle: per step, then for the whole stream.

Per step, each field is the median of the people's latest answers. A field nobody gave this
cycle is carried over from the most recent earlier cycle that has it. Stream totals are sums
over the steps that have the value; the activity ratio is a ratio of sums and the rolled %C&A
a product over the rated steps.
"""

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import prod
from typing import Literal

from vsm.durations import round_half_up
from vsm.waiting import WaitCause

StepField = Literal["wait", "process", "ca"]
_FIELDS: tuple[StepField, ...] = ("wait", "process", "ca")


@dataclass(frozen=True)
class Answer:
    """One person's latest answer for one step; any field may be missing.

    Attributes:
        wait_cause: why the work waited, as the person said with their wait; see vsm.waiting.
    """

    person: str
    wait_s: int | None = None
    process_s: int | None = None
    ca: float | None = None
    wait_cause: WaitCause | None = None


@dataclass(frozen=True)
class StepAnswers:
    """A step as it stood in one cycle, with the answers given in that cycle.

    Attributes:
        key: identifies the step across cycles (its database id).
        position: its place in the stream, from 1.
    """

    key: int
    position: int
    name: str
    answers: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class StepMetrics:
    """A step's values for one cycle.

    Attributes:
        lead_s: wait + process time; None if either is missing.
        ca: %C&A as a fraction; None means not rated.
        respondents: how many people gave at least one value for this step this cycle.
        carried_fields: fields taken from an earlier cycle because nobody gave them now.
    """

    key: int
    position: int
    name: str
    wait_s: int | None
    process_s: int | None
    lead_s: int | None
    ca: float | None
    respondents: int
    carried_fields: tuple[StepField, ...] = ()

    @property
    def carried_over(self) -> bool:
        """Whether any value was taken from an earlier cycle."""
        return bool(self.carried_fields)


@dataclass(frozen=True)
class CycleMetrics:
    """The stream's metrics for one cycle.

    Attributes:
        steps: per step, in position order.
        wait_s: Σ wait over the steps that have one.
        process_s: Σ process time over the steps that have one.
        lead_s: Σ lead time over the steps that have both wait and process time.
        activity_ratio: Σ PT / Σ LT over the steps that have a lead time; None if that is 0.
        rolled_ca: Π %C&A over rated steps; None if no step is rated.
        partial: some step lacks a wait or a process time, so the totals leave it out.
        missing_steps: names of the steps lacking a wait or a process time.
        unrated_steps: names of steps after the first with no %C&A (left out of the roll-up).
        bottleneck: the step with the largest wait (earliest on ties); None if no wait is > 0.
        bottleneck_share: the bottleneck's lead time / total lead time; None if unknown.
    """

    steps: tuple[StepMetrics, ...]
    wait_s: int
    process_s: int
    lead_s: int
    activity_ratio: float | None
    rolled_ca: float | None
    partial: bool
    missing_steps: tuple[str, ...]
    unrated_steps: tuple[str, ...]
    bottleneck: StepMetrics | None
    bottleneck_share: float | None


def measure_cycle(
    steps: Sequence[StepAnswers], earlier: Sequence[Sequence[StepAnswers]] = ()
) -> CycleMetrics:
    """Compute a cycle's metrics per step and for the stream.

    Args:
        steps: the stream's steps in this cycle with each person's latest answer.
        earlier: the steps of previous cycles, most recent first, for carrying values over.

    Returns:
        The per-step and stream metrics.
    """
    history = [{step.key: step for step in cycle} for cycle in earlier]
    measured = tuple(
        measure_step(step, history) for step in sorted(steps, key=lambda s: s.position)
    )
    return _stream_metrics(measured)


def measure_step(
    step: StepAnswers, history: Sequence[Mapping[int, StepAnswers]] = ()
) -> StepMetrics:
    """Compute one step's values: medians of this cycle's answers, else carried over.

    Args:
        step: the step with this cycle's answers.
        history: earlier cycles' steps by key, most recent first.
    """
    values: dict[StepField, float | None] = {}
    carried: list[StepField] = []
    for field in _FIELDS:
        values[field] = _median(step, field)
        if values[field] is not None:
            continue
        for cycle in history:
            past = cycle.get(step.key)
            value = None if past is None else _median(past, field)
            if value is not None:
                values[field] = value
                carried.append(field)
                break
    wait, process, ca = values["wait"], values["process"], values["ca"]
    respondents = {a.person for a in step.answers if any(_given(a, f) is not None for f in _FIELDS)}
    return StepMetrics(
        key=step.key,
        position=step.position,
        name=step.name,
        wait_s=None if wait is None else int(wait),
        process_s=None if process is None else int(process),
        lead_s=None if wait is None or process is None else int(wait) + int(process),
        ca=ca,
        respondents=len(respondents),
        carried_fields=tuple(carried),
    )


def _given(answer: Answer, field: StepField) -> float | None:
    if field == "wait":
        return answer.wait_s
    if field == "process":
        return answer.process_s
    return answer.ca


def _median(step: StepAnswers, field: StepField) -> float | None:
    """The median of the values given for a field; seconds rounded half up to whole seconds."""
    given = [value for answer in step.answers if (value := _given(answer, field)) is not None]
    if not given:
        return None
    middle = statistics.median(given)
    return middle if field == "ca" else round_half_up(middle)


def _stream_metrics(steps: tuple[StepMetrics, ...]) -> CycleMetrics:
    with_lead = [step for step in steps if step.lead_s is not None]
    lead = sum(step.lead_s or 0 for step in with_lead)
    process_in_lead = sum(step.process_s or 0 for step in with_lead)
    rated = [step.ca for step in steps if step.ca is not None]
    missing = tuple(s.name for s in steps if s.wait_s is None or s.process_s is None)
    bottleneck = _bottleneck(steps)
    share = None
    if bottleneck is not None and bottleneck.lead_s is not None and lead:
        share = bottleneck.lead_s / lead
    return CycleMetrics(
        steps=steps,
        wait_s=sum(step.wait_s or 0 for step in steps),
        process_s=sum(step.process_s or 0 for step in steps),
        lead_s=lead,
        activity_ratio=process_in_lead / lead if lead else None,
        rolled_ca=prod(rated) if rated else None,
        partial=bool(missing),
        missing_steps=missing,
        unrated_steps=tuple(step.name for step in steps[1:] if step.ca is None),
        bottleneck=bottleneck,
        bottleneck_share=share,
    )


def _bottleneck(steps: Sequence[StepMetrics]) -> StepMetrics | None:
    waiting = [step for step in steps if step.wait_s]
    if not waiting:
        return None
    return min(waiting, key=lambda step: (-(step.wait_s or 0), step.position))
