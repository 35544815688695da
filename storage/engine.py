"""Engines for SQLite (the embedded default) and PostgreSQL (production)."""

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry

from storage.urls import normalize_database_url

SQLITE_BUSY_TIMEOUT_MS = 10_000
__all__ = ["make_engine", "normalize_database_url", "reading"]


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    sa_url = make_url(normalize_database_url(url))
    if sa_url.get_backend_name() == "sqlite":
        engine = create_engine(
            sa_url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    # Kept open: one for each of a web worker's threads that use the database (4 answering, 2
    # refreshing Homes) and two more, so a busy moment opens no connection of its own (on
    # PostgreSQL, a new server process each); at most 10 a process, as before.
    return create_engine(sa_url, pool_pre_ping=True, pool_size=8, max_overflow=2)


def _configure_sqlite(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


READ_ONLY = "vsm_read_only"  # an execution option: the transaction will only read


def reading(engine: Engine) -> Engine:
    """The same engine for transactions that only read: on SQLite they do not take the write
    lock, so any number of them run beside the one writer (WAL)."""
    return engine.execution_options(**{READ_ONLY: True})


def _begin_immediate(connection: Connection) -> None:
    # Every transaction that may write takes SQLite's write lock up front. A transaction that
    # read first and wrote later could otherwise fail at once with "database is locked" when
    # another writer got in between (the busy timeout does not cover that case). Writers take
    # turns; that is the SQLite trade-off, and PostgreSQL is there for more. A transaction
    # that only reads (see `reading`) begins deferred and never waits for the writers.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
