"""A lock per person across processes, for work that must happen one at a time for them
(reading and publishing their Home tab): PostgreSQL's advisory locks, or on SQLite — one
machine by nature — a byte-range lock in a file beside the database."""

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, select

from storage.tenant import Tenant

_SLOTS = 1 << 20  # byte offsets in the SQLite lock file: people spread over a million slots
_files: dict[str, int] = {}
_files_lock = threading.Lock()


def _key(tenant: Tenant, user: str, purpose: str) -> int:
    digest = hashlib.blake2b(
        f"{purpose}|{tenant.enterprise_id}|{tenant.team_id}|{user}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def person_lock(engine: Engine, tenant: Tenant, user: str, purpose: str) -> Iterator[None]:
    """Hold the lock for (`tenant`, `user`, `purpose`) until the block ends; other processes
    asking for the same one wait. Within one process the caller keeps them apart itself."""
    key = _key(tenant, user, purpose)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(select(func.pg_advisory_xact_lock(key)))
            try:
                yield
            finally:
                connection.rollback()  # ends the transaction, and with it the lock
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # one connection, one process: nothing to keep apart
        return
    descriptor = _lock_file(str(Path(database).resolve()) + ".person-locks")
    offset = key % _SLOTS
    fcntl.lockf(descriptor, fcntl.LOCK_EX, 1, offset)
    try:
        yield
    finally:
        fcntl.lockf(descriptor, fcntl.LOCK_UN, 1, offset)


def _lock_file(path: str) -> int:
    # One descriptor per file and process: closing any descriptor of a file would drop every
    # lock the process holds on it.
    with _files_lock:
        if path not in _files:
            _files[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return _files[path]
