"""Texts cut to fit: clipped with an ellipsis, wrapped onto a few lines. No matplotlib here."""

from collections.abc import Callable, Sequence

ELLIPSIS = "…"


def one_line(text: str) -> str:
    """`text` with every run of whitespace (newlines included) as one space, trimmed."""
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def name_list(names: Sequence[str], noun: str, *, most: int = 5, longest: int = 60) -> str:
    """`a, b, c and 4 more steps`: a few names, each clipped, and how many others."""
    if not names:
        return f"some {noun}s"
    shown = ", ".join(clip(one_line(name), longest) for name in names[:most])
    left = len(names) - most
    return shown if left <= 0 else f"{shown} and {left} more {noun}{'' if left == 1 else 's'}"


def clip_to(text: str, fits: Callable[[str], bool]) -> str:
    """The longest start of `text` that `fits`, ending in an ellipsis when cut."""
    if fits(text):
        return text
    low, high = 0, len(text)
    while low < high:  # the longest cut whose text plus an ellipsis fits
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + ELLIPSIS):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def wrap(text: str, fits: Callable[[str], bool], max_lines: int) -> list[str]:
    """`text` broken into at most `max_lines` lines that each `fits`.

    Breaks between words; a word too long for a line is broken inside. When the text needs
    more lines, the last line ends in an ellipsis.
    """
    words = one_line(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while not fits(current) and len(current) > 1:
            cut = _longest_fitting(current, fits)
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    kept[-1] = clip_to(kept[-1] + " " + lines[max_lines], fits)
    if not kept[-1].endswith(ELLIPSIS):
        kept[-1] = clip_to(kept[-1] + ELLIPSIS, fits)
    return kept


def _longest_fitting(word: str, fits: Callable[[str], bool]) -> int:
    """How many of `word`'s first characters fit on one line (at least one)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(word[:middle]):
            low = middle
        else:
            high = middle - 1
    return low
