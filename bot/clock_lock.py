"""SQLite runs one clock; PostgreSQL runs any number.

On PostgreSQL clocks share the due work by row locks others skip (storage/claims.py), so each
one more adds throughput. On SQLite every writer takes the database's one write lock in turn:
a second clock would add nothing but waiting (and would keep the web process waiting too), so
a clock there first takes an exclusive lock on a file beside the database. A clock that finds
it taken says so once and waits for it: when the first clock stops (a deploy's old process,
or a crash: the system frees the lock of a dead process), the waiting one takes over at once.

`vsm-bot tick` takes no lock: a one-off tick beside a running clock does no harm (the claims
see to that), it only waits its turn at the write lock.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from sqlalchemy import Engine

log = logging.getLogger(__name__)

SUFFIX = ".clock-lock"


class ClockLock:
    """The exclusive lock the one clock on a SQLite database holds while it runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @classmethod
    def for_engine(cls, engine: Engine) -> ClockLock | None:
        """The lock for `engine`'s SQLite file; None where clocks need none (PostgreSQL, or a
        SQLite database in memory, which no other process can reach)."""
        url = engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        database = Path(url.database).resolve()
        return cls(database.with_name(database.name + SUFFIX))

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False when another clock holds it."""
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._held(fd)
        return True

    def acquire(self) -> None:
        """Take the lock, waiting as long as another clock holds it (a signal's handler may
        end the wait by raising)."""
        fd = self._open()
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._held(fd)

    def holder(self) -> str:
        """The process id the holder wrote into the file, for the log ("?" when unknown)."""
        try:
            return self.path.read_text().strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        return self._fd

    def _held(self, fd: int) -> None:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def wait_to_be_the_clock(lock: ClockLock | None) -> None:
    """Return once this process may run the clock: at once on PostgreSQL or when the SQLite
    lock is free; else after one line saying why it waits, when the other clock stops."""
    if lock is None or lock.try_acquire():
        return
    log.warning(
        "clock: another clock (pid %s) runs on this SQLite database; this one waits and takes "
        "over when it stops. SQLite runs one clock; for several, use PostgreSQL.",
        lock.holder(),
    )
    lock.acquire()
    log.info("clock: the other clock stopped; this one runs now")
