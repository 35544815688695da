"""The health check's look at the database, without loading the migration machinery (the web
process asks it for every load balancer probe, and should not carry Alembic in memory)."""

import logging

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


def database_answers(engine: Engine) -> bool:
    """Whether the database answers, with the bot's schema in it, right now (for /healthz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT version_num FROM alembic_version"))
    except Exception:
        log.warning("health check: the database does not answer", exc_info=True)
        return False
    return True
