"""A throwaway PostgreSQL schema for a benchmark's run, shared by the scripts in bench/."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, text

from storage.engine import normalize_database_url


@contextmanager
def postgres_schema(postgres_url: str, prefix: str = "vsm_bench") -> Iterator[str]:
    """The URL of a fresh schema in the database at `postgres_url` (its search_path set),
    dropped with everything in it afterwards."""
    schema = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(normalize_database_url(postgres_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in postgres_url else "?"
        yield f"{postgres_url}{separator}options={quote(f'-csearch_path={schema}', safe='')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
