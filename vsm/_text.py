"""Small helpers for putting what a person typed back in front of them."""

_LONGEST_QUOTE = 60


def quote(text: str) -> str:
    """Show typed text as Slack inline code: spaces squeezed, backticks made harmless, shortened.

    Args:
        text: what the person typed.

    Returns:
        The text between backticks, at most about 60 characters long.
    """
    clean = " ".join(text.split()).replace("`", "'")
    if len(clean) > _LONGEST_QUOTE:
        clean = clean[: _LONGEST_QUOTE - 1] + "…"
    return f"`{clean}`"
