"""Checks before a process starts: Slack takes the tokens. A token Slack refuses stops the start
with one line naming it; Slack out of reach is waited for, one line per try, never a traceback.
"""

import logging
import time
from collections.abc import Callable

from bot.gateway import SlackGateway
from bot.settings import HINTS
from commands.ports import SlackFailure
from storage.tenant import Tenant

log = logging.getLogger("vsm")

# What Slack answers for a token that will never work (as opposed to a network hiccup).
REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "not_allowed_token_type",
        "invalid_token",
    }
)
FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 60.0
TIMEOUT_S = 5.0
STARTING = Tenant(team_id="")  # no workspace is known before the token is


class TokenRefused(Exception):
    """Slack refused a token; the message is one line naming the variable and the fix."""


def check_bot_token(
    token: str, base_url: str, *, sleep: Callable[[float], None] = time.sleep
) -> dict[str, str]:
    """Ask Slack who the bot token belongs to (auth.test), waiting while Slack is out of reach.

    Returns:
        The workspace and bot ids Slack gave.

    Raises:
        TokenRefused: Slack refused the token.
    """
    slack = SlackGateway(
        lambda tenant: token, base_url, retries=False, timeout=TIMEOUT_S, log_failures=False
    )
    response = _ask(slack, "SLACK_BOT_TOKEN", "auth.test", base_url, sleep)
    return {key: str(response.get(key) or "") for key in ("team_id", "user_id", "bot_id")}


def check_app_token(
    token: str, base_url: str, *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Ask Slack for a Socket Mode connection with the app-level token (apps.connections.open),
    waiting while Slack is out of reach.

    Raises:
        TokenRefused: Slack refused the token.
    """
    slack = SlackGateway(
        lambda tenant: token, base_url, retries=False, timeout=TIMEOUT_S, log_failures=False
    )
    _ask(slack, "SLACK_APP_TOKEN", "apps.connections.open", base_url, sleep, app_token=token)


def _ask(
    slack: SlackGateway,
    variable: str,
    method: str,
    base_url: str,
    sleep: Callable[[float], None],
    **params: str,
) -> dict[str, object]:
    wait = FIRST_WAIT_S
    while True:
        try:
            answer = slack.call(STARTING, method, **params).data
            return answer if isinstance(answer, dict) else {}
        except SlackFailure as failure:
            if failure.code in REFUSED:
                raise TokenRefused(
                    f"Slack refused {variable} ({failure.code}): set it to {HINTS[variable]}."
                ) from None
            reason = (
                f"cannot reach Slack at {base_url} ({failure.code})"
                if failure.status is None
                else f"Slack answered {failure.code}"
            )
        log.warning("%s: %s; trying again in %.0f s", method, reason, wait)
        sleep(wait)
        wait = min(wait * 2, LONGEST_WAIT_S)
