import pytest

from vsm.cycle_waits import step_waits
from vsm.metrics import Answer, StepAnswers, measure_cycle
from vsm.waiting import StepWait, WaitCause

D, H = 86_400, 3600


def step(key: int, *answers: tuple[str, int | None, WaitCause | None]) -> StepAnswers:
    return StepAnswers(
        key,
        key,
        f"Step {key}",
        tuple(
            Answer(person, wait_s=wait, process_s=H, wait_cause=c) for person, wait, c in answers
        ),
    )


@pytest.mark.parametrize(
    ("now", "earlier", "expected"),
    [
        # The most frequent cause among the answers that gave the wait.
        (
            [step(1, ("a", 2 * D, "decision"), ("b", D, "capacity"), ("c", D, "decision"))],
            [],
            [StepWait(1, 1, "Step 1", D, "decision")],
        ),
        # A tie goes to the cause earlier in the table; no cause does not vote.
        (
            [step(1, ("a", D, "capacity"), ("b", D, "decision"), ("c", D, None))],
            [],
            [StepWait(1, 1, "Step 1", D, "decision")],
        ),
        # Nobody said why: no cause.
        ([step(1, ("a", D, None))], [], [StepWait(1, 1, "Step 1", D, None)]),
        # An answer without a wait (only pt) has no say in the cause, and no wait: no cause.
        ([step(1, ("a", None, "batch"))], [], [StepWait(1, 1, "Step 1", None, None)]),
        # A carried-over wait brings its cause from the cycle it came from…
        (
            [step(1), step(2, ("b", H, "batch"))],
            [[step(1, ("a", D, None))], [step(1, ("a", 3 * D, "dependency"))]],
            [StepWait(1, 1, "Step 1", D, None), StepWait(2, 2, "Step 2", H, "batch")],
        ),
        # …from the most recent earlier cycle that has a wait, skipping those that do not.
        (
            [step(1)],
            [[step(1, ("a", None, None))], [step(1, ("a", 3 * D, "dependency"))]],
            [StepWait(1, 1, "Step 1", 3 * D, "dependency")],
        ),
    ],
)
def test_each_step_has_its_wait_and_the_cause_that_came_with_it(
    now: list[StepAnswers], earlier: list[list[StepAnswers]], expected: list[StepWait]
) -> None:
    metrics = measure_cycle(now, earlier)
    assert step_waits(metrics, now, earlier) == tuple(expected)


def test_a_step_never_measured_has_neither_wait_nor_cause() -> None:
    now = [step(1, ("a", D, "decision")), step(2)]
    assert step_waits(measure_cycle(now), now)[1] == StepWait(2, 2, "Step 2", None, None)
