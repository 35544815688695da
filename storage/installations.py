"""The installations of the app by OAuth: the tables slack_sdk's SQLAlchemy stores read and write.

slack_sdk's `SQLAlchemyInstallationStore` and `SQLAlchemyOAuthStateStore` (used by bot/) own
the rows; these are the same tables declared on our metadata, so that our migrations create
them on both databases and the schema test holds them to the models. The shapes follow
slack_sdk 3.x exactly (a test compares them with the stores' own); its datetimes are naive UTC.

An installation's workspace is `team_id`; an org-wide Enterprise Grid install has no team
(NULL) and serves every workspace of its `enterprise_id`. Our tenants spell "no enterprise"
as "", slack_sdk as NULL.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel

from storage.tenant import Tenant
from storage.types import rows_changed

slack_installations = Table(
    "slack_installations",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    "slack_bots",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Installed:
    """A workspace (or a whole Enterprise Grid org, `team_id` None) the app holds a token for."""

    enterprise_id: str
    team_id: str | None
    team_name: str
    installed_at: datetime  # aware UTC


def installed(*, session: Session) -> list[Installed]:
    """Every workspace and org with a bot token, newest installation's name and time."""
    bots = slack_bots.c
    rows = session.execute(
        select(bots.enterprise_id, bots.team_id, func.max(bots.installed_at))
        .where(bots.bot_token.is_not(None))
        .group_by(bots.enterprise_id, bots.team_id)
    ).all()
    found = []
    for enterprise_id, team_id, installed_at in rows:
        name = session.execute(
            select(bots.team_name, bots.enterprise_name)
            .where(_same(slack_bots, enterprise_id or "", team_id))
            .order_by(bots.installed_at.desc())
            .limit(1)
        ).first()
        team_name, enterprise_name = name if name is not None else ("", "")
        found.append(
            Installed(
                enterprise_id=enterprise_id or "",
                team_id=team_id,
                team_name=str(team_name or enterprise_name or ""),
                installed_at=installed_at.replace(tzinfo=UTC),
            )
        )
    return found


def serves(installs: list[Installed], tenant: Tenant) -> Installed | None:
    """The installation that serves `tenant`: its workspace's own, else its org's."""
    for install in installs:
        if install.enterprise_id == tenant.enterprise_id and install.team_id == tenant.team_id:
            return install
    for install in installs:
        if tenant.enterprise_id and (install.enterprise_id, install.team_id) == (
            tenant.enterprise_id,
            None,
        ):
            return install
    return None


def delete_tokens(*, session: Session, enterprise_id: str, team_id: str | None) -> int:
    """Delete every installation and bot token of a workspace (`team_id` None: of an org-wide
    install); the number of bot tokens deleted."""
    session.execute(
        delete(slack_installations).where(_same(slack_installations, enterprise_id, team_id))
    )
    return rows_changed(
        session, delete(slack_bots).where(_same(slack_bots, enterprise_id, team_id))
    )


def expiring(*, session: Session, before: datetime) -> list[tuple[str, str | None]]:
    """The workspaces (team None: orgs) whose newest bot token rotates and expires before
    `before`: (enterprise_id, team_id)."""
    bots = slack_bots.c
    newest = (
        select(bots.enterprise_id, bots.team_id, func.max(bots.installed_at).label("at"))
        .where(bots.bot_token.is_not(None))
        .group_by(bots.enterprise_id, bots.team_id)
        .subquery()
    )
    naive = before.astimezone(UTC).replace(tzinfo=None)
    rows = session.execute(
        select(bots.enterprise_id, bots.team_id)
        .join(
            newest,
            and_(
                _same_key(bots.enterprise_id, newest.c.enterprise_id),
                _same_key(bots.team_id, newest.c.team_id),
                bots.installed_at == newest.c.at,
            ),
        )
        .where(bots.bot_refresh_token.is_not(None), bots.bot_token_expires_at < naive)
    ).all()
    return sorted({(enterprise_id or "", team_id) for enterprise_id, team_id in rows}, key=str)


def forget_expired_states(*, session: Session, now: datetime) -> None:
    """OAuth states left by installs never finished (slack_sdk deletes only those used)."""
    naive = now.astimezone(UTC).replace(tzinfo=None)
    session.execute(delete(slack_oauth_states).where(slack_oauth_states.c.expire_at <= naive))


def _same_key(left: ColumnElement[Any], right: ColumnElement[Any]) -> ColumnElement[bool]:
    """Equal, NULL counting as equal to NULL (keys of org-wide installs have no team)."""
    return or_(left == right, and_(left.is_(None), right.is_(None)))


def _same(table: Table, enterprise_id: str, team_id: str | None) -> ColumnElement[bool]:
    """The rows of one workspace (or, `team_id` None, of an org-wide install)."""
    enterprise, team = table.c.enterprise_id, table.c.team_id
    in_enterprise = (
        enterprise == enterprise_id
        if enterprise_id
        else or_(enterprise.is_(None), enterprise == "")
    )
    return and_(in_enterprise, team.is_(None) if team_id is None else team == team_id)
