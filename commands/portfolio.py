"""The portfolio: a workspace's streams side by side, and their proposed improvements ranked
together — an investment list a steering meeting can decide from (VSM.md, "Across streams")."""

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from commands.access import visible_to
from commands.latest import Latest, latest_numbers
from commands.services import Services
from commands.value import latest_values
from commands.waits import cycle_wait_causes
from storage import cycles as cycle_rows
from storage import kaizen as kaizen_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.models import Stream
from storage.survey import survey_results
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import TimeBasis
from vsm.improvements import Candidate
from vsm.portfolio import StreamProposals, rank_portfolio, readiness_mean
from vsm.survey import QuestionResult

Scope = Literal["channel", "all"]
MOST_STREAMS = 20
MOST_ITEMS = 25


@dataclass(frozen=True)
class PortfolioLine:
    """One stream in the portfolio.

    Attributes:
        readiness: the mean of the latest closed cycle's survey questions (1–5), if shown.
        barriers: the texts of its questions whose mean is a barrier.
        alignment: the latest value run's overall alignment, and that run's number.
        decisions: the share of the latest closed cycle's wait that waits for decisions;
            None when nobody said why they waited.
    """

    name: str
    channel_id: str
    latest: Latest
    readiness: float | None
    barriers: tuple[str, ...]
    alignment: float | None
    value_run: int | None
    decisions: float | None


@dataclass(frozen=True)
class Portfolio:
    """The reply to `/vsm portfolio [channel|all]`."""

    scope: Scope
    channel_id: str
    streams: tuple[PortfolioLine, ...]
    left_out: int


@dataclass(frozen=True)
class RankedImprovement:
    stream: str
    basis: TimeBasis
    number: int
    title: str
    step_name: str
    effort: str | None
    at_bottleneck: bool
    gain_s: int
    gain_per_effort_s: float
    barriers: tuple[str, ...]


@dataclass(frozen=True)
class PortfolioRanking:
    """The reply to `/vsm portfolio rank [channel|all]`."""

    scope: Scope
    channel_id: str
    items: tuple[RankedImprovement, ...]
    streams: int
    left_out: int


def _streams(
    session: Session, services: Services, tenant: Tenant, scope: Scope, channel_id: str, by: str
) -> list[Stream]:
    if scope == "all":
        found = stream_rows.list_streams(session=session, tenant=tenant, channel_first=channel_id)
    else:
        found = stream_rows.streams_in_channel(
            session=session, tenant=tenant, channel_id=channel_id
        )
    return [stream for stream in found if visible_to(services, tenant, by)(stream)]


def _latest_survey(session: Session, tenant: Tenant, stream: Stream) -> tuple[QuestionResult, ...]:
    closed = cycle_rows.cycles_of(
        session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
    )
    if not closed:
        return ()
    return survey_results(session=session, tenant=tenant, cycle=closed[-1], previous=None)


def portfolio(
    services: Services, tenant: Tenant, scope: Scope, *, channel_id: str, by: str
) -> Portfolio:
    """The streams of this channel (or all the workspace's that `by` may see), side by side."""
    with services.unit_of_work(read_only=True) as session:
        streams = _streams(session, services, tenant, scope, channel_id, by)
        shown = streams[:MOST_STREAMS]
        values = latest_values(session, tenant, shown)
        lines = []
        for stream in shown:
            survey = _latest_survey(session, tenant, stream)
            value = values.get(id_of(stream))
            lines.append(
                PortfolioLine(
                    name=stream.name,
                    channel_id=stream.channel_id,
                    latest=latest_numbers(session, tenant, stream),
                    readiness=readiness_mean(survey),
                    barriers=tuple(r.text for r in survey if r.barrier and not r.too_few),
                    alignment=None if value is None else value.summary.overall,
                    value_run=None if value is None else value.number,
                    decisions=_decision_share(session, tenant, stream),
                )
            )
    return Portfolio(scope, channel_id, tuple(lines), len(streams) - len(shown))


def _decision_share(session: Session, tenant: Tenant, stream: Stream) -> float | None:
    closed = cycle_rows.cycles_of(
        session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
    )
    if not closed:
        return None
    waits = cycle_wait_causes(session, tenant, closed, closed_metrics(closed[-1]))
    return None if waits is None else waits.share_of("decision").share


def rank_improvements(
    services: Services, tenant: Tenant, scope: Scope, *, channel_id: str, by: str
) -> PortfolioRanking:
    """The proposed improvements of the portfolio's streams in one list (vsm.portfolio)."""
    with services.unit_of_work(read_only=True) as session:
        streams = _streams(session, services, tenant, scope, channel_id, by)
        proposals, titles = [], {}
        for stream in streams:
            proposed = kaizen_rows.improvements_of(
                session=session, tenant=tenant, stream=stream, statuses=("proposed",)
            )
            if not proposed:
                continue
            metrics = latest_numbers(session, tenant, stream).metrics
            bottleneck = None if metrics is None else metrics.bottleneck
            key = id_of(stream)
            titles.update({(key, item.number): item for item in proposed})
            proposals.append(
                StreamProposals(
                    key,
                    stream.name,
                    None if bottleneck is None else bottleneck.key,
                    _latest_survey(session, tenant, stream),
                    tuple(
                        Candidate(i.number, i.step_key, kaizen_rows.expectation_of(i), i.effort)
                        for i in proposed
                    ),
                )
            )
        bases = {id_of(stream): stream_rows.basis_of(stream) for stream in streams}
        texts = {p.stream_key: {r.key: r.text for r in p.readiness} for p in proposals}
    ranked = rank_portfolio(proposals)
    items = tuple(
        RankedImprovement(
            stream=item.stream_name,
            basis=bases[item.stream_key],
            number=item.candidate.number,
            title=titles[(item.stream_key, item.candidate.number)].title,
            step_name=titles[(item.stream_key, item.candidate.number)].step_name,
            effort=item.candidate.effort,
            at_bottleneck=item.at_bottleneck,
            gain_s=item.gain_s,
            gain_per_effort_s=item.gain_per_effort_s,
            barriers=tuple(texts[item.stream_key][key] for key in item.barriers),
        )
        for item in ranked[:MOST_ITEMS]
    )
    return PortfolioRanking(
        scope, channel_id, items, len(streams), max(len(ranked) - MOST_ITEMS, 0)
    )
