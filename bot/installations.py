"""Installations by OAuth: slack_sdk's SQLAlchemy stores on the bot's own database, and the bot
token of each workspace for the gateway, refreshed before it expires.

The tables are ours (storage/installations.py, created by the migrations): the stores are
never asked to create them. Bolt refreshes the tokens of the requests it serves; every other
call (a listener's post, the clock's, the outbox's) gets its token here, and refreshes it here
when it is about to expire — so a process that serves no request, the clock, keeps its own
tokens alive.
"""

import logging
import time
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine
from sqlmodel import Session

from commands.ports import SlackFailure
from storage import installations
from storage.engine import reading
from storage.tenant import Tenant

log = logging.getLogger(__name__)

STATE_EXPIRATION_S = 600  # an "Add to Slack" click is good for ten minutes, as Slack's own
# Bolt refreshes a token two hours before it expires; so do we, for the calls Bolt does not see.
REFRESH_MINUTES_BEFORE = 120
LAST_MINUTES = 2  # a call in the middle of other work refreshes only a token this near its end


def installation_store(client_id: str, engine: Engine) -> SQLAlchemyInstallationStore:
    """slack_sdk's installation store on our tables."""
    return SQLAlchemyInstallationStore(
        client_id=client_id, engine=engine, logger=logging.getLogger("vsm.installations")
    )


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """slack_sdk's OAuth state store on our table."""
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_S,
        engine=engine,
        logger=logging.getLogger("vsm.installations"),
    )


class InstalledTokens:
    """`token_for(tenant)` for the gateway: the bot token that serves a workspace.

    A workspace is served by its own installation or, in Enterprise Grid, by its org's
    org-wide one. Tokens are refreshed two hours before they expire by whoever comes first:
    Bolt's authorize at the start of a request, the clock at the start of a tick
    (`tend`). Both run outside any transaction. A call in the middle of other work (the
    gateway's) refreshes only a token about to expire: on SQLite, saving it waits for the write
    lock, which that work may hold. Two processes may refresh at once; a refresh token works
    once, so the loser reads the winner's token.
    """

    def __init__(
        self, engine: Engine, *, client_id: str, client_secret: str, client: WebClient
    ) -> None:
        # Reads never take SQLite's write lock: a token is looked up in the middle of work
        # that may hold it.
        self._reader = installation_store(client_id, reading(engine))
        self._writer = installation_store(client_id, engine)
        self._engine = engine
        self._rotator = TokenRotator(
            client_id=client_id, client_secret=client_secret, client=client
        )

    def __call__(self, tenant: Tenant) -> str:
        """The workspace's bot token.

        Raises:
            SlackFailure: `not_installed` when the app has no token there (never installed,
                or uninstalled); `token_rotation_failed` when an expired token cannot be renewed.
        """
        bot = self.bot_for(tenant, minutes_before_expiration=LAST_MINUTES)
        if bot is None:
            raise SlackFailure("oauth", "not_installed")
        return str(bot.bot_token)

    def bot_for(
        self, tenant: Tenant, *, minutes_before_expiration: int = REFRESH_MINUTES_BEFORE
    ) -> Bot | None:
        """The installation's bot (token, ids) that serves the workspace, refreshed when it
        expires within `minutes_before_expiration`; None when the app has no token there.

        Raises:
            SlackFailure: `token_rotation_failed` when an expired token cannot be renewed.
        """
        bot = self._find(tenant)
        if bot is None or not bot.bot_token:
            return None
        try:
            refreshed = self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=minutes_before_expiration
            )
        except (SlackClientError, OSError) as error:
            return self._after_failed_refresh(tenant, bot, error)
        if refreshed is None:
            return bot
        self._writer.save_bot(refreshed)
        log.info("refreshed the bot token of %s", tenant.team_id or tenant.enterprise_id)
        return refreshed

    def tend(self) -> int:
        """The clock's chores, each tick: refresh every token that expires within two hours
        (a workspace whose requests stopped keeps a working token), and forget the states of
        installs never finished. The number of tokens refreshed."""
        now = datetime.now(UTC)
        with Session(self._engine) as session:
            installations.forget_expired_states(session=session, now=now)
            session.commit()
        before = now + timedelta(minutes=REFRESH_MINUTES_BEFORE)
        with Session(reading(self._engine)) as session:
            due = installations.expiring(session=session, before=before)
        refreshed = 0
        for enterprise_id, team_id in due:
            tenant = Tenant(team_id=team_id or "", enterprise_id=enterprise_id)
            try:
                self.bot_for(tenant)
                refreshed += 1
            except SlackFailure as failure:
                log.warning("cannot refresh the token of %s: %s", team_id or enterprise_id, failure)
        return refreshed

    def _find(self, tenant: Tenant) -> Bot | None:
        enterprise_id = tenant.enterprise_id or None
        if tenant.team_id:
            own = self._reader.find_bot(enterprise_id=enterprise_id, team_id=tenant.team_id)
            if own is not None or enterprise_id is None:
                return own
        return self._reader.find_bot(
            enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
        )

    def _after_failed_refresh(self, tenant: Tenant, bot: Bot, error: Exception) -> Bot:
        again = self._find(tenant)
        if again is not None and again.bot_token and again.bot_token != bot.bot_token:
            return again  # another process refreshed it first
        if bot.bot_token_expires_at is not None and bot.bot_token_expires_at > time.time():
            # Still good until it expires: use it, and try to refresh on the next call.
            log.warning(
                "refreshing the token of %s failed (%s); trying later", tenant.team_id, error
            )
            return bot
        raise SlackFailure("oauth.v2.access", "token_rotation_failed")
