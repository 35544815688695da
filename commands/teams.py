"""Teams as the workspace's records: create or change one, its Team API card, the list,
rename and remove. Who may change a team: whoever made it, its people, the owners of the
streams it works in, and workspace admins (a team none of these applies to: anyone)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import visible_to
from commands.services import Services
from commands.team_keepers import TeamNotAllowed as TeamNotAllowed
from commands.team_keepers import log_team_change, require_keeper, said
from storage import streams as stream_rows
from storage import teams as team_rows
from storage.models import Step, Stream, WorkTeam
from storage.tenant import Tenant
from storage.types import id_of
from vsm.errors import VsmError
from vsm.flow import FlowStep, hand_offs
from vsm.names import fold
from vsm.teams import InteractionMode, TeamType, parse_interaction_mode

LONGEST_NAME = 80


@dataclass(frozen=True)
class TeamView:
    """A team as the replies show it; `team_type` is a vsm.teams code or None."""

    name: str
    team_type: str | None
    mission: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class TeamStep:
    stream: str
    position: int
    name: str


@dataclass(frozen=True)
class TeamLink:
    """A cross-team hand-off seen from one team: the other team, its mode, and where."""

    team: str
    mode: InteractionMode
    stream: str
    position: int
    step: str


@dataclass(frozen=True)
class TeamCard:
    """The Team API card: the team, the steps it works, whom it hands work to and from."""

    team: TeamView
    steps: tuple[TeamStep, ...]
    hands_to: tuple[TeamLink, ...]
    receives_from: tuple[TeamLink, ...]


@dataclass(frozen=True)
class TeamSaved:
    created: bool
    old_name: str
    card: TeamCard


@dataclass(frozen=True)
class TeamRow:
    team: TeamView
    steps: int


@dataclass(frozen=True)
class TeamList:
    teams: tuple[TeamRow, ...]


@dataclass(frozen=True)
class TeamRemoved:
    name: str
    steps: int


def view(team: WorkTeam) -> TeamView:
    return TeamView(team.name, team.team_type, team.mission, tuple(team.people))


def name_step_team(
    session: Session, services: Services, tenant: Tenant, step: Step, text: str, by: str
) -> None:
    """Make `step` name the team `text` names (its whole name, ignoring case; made if there is
    none), or no team for ""."""
    if not " ".join(text.split()):
        step.team, step.work_team_id = "", None
        return
    # The step needs only the team's id and name: no entity.
    team_id, name = team_rows.step_team_row(
        session=session, tenant=tenant, name=text, by=by, now=services.now()
    )
    step.team, step.work_team_id = name, team_id


def save_team(
    services: Services,
    tenant: Tenant,
    name: str,
    *,
    team_type: TeamType | None = None,
    mission: str | None = None,
    people: tuple[str, ...] | None = None,
    new_name: str | None = None,
    by: str,
) -> TeamSaved:
    """`/vsm team "<team>" [type:…] [mission:"…"] [people:…] [name:"…"]`: create the team
    (its whole name, ignoring case, not found) or change what is given."""
    clean = " ".join(name.split())
    with services.unit_of_work() as session:
        team = team_rows.team_by_name(session=session, tenant=tenant, name=clean)
        created = team is None
        if team is None:
            if new_name is not None:
                raise VsmError(f"There is no team “{clean}” to rename. `/vsm teams` lists them.")
            team = team_rows.add_team(
                session=session, tenant=tenant, name=clean, by=by, now=services.now()
            )
        else:
            require_keeper(session, services, tenant, team, by, "change it")
        old_name, before = team.name, said(team)
        if new_name is not None:
            _rename(session, tenant, team, new_name)
        if team_type is not None:
            team.team_type = team_type
        if mission is not None:
            team.mission = mission
        if people is not None:
            team.people = list(people)
        session.add(team)
        session.flush()
        if not created and said(team) != before:
            log_team_change(session, services, tenant, team, by, "team.edit", before, said(team))
        return TeamSaved(created, old_name, _card(session, services, tenant, team, by))


def _rename(session: Session, tenant: Tenant, team: WorkTeam, new_name: str) -> None:
    taken = team_rows.team_by_name(
        session=session, tenant=tenant, name=new_name, except_id=id_of(team)
    )
    if taken is not None:
        raise VsmError(f"A team called “{taken.name}” already exists. Pick another name.")
    team_rows.rename_team(session=session, tenant=tenant, team=team, name=new_name)


def show_team(services: Services, tenant: Tenant, name: str, user: str) -> TeamCard:
    """`/vsm team "<team>"`: the Team API card."""
    with services.unit_of_work(read_only=True) as session:
        team = team_rows.find_team(session=session, tenant=tenant, name=name)
        return _card(session, services, tenant, team, user)


def list_teams(services: Services, tenant: Tenant, user: str) -> TeamList:
    """`/vsm teams`: the workspace's teams, with how many steps (that `user` may see) each works."""
    with services.unit_of_work(read_only=True) as session:
        counts: dict[int, int] = {}
        for _, steps in _visible_steps(session, services, tenant, user):
            for step in steps:
                if step.work_team_id is not None:
                    counts[step.work_team_id] = counts.get(step.work_team_id, 0) + 1
        teams = team_rows.list_teams(session=session, tenant=tenant)
        return TeamList(tuple(TeamRow(view(t), counts.get(id_of(t), 0)) for t in teams))


def remove_team(services: Services, tenant: Tenant, name: str, *, by: str) -> TeamRemoved:
    """`/vsm team "<team>" remove`: the team is gone; its steps name no team."""
    with services.unit_of_work() as session:
        team = team_rows.team_by_name(session=session, tenant=tenant, name=name)
        if team is None:
            raise VsmError(f"There is no team “{name}”. Give its whole name; `/vsm teams`.")
        require_keeper(session, services, tenant, team, by, "remove it")
        shown = team.name
        log_team_change(session, services, tenant, team, by, "team.remove", said(team), None)
        return TeamRemoved(shown, team_rows.remove_team(session=session, tenant=tenant, team=team))


# ---- what the card shows -----------------------------------------------------------------------


def _visible_steps(
    session: Session, services: Services, tenant: Tenant, user: str
) -> list[tuple[Stream, list[Step]]]:
    seen = visible_to(services, tenant, user)
    streams = [s for s in stream_rows.list_streams(session=session, tenant=tenant) if seen(s)]
    steps = stream_rows.steps_of_streams(session=session, tenant=tenant, streams=streams)
    return [(stream, steps[id_of(stream)]) for stream in streams]


def _card(
    session: Session, services: Services, tenant: Tenant, team: WorkTeam, user: str
) -> TeamCard:
    mine: list[TeamStep] = []
    hands_to: list[TeamLink] = []
    receives_from: list[TeamLink] = []
    key = team.name_key
    for stream, steps in _visible_steps(session, services, tenant, user):
        mine.extend(
            TeamStep(stream.name, s.position, s.name) for s in steps if s.work_team_id == team.id
        )
        for hand in hand_offs(flow_steps(steps)):
            if hand.crossing != "cross-team" or hand.from_team is None or hand.to_team is None:
                continue
            if fold(hand.from_team) == key:
                hands_to.append(
                    TeamLink(hand.to_team, hand.mode, stream.name, hand.position, hand.to_step)
                )
            elif fold(hand.to_team) == key:
                receives_from.append(
                    TeamLink(hand.from_team, hand.mode, stream.name, hand.position, hand.to_step)
                )
    return TeamCard(view(team), tuple(mine), tuple(hands_to), tuple(receives_from))


def flow_steps(
    steps: Sequence[Step], types: dict[int, TeamType | None] | None = None
) -> list[FlowStep]:
    """A stream's steps as they stand, as the flow core sees them (no numbers)."""
    known = types or {}
    return [
        FlowStep(
            key=id_of(step),
            position=step.position,
            name=step.name,
            team=step.team or None,
            team_type=known.get(step.work_team_id) if step.work_team_id else None,
            mode=parse_interaction_mode(step.handoff_mode or "none"),
        )
        for step in steps
    ]
