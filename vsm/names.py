"""Finding the thing a person named: exact name first (ignoring case), else a unique prefix."""

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from vsm.errors import VsmError


def fold(name: str) -> str:
    """The form in which names are compared: case-folded, with runs of spaces made one."""
    return " ".join(name.split()).casefold()


class UnknownName(VsmError):
    """No candidate matches the name a person gave."""


class AmbiguousName(VsmError):
    """Several candidates start with what a person gave."""


@dataclass(frozen=True)
class NameMatch:
    """Which candidate a name picked, and whether it took a prefix to get there."""

    index: int
    exact: bool


def match_name(query: str, candidates: Sequence[str], *, kind: str = "stream") -> NameMatch:
    """Pick the candidate `query` names.

    Args:
        query: what the person typed.
        candidates: the names to choose from, in the order to list them.
        kind: what a candidate is, for messages ("stream", "step").

    Returns:
        The index of the chosen candidate.

    Raises:
        UnknownName: nothing matches; the message suggests close names if there are any.
        AmbiguousName: several names start with `query`; the message lists them.
    """
    key = fold(query)
    folded = [fold(candidate) for candidate in candidates]
    if key in folded:
        return NameMatch(folded.index(key), exact=True)
    prefixed = [i for i, name in enumerate(folded) if key and name.startswith(key)]
    if len(prefixed) == 1:
        return NameMatch(prefixed[0], exact=False)
    if prefixed:
        names = ", ".join(f"“{candidates[i]}”" for i in prefixed[:8])
        raise AmbiguousName(f"“{query}” could be the {kind} {names}. Give more of the name.")
    close = difflib.get_close_matches(key, folded, n=3, cutoff=0.6)
    hint = ""
    if close:
        hint = (
            " Did you mean " + " or ".join(f"“{candidates[folded.index(c)]}”" for c in close) + "?"
        )
    raise UnknownName(f"I don't know a {kind} called “{query}”.{hint}")
