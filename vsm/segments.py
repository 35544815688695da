"""Segments: named runs of consecutive steps of one stream, measured like a small stream.

A segment is stored by its two end steps (their keys), never by positions, so it follows its
steps when steps move: it is always the run from its first end to its last end in the stream's
current order. When steps change, `follow_segment` says what became of it:

- a step added between its ends, or moved in between them, joins it; a step moved out leaves;
- its first step removed: it starts at the next step of its old run that is still there; its
  last step removed: it ends at the step before, likewise. Both ends removed at once gives the
  same result as removing them one after the other, so a segment is gone only when none of its
  steps is left;
- its ends reversed by a move (the last end now comes before the first): the segment keeps
  both end steps and covers the run between them in the new order, first end and last end
  swapped, and says so, for an owner to check.

A segment's lead time, process time and activity ratio are sums over its own steps, as for the
whole stream; its rolled %C&A is the product over its rated steps, its first step's %C&A
included (the first step judges what it receives from the step before the segment). An unrated
step counts as 100%, as in the stream's roll-up.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from math import prod

from vsm._text import quote
from vsm.compare import Change, change, duration_change, share_change
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.metrics import StepMetrics

LONGEST_NAME = 40


class SegmentError(VsmError):
    """A segment that cannot be made; the message says why."""


@dataclass(frozen=True)
class Segment:
    """A named run of consecutive steps, stored by the keys of its end steps."""

    name: str
    first_key: int
    last_key: int


@dataclass(frozen=True)
class SegmentRange:
    """Where a segment stands in one order of steps.

    Attributes:
        first_position: its first step's position, from 1.
        last_position: its last step's position, at or after the first.
        keys: its steps' keys, in order.
    """

    first_position: int
    last_position: int
    keys: tuple[int, ...]


@dataclass(frozen=True)
class FollowedSegment:
    """What became of a segment when its stream's steps changed.

    Attributes:
        after: the segment with its ends as they are now; None when it is gone.
        range_before: where it stood in the old order.
        range_after: where it stands now; None when it is gone.
        first_removed: its first end step was removed (another step is its first now).
        last_removed: its last end step was removed.
        reversed: a move put its last end before its first; the ends were swapped.
        joined: keys of steps in it now that were not before, in the new order.
        left: keys of steps in it before that are not now (removed or moved out), old order.
    """

    before: Segment
    after: Segment | None
    range_before: SegmentRange
    range_after: SegmentRange | None
    first_removed: bool
    last_removed: bool
    reversed: bool
    joined: tuple[int, ...]
    left: tuple[int, ...]

    @property
    def gone(self) -> bool:
        """None of the segment's steps is left."""
        return self.after is None

    @property
    def changed(self) -> bool:
        """Its steps or its ends changed; a shift of positions alone is no change."""
        return self.after != self.before or bool(self.joined or self.left)


@dataclass(frozen=True)
class SegmentMetrics:
    """A segment's metrics in one cycle, over its own steps.

    Attributes:
        keys: its steps' keys, in order.
        lead_s: Σ lead time over its steps that have both wait and process time.
        activity_ratio: Σ PT / Σ LT over those steps; None if that lead time is 0.
        rolled_ca: Π %C&A over its rated steps (its first included); None if none is rated.
        partial: some step of it lacks a wait or a process time, so the sums leave it out.
        missing_steps: names of those steps.
        unrated_steps: names of its steps with no %C&A, counted as 100%.
    """

    name: str
    first_position: int
    last_position: int
    keys: tuple[int, ...]
    wait_s: int
    process_s: int
    lead_s: int
    activity_ratio: float | None
    rolled_ca: float | None
    partial: bool
    missing_steps: tuple[str, ...]
    unrated_steps: tuple[str, ...]


@dataclass(frozen=True)
class SegmentComparison:
    """A segment in one cycle set beside the same segment in an earlier one.

    Attributes:
        same_steps: both cycles measured it over the same steps.
        partial: either cycle's sums leave a step of it out.
    """

    name: str
    lead: Change
    process: Change
    wait: Change
    activity_ratio: Change
    rolled_ca: Change
    same_steps: bool
    partial: bool


def new_segment(name: str, first_key: int, last_key: int, keys: Sequence[int]) -> Segment:
    """Make a segment from a name and two end steps; ends given the wrong way round are swapped.

    Args:
        name: 1 to 40 characters; spaces squeezed.
        first_key, last_key: keys of its end steps; the same key makes a one-step segment.
        keys: the stream's step keys in order.

    Raises:
        SegmentError: the name is empty or longer than 40 characters.
        ValueError: an end is not one of `keys`.
    """
    clean = " ".join(name.split())
    if not clean:
        raise SegmentError("A segment needs a name.", "`Approval`")
    if len(clean) > LONGEST_NAME:
        raise SegmentError(
            f"The segment name {quote(clean)} is {len(clean)} characters long; "
            f"keep it to {LONGEST_NAME}.",
            "`Approval`",
        )
    where = segment_range(Segment(clean, first_key, last_key), keys)
    return Segment(clean, where.keys[0], where.keys[-1])


def segment_range(segment: Segment, keys: Sequence[int]) -> SegmentRange:
    """Where a segment stands among the stream's steps in order: the run between its ends.

    Raises:
        ValueError: an end is not one of `keys`, or a key appears twice.
    """
    index = _index(keys)
    for end in (segment.first_key, segment.last_key):
        if end not in index:
            raise ValueError(f"the end step {end} of segment {segment.name!r} is not a step")
    start, stop = sorted((index[segment.first_key], index[segment.last_key]))
    return SegmentRange(start + 1, stop + 1, tuple(keys[start : stop + 1]))


def follow_segment(
    segment: Segment, before: Sequence[int], after: Sequence[int]
) -> FollowedSegment:
    """Follow a segment from one order of the stream's steps to the next (see the module).

    Args:
        segment: the segment, with its ends among `before`.
        before: the step keys in order when the segment was last followed.
        after: the step keys in order now.

    Raises:
        ValueError: an end is not among `before`, or a key appears twice in either order.
    """
    old = segment_range(segment, before)
    present = _index(after)
    kept = [key for key in old.keys if key in present]
    first_removed = segment.first_key not in present
    last_removed = segment.last_key not in present
    if not kept:
        return FollowedSegment(
            segment, None, old, None, first_removed, last_removed, False, (), old.keys
        )
    first = kept[0] if first_removed else segment.first_key
    last = kept[-1] if last_removed else segment.last_key
    flipped = present[first] > present[last]
    if flipped:
        first, last = last, first
    moved = Segment(segment.name, first, last)
    new = segment_range(moved, after)
    return FollowedSegment(
        before=segment,
        after=moved,
        range_before=old,
        range_after=new,
        first_removed=first_removed,
        last_removed=last_removed,
        reversed=flipped,
        joined=tuple(key for key in new.keys if key not in old.keys),
        left=tuple(key for key in old.keys if key not in new.keys),
    )


def _index(keys: Sequence[int]) -> dict[int, int]:
    index = {key: place for place, key in enumerate(keys)}
    if len(index) != len(keys):
        raise ValueError(f"step keys must differ: {list(keys)}")
    return index


def measure_segment(segment: Segment, steps: Sequence[StepMetrics]) -> SegmentMetrics | None:
    """Compute a segment's metrics over its own steps of one cycle.

    Args:
        segment: the segment.
        steps: the cycle's measured steps, in any order.

    Returns:
        The metrics; None when an end step is not among `steps` (the cycle was measured before
        the segment's steps were).
    """
    ordered = sorted(steps, key=lambda step: step.position)
    keys = [step.key for step in ordered]
    if segment.first_key not in keys or segment.last_key not in keys:
        return None
    where = segment_range(segment, keys)
    mine = ordered[where.first_position - 1 : where.last_position]
    with_lead = [step for step in mine if step.lead_s is not None]
    lead = sum(step.lead_s or 0 for step in with_lead)
    process_in_lead = sum(step.process_s or 0 for step in with_lead)
    rated = [step.ca for step in mine if step.ca is not None]
    missing = tuple(step.name for step in mine if step.wait_s is None or step.process_s is None)
    return SegmentMetrics(
        name=segment.name,
        first_position=mine[0].position,
        last_position=mine[-1].position,
        keys=where.keys,
        wait_s=sum(step.wait_s or 0 for step in mine),
        process_s=sum(step.process_s or 0 for step in mine),
        lead_s=lead,
        activity_ratio=process_in_lead / lead if lead else None,
        rolled_ca=prod(rated) if rated else None,
        partial=bool(missing),
        missing_steps=missing,
        unrated_steps=tuple(step.name for step in mine if step.ca is None),
    )


def compare_segment(
    before: SegmentMetrics, after: SegmentMetrics, basis: TimeBasis | None = None
) -> SegmentComparison:
    """Set a segment's metrics beside an earlier cycle's, as `vsm.compare` does for a stream.

    Args:
        basis: the stream's time basis; given, every change is computed from the values as
            shown (durations under `basis`, percentages in points), as people read them.
            Without it, from the exact values.
    """
    durations: Callable[[float | None, float | None], Change]
    shares: Callable[[float | None, float | None], Change]
    if basis is None:
        durations = partial(change, better="lower")
        shares = partial(change, better="higher")
    else:
        durations = partial(duration_change, basis=basis)
        shares = share_change
    return SegmentComparison(
        name=after.name,
        lead=durations(before.lead_s, after.lead_s),
        process=durations(before.process_s, after.process_s),
        wait=durations(before.wait_s, after.wait_s),
        activity_ratio=shares(before.activity_ratio, after.activity_ratio),
        rolled_ca=shares(before.rolled_ca, after.rolled_ca),
        same_steps=before.keys == after.keys,
        partial=before.partial or after.partial,
    )
