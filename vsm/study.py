"""PDSA's study: when a later cycle closes, each improvement done is set beside what was
measured at its step (plan, do, study, act)."""

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from vsm.compare import Change, duration_change, share_change
from vsm.durations import TimeBasis
from vsm.improvements import Expectation, ExpectedField
from vsm.metrics import StepField, StepMetrics

Verdict = Literal["as_predicted", "partly", "no_effect", "opposite", "not_measured"]

AS_PREDICTED_SHARE = Fraction(8, 10)
"""A measured change of at least 80% of the predicted size, in its direction, is as predicted."""
NO_EFFECT_SHARE = Fraction(1, 10)
"""A measured change smaller than 10% of the predicted size, either way, is no effect."""

_STEP_FIELDS: dict[ExpectedField, StepField] = {"wait": "wait", "pt": "process", "ca": "ca"}


@dataclass(frozen=True)
class Review:
    """A done improvement set beside what was measured at its step.

    Attributes:
        predicted: the expected change (seconds, or a fraction for ca).
        measured: after − before at the step, as measured; None when either value is
            missing. The verdict is judged on it.
        shown: the step's value before and after, with the change as people read it: from
            the values as shown (`duration_change`, `share_change`, in points for ca).
    """

    number: int
    field: ExpectedField
    predicted: float
    measured: float | None
    verdict: Verdict
    shown: Change


def review(
    expectation: Expectation,
    before: StepMetrics | None,
    after: StepMetrics | None,
    *,
    number: int,
    basis: TimeBasis,
) -> Review:
    """Set a done improvement's prediction beside what was measured at its step (PDSA study).

    The verdict compares the measured change m with the predicted change p:

    - not_measured: the step or its value is missing in either cycle, or the later value was
      carried over from an earlier cycle because nobody gave it;
    - no_effect: |m| < 10% of |p|, in either direction (small moves are noise);
    - opposite: m goes the other way, by 10% of |p| or more;
    - as_predicted: m goes the predicted way by at least 80% of |p| (or more than predicted);
    - partly: m goes the predicted way by 10% to 80% of |p|.

    Args:
        expectation: the improvement's prediction.
        before: its step in the cycle before the improvement was done.
        after: the same step in the cycle after.
        number: the improvement's number, carried into the review.
        basis: the stream's time basis, under which its durations are shown.

    Returns:
        The predicted and measured change and the verdict.
    """
    field = _STEP_FIELDS[expectation.field]
    was, now = _value(before, field), _value(after, field)
    if after is not None and field in after.carried_fields:
        now = None
    shown = share_change(was, now) if field == "ca" else duration_change(was, now, basis)
    if was is None or now is None:
        return Review(number, expectation.field, expectation.delta, None, "not_measured", shown)
    # Exact arithmetic so that exactly 80% or 10% of the prediction lands on the right side.
    measured = Fraction(repr(now)) - Fraction(repr(was))
    return Review(
        number,
        expectation.field,
        expectation.delta,
        float(measured),
        _verdict(Fraction(repr(expectation.delta)), measured),
        shown,
    )


def _value(step: StepMetrics | None, field: StepField) -> float | None:
    if step is None:
        return None
    if field == "wait":
        return step.wait_s
    if field == "process":
        return step.process_s
    return step.ca


def _verdict(predicted: Fraction, measured: Fraction) -> Verdict:
    if abs(measured) < NO_EFFECT_SHARE * abs(predicted):
        return "no_effect"
    if (measured < 0) != (predicted < 0):
        return "opposite"
    if abs(measured) >= AS_PREDICTED_SHARE * abs(predicted):
        return "as_predicted"
    return "partly"
