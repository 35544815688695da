"""Bolt's authorization: one workspace's token, or each workspace's from the installations —
either way without turning a Slack hiccup into an HTTP 500 or a lost event."""

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize

from bot.gateway import SlackGateway
from commands.ports import SlackFailure
from storage.tenant import Tenant

if TYPE_CHECKING:  # slack_sdk's OAuth stores are imported only by a bot that installs by OAuth
    from bot.installations import InstalledTokens

log = logging.getLogger(__name__)

AUTH_TEST_TIMEOUT_S = 2


class SingleWorkspaceAuthorize:
    """Bolt's `authorize`: the bot token, with the bot's own ids from one `auth.test`.

    Bolt's built-in single-team authorization answers 500 when `auth.test` fails. Here a
    failure is logged (by the gateway) and the request goes on with the token alone (our
    listeners ignore bot messages by themselves); the next request tries `auth.test` again.
    """

    def __init__(self, *, token: str, base_url: str) -> None:
        self._token = token
        # No retries here: this runs before the 3-second acknowledgement.
        self._slack = SlackGateway(
            lambda tenant: token, base_url, retries=False, timeout=AUTH_TEST_TIMEOUT_S
        )
        self._known: AuthorizeResult | None = None
        self._lock = threading.Lock()

    def as_bolt_authorize(self) -> Callable[[str | None, str | None], AuthorizeResult]:
        """A plain function for `App(authorize=…)` (Bolt passes arguments by their names)."""

        def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            return self.authorize(enterprise_id, team_id)

        return authorize

    def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        """The bot token and, once `auth.test` has answered, the bot's own ids."""
        with self._lock:
            if self._known is None:
                self._known = self._auth_test(enterprise_id, team_id)
            known = self._known
        if known is not None:
            return known
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=self._token)

    def _auth_test(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult | None:
        tenant = Tenant(team_id=team_id or "", enterprise_id=enterprise_id or "")
        try:
            response = self._slack.call(tenant, "auth.test")
        except SlackFailure:
            return None  # the gateway logged why; the next request asks again
        return AuthorizeResult.from_auth_test_response(
            auth_test_response=response, bot_token=self._token
        )


class InstalledAuthorize(Authorize):
    """Bolt's `authorize` for OAuth: the token and ids of the installation that serves the
    request's workspace (its own, or its Enterprise Grid org's), refreshed when due.

    Bolt's own asks Slack's auth.test on every request, and drops an event when Slack does not
    answer; the installation already holds the ids auth.test would give.
    """

    def __init__(self, tokens: "InstalledTokens") -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
        self._tokens = tokens

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        # A failed refresh of an expired token raises: Slack is answered 503 and tries again.
        bot = self._tokens.bot_for(Tenant(team_id=team_id or "", enterprise_id=enterprise_id or ""))
        if bot is None:
            return None  # Bolt tells the person the app is no longer installed there
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )
