"""Similar work: the same kind of step in several streams, set side by side.

Step names are compared by the words they share. A name is normalised: lower case; hyphens and
apostrophes are dropped (`kick-off` is `kickoff`, `customer's` is `customers`); anything else
that is not a letter or a digit becomes a space; stop words are dropped (`STOP_WORDS`); then
each word loses one common ending, so inflections of a word meet:

- plurals: `-ies` → `-y` (deliveries → delivery), `-sses` → `-ss`, `-es` after ch, sh, x or z
  (batches → batch), `-s` except after s, u or i (contracts → contract; process, status and
  analysis stay);
- `-ing` and `-ed`, with a doubled last letter undoubled except l, s and z (reviewing →
  review, planned → plan, billing → bill); not `-eed` (speed, proceed stay);
- then a final `-e` (approve, approved and approving all become `approv`).

A word keeps at least three letters and a vowel, so `as`, `string` and `red` stay as they are.
Only inflections meet: `approval` and `approve` are different words.

Two names are the same work when the Jaccard overlap of their word sets (shared words / all
words) is at least 2/3; steps worked by the same team (ignoring case) need only 1/2, since the
same team doing "Onboarding" and "Customer onboarding" is most likely doing the same thing.
Only steps of different streams are matched, and groups are transitive: if A matches B and B
matches C, all three are one group.

In each group, a step is much slower when its lead time or its wait is at least `MUCH` (2)
times the lowest in the group, and that lowest is more than 0.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from vsm.flow import team_name
from vsm.names import fold

STOP_WORDS = frozenset(
    ("of", "the", "a", "an", "and", "for", "to", "in", "on", "with", "by", "at", "from", "or")
)
SAME_WORK = Fraction(2, 3)
SAME_TEAM = Fraction(1, 2)
MUCH = 2

_JOINING = re.compile(r"[-‐‑'’]")
_NOT_WORD = re.compile(r"[\W_]+")
_VOWEL = re.compile(r"[aeiouy]")
_SHORTEST = 3


def name_words(name: str) -> frozenset[str]:
    """The normalised words of a step name: `Review of contracts` → {review, contract}."""
    words = _NOT_WORD.sub(" ", _JOINING.sub("", name.casefold())).split()
    return frozenset(_stem(word) for word in words if word not in STOP_WORDS)


def _stem(word: str) -> str:
    for ending, instead in (("ies", "y"), ("sses", "ss")):
        if word.endswith(ending):
            return _keep(word, word[: -len(ending)] + instead)
    if re.search(r"(?:ch|sh|x|z)es$", word):
        return _tail_e(_keep(word, word[:-2]))
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return _tail_e(_keep(word, word[:-1]))
    for ending in ("ing", "ed"):
        if word.endswith(ending) and not word.endswith("eed"):
            stem = word[: -len(ending)]
            if len(stem) > 1 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]
            return _tail_e(_keep(word, stem))
    return _tail_e(word)


def _keep(word: str, stem: str) -> str:
    """The stem, unless it is too short or has no vowel: then the word as it was."""
    return stem if len(stem) >= _SHORTEST and _VOWEL.search(stem) else word


def _tail_e(word: str) -> str:
    return _keep(word, word[:-1]) if word.endswith("e") else word


def name_similarity(first: str, second: str) -> float:
    """The Jaccard overlap of two names' normalised words, 0 to 1 (0 when either has none)."""
    return float(_overlap(name_words(first), name_words(second)))


def _overlap(first: frozenset[str], second: frozenset[str]) -> Fraction:
    if not first or not second:
        return Fraction(0)
    return Fraction(len(first & second), len(first | second))


def same_work(first: str, second: str, *, same_team: bool = False) -> bool:
    """Whether two step names are the same work: overlap ≥ 2/3, or ≥ 1/2 for the same team."""
    overlap = _overlap(name_words(first), name_words(second))
    return overlap >= (SAME_TEAM if same_team else SAME_WORK)


@dataclass(frozen=True)
class StreamStep:
    """A step of one stream with its latest numbers.

    Attributes:
        team: None or "" when not set.
        ca: %C&A received, a fraction; None when not rated.
    """

    stream_key: int
    stream_name: str
    step_key: int
    position: int
    name: str
    team: str | None = None
    wait_s: int | None = None
    process_s: int | None = None
    ca: float | None = None

    @property
    def lead_s(self) -> int | None:
        """Wait + process time; None if either is missing."""
        if self.wait_s is None or self.process_s is None:
            return None
        return self.wait_s + self.process_s


@dataclass(frozen=True)
class GroupRow:
    """One step of a group, against the group's fastest.

    Attributes:
        lead_ratio: its lead time / the lowest lead time in the group; None when either is
            unknown or the lowest is 0.
        wait_ratio: likewise for the wait.
        much_slower: either ratio is at least `MUCH`.
    """

    step: StreamStep
    lead_ratio: float | None
    wait_ratio: float | None
    much_slower: bool


@dataclass(frozen=True)
class SimilarGroup:
    """Steps of several streams that are the same work.

    Attributes:
        rows: its steps, in the order given.
        words: the normalised words all its steps share, sorted (may be empty in a chain).
        fastest: the step with the lowest lead time (the first on ties); None if none is known.
        by_team: some match in it needed the lower bar for steps of the same team.
    """

    rows: tuple[GroupRow, ...]
    words: tuple[str, ...]
    fastest: StreamStep | None
    by_team: bool

    @property
    def spread(self) -> bool:
        """Some step of the group is much slower than the fastest."""
        return any(row.much_slower for row in self.rows)


def group_similar(steps: Sequence[StreamStep]) -> tuple[SimilarGroup, ...]:
    """Group the steps of several streams that are the same work (see the module).

    Args:
        steps: the steps of all the streams, in the order to list them.

    Returns:
        The groups, each with steps of at least two streams, in the order of their first step.
    """
    words = [name_words(step.name) for step in steps]
    parent = list(range(len(steps)))
    by_team: set[int] = set()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, first in enumerate(steps):
        for j in range(i + 1, len(steps)):
            second = steps[j]
            if first.stream_key == second.stream_key:
                continue
            overlap = _overlap(words[i], words[j])
            together = _same_team(first, second) and overlap >= SAME_TEAM
            if overlap >= SAME_WORK or together:
                parent[root(j)] = root(i)
                if overlap < SAME_WORK:
                    by_team.add(i)
    members: dict[int, list[int]] = {}
    for i in range(len(steps)):
        members.setdefault(root(i), []).append(i)
    return tuple(
        _group([steps[i] for i in found], [words[i] for i in found], bool(by_team & set(found)))
        for found in members.values()
        if len(found) > 1
    )


def _same_team(first: StreamStep, second: StreamStep) -> bool:
    a, b = team_name(first.team), team_name(second.team)
    return a is not None and b is not None and fold(a) == fold(b)


def _group(steps: list[StreamStep], words: list[frozenset[str]], by_team: bool) -> SimilarGroup:
    leads = [step.lead_s for step in steps if step.lead_s is not None]
    waits = [step.wait_s for step in steps if step.wait_s is not None]
    lowest_lead = min(leads, default=None)
    lowest_wait = min(waits, default=None)
    rows = []
    for step in steps:
        lead_ratio = _ratio(step.lead_s, lowest_lead)
        wait_ratio = _ratio(step.wait_s, lowest_wait)
        much = any(ratio is not None and ratio >= MUCH for ratio in (lead_ratio, wait_ratio))
        rows.append(GroupRow(step, _float(lead_ratio), _float(wait_ratio), much))
    fastest = None
    if lowest_lead is not None:
        fastest = next(step for step in steps if step.lead_s == lowest_lead)
    shared = frozenset.intersection(*words)
    return SimilarGroup(tuple(rows), tuple(sorted(shared)), fastest, by_team)


def _ratio(value: int | None, lowest: int | None) -> Fraction | None:
    if value is None or not lowest:
        return None
    return Fraction(value, lowest)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
