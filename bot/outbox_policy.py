"""What the outbox sender does after Slack says no: wait and try again (how soon), hold back
the workspace (a 429), or give up (an error no retry will fix, or too many tries)."""

from datetime import timedelta

from commands.ports import SlackFailure

RATE_LIMITED = "ratelimited"
DEFAULT_RETRY_AFTER_S = 1  # a 429 without Retry-After (Slack always sends one)
# Answers Slack may have acted on though we never heard back: look before posting again.
UNKNOWN_OUTCOMES = frozenset({"timeout", "connection"})
MAX_ATTEMPTS = 8
# Slack errors that no retry will fix: the message is given up at once.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "restricted_action",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "not_installed",  # the workspace removed the app: no token to post with
    }
)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, 1 m, 2 m, … at most 1 h."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(hours=1))


def rate_limited(failure: SlackFailure) -> bool:
    """Whether Slack rate-limited the call (HTTP 429): the workspace waits, nothing failed."""
    return failure.status == 429 or failure.code == RATE_LIMITED


def ambiguous(failure: SlackFailure) -> bool:
    """Whether Slack may have taken the message although we never heard it did."""
    return failure.code in UNKNOWN_OUTCOMES or failure.server_side


def quick_retry(failure: SlackFailure, retried: int) -> float | None:
    """Seconds to wait before trying again at once, or None to leave it to a later run. As
    slack_sdk's retry handlers would, twice after a 5xx or a lost connection; a 429 never
    waits here (the workspace is held back instead, and the sender goes on with the others)."""
    if ambiguous(failure):
        return 0.5 * 2**retried if retried < 2 else None
    return None
