"""What a use case may reach: the database, the renderer, the clock and the ports to Slack.
Built once per process by bot/, passed down."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from commands.ports import Deliverer, Directory, NoDelivery, OpenDirectory, SlackApi
from storage.engine import reading
from storage.types import utcnow
from templates import Renderer


@dataclass(frozen=True)
class Services:
    """The edges a use case needs, built once per process by the composition root."""

    engine: Engine
    renderer: Renderer
    deliverer: Deliverer = field(default_factory=NoDelivery)
    # Slack's Web API, for listeners and for what a use case asks of Slack (a time zone).
    slack: SlackApi | None = None
    # Who is an admin, who may see a channel: decides what a person may change and see.
    directory: Directory = field(default_factory=OpenDirectory)
    now: Callable[[], datetime] = utcnow

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Session]:
        """One session for one piece of work: committed if it succeeds, rolled back if not.

        Args:
            read_only: the work only reads; it then never waits for another's writes.
        """
        engine = reading(self.engine) if read_only else self.engine
        with Session(engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
