"""What every part of the stand-in shares: the default workspace's ids, the error an `ok: false`
answer carries, who a token speaks for, and the small readers of Web API arguments.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0VSMBOT"
TEAM_ID = "T0FAKE"
TEAM_NAME = "Fake Workspace"
DEFAULT_TZ = "Europe/Berlin"


class SlackError(Exception):
    """An `ok: false` answer: Slack's error code plus any extra fields."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True)
class Identity:
    """Who a bot token speaks for: the workspace (and its org) and the app's bot user there."""

    team_id: str = TEAM_ID
    team_name: str = TEAM_NAME
    bot_user_id: str = BOT_USER_ID
    bot_id: str = BOT_ID
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    is_enterprise_install: bool = False

    @property
    def url(self) -> str:
        return f"https://ws-{self.team_id.lower()}.slack.com/"


DEFAULT_IDENTITY = Identity()


def required(params: dict[str, Any], key: str, error: str) -> str:
    """The argument `key` as text, or Slack's `error` when it is missing or empty."""
    value = params.get(key)
    if value is None or value == "":
        raise SlackError(error)
    return str(value)


def flag(params: dict[str, Any], key: str) -> bool:
    """A boolean argument: slack_sdk sends True as "1" in forms, JSON clients send true."""
    value = params.get(key)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true"}
    return bool(value)


def limit_of(params: dict[str, Any], *, default: int, maximum: int) -> int:
    """The `limit` argument, clamped to what Slack serves (it clamps rather than refuses)."""
    raw = params.get("limit")
    try:
        asked = int(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        raise SlackError("invalid_limit") from None
    return maximum if asked <= 0 else min(asked, maximum)


def encode_cursor(position: str) -> str:
    """An opaque cursor, shaped like Slack's (base64 of `key:value`)."""
    return base64.b64encode(position.encode()).decode()


def decode_cursor(cursor: str, prefix: str) -> str:
    """The position inside a cursor this stand-in issued; `invalid_cursor` otherwise."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if not text.startswith(prefix):
        raise SlackError("invalid_cursor")
    return text.removeprefix(prefix)
