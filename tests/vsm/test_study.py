from dataclasses import astuple

import pytest

from tests.vsm.examples import WORKING
from vsm.compare import Change
from vsm.durations import CALENDAR, TimeBasis
from vsm.improvements import Expectation
from vsm.metrics import StepField, StepMetrics
from vsm.study import Verdict, review

H, D = 3600, 86_400


def wait(seconds: int) -> Expectation:
    return Expectation("wait", -seconds)


def step(wait_s: int | None, process_s: int | None, ca: float | None, *carried: StepField):
    lead = None if wait_s is None or process_s is None else wait_s + process_s
    return StepMetrics(3, 3, "Kickoff call", wait_s, process_s, lead, ca, 2, carried)


@pytest.mark.parametrize(
    ("expectation", "before", "after", "measured", "verdict"),
    [
        (wait(2 * D), step(3 * D, H, 0.9), step(D, H, 0.9), -2 * D, "as_predicted"),
        (wait(2 * D), step(3 * D, H, 0.9), step(0, H, 0.9), -3 * D, "as_predicted"),  # beyond
        (wait(10 * H), step(D, H, 0.9), step(D - 8 * H, H, 0.9), -8 * H, "as_predicted"),  # 80%
        (wait(10 * H), step(D, H, 0.9), step(D - 7 * H, H, 0.9), -7 * H, "partly"),
        (wait(10 * H), step(D, H, 0.9), step(D - H, H, 0.9), -H, "partly"),  # exactly 10%
        (wait(10 * H), step(D, H, 0.9), step(D - 3599, H, 0.9), -3599, "no_effect"),
        (wait(10 * H), step(D, H, 0.9), step(D + 1800, H, 0.9), 1800, "no_effect"),  # noise
        (wait(10 * H), step(D, H, 0.9), step(D + H, H, 0.9), H, "opposite"),
        (wait(10 * H), step(D, H, 0.9), step(D, H, 0.9), 0, "no_effect"),
        (Expectation("pt", -H), step(D, 2 * H, 0.9), step(D, H, 0.9), -H, "as_predicted"),
        (Expectation("ca", 0.1), step(D, H, 0.8), step(D, H, 0.88), 0.08, "as_predicted"),
        (Expectation("ca", 0.1), step(D, H, 0.8), step(D, H, 0.87), 0.07, "partly"),
        (Expectation("ca", 0.1), step(D, H, 0.8), step(D, H, 0.7), -0.1, "opposite"),
        (Expectation("ca", 0.1), step(D, H, None), step(D, H, 0.9), None, "not_measured"),
        (wait(D), None, step(D, H, 0.9), None, "not_measured"),
        (wait(D), step(D, H, 0.9), None, None, "not_measured"),
        (wait(D), step(None, H, 0.9), step(D, H, 0.9), None, "not_measured"),
        (wait(D), step(2 * D, H, 0.9), step(D, H, 0.9, "wait"), None, "not_measured"),
        (wait(D), step(2 * D, H, 0.9, "wait"), step(D, H, 0.9), -D, "as_predicted"),
        (wait(D), step(2 * D, H, 0.9), step(D, H, 0.9, "ca"), -D, "as_predicted"),
    ],
)
def test_review(
    expectation: Expectation,
    before: StepMetrics | None,
    after: StepMetrics | None,
    measured: float | None,
    verdict: Verdict,
) -> None:
    result = review(expectation, before, after, number=4, basis=CALENDAR)
    assert (result.number, result.field, result.predicted) == (4, *astuple(expectation))
    assert (result.measured, result.verdict) == (measured, verdict)


@pytest.mark.parametrize(
    ("expectation", "before", "after", "basis", "shown"),
    [
        # 3 d 2 h → 1 d 5 h shows 3.1 d → 1.2 d: the change is −1.9 d of those (−164,160 s),
        # not the −1 d 21 h (−162,000 s) measured, which would show as 1.9 d all the same.
        (
            wait(2 * D),
            step(3 * D + 2 * H, H, 0.9),
            step(D + 5 * H, H, 0.9),
            CALENDAR,
            Change(3 * D + 2 * H, D + 5 * H, 103_680 - 267_840, -164_160 / 267_840, "improved"),
        ),
        # A working day of 8 h: 20 h is 2.5 wd, 9 h is 1.1 wd.
        (
            wait(8 * H),
            step(20 * H, H, 0.9),
            step(9 * H, H, 0.9),
            WORKING,
            Change(20 * H, 9 * H, -1.4 * 8 * H, -1.4 / 2.5, "improved"),
        ),
        # %C&A in points, from 80% → 87.6% as shown (the 0.0752 measured is 7.5 points).
        (
            Expectation("ca", 0.1),
            step(D, H, 0.8004),
            step(D, H, 0.8756),
            CALENDAR,
            Change(0.8004, 0.8756, 0.876 - 0.8, None, "improved"),
        ),
        (
            Expectation("ca", 0.1),
            step(D, H, None),
            step(D, H, 0.9),
            CALENDAR,
            Change(None, 0.9, None, None, None),
        ),
    ],
)
def test_a_review_shows_the_change_from_the_values_as_shown(
    expectation: Expectation,
    before: StepMetrics,
    after: StepMetrics,
    basis: TimeBasis,
    shown: Change,
) -> None:
    found = review(expectation, before, after, number=1, basis=basis).shown
    assert (found.before, found.after, found.verdict) == (shown.before, shown.after, shown.verdict)
    for got, wanted in ((found.delta, shown.delta), (found.relative, shown.relative)):
        assert got is None if wanted is None else got == pytest.approx(wanted, abs=1e-12)
