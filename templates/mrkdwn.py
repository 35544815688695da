"""Escaping user text for Slack's mrkdwn, and other small formatting filters."""

import re
from datetime import UTC, datetime

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_mrkdwn(value: object) -> str:
    """User text made safe for mrkdwn: & < > escaped, so it cannot form mentions or links."""
    return str(value).translate(_ESCAPES)


def format_number(value: float, places: int = 1) -> str:
    """A number for people: at most `places` decimals, no trailing `.0` (8.0 → 8, 7.5 → 7.5)."""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def slack_date(moment: datetime, style: str = "{date_short_pretty} at {time}") -> str:
    """A time that Slack shows in each reader's own time zone, with a UTC fallback."""
    epoch = int(moment.timestamp())
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{style}|{fallback}>"


_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


def format_mention(user_id: str) -> str:
    """A person as Slack shows them, `<@U123>`; anything that is not a user id is escaped."""
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape_mrkdwn(user_id)
