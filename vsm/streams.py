"""A value stream as defined: trigger → steps (team, people) → value for the customer."""

from dataclasses import dataclass

from vsm.durations import TimeBasis


@dataclass(frozen=True)
class StreamStep:
    """One step of a stream as it stands now, at its position (1 = first)."""

    position: int
    name: str
    team: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class ValueStream:
    """A value stream's definition, homed in one channel.

    Attributes:
        id: its key (the database id), stable across renames.
        basis: how its durations are read and shown (calendar or working time).
    """

    id: int
    name: str
    channel_id: str
    trigger: str
    value: str
    customer: str
    basis: TimeBasis
    archived: bool
    steps: tuple[StreamStep, ...]
