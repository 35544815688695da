"""Team use cases in-process on the real database: steps name teams, the Team API card, the
keepers' rule, rename and remove, and workspaces kept apart."""

import pytest

from commands import handoffs, steps, streams, teams
from commands.services import Services
from storage.tenant import Tenant
from vsm.names import UnknownName

OWNER = "UOWNER"


def claims(services: Services, tenant: Tenant, name: str = "Claims") -> None:
    streams.create_stream(services, tenant, streams.NewStream(name, "C1", OWNER))
    for step, team in (
        ("Intake", "Front office"),
        ("Assessment", "Claims"),
        ("Approval", " CLAIMS "),
        ("Payment", "Finance"),
    ):
        steps.add_step(services, tenant, name, name=step, team=team, by=OWNER)


def test_steps_name_one_team_per_name_ignoring_case(services: Services, tenant: Tenant) -> None:
    claims(services, tenant)
    listed = teams.list_teams(services, tenant, OWNER)
    assert [(row.team.name, row.steps) for row in listed.teams] == [
        ("Claims", 2),
        ("Finance", 1),
        ("Front office", 1),
    ]


def test_team_card_lists_steps_and_cross_team_hand_offs(services: Services, tenant: Tenant) -> None:
    claims(services, tenant)
    handoffs.set_handoff(services, tenant, "Claims", 4, "x-as-a-service", by=OWNER)
    card = teams.show_team(services, tenant, "claims", OWNER)
    assert [(s.stream, s.position, s.name) for s in card.steps] == [
        ("Claims", 2, "Assessment"),
        ("Claims", 3, "Approval"),
    ]
    assert [(link.team, link.mode, link.position) for link in card.hands_to] == [
        ("Finance", "x-as-a-service", 4)
    ]
    assert [(link.team, link.mode, link.position) for link in card.receives_from] == [
        ("Front office", "none", 2)
    ]


def test_keepers_are_maker_people_and_stream_owners(services: Services, tenant: Tenant) -> None:
    claims(services, tenant)
    with pytest.raises(teams.TeamNotAllowed) as refused:
        teams.save_team(services, tenant, "Claims", team_type="platform", by="USTRANGER")
    assert refused.value.reply.keepers == (OWNER,)
    teams.save_team(services, tenant, "Claims", people=("UANN",), by=OWNER)
    saved = teams.save_team(services, tenant, "Claims", team_type="platform", by="UANN")
    assert saved.card.team.team_type == "platform"
    assert not saved.created


def test_rename_and_remove_follow_the_steps(services: Services, tenant: Tenant) -> None:
    claims(services, tenant)
    teams.save_team(services, tenant, "claims", new_name="Claims handling", by=OWNER)
    card = streams.show_stream(services, tenant, "Claims", OWNER)
    assert [s.team for s in card.stream.steps] == [
        "Front office",
        "Claims handling",
        "Claims handling",
        "Finance",
    ]
    removed = teams.remove_team(services, tenant, "claims handling", by=OWNER)
    assert removed.steps == 2
    card = streams.show_stream(services, tenant, "Claims", OWNER)
    assert [s.team for s in card.stream.steps] == ["Front office", "", "", "Finance"]


def test_workspaces_keep_their_teams_apart(services: Services, tenant: Tenant) -> None:
    claims(services, tenant)
    other = Tenant(team_id=tenant.team_id + "X")
    with pytest.raises(UnknownName):
        teams.show_team(services, other, "Claims", OWNER)
    teams.save_team(services, other, "Claims", team_type="enabling", by="UOTHER")
    mine = teams.show_team(services, tenant, "Claims", OWNER)
    assert mine.team.team_type is None
    assert len(mine.steps) == 2
