"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, DateTime, Executable, Table, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on the way in and on the way out, on both databases.

    SQLite has no time zones: values are stored as naive UTC and come back with UTC
    attached. A naive datetime on the way in is a bug in our code, so it is refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store aware UTC timestamps only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed (compare-and-set checks it)."""
    # Session.execute is typed as returning Result; DML returns a CursorResult with rowcount.
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount or 0)


class HasId(Protocol):
    """A table row: its id is None until it is stored."""

    @property
    def id(self) -> int | None: ...


class NotStored(RuntimeError):
    """A row's id was asked for before the row was stored: a bug in our code."""


def known_id(value: int | None) -> int:
    """An id read from the database, where None cannot occur (a primary key column).

    Raises:
        NotStored: it is None after all.
    """
    if value is None:
        raise NotStored("a stored row came back without an id")
    return value


def id_of(row: HasId) -> int:
    """The id of a stored row.

    Raises:
        NotStored: the row has no id yet (it was never added and flushed).
    """
    if row.id is None:
        raise NotStored(f"{type(row).__name__} has no id: it was never stored")
    return row.id


def insert_new(session: Session, table: Any, **values: Any) -> bool:
    """INSERT a row unless one with the same key exists (ON CONFLICT DO NOTHING, one statement
    on both databases); True when this call inserted it. A row another open transaction is
    inserting is waited for, as a unique key makes the database do."""
    statement = _insert_new(session.get_bind().dialect.name, table)
    return session.execute(statement, values).first() is not None


@cache
def _insert_new(dialect: str, model: type[Any]) -> Executable:
    """The statement of insert_new, built once per process (the values come when it runs)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = table_of(model)
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT DO NOTHING.
    return insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)


def table_of(model: type[Any]) -> Table:
    """A model's table, for a plain INSERT whose rows nothing reads back as entities (no unit
    of work, no flush)."""
    return cast(Table, inspect(model).local_table)
