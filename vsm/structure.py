"""The structure a cycle was measured with, and what changed in it from one cycle to another.

Each cycle keeps its steps (by key), their names and positions, each step's team and team type,
and the interaction mode of the hand-off into each step. Comparing two of them gives a list of
changes, as data for a summary to show beside the numbers.

What counts as a change:

- steps are matched by key; a key only after is added, a key only before is removed;
- a step is renamed when its name differs (spaces squeezed; a change of case counts);
- a step is moved when its place among the steps kept changed. Inserting or removing a step
  shifts the positions after it without moving them. Of the orders that explain the new order
  with the fewest moves, the one that keeps in place the steps whose place among the kept
  steps did not change is taken; on a tie, the step earlier in the new order stays;
- its team changed when the team differs, ignoring case and runs of spaces ("" is no team);
- a team's type changed when a team named in both structures has a different type (the type
  at its first step in each);
- an interaction mode changed when the hand-off into a step that is not the first step in
  either structure has a different mode (the hand-off into step 1 has no mode).

The list is ordered: steps removed (in their old order); then for each step of the new
structure in order, what happened to it (added; or renamed, moved, team changed, mode
changed); then team type changes, in the order the teams appear in the new structure.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from vsm.flow import team_name
from vsm.names import fold
from vsm.teams import InteractionMode, TeamType

ChangeKind = Literal[
    "step_added",
    "step_removed",
    "step_renamed",
    "step_moved",
    "team_changed",
    "team_type_changed",
    "mode_changed",
]


@dataclass(frozen=True)
class StructureStep:
    """A step as it stood when a cycle was measured.

    Attributes:
        team: None or "" when not set.
        team_type: the team's type then; None when not known.
        mode: the interaction mode of the hand-off into this step.
    """

    key: int
    position: int
    name: str
    team: str | None = None
    team_type: TeamType | None = None
    mode: InteractionMode = "none"


@dataclass(frozen=True)
class StructureChange:
    """One change between two structures.

    Attributes:
        kind: what changed.
        step_key: the step's key; None for a team's type.
        name: the step's name (its new one; its old one when removed), or the team's name.
        before, after: by kind — added: None → position; removed: position → None; renamed:
            old → new name; moved: old → new position; team: old → new team (None: no
            team); team type: old → new type (None: not known); mode: old → new mode.
    """

    kind: ChangeKind
    step_key: int | None
    name: str
    before: str | int | None
    after: str | int | None


def structure_changes(
    before: Sequence[StructureStep], after: Sequence[StructureStep]
) -> tuple[StructureChange, ...]:
    """What changed in a stream's structure from one cycle (before) to another (after).

    Raises:
        ValueError: a key appears twice in one structure.
    """
    old, new = _by_key(before), _by_key(after)
    old_order = sorted(before, key=lambda step: step.position)
    new_order = sorted(after, key=lambda step: step.position)
    changes = [
        StructureChange("step_removed", step.key, _clean(step.name), step.position, None)
        for step in old_order
        if step.key not in new
    ]
    moved = _moved([step.key for step in old_order], [step.key for step in new_order])
    first_before = old_order[0].key if old_order else None
    first_after = new_order[0].key if new_order else None
    for step in new_order:
        was = old.get(step.key)
        if was is None:
            changes.append(
                StructureChange("step_added", step.key, _clean(step.name), None, step.position)
            )
            continue
        changes.extend(_step_changes(was, step, step.key in moved))
        if step.key not in (first_before, first_after) and was.mode != step.mode:
            changes.append(
                StructureChange("mode_changed", step.key, _clean(step.name), was.mode, step.mode)
            )
    changes.extend(_team_type_changes(old_order, new_order))
    return tuple(changes)


def _by_key(steps: Sequence[StructureStep]) -> dict[int, StructureStep]:
    found = {step.key: step for step in steps}
    if len(found) != len(steps):
        raise ValueError(f"step keys must differ: {[step.key for step in steps]}")
    return found


def _clean(name: str) -> str:
    return " ".join(name.split())


def _step_changes(was: StructureStep, now: StructureStep, moved: bool) -> list[StructureChange]:
    name = _clean(now.name)
    found = []
    if _clean(was.name) != name:
        found.append(StructureChange("step_renamed", now.key, name, _clean(was.name), name))
    if moved:
        found.append(StructureChange("step_moved", now.key, name, was.position, now.position))
    team_before, team_after = team_name(was.team), team_name(now.team)
    if fold(team_before or "") != fold(team_after or ""):
        found.append(StructureChange("team_changed", now.key, name, team_before, team_after))
    return found


def _moved(before: Sequence[int], after: Sequence[int]) -> set[int]:
    """The kept steps that moved: those outside the best longest run kept in order."""
    rank = {key: place for place, key in enumerate(before)}
    kept = [key for key in after if key in rank]
    ranks = [rank[key] for key in kept]
    in_place = sorted(ranks)  # each kept step's place among the kept steps, before
    # Longest increasing run of old ranks; score (length, steps in their old place).
    score: list[tuple[int, int]] = []
    previous: list[int | None] = []
    for i, value in enumerate(ranks):
        own = (1, int(in_place[i] == value))
        best, link = own, None
        for j in range(i):
            if ranks[j] < value:
                candidate = (score[j][0] + 1, score[j][1] + own[1])
                if candidate > best:
                    best, link = candidate, j
        score.append(best)
        previous.append(link)
    stay: set[int] = set()
    end = max(range(len(ranks)), key=lambda i: (score[i], -i), default=None)
    while end is not None:
        stay.add(kept[end])
        end = previous[end]
    return {key for key in kept if key not in stay}


def _team_type_changes(
    before: Sequence[StructureStep], after: Sequence[StructureStep]
) -> list[StructureChange]:
    old_types = _team_types(before)
    found = []
    for team, (shown, team_type) in _team_types(after).items():
        if team in old_types and old_types[team][1] != team_type:
            found.append(
                StructureChange("team_type_changed", None, shown, old_types[team][1], team_type)
            )
    return found


def _team_types(steps: Sequence[StructureStep]) -> dict[str, tuple[str, TeamType | None]]:
    """Each team's type at its first step, by folded name, in order of first appearance."""
    found: dict[str, tuple[str, TeamType | None]] = {}
    for step in steps:
        team = team_name(step.team)
        if team is not None and fold(team) not in found:
            found[fold(team)] = (team, step.team_type)
    return found
