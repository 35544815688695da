"""Databases for tests: a SQLite file by default, a fresh PostgreSQL schema with TEST_DATABASE_URL.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test pytest

Each PostgreSQL database handed out is its own schema `vsm_t_<random>`, put first on the
search_path through the URL, and dropped afterwards. A PostgreSQL that does not answer fails
the run: a suite that silently skips its production database proves nothing.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

ENV = "TEST_DATABASE_URL"
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def postgres_base_url() -> str | None:
    """TEST_DATABASE_URL when set (a PostgreSQL URL), else None for SQLite."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        return None
    scheme = url.partition("://")[0].lower()
    if scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
        pytest.fail(f"{ENV} must be a postgresql:// URL, not {scheme}://", pytrace=False)
    return url


def sqlite_url(directory: Path) -> str:
    """A URL for a new SQLite file `vsm.db` in `directory`."""
    return f"sqlite:///{Path(directory) / 'vsm.db'}"


def libpq_url(url: str) -> str:
    """The URL psycopg itself accepts (no SQLAlchemy driver suffix)."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.lower().startswith("postgres") else url


def schema_url(base_url: str, schema: str) -> str:
    """An SQLAlchemy URL whose connections put `schema` first on the search_path."""
    rest = base_url.partition("://")[2]
    option = "options=" + quote(f"-csearch_path={schema}", safe="")
    separator = "&" if "?" in rest else "?"
    return f"postgresql+psycopg://{rest}{separator}{option}"


def _connect(base_url: str):  # type: ignore[no-untyped-def]  # psycopg is imported lazily
    import psycopg

    try:
        return psycopg.connect(libpq_url(base_url), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    # Outside the except block, so the report is this message, not psycopg's traceback.
    pytest.fail(
        f"{ENV} is set but PostgreSQL does not answer ({reason}). Start it with:\n"
        f"    {START_POSTGRES}\n"
        f"or unset {ENV} to run on SQLite.",
        pytrace=False,
    )


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """Create schema vsm_t_<random>, yield a URL that uses it, drop it afterwards."""
    schema = f"vsm_t_{secrets.token_hex(6)}"
    with _connect(base_url) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema_url(base_url, schema)
    finally:
        with _connect(base_url) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind this run tests: SQLite in `tmp_path`, or a PG schema."""
    base = postgres_base_url()
    if base is None:
        Path(tmp_path).mkdir(parents=True, exist_ok=True)
        yield sqlite_url(tmp_path)
        return
    with postgres_schema(base) as url:
        yield url
