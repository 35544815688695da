"""Many workspaces on one database and one stand-in Slack, and several clocks on them.

    with fleet_of(url, teams=("T1", "T2"), channels=3) as fleet:
        due = fleet.schedule_everything()     # a measured stream and a digest per channel
        fleet.tick_together(fleet.clocks(3), due)
        assert fleet.posted_keys() == …

Each workspace is installed in the stand-in (its own bot token, so the stand-in knows whose
call each is), and set up through the use cases (streams, steps, schedules, digests). A clock
is bot.app.build_core with every workspace's token, on an engine of its own (its own
connections, as a process has); `tick_together` runs bot.clock.tick in one thread per clock,
released at once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from bot import clock as bot_clock
from bot.app import Core, build_core
from bot.settings import Settings
from commands.clock import TickReport
from commands.scheduling import set_digest, set_schedule
from commands.steps import add_step
from commands.streams import NewStream, create_stream
from standin.server import FakeSlack
from storage.engine import make_engine
from storage.migrate import upgrade_database
from storage.models import OutboxMessage
from storage.tenant import Tenant
from tests.support.cli_in_process import clear_bot_settings
from vsm.durations import read_span
from vsm.schedule_words import parse_schedule_words

POST = "chat.postMessage"
KEY_EVENT = "vsm_outbox"  # bot/gateway.py: the metadata that carries an outbox message's key
PEOPLE = ("UANN", "UBO")
WHEN = ["every", "1", "weeks", "on", "mon", "at", "9:00"]
DIGEST = ["weekly", "on", "mon", "at", "9:00"]


class MovableNow:
    """The `now` every clock's services and outbox sender read: the instant being ticked."""

    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


def channel_of(team: str, number: int) -> str:
    return f"C{team}X{number}"


@dataclass
class Fleet:
    fake: FakeSlack
    url: str
    teams: tuple[str, ...]
    channels: int
    tokens: dict[str, str]
    now: MovableNow = field(default_factory=MovableNow)
    _cores: list[Core] = field(default_factory=list)

    def clocks(self, count: int) -> list[Core]:
        """`count` clocks, each with its own engine."""
        with pytest.MonkeyPatch.context() as patch:
            clear_bot_settings(patch)  # only what the test says: nothing from the shell
            settings = Settings(
                slack_api_url=self.fake.api_url, database_url=self.url, _env_file=None
            )
        made = [
            build_core(settings, now=self.now, token_for=lambda t: self.tokens[t.team_id])
            for _ in range(count)
        ]
        self._cores.extend(made)
        return made

    def schedule_everything(self) -> datetime:
        """In every workspace and channel, a stream of two steps measured weekly (window one
        day) and the channel's weekly digest, all due at one instant, which is returned."""
        [core] = self.clocks(1)
        services, due = core.services, set()
        for team in self.teams:
            tenant = Tenant(team_id=team)
            for number in range(self.channels):
                channel, name = channel_of(team, number), f"Stream {number}"
                create_stream(services, tenant, NewStream(name, channel, PEOPLE[0]))
                for step, person in zip(("Intake", "Review"), PEOPLE, strict=True):
                    add_step(services, tenant, name, name=step, people=(person,), by=PEOPLE[0])
                measured = set_schedule(
                    services,
                    tenant,
                    name,
                    parse_schedule_words(WHEN),
                    window=read_span("1d"),
                    zone="UTC",
                    user=PEOPLE[0],
                )
                digest = set_digest(
                    services,
                    tenant,
                    channel,
                    parse_schedule_words(DIGEST),
                    zone="UTC",
                    user=PEOPLE[0],
                )
                due |= {measured.schedule.next_run_at, digest.digest.next_run_at}
        [instant] = due
        return instant

    def tick_together(self, clocks: Sequence[Core], moment: datetime) -> list[TickReport]:
        """bot.clock.tick at `moment` on every clock at once, one thread each."""
        self.now.moment = moment
        start = threading.Barrier(len(clocks))

        def run(core: Core) -> TickReport:
            start.wait(timeout=30)
            return bot_clock.tick(core, moment)

        with ThreadPoolExecutor(max_workers=len(clocks)) as pool:
            return list(pool.map(run, clocks))

    def posted_keys(self, team: str | None = None) -> Counter[str]:
        """Outbox keys of the posts Slack took (from `team`'s token, or anyone's), counted."""
        keys: Counter[str] = Counter()
        for call in self.fake.calls(POST):
            if not call.applied or (team is not None and call.team_id != team):
                continue
            metadata = call.params.get("metadata") or {}
            if metadata.get("event_type") == KEY_EVENT:
                keys[str(metadata["event_payload"]["key"])] += 1
        return keys

    def outbox(self, team: str | None = None) -> list[OutboxMessage]:
        engine = make_engine(self.url)
        try:
            with Session(engine) as session:
                query = select(OutboxMessage).order_by(col(OutboxMessage.id))
                if team is not None:
                    query = query.where(OutboxMessage.team_id == team)
                return list(session.exec(query).all())
        finally:
            engine.dispose()

    def dispose(self) -> None:
        for core in self._cores:
            core.engine.dispose()


@contextmanager
def fleet_of(url: str, *, teams: Sequence[str], channels: int) -> Iterator[Fleet]:
    """The workspaces installed in a stand-in, on a freshly migrated database at `url`."""
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    with FakeSlack() as fake:
        tokens = {team: str(fake.oauth.install(team)["access_token"]) for team in teams}
        fleet = Fleet(fake, url, tuple(teams), channels, tokens)
        try:
            yield fleet
        finally:
            fleet.dispose()
        assert fake.internal_errors == [], fake.internal_errors
