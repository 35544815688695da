"""The portfolio ranking: proposed improvements of several streams in one list.

Each stream's proposals are ordered as that stream orders them (vsm.improvements.rank); the
lists are then merged: improvements at their own stream's bottleneck first, then by expected
lead-time gain per unit of effort (S 1, M 2, L 3; none counts as M), then in the order the
streams are given. So an improvement never passes one its own stream ranks above it. An
improvement is flagged when its stream's readiness survey shows a barrier (a mean of 3 or
less on some question); the flag does not move it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from vsm.improvements import Candidate, gain_per_effort, lead_time_gain_s, rank
from vsm.survey import QuestionResult


@dataclass(frozen=True)
class StreamProposals:
    """One stream's proposed improvements and what ranks them.

    Attributes:
        bottleneck_key: the key of the stream's current bottleneck step, if any.
        readiness: the stream's latest readiness results (vsm.survey); empty if none.
        candidates: its proposed improvements only (not those doing, done or dropped).
    """

    stream_key: int
    stream_name: str
    bottleneck_key: int | None
    readiness: tuple[QuestionResult, ...] = ()
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class PortfolioItem:
    """One improvement in the portfolio ranking.

    Attributes:
        gain_s: the lead time it is expected to save, in seconds (0 for a %C&A prediction).
        gain_per_effort_s: gain_s per unit of effort.
        barriers: keys of its stream's readiness questions that show a barrier.
    """

    stream_key: int
    stream_name: str
    candidate: Candidate
    at_bottleneck: bool
    gain_s: int
    gain_per_effort_s: float
    barriers: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """Its stream's readiness shows a barrier."""
        return bool(self.barriers)


def readiness_barriers(results: Sequence[QuestionResult]) -> tuple[str, ...]:
    """The keys of the questions whose mean is a barrier; a question with too few answers is not."""
    return tuple(result.key for result in results if result.barrier and not result.too_few)


def readiness_mean(results: Sequence[QuestionResult]) -> float | None:
    """The mean of the questions' means, over those with enough answers; None if none has."""
    means = [r.mean for r in results if r.mean is not None and not r.too_few]
    return sum(means) / len(means) if means else None


def rank_portfolio(streams: Sequence[StreamProposals]) -> tuple[PortfolioItem, ...]:
    """Rank the proposed improvements of several streams together (see the module).

    Raises:
        ValueError: an effort is not S, M or L.
    """
    keyed = []
    for stream_index, stream in enumerate(streams):
        barriers = readiness_barriers(stream.readiness)
        for place, candidate in enumerate(rank(stream.candidates, stream.bottleneck_key)):
            at_bottleneck = (
                stream.bottleneck_key is not None and candidate.step_key == stream.bottleneck_key
            )
            per_effort = gain_per_effort(candidate)
            item = PortfolioItem(
                stream_key=stream.stream_key,
                stream_name=stream.stream_name,
                candidate=candidate,
                at_bottleneck=at_bottleneck,
                gain_s=lead_time_gain_s(candidate.expectation),
                gain_per_effort_s=float(per_effort),
                barriers=barriers,
            )
            keyed.append(((not at_bottleneck, -per_effort, stream_index, place), item))
    return tuple(item for _, item in sorted(keyed, key=lambda pair: pair[0]))
