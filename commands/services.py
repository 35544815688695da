"""What a use case may reach: the database, the renderer, the clock. Built by bot/, passed down."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session

from commands.delivery import Deliverer, NoDelivery
from storage.types import utcnow
from templates import Renderer


@dataclass(frozen=True)
class Services:
    """The edges a use case needs, built once per process by the composition root."""

    engine: Engine
    renderer: Renderer
    deliverer: Deliverer = field(default_factory=NoDelivery)
    # Slack's Web API with the bot token, for calls outside a Bolt request (uploads, clock).
    slack: WebClient | None = None
    now: Callable[[], datetime] = utcnow

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One session for one piece of work: committed if it succeeds, rolled back if not."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
