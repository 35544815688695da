"""Folding what people said, message by message, into each person's latest answer."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from vsm.metrics import Answer
from vsm.waiting import WaitCause


@dataclass(frozen=True)
class Said:
    """What one source (a message, the timings form) said for one step, from one person."""

    person: str
    at: datetime
    wait_s: int | None = None
    process_s: int | None = None
    ca: float | None = None
    wait_cause: WaitCause | None = None


def latest_answers(said: Iterable[Said]) -> tuple[Answer, ...]:
    """Each person's latest value per field: a later source overrides only what it gives.

    Returns:
        One Answer per person, in the order people first answered.
    """
    answers: dict[str, Answer] = {}
    for item in sorted(said, key=lambda s: s.at):
        before = answers.get(item.person, Answer(item.person))
        answers[item.person] = Answer(
            person=item.person,
            wait_s=item.wait_s if item.wait_s is not None else before.wait_s,
            process_s=item.process_s if item.process_s is not None else before.process_s,
            ca=item.ca if item.ca is not None else before.ca,
            wait_cause=item.wait_cause if item.wait_cause is not None else before.wait_cause,
        )
    return tuple(answers.values())
