from dataclasses import replace

import pytest

from vsm.durations import CALENDAR
from vsm.metrics import StepMetrics
from vsm.segments import (
    FollowedSegment,
    Segment,
    SegmentError,
    SegmentMetrics,
    SegmentRange,
    compare_segment,
    follow_segment,
    measure_segment,
    new_segment,
    segment_range,
)

H, D = 3600, 86_400
KEYS = (1, 2, 3, 4, 5, 6)
MIDDLE = Segment("Middle", 2, 4)
ONE = Segment("One", 3, 3)


@pytest.mark.parametrize(
    ("segment", "after", "ends", "positions", "removed", "flipped", "joined", "left"),
    [
        (MIDDLE, KEYS, (2, 4), (2, 4), (False, False), False, (), ()),
        (MIDDLE, (7, *KEYS), (2, 4), (3, 5), (False, False), False, (), ()),  # added before
        (MIDDLE, (2, 3, 4, 5, 6), (2, 4), (1, 3), (False, False), False, (), ()),
        (MIDDLE, (1, 2, 8, 3, 4, 5, 6), (2, 4), (2, 5), (False, False), False, (8,), ()),
        (MIDDLE, (1, 2, 4, 5, 6, 3), (2, 4), (2, 3), (False, False), False, (), (3,)),
        (MIDDLE, (1, 2, 5, 3, 4, 6), (2, 4), (2, 5), (False, False), False, (5,), ()),
        (MIDDLE, (1, 2, 3, 5, 6), (2, 3), (2, 3), (False, True), False, (), (4,)),
        (MIDDLE, (1, 2, 5, 6), (2, 2), (2, 2), (False, True), False, (), (3, 4)),
        (MIDDLE, (1, 3, 4, 5, 6), (3, 4), (2, 3), (True, False), False, (), (2,)),
        (MIDDLE, (1, 3, 5, 6), (3, 3), (2, 2), (True, True), False, (), (2, 4)),
        (MIDDLE, (4, 1, 2, 3, 5, 6), (4, 2), (1, 3), (False, False), True, (1,), (3,)),
        (MIDDLE, (1, 4, 3, 5, 6), (4, 3), (2, 3), (True, False), True, (), (2,)),
        (MIDDLE, (6, 5, 4, 3, 2, 1), (4, 2), (3, 5), (False, False), True, (), ()),
        (ONE, (3, 1, 2, 4, 5, 6), (3, 3), (1, 1), (False, False), False, (), ()),
    ],
)
def test_follow_segment(
    segment: Segment,
    after: tuple[int, ...],
    ends: tuple[int, int],
    positions: tuple[int, int],
    removed: tuple[bool, bool],
    flipped: bool,
    joined: tuple[int, ...],
    left: tuple[int, ...],
) -> None:
    followed = follow_segment(segment, KEYS, after)
    assert followed.after == Segment(segment.name, *ends)
    assert followed.range_after is not None
    first, last = positions
    assert followed.range_after == SegmentRange(first, last, tuple(after[first - 1 : last]))
    assert (followed.first_removed, followed.last_removed) == removed
    assert (followed.reversed, followed.joined, followed.left) == (flipped, joined, left)
    assert not followed.gone
    moved_only = ends == (segment.first_key, segment.last_key) and not joined and not left
    assert followed.changed is not moved_only


@pytest.mark.parametrize(
    ("segment", "after", "removed", "left"),
    [
        (MIDDLE, (1, 5, 6), (True, True), (2, 3, 4)),
        (MIDDLE, (), (True, True), (2, 3, 4)),
        (ONE, (1, 2, 4, 5, 6), (True, True), (3,)),
    ],
)
def test_a_segment_is_gone_when_none_of_its_steps_is_left(
    segment: Segment, after: tuple[int, ...], removed: tuple[bool, bool], left: tuple[int, ...]
) -> None:
    followed = follow_segment(segment, KEYS, after)
    assert followed == FollowedSegment(
        before=segment,
        after=None,
        range_before=segment_range(segment, KEYS),
        range_after=None,
        first_removed=removed[0],
        last_removed=removed[1],
        reversed=False,
        joined=(),
        left=left,
    )
    assert followed.gone
    assert followed.changed


def test_removing_both_ends_at_once_is_removing_them_one_by_one() -> None:
    at_once = follow_segment(MIDDLE, KEYS, (1, 3, 5, 6))
    first = follow_segment(MIDDLE, KEYS, (1, 3, 4, 5, 6))
    assert first.after is not None
    then = follow_segment(first.after, (1, 3, 4, 5, 6), (1, 3, 5, 6))
    assert at_once.after == then.after == Segment("Middle", 3, 3)


@pytest.mark.parametrize(
    ("before", "after", "says"),
    [
        ((1, 3, 5), (1, 3, 5), "the end step 2 of segment 'Middle' is not a step"),
        ((1, 2, 3, 4, 2), KEYS, "step keys must differ"),
        (KEYS, (1, 1, 2), "step keys must differ"),
    ],
)
def test_follow_segment_refuses_keys_that_do_not_fit(
    before: tuple[int, ...], after: tuple[int, ...], says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        follow_segment(MIDDLE, before, after)


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        (MIDDLE, SegmentRange(2, 4, (2, 3, 4))),
        (ONE, SegmentRange(3, 3, (3,))),
        (Segment("All", 1, 6), SegmentRange(1, 6, KEYS)),
        (Segment("Backwards", 5, 2), SegmentRange(2, 5, (2, 3, 4, 5))),
    ],
)
def test_segment_range(segment: Segment, expected: SegmentRange) -> None:
    assert segment_range(segment, KEYS) == expected


@pytest.mark.parametrize(
    ("name", "first", "last", "expected"),
    [
        ("Approval", 2, 4, Segment("Approval", 2, 4)),
        ("  Approval   and  payment ", 2, 4, Segment("Approval and payment", 2, 4)),
        ("Approval", 4, 2, Segment("Approval", 2, 4)),  # the wrong way round: swapped
        ("Single", 3, 3, Segment("Single", 3, 3)),
        ("x" * 40, 1, 6, Segment("x" * 40, 1, 6)),
    ],
)
def test_new_segment(name: str, first: int, last: int, expected: Segment) -> None:
    assert new_segment(name, first, last, KEYS) == expected


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "A segment needs a name."),
        ("   ", "A segment needs a name."),
        ("y" * 41, "is 41 characters long; keep it to 40."),
    ],
)
def test_new_segment_refuses_a_bad_name(name: str, says: str) -> None:
    with pytest.raises(SegmentError, match=says):
        new_segment(name, 2, 4, KEYS)


def test_new_segment_needs_steps_of_the_stream() -> None:
    with pytest.raises(ValueError, match="end step 9"):
        new_segment("Approval", 2, 9, KEYS)


def metrics(
    key: int, wait: int | None, process: int | None, ca: float | None, name: str = ""
) -> StepMetrics:
    lead = None if wait is None or process is None else wait + process
    return StepMetrics(key, key - 100, name or f"Step {key}", wait, process, lead, ca, 1)


# VSM.md's worked example, keys 101 to 105.
WORKED = (
    metrics(101, 2 * D, 3 * H, 0.7, "Contract review"),
    metrics(102, D, 2700, 0.9, "Account setup"),
    metrics(103, 3 * D, H, 0.95, "Kickoff call"),
    metrics(104, 5 * D, 6 * H, 0.6, "Data migration"),
    metrics(105, D, 1800, 0.98, "Go-live check"),
)
NO_PT_AT_3 = tuple(replace(s, process_s=None, lead_s=None) if s.key == 103 else s for s in WORKED)
UNRATED_2 = tuple(replace(s, ca=None) if s.key == 102 else s for s in WORKED)


@pytest.mark.parametrize(
    ("steps", "segment", "numbers", "rolled", "missing", "unrated"),
    [
        # numbers: positions, wait, process time, lead time
        (WORKED, Segment("Onboarding", 102, 104), (2, 4, 777_600, 27_900, 805_500), 0.513, (), ()),
        (
            WORKED,
            Segment("All", 101, 105),
            (1, 5, 1_036_800, 40_500, 1_077_300),
            0.7 * 0.9 * 0.95 * 0.6 * 0.98,  # 35.19%, as for the whole stream
            (),
            (),
        ),
        (WORKED, Segment("Migration", 104, 104), (4, 4, 432_000, 21_600, 453_600), 0.6, (), ()),
        (
            NO_PT_AT_3,
            Segment("Onboarding", 102, 104),
            (2, 4, 777_600, 24_300, 542_700),  # lead leaves step 3 out: 1 d 45 m + 5 d 6 h
            0.513,
            ("Kickoff call",),
            (),
        ),
        (
            UNRATED_2,
            Segment("Onboarding", 102, 104),
            (2, 4, 777_600, 27_900, 805_500),
            0.57,  # step 2 counts as 100%: 95% × 60%
            (),
            ("Account setup",),
        ),
        (
            UNRATED_2,
            Segment("Setup", 102, 102),
            (2, 2, D, 2700, 89_100),
            None,
            (),
            ("Account setup",),
        ),
    ],
)
def test_measure_segment(
    steps: tuple[StepMetrics, ...],
    segment: Segment,
    numbers: tuple[int, int, int, int, int],
    rolled: float | None,
    missing: tuple[str, ...],
    unrated: tuple[str, ...],
) -> None:
    measured = measure_segment(segment, tuple(reversed(steps)))
    assert measured is not None
    first, last, wait, process, lead = numbers
    assert (measured.first_position, measured.last_position) == (first, last)
    assert measured.keys == tuple(range(100 + first, 100 + last + 1))
    assert (measured.wait_s, measured.process_s, measured.lead_s) == (wait, process, lead)
    assert measured.activity_ratio == process / lead  # every PT here is in a lead time
    assert measured.rolled_ca == (None if rolled is None else pytest.approx(rolled))
    assert (measured.partial, measured.missing_steps) == (bool(missing), missing)
    assert measured.unrated_steps == unrated


def test_a_segment_with_no_lead_time_has_no_activity_ratio() -> None:
    still = (metrics(1, 0, 0, None), metrics(2, None, 5, None))
    measured = measure_segment(Segment("Still", 1, 2), still)
    assert measured is not None
    assert (measured.lead_s, measured.activity_ratio, measured.rolled_ca) == (0, None, None)
    assert measured.missing_steps == ("Step 2",)


def test_a_cycle_without_the_segments_steps_has_no_segment() -> None:
    assert measure_segment(Segment("Later", 102, 106), WORKED) is None


def test_compare_segment() -> None:
    onboarding = Segment("Onboarding", 102, 104)
    faster = tuple(
        replace(s, wait_s=2 * D, lead_s=2 * D + 6 * H) if s.key == 104 else s for s in WORKED
    )
    before = measure_segment(onboarding, WORKED)
    after = measure_segment(onboarding, faster)
    assert before is not None
    assert after is not None
    compared = compare_segment(before, after)
    assert compared.lead.delta == -3 * D
    assert compared.lead.relative == -259_200 / 805_500
    assert compared.lead.verdict == "improved"
    assert compared.wait.delta == -3 * D
    assert compared.process.verdict == "unchanged"
    assert compared.activity_ratio.verdict == "improved"  # 27,900 / 546,300 from / 805,500
    assert compared.rolled_ca.verdict == "unchanged"
    assert compared.same_steps
    assert not compared.partial


def test_compare_segment_says_when_the_steps_differ() -> None:
    wider = measure_segment(Segment("Onboarding", 102, 104), WORKED)
    narrower = measure_segment(Segment("Onboarding", 102, 103), NO_PT_AT_3)
    assert wider is not None
    assert narrower is not None
    compared = compare_segment(wider, narrower)
    assert not compared.same_steps
    assert compared.partial


@pytest.mark.parametrize(
    ("before_lead", "after_lead", "basis", "delta", "relative"),
    [
        # 3 d 1 h → 1 d 1 h reads 3 d → 1 d: as shown, −2 d and −66.7%; exactly, −65.8%.
        (3 * D + H, D + H, None, -2 * D, -2 * D / (3 * D + H)),
        (3 * D + H, D + H, CALENDAR, -2 * D, -2 / 3),
    ],
)
def test_compare_segment_as_shown_under_a_basis(before_lead, after_lead, basis, delta, relative):
    def one(lead):
        return SegmentMetrics("S", 1, 1, (1,), lead - H, H, lead, H / lead, 0.5, False, (), ())

    compared = compare_segment(one(before_lead), one(after_lead), basis)
    assert compared.lead.delta == pytest.approx(delta)
    assert compared.lead.relative == pytest.approx(relative)


def test_compare_segment_under_a_basis_changes_percentages_in_points():
    def one(ratio):
        return SegmentMetrics("S", 1, 1, (1,), D, H, D + H, ratio, 0.3519, False, (), ())

    compared = compare_segment(one(0.3519), one(0.5142), CALENDAR)
    assert compared.activity_ratio.delta == pytest.approx(0.162)
    assert compared.activity_ratio.relative is None
    assert compared.rolled_ca.verdict == "unchanged"
