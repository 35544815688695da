"""Who may change a team — whoever made it, its people, the owners of the streams it works in,
and workspace admins (a team none of these applies to: anyone) — and the record of a change,
kept in the history of every stream whose steps name the team."""

from dataclasses import dataclass

from sqlmodel import Session

from commands.owners import log_change
from commands.services import Services
from storage import owners as owner_rows
from storage import streams as stream_rows
from storage import teams as team_rows
from storage.models import Stream, WorkTeam
from storage.tenant import Tenant
from vsm.errors import VsmError


@dataclass(frozen=True)
class TeamRefused:
    """The reply to a change of a team someone may not make: who may."""

    team: str
    doing: str
    keepers: tuple[str, ...]


class TeamNotAllowed(VsmError):
    """The person may not change this team; `reply` names who may."""

    def __init__(self, team: str, doing: str, keepers: tuple[str, ...]) -> None:
        super().__init__(f"Only the people of “{team}” and those who keep it can {doing}.")
        self.reply = TeamRefused(team, doing, keepers)


def _streams_of(session: Session, tenant: Tenant, team: WorkTeam) -> list[Stream]:
    steps = team_rows.steps_of_team(session=session, tenant=tenant, team=team)
    found = []
    for stream_id in sorted({step.stream_id for step in steps}):
        stream = stream_rows.get_stream(session=session, tenant=tenant, stream_id=stream_id)
        if stream is not None:
            found.append(stream)
    return found


def keepers_of(session: Session, tenant: Tenant, team: WorkTeam) -> tuple[str, ...]:
    """Who may change a team besides admins: its maker, its people, its streams' owners."""
    found = [team.created_by, *team.people]
    for stream in _streams_of(session, tenant, team):
        found.extend(owner_rows.owners_of(session=session, tenant=tenant, stream=stream))
    return tuple(dict.fromkeys(user for user in found if user))


def require_keeper(
    session: Session, services: Services, tenant: Tenant, team: WorkTeam, user: str, doing: str
) -> None:
    """Go on only if `user` may change the team.

    Raises:
        TeamNotAllowed: they may not; the error names who may.
    """
    keepers = keepers_of(session, tenant, team)
    if not keepers or user in keepers or services.directory.is_admin(tenant, user):
        return
    raise TeamNotAllowed(team.name, doing, keepers)


def said(team: WorkTeam) -> str:
    """A team as the history writes it: `Claims (platform; mission …; <@U1> <@U2>)`."""
    details = [team.team_type or "type not set"]
    if team.mission:
        details.append(f"mission {team.mission}")
    if team.people:
        details.append(" ".join(f"<@{person}>" for person in team.people))
    return f"{team.name} ({'; '.join(details)})"


def log_team_change(
    session: Session,
    services: Services,
    tenant: Tenant,
    team: WorkTeam,
    by: str,
    what: str,
    before: str | None,
    after: str | None,
) -> None:
    """Record a change of a team in the history of every stream whose steps name it."""
    for stream in _streams_of(session, tenant, team):
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            what,
            subject=team.name,
            before=before,
            after=after,
        )
