"""Escaping user text for Slack's mrkdwn."""

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_mrkdwn(value: object) -> str:
    """User text made safe for mrkdwn: & < > escaped, so it cannot form mentions or links."""
    return str(value).translate(_ESCAPES)
