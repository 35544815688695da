"""The use cases of causes of waiting, the value instrument, the portfolio and overlaps, run
in-process against the suite's real database (SQLite or PostgreSQL), each test in a workspace
of its own."""

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from commands.export import export_stream
from commands.outcomes import Problem
from commands.overlaps import Overlaps
from commands.portfolio import Portfolio, PortfolioRanking
from commands.renderer import make_renderer
from commands.services import Services
from commands.slash.routes import Asker, run_command
from commands.timings import submit_timings
from commands.value import ValuePosted, ValueResults
from commands.value_form import submit_value, value_form
from storage.engine import make_engine
from storage.migrate import upgrade_database
from storage.models import Cycle, Stream, ValueRun
from storage.tenant import Tenant

OWNER, HOME = "UOWNER", "C1"
D = 86_400


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    """The suite's database, migrated; tests keep apart by workspace."""
    made = make_engine(database_url)
    upgrade_database(made)
    yield made
    made.dispose()


@pytest.fixture
def services(engine: Engine) -> Services:
    return Services(engine=engine, renderer=make_renderer())


@pytest.fixture
def tenant() -> Tenant:
    return Tenant(team_id=f"T{uuid.uuid4().hex[:10].upper()}")


def run(services: Services, tenant: Tenant, text: str, user: str = OWNER) -> object:
    result = run_command(services, Asker(tenant, user, HOME), text)
    assert not isinstance(result, Problem), result
    return result


def ids(services: Services, tenant: Tenant, model: type[Cycle] | type[ValueRun]) -> list[int]:
    with Session(services.engine) as session:
        query = (
            select(model.id)
            .join(Stream, Stream.id == model.stream_id)
            .where(Stream.team_id == tenant.team_id)
            .order_by(model.id)
        )
        return [int(found) for found in session.exec(query).all() if found is not None]


@pytest.fixture
def onboarding(services: Services, tenant: Tenant) -> int:
    """A stream of two steps with its first cycle open; yields the cycle's id."""
    run(services, tenant, 'new "Onboarding"')
    run(services, tenant, 'step add Onboarding "Contract review" team:Legal')
    run(services, tenant, 'step add Onboarding "Account setup"')
    run(services, tenant, "measure Onboarding")
    [cycle_id] = ids(services, tenant, Cycle)
    return cycle_id


def test_causes_picked_in_the_form_make_the_steps_cause_and_the_share_by_cause(
    services: Services, tenant: Tenant, onboarding: int
) -> None:
    for person, cause in (("UA", "decision"), ("UB", "capacity"), ("UC", "decision")):
        values = {"s1_wait": "2d", "s1_cause": cause, "s2_wait": "2d" if person == "UA" else ""}
        assert submit_timings(services, tenant, onboarding, person, values) == {}

    summary = run(services, tenant, "close Onboarding").summary

    waits = summary.waits
    assert (waits.wait_s, waits.share_of("decision").share) == (4 * D, 0.5)
    assert waits.share_of(None).steps == ("Account setup",)
    assert [step.name for step in waits.decision_points] == ["Contract review"]
    with Session(services.engine) as session:
        [cycle] = export_stream(session, tenant, "Onboarding")["cycles"]
    assert [step["wait_cause"] for step in cycle["steps"]] == ["decision", None]
    assert cycle["wait_by_cause"]["decision"] == {"wait_time_s": 2 * D, "share": 0.5, "steps": [1]}


def test_a_cause_needs_a_known_word_and_a_wait(
    services: Services, tenant: Tenant, onboarding: int
) -> None:
    refused = submit_timings(
        services, tenant, onboarding, "UA", {"s1_cause": "lunch", "s2_cause": "batch"}
    )
    assert refused == {
        "s1_cause": "Pick one of the causes: decision, capacity, dependency, information, batch "
        "or other.",
        "s2_cause": "A cause says why work waited: give the wait too.",
    }


LEADERS = (
    {"revenue": "60", "cost": "40"},
    {"revenue": "50", "cost": "50"},
    {"revenue": "70", "cost": "30"},
)
WORKERS = ({"customer-outcome": "100"},) * 3


def answer_value(
    services: Services,
    tenant: Tenant,
    run_id: int,
    person: str,
    layer: str,
    points: dict[str, str],
) -> dict[str, str]:
    values = {"layer": layer, **{f"d_{key}": n for key, n in points.items()}}
    return submit_value(services, tenant, run_id, person, values)


def test_value_runs_add_up_per_layer_and_stay_in_their_workspace(
    services: Services, tenant: Tenant, onboarding: int
) -> None:
    posted = run(services, tenant, 'value "Onboarding"')
    assert isinstance(posted, ValuePosted)
    assert (posted.number, posted.cycle) == (1, 1)
    [run_id] = ids(services, tenant, ValueRun)
    for n, points in enumerate(LEADERS):
        assert answer_value(services, tenant, run_id, f"UL{n}", "leadership", points) == {}
    for n, points in enumerate(WORKERS):
        assert answer_value(services, tenant, run_id, f"UW{n}", "Operations", points) == {}
    # A later answer replaces the earlier one: UL0 now agrees with UL1.
    assert answer_value(services, tenant, run_id, "UL0", "leadership", LEADERS[1]) == {}

    results = run(services, tenant, 'value "Onboarding" results', user="UW0")

    assert isinstance(results, ValueResults)
    summary = results.results.summary
    assert summary.answers == 6
    leadership = summary.layers[0]
    assert [(m.key, m.mean) for m in leadership.top] == [("revenue", 170 / 3), ("cost", 130 / 3)]
    # Leadership and operations share nothing: 0% alike.
    assert (summary.overall, summary.most_disputed.key) == (0.0, "customer-outcome")
    stranger = Tenant(team_id=f"T{uuid.uuid4().hex[:10].upper()}")
    assert isinstance(value_form(services, stranger, run_id, "UX"), Problem)
    assert answer_value(services, stranger, run_id, "UX", "leadership", LEADERS[0]) == {
        "layer": "I cannot find that question about value any more."
    }


def test_the_portfolio_and_overlaps_see_only_their_workspace(
    services: Services, tenant: Tenant, onboarding: int
) -> None:
    assert (
        submit_timings(services, tenant, onboarding, "UA", {"s1_wait": "2d", "s1_pt": "1h"}) == {}
    )
    run(services, tenant, "close Onboarding")
    run(services, tenant, 'new "Renewals"')
    run(services, tenant, 'step add Renewals "Review of contracts" team:legal')
    run(services, tenant, 'improve Onboarding "Template" step:1 expect:"wait -1d" effort:S')
    run(services, tenant, 'improve Renewals "Checklist" step:1 expect:"wait -2d" effort:S')
    elsewhere = Tenant(team_id=f"T{uuid.uuid4().hex[:10].upper()}")
    run(services, elsewhere, 'new "Onboarding"')
    run(services, elsewhere, 'step add Onboarding "Contract reviews"')

    portfolio = run(services, tenant, "portfolio")
    ranking = run(services, tenant, "portfolio rank all")
    overlaps = run(services, tenant, "overlaps")

    assert isinstance(portfolio, Portfolio)
    assert [line.name for line in portfolio.streams] == ["Onboarding", "Renewals"]
    assert portfolio.streams[0].latest.metrics.lead_s == 2 * D + 3600
    assert isinstance(ranking, PortfolioRanking)
    # Template is at Onboarding's bottleneck; Renewals was never measured, so has none.
    assert [(i.stream, i.title, i.at_bottleneck) for i in ranking.items] == [
        ("Onboarding", "Template", True), ("Renewals", "Checklist", False)
    ]  # fmt: skip
    assert isinstance(overlaps, Overlaps)
    [group] = overlaps.groups
    assert [(row.stream, row.name) for row in group.rows] == [
        ("Onboarding", "Contract review"), ("Renewals", "Review of contracts")
    ]  # fmt: skip
    assert run(services, elsewhere, "overlaps").groups == ()
