"""Database URLs as hosts hand them out, read without loading SQLAlchemy (the web server's
master process checks its settings and nothing more)."""


def normalize_database_url(url: str) -> str:
    """The SQLAlchemy URL for a DATABASE_URL as hosts hand it out.

    Heroku-style `postgres://` and plain `postgresql://` get the psycopg 3 driver.

    Raises:
        ValueError: the URL is for a database we do not support, or is not a URL.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("it is not a URL; use sqlite:///vsm.db or postgresql://user@host/db")
    scheme = scheme.lower()
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    if scheme in ("postgresql+psycopg", "sqlite", "sqlite+pysqlite"):
        return f"{scheme}://{rest}"
    raise ValueError(f"{scheme}:// is not supported; use sqlite:///vsm.db or postgresql://…")
