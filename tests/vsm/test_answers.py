from datetime import UTC, datetime, timedelta

import pytest

from vsm.answers import Said, latest_answers
from vsm.metrics import Answer
from vsm.waiting import WaitCause, step_cause

H, D = 3600, 86_400
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ([], []),
        ([Said("ada", at(0), wait_s=D)], [Answer("ada", wait_s=D)]),
        (
            [Said("ada", at(0), D, H, 0.5, "decision"), Said("ada", at(5), wait_s=2 * D)],
            [Answer("ada", 2 * D, H, 0.5, "decision")],  # a later wait alone keeps the cause
        ),
        (
            [Said("ada", at(5), wait_s=2 * D, wait_cause="capacity"), Said("ada", at(0), D)],
            [Answer("ada", 2 * D, None, None, "capacity")],  # by time, not by order given
        ),
        (
            [
                Said("ben", at(1), wait_s=D, wait_cause="batch"),
                Said("ada", at(2), wait_s=D, wait_cause="decision"),
                Said("ben", at(3), wait_s=D, wait_cause="other"),
            ],
            [Answer("ben", D, wait_cause="other"), Answer("ada", D, wait_cause="decision")],
        ),
    ],
)
def test_latest_answers(said: list[Said], expected: list[Answer]) -> None:
    assert list(latest_answers(said)) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (
            [
                Said("ada", at(0), D, wait_cause="capacity"),
                Said("ada", at(9), D, wait_cause="decision"),  # replaces ada's capacity
                Said("ben", at(1), D, wait_cause="capacity"),
                Said("cy", at(2), D, wait_cause="decision"),
            ],
            "decision",
        ),
        (
            [
                Said("ada", at(0), D, wait_cause="batch"),
                Said("ben", at(1), D, wait_cause="capacity"),
                Said("cy", at(2), D),
            ],
            "capacity",  # one vote each: capacity comes before batch in the table
        ),
        ([Said("ada", at(0), D), Said("ben", at(1), process_s=H)], None),
    ],
)
def test_a_steps_cause_from_the_latest_answers(
    said: list[Said], expected: WaitCause | None
) -> None:
    assert step_cause(a.wait_cause for a in latest_answers(said)) == expected
