"""How use cases get their outbox messages sent: a port that bot/ implements."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Delivery:
    """What became of one outbox message on this attempt."""

    message_id: int
    sent: bool
    ts: str | None = None
    error: str | None = None
    gave_up: bool = False


class Deliverer(Protocol):
    """Sends committed outbox messages now; what fails stays queued for the clock to retry."""

    def deliver(self, message_ids: Sequence[int]) -> list[Delivery]: ...


class NoDelivery:
    """A deliverer for processes that only queue (the clock's sender picks the rows up)."""

    def deliver(self, message_ids: Sequence[int]) -> list[Delivery]:
        return []
