"""Single-workspace authorization that never turns a Slack hiccup into an HTTP 500."""

import logging
import threading
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult

from bot.gateway import SlackGateway
from commands.ports import SlackFailure
from storage.tenant import Tenant

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
