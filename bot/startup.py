"""Checks before a process starts: Slack takes the tokens. A token Slack refuses stops the start
with one line naming it; Slack out of reach is waited for, one line per try, never a traceback.
"""

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.gateway import make_client
from bot.settings import HINTS

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
    client = make_client(token=token, base_url=base_url, timeout=5, retries=False)
    response = _ask(
        lambda: client.auth_test().data, "SLACK_BOT_TOKEN", "auth.test", base_url, sleep
    )
    return {key: str(response.get(key) or "") for key in ("team_id", "user_id", "bot_id")}


def check_app_token(
    token: str, base_url: str, *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Ask Slack for a Socket Mode connection with the app-level token (apps.connections.open),
    waiting while Slack is out of reach.

    Raises:
        TokenRefused: Slack refused the token.
    """
    client = WebClient(token=token, base_url=base_url, timeout=5)
    _ask(
        lambda: client.apps_connections_open(app_token=token).data,
        "SLACK_APP_TOKEN",
        "apps.connections.open",
        base_url,
        sleep,
    )


def _ask(
    call: Callable[[], object],
    variable: str,
    method: str,
    base_url: str,
    sleep: Callable[[float], None],
) -> dict[str, object]:
    wait = FIRST_WAIT_S
    while True:
        try:
            answer = call()
            return answer if isinstance(answer, dict) else {}
        except SlackApiError as error:
            code = str(error.response.get("error") or "unknown_error")
            if code in REFUSED:
                raise TokenRefused(
                    f"Slack refused {variable} ({code}): set it to {HINTS[variable]}."
                ) from None
            reason = f"Slack answered {code}"
        except (SlackClientError, OSError) as error:
            reason = f"cannot reach Slack at {base_url} ({_first_line(error)})"
        log.warning("%s: %s; trying again in %.0f s", method, reason, wait)
        sleep(wait)
        wait = min(wait * 2, LONGEST_WAIT_S)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
