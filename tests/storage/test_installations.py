"""slack_sdk's SQLAlchemy stores on the tables our migrations create, on both databases."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, Table
from sqlmodel import Session

from storage import installations
from storage.installations import slack_bots, slack_installations, slack_oauth_states
from storage.tenant import Tenant


def shape(table: Table) -> dict[str, object]:
    columns = {
        c.name: (type(c.type).__name__, getattr(c.type, "length", None), c.nullable, c.primary_key)
        for c in table.columns
    }
    indexes = {index.name: tuple(c.name for c in index.columns) for index in table.indexes}
    return {"columns": columns, "indexes": indexes}


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (slack_installations, SQLAlchemyInstallationStore.build_installations_table),
        (slack_bots, SQLAlchemyInstallationStore.build_bots_table),
        (slack_oauth_states, SQLAlchemyOAuthStateStore.build_oauth_states_table),
    ],
)
def test_our_tables_are_the_ones_slack_sdk_expects(ours: Table, theirs: object) -> None:
    built = theirs(MetaData(), ours.name)  # type: ignore[operator]
    assert shape(ours) == shape(built)


def new_installation(
    team_id: str | None, enterprise_id: str | None = None, **fields: object
) -> Installation:
    return Installation(
        app_id="A0VSM",
        enterprise_id=enterprise_id,
        team_id=team_id,
        team_name=f"Team {team_id}",
        bot_token=f"xoxb-{secrets.token_hex(6)}",
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        bot_scopes="chat:write,commands",
        user_id="U0INSTALLER",
        is_enterprise_install=team_id is None,
        **fields,  # type: ignore[arg-type]
    )


def test_the_installation_store_saves_finds_and_deletes(migrated_engine: Engine) -> None:
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=migrated_engine)
    team = "T" + secrets.token_hex(4).upper()
    first = new_installation(team)
    store.save(first)
    newer = new_installation(team, installed_at=datetime.now(UTC) + timedelta(seconds=5))
    store.save(newer)

    found = store.find_bot(enterprise_id=None, team_id=team)
    assert found is not None
    assert (found.bot_token, found.team_name) == (newer.bot_token, f"Team {team}")
    with Session(migrated_engine) as session:
        [held] = [i for i in installations.installed(session=session) if i.team_id == team]
        assert (held.enterprise_id, held.team_name) == ("", f"Team {team}")
        assert installations.delete_tokens(session=session, enterprise_id="", team_id=team) == 2
        session.commit()
    assert store.find_bot(enterprise_id=None, team_id=team) is None
    assert store.find_installation(enterprise_id=None, team_id=team) is None


def test_an_org_wide_install_is_kept_without_a_team(migrated_engine: Engine) -> None:
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=migrated_engine)
    org = "E" + secrets.token_hex(4).upper()
    store.save(new_installation(None, org))

    bot = store.find_bot(enterprise_id=org, team_id=None, is_enterprise_install=True)

    assert bot is not None
    with Session(migrated_engine) as session:
        installs = installations.installed(session=session)
        served = installations.serves(installs, Tenant("T0ANY", org))
        assert served is not None
        assert served.team_id is None
        assert installations.serves(installs, Tenant("T0ANY", "E0OTHER")) is None


def test_tokens_that_expire_soon_are_found_for_the_clock(migrated_engine: Engine) -> None:
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=migrated_engine)
    soon, later, never = ("T" + secrets.token_hex(4).upper() for _ in range(3))
    store.save(new_installation(soon, bot_refresh_token="xoxe-1-a", bot_token_expires_in=600))
    store.save(new_installation(later, bot_refresh_token="xoxe-1-b", bot_token_expires_in=43200))
    store.save(new_installation(never))

    with Session(migrated_engine) as session:
        due = installations.expiring(session=session, before=datetime.now(UTC) + timedelta(hours=2))

    mine = {team for _, team in due} & {soon, later, never}
    assert mine == {soon}


def test_the_state_store_issues_states_that_work_once(migrated_engine: Engine) -> None:
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=migrated_engine)
    state = states.issue()

    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("never-issued") is False


def test_expired_states_are_forgotten(migrated_engine: Engine) -> None:
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=migrated_engine)
    state = states.issue()

    with Session(migrated_engine) as session:
        installations.forget_expired_states(
            session=session, now=datetime.now(UTC) + timedelta(minutes=11)
        )
        session.commit()

    assert states.consume(state) is False
