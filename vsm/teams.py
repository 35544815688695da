"""Team Topologies' words (Skelton & Pais): the four team types and the interaction modes.

Both are read case-insensitively; spaces, hyphens and underscores between the parts of a word
do not matter, so `Stream aligned`, `stream-aligned` and `STREAM_ALIGNED` are one type. A few
short forms people use are read too:

| word | also read |
| --- | --- |
| stream-aligned | `stream` |
| complicated-subsystem | `subsystem`, `complicated sub-system` |
| x-as-a-service | `XaaS`, `as a service`, `service` |
| collaboration | `collaborate`, `collaborating` |
| facilitating | `facilitation`, `facilitate` |
| none | `no`, `-` |

An interaction mode of `none` means no mode is agreed for a hand-off; it is the default.
"""

import re
from typing import Literal

from vsm._text import quote
from vsm.errors import VsmError

TeamType = Literal["stream-aligned", "enabling", "complicated-subsystem", "platform"]
InteractionMode = Literal["collaboration", "x-as-a-service", "facilitating", "none"]

TEAM_TYPES: tuple[TeamType, ...] = (
    "stream-aligned",
    "enabling",
    "complicated-subsystem",
    "platform",
)
INTERACTION_MODES: tuple[InteractionMode, ...] = (
    "collaboration",
    "x-as-a-service",
    "facilitating",
    "none",
)
TEAM_TYPE_LABELS: dict[TeamType, str] = {
    "stream-aligned": "stream-aligned",
    "enabling": "enabling",
    "complicated-subsystem": "complicated-subsystem",
    "platform": "platform",
}
MODE_LABELS: dict[InteractionMode, str] = {
    "collaboration": "collaboration",
    "x-as-a-service": "X-as-a-Service",
    "facilitating": "facilitating",
    "none": "none",
}
TEAM_TYPE_FORMS = "`stream-aligned`, `enabling`, `complicated-subsystem` or `platform`"
MODE_FORMS = "`collaboration`, `X-as-a-Service`, `facilitating` or `none`"

_LONGEST_TEXT = 40
_DASHES = ("-", "‐", "‑", "–", "—")
_JOINERS = re.compile(r"[\s_\-‐‑–—]+")
_TEAM_TYPE_WORDS: dict[str, TeamType] = {
    **dict.fromkeys(("streamaligned", "stream"), "stream-aligned"),
    "enabling": "enabling",
    **dict.fromkeys(("complicatedsubsystem", "subsystem"), "complicated-subsystem"),
    "platform": "platform",
}
_MODE_WORDS: dict[str, InteractionMode] = {
    **dict.fromkeys(("collaboration", "collaborate", "collaborating"), "collaboration"),
    **dict.fromkeys(("xasaservice", "xaas", "asaservice", "service"), "x-as-a-service"),
    **dict.fromkeys(("facilitating", "facilitation", "facilitate"), "facilitating"),
    **dict.fromkeys(("none", "no"), "none"),
}


class TeamWordError(VsmError):
    """A team type or interaction mode a person typed is not one we know."""


def _squeeze(text: str) -> str:
    return _JOINERS.sub("", text.strip().casefold())


def parse_team_type(text: str) -> TeamType:
    """Read a team type: `stream-aligned`, `Enabling`, `complicated subsystem`, `platform`.

    Raises:
        TeamWordError: anything else; the message lists the four types.
    """
    found = _TEAM_TYPE_WORDS.get(_squeeze(text)) if len(text) <= _LONGEST_TEXT else None
    if found is None:
        raise TeamWordError(_unknown(text, "team type", TEAM_TYPE_FORMS), TEAM_TYPE_FORMS)
    return found


def parse_interaction_mode(text: str) -> InteractionMode:
    """Read an interaction mode: `collaboration`, `X-as-a-Service` (or `XaaS`), `none`, ….

    Raises:
        TeamWordError: anything else; the message lists the modes.
    """
    if text.strip() in _DASHES:
        return "none"  # a lone dash, as in a table cell: no mode
    found = _MODE_WORDS.get(_squeeze(text)) if len(text) <= _LONGEST_TEXT else None
    if found is None:
        raise TeamWordError(_unknown(text, "interaction mode", MODE_FORMS), MODE_FORMS)
    return found


def _unknown(text: str, kind: str, forms: str) -> str:
    if not text.strip():
        return f"No {kind} is given. It is one of {forms}."
    return f"I don't know the {kind} {quote(text)}. It is one of {forms}."
