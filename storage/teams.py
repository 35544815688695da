"""Teams (workspace-level records that steps name): queries and writes, always in a tenant."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, insert
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from storage.models import Step, Stream, WorkTeam
from storage.tenant import Tenant, check_tenant
from storage.types import id_of, table_of
from vsm.names import fold, match_name
from vsm.teams import TeamType, parse_team_type


def _scoped(tenant: Tenant) -> SelectOfScalar[WorkTeam]:
    return select(WorkTeam).where(
        WorkTeam.enterprise_id == tenant.enterprise_id, WorkTeam.team_id == tenant.team_id
    )


def check_team(team: WorkTeam, tenant: Tenant) -> int:
    """The team's id, after checking it belongs to `tenant`."""
    check_tenant(team.enterprise_id, team.team_id, tenant)
    return id_of(team)


def list_teams(*, session: Session, tenant: Tenant) -> list[WorkTeam]:
    """The workspace's teams, by name."""
    return list(session.exec(_scoped(tenant).order_by(col(WorkTeam.name_key))).all())


def team_by_name(
    *, session: Session, tenant: Tenant, name: str, except_id: int | None = None
) -> WorkTeam | None:
    """The team called `name` (ignoring case and runs of spaces), other than `except_id`."""
    query = _scoped(tenant).where(WorkTeam.name_key == fold(name))
    if except_id is not None:
        query = query.where(WorkTeam.id != except_id)
    return session.exec(query).first()


def find_team(*, session: Session, tenant: Tenant, name: str) -> WorkTeam:
    """The team `name` names: its whole name ignoring case, else a unique beginning.

    Raises:
        UnknownName, AmbiguousName: as vsm.names.match_name.
    """
    exact = team_by_name(session=session, tenant=tenant, name=name)
    if exact is not None:
        return exact
    teams = list_teams(session=session, tenant=tenant)
    return teams[match_name(name, [team.name for team in teams], kind="team").index]


def teams_by_id(*, session: Session, tenant: Tenant, ids: Sequence[int]) -> dict[int, WorkTeam]:
    """The teams with these ids, in `tenant` only."""
    if not ids:
        return {}
    query = _scoped(tenant).where(col(WorkTeam.id).in_(set(ids)))
    return {id_of(team): team for team in session.exec(query).all()}


def team_type_of(team: WorkTeam | None) -> TeamType | None:
    """A team's type as the vsm value; None when not set (or the team is None)."""
    if team is None or not team.team_type:
        return None
    return parse_team_type(team.team_type)


def add_team(*, session: Session, tenant: Tenant, name: str, by: str, now: datetime) -> WorkTeam:
    """Store a new team called `name` (spaces squeezed)."""
    clean = " ".join(name.split())
    team = WorkTeam(
        enterprise_id=tenant.enterprise_id,
        team_id=tenant.team_id,
        name=clean,
        name_key=fold(clean),
        created_by=by,
        created_at=now,
    )
    session.add(team)
    session.flush()
    return team


def step_team_row(
    *, session: Session, tenant: Tenant, name: str, by: str, now: datetime
) -> tuple[int, str]:
    """The id and name of the team called `name` (ignoring case and runs of spaces), stored
    first as `add_team` does if there is none: plain statements, no entities."""
    params = {"enterprise_id": tenant.enterprise_id, "team_id": tenant.team_id}
    found = session.execute(_team_by_key(), {**params, "name_key": fold(name)}).first()
    if found is not None:
        return found.id, found.name
    clean = " ".join(name.split())
    # The row add_team stores, without building the entity (a tenth of a millisecond).
    row: dict[str, object] = {
        **params,
        "name": clean,
        "name_key": fold(clean),
        "team_type": None,
        "mission": "",
        "people": [],
        "created_by": by,
        "created_at": now,
    }
    stored = session.execute(_add_team(), row).one()
    return stored.id, clean


@cache
def _team_by_key() -> Select[int | None, str]:
    return select(col(WorkTeam.id), col(WorkTeam.name)).where(
        col(WorkTeam.enterprise_id) == bindparam("enterprise_id"),
        col(WorkTeam.team_id) == bindparam("team_id"),
        col(WorkTeam.name_key) == bindparam("name_key"),
    )


@cache
def _add_team() -> ReturningInsert[int]:
    table = table_of(WorkTeam)
    return insert(table).returning(table.c.id)


def steps_of_team(*, session: Session, tenant: Tenant, team: WorkTeam) -> list[Step]:
    """The steps that name the team, in every stream of its workspace."""
    query = (
        select(Step)
        .join(Stream, col(Stream.id) == col(Step.stream_id))
        .where(
            Step.work_team_id == check_team(team, tenant),
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
        .order_by(col(Step.stream_id), col(Step.position))
    )
    return list(session.exec(query).all())


def rename_team(*, session: Session, tenant: Tenant, team: WorkTeam, name: str) -> None:
    """Give a team a new name; the steps that name it follow."""
    clean = " ".join(name.split())
    for step in steps_of_team(session=session, tenant=tenant, team=team):
        step.team = clean
        session.add(step)
    team.name, team.name_key = clean, fold(clean)
    session.add(team)
    session.flush()


def remove_team(*, session: Session, tenant: Tenant, team: WorkTeam) -> int:
    """Remove a team; the steps that named it name no team. Returns how many did."""
    steps = steps_of_team(session=session, tenant=tenant, team=team)
    for step in steps:
        step.team, step.work_team_id = "", None
        session.add(step)
    session.flush()
    session.delete(team)
    session.flush()
    return len(steps)
