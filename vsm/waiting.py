"""Causes of waiting: why work sits before a step, and how much of the wait each cause holds.

A wait answer may carry its cause: `wait 2d for approval`, `wait 1d (queue)`, `wait 3d
why:dependency`. The words that mean each cause:

| cause | words |
| --- | --- |
| decision | decision, decide, approval, approve, sign-off, signoff, prioritisation, |
|          | prioritization, priority |
| capacity | capacity, queue, busy, backlog, people |
| dependency | dependency, depends, another team, other team, vendor |
| information | information, info, input, clarification, missing, unclear |
| batch | batch, schedule, release, window |
| other | other |

Reading a cause: case does not matter; punctuation around words is dropped; linking words
(`for`, `on`, `waiting`, `the`, `why:`, …) are skipped; plurals of the words are read
(`approvals`, `dependencies`, `batches`); `sign off` is `sign-off`. Several words may be given
if they all mean the same cause (`missing info`); words of two causes are refused, as is any
word that is not in the table.

A step's cause is the most frequent cause among its respondents' latest answers, ties going to
the cause earlier in the table; answers without a cause do not vote. The share of wait by cause
is the wait of the steps with that cause over the total wait. Steps whose wait is known but
whose cause nobody said go to a "not said" bucket, so that the shares add up to 100%; steps
with no wait are left out and named.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from vsm._text import quote
from vsm.errors import VsmError

WaitCause = Literal["decision", "capacity", "dependency", "information", "batch", "other"]
CAUSES: tuple[WaitCause, ...] = (
    "decision",
    "capacity",
    "dependency",
    "information",
    "batch",
    "other",
)
CAUSE_WORDS: dict[WaitCause, tuple[str, ...]] = {
    "decision": (
        "decision",
        "decide",
        "approval",
        "approve",
        "sign-off",
        "signoff",
        "prioritisation",
        "prioritization",
        "priority",
    ),
    "capacity": ("capacity", "queue", "busy", "backlog", "people"),
    "dependency": ("dependency", "depends", "another team", "other team", "vendor"),
    "information": ("information", "info", "input", "clarification", "missing", "unclear"),
    "batch": ("batch", "schedule", "release", "window"),
    "other": ("other",),
}
CAUSE_FORMS = "`wait 2d for approval`, `wait 1d (queue)` or `wait 3d why:dependency`"
CAUSE_LIST = "decision, capacity, dependency, information, batch or other"

_LONGEST_TEXT = 80
_WORD = re.compile(r"[^\W\d_]+")
_PUNCTUATION = set("()[]{}:=,.;!?'\"‘’“”-‐‑–—/&")
# Words that link a cause to the wait and say nothing of which cause it is.
_LINKING = frozenset(
    ("why", "for", "on", "of", "the", "a", "an", "by", "from", "to", "due", "because")
) | frozenset(("waiting", "in", "at", "with", "our", "their", "my"))
_PHRASES: dict[tuple[str, ...], WaitCause] = {
    tuple(word.replace("-", " ").split()): cause
    for cause, words in CAUSE_WORDS.items()
    for word in words
}
_KNOWN_WORDS = frozenset(word for phrase in _PHRASES for word in phrase)
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASES)


class CauseError(VsmError):
    """A cause of waiting a person typed cannot be read.

    Args:
        text: what the person typed.
        reason: a short sentence saying what is wrong with it, to reuse in longer messages.
    """

    def __init__(self, text: str, reason: str) -> None:
        said = f"{quote(text)} — {reason}" if text.strip() else reason[:1].upper() + reason[1:]
        super().__init__(f"{said} Try {CAUSE_FORMS}.", CAUSE_FORMS)
        self.text = text
        self.reason = reason


def parse_cause(text: str) -> WaitCause:
    """Read why work waited: `for approval`, `(queue)`, `why:dependency`, `sign-off`, ….

    Raises:
        CauseError: no cause, a word that is not a cause, words of two causes, or digits or
            symbols in it; the message lists the causes.
    """
    if len(text) > _LONGEST_TEXT:
        raise CauseError(text, "that is too long to be a cause of waiting.")
    odd = [c for c in _WORD.sub(" ", text) if not c.isspace() and c not in _PUNCTUATION]
    if odd:
        raise CauseError(text, f"I can't read {quote(''.join(odd))} in a cause; {_say()}")
    words = [_singular(word) for word in _WORD.findall(text.casefold())]
    words = [word for word in words if word not in _LINKING]
    found: list[WaitCause] = []
    at = 0
    while at < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - at), 0, -1):
            cause = _PHRASES.get(tuple(words[at : at + size]))
            if cause is not None:
                found.append(cause)
                at += size
                break
        else:
            raise CauseError(text, f"I can't read {quote(words[at])} as a cause; {_say()}")
    causes = list(dict.fromkeys(found))
    if not causes:
        raise CauseError(text, f"no cause is given; {_say()}")
    if len(causes) > 1:
        named = " and ".join(causes)
        raise CauseError(text, f"that names more than one cause ({named}); give one.")
    return causes[0]


def _say() -> str:
    return f"say {CAUSE_LIST}."


def _singular(word: str) -> str:
    if word in _KNOWN_WORDS:
        return word
    for ending, instead in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(ending) and word[: -len(ending)] + instead in _KNOWN_WORDS:
            return word[: -len(ending)] + instead
    return word


def format_cause(cause: WaitCause) -> str:
    """Write a cause so that `parse_cause` reads it back: `why:decision`."""
    return f"why:{cause}"


def step_cause(causes: Iterable[WaitCause | None]) -> WaitCause | None:
    """A step's cause: the most frequent of its respondents' latest causes; None if none given.

    Args:
        causes: one per respondent (their latest answer's cause); None does not vote.

    Returns:
        The cause most often given; on a tie, the one earlier in the table.
    """
    votes = Counter(cause for cause in causes if cause is not None)
    if not votes:
        return None
    return min(votes, key=lambda cause: (-votes[cause], CAUSES.index(cause)))


@dataclass(frozen=True)
class StepWait:
    """A step's wait in one cycle and its cause (see `step_cause`)."""

    key: int
    position: int
    name: str
    wait_s: int | None
    cause: WaitCause | None


@dataclass(frozen=True)
class CauseShare:
    """The wait held by one cause.

    Attributes:
        cause: the cause; None for the steps whose cause nobody said.
        steps: names of the steps with this cause and a known wait, in position order.
        wait_s: their total wait.
        share: wait_s / the total wait; None when the total wait is 0.
    """

    cause: WaitCause | None
    steps: tuple[str, ...]
    wait_s: int
    share: float | None


@dataclass(frozen=True)
class WaitCauses:
    """A cycle's wait by cause.

    Attributes:
        shares: one per cause in table order, then "not said" (cause None); the shares add
            up to 100% unless the total wait is 0.
        wait_s: the total wait over the steps that have one.
        decision_points: the steps whose cause is decision, in position order.
        partial: some step has no wait, so the shares leave it out.
        missing_waits: names of those steps.
    """

    shares: tuple[CauseShare, ...]
    wait_s: int
    decision_points: tuple[StepWait, ...]
    partial: bool
    missing_waits: tuple[str, ...]

    def share_of(self, cause: WaitCause | None) -> CauseShare:
        """The wait held by one cause (None: not said)."""
        return next(share for share in self.shares if share.cause == cause)


def decision_points(steps: Sequence[StepWait]) -> tuple[StepWait, ...]:
    """The steps whose cause of waiting is decision, in position order."""
    return tuple(s for s in sorted(steps, key=lambda s: s.position) if s.cause == "decision")


def wait_by_cause(steps: Sequence[StepWait]) -> WaitCauses:
    """Share the cycle's total wait out by cause (see the module for the rules)."""
    ordered = sorted(steps, key=lambda step: step.position)
    known = [step for step in ordered if step.wait_s is not None]
    total = sum(step.wait_s or 0 for step in known)
    shares = []
    for cause in (*CAUSES, None):
        mine = [step for step in known if step.cause == cause]
        wait = sum(step.wait_s or 0 for step in mine)
        share = float(Fraction(wait, total)) if total else None
        shares.append(CauseShare(cause, tuple(step.name for step in mine), wait, share))
    missing = tuple(step.name for step in ordered if step.wait_s is None)
    return WaitCauses(
        shares=tuple(shares),
        wait_s=total,
        decision_points=decision_points(ordered),
        partial=bool(missing),
        missing_waits=missing,
    )
