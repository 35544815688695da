"""The `vsm-bot` command line: serve, socket, run, db upgrade."""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings, SettingsError, load_settings
from storage.engine import make_engine, normalize_database_url
from storage.migrate import current_revision, head_revision, upgrade_database

log = logging.getLogger("vsm")


class StartError(Exception):
    """The process cannot start; the message is one line saying why and what to do."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run `vsm-bot`; returns the exit status (0 ok, 1 could not run, 2 bad configuration)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        _configure_logging(settings.log_level)
        command: Callable[[argparse.Namespace, Settings], int] = args.run
        return command(args, settings)
    except SettingsError as error:
        print(f"vsm-bot: {error}", file=sys.stderr)
        return 2
    except StartError as error:
        print(f"vsm-bot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vsm-bot",
        description="Value stream mapping in Slack. Configure with environment "
        "variables or a .env file (see the README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="serve Slack's HTTP requests (gunicorn)")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT or 3000)")
    serve.set_defaults(run=_serve)
    socket = sub.add_parser("socket", help="connect to Slack in Socket Mode")
    socket.set_defaults(run=_socket)
    run = sub.add_parser("run", help="all-in-one: migrate, then Socket Mode or HTTP")
    run.add_argument("--port", type=int, help="HTTP port when not in Socket Mode")
    run.set_defaults(run=_run)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(run=_db_upgrade)
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stderr
    )


def _engine(settings: Settings) -> Engine:
    return make_engine(settings.database_url)


def _where(settings: Settings) -> str:
    """The database, named for a person without its password."""
    return make_url(normalize_database_url(settings.database_url)).render_as_string(
        hide_password=True
    )


def _migrate(settings: Settings) -> None:
    try:
        upgrade_database(_engine(settings))
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).strip().splitlines()[0]
        raise StartError(
            f"cannot migrate the database at {_where(settings)}: {reason}. "
            "Check DATABASE_URL and that the database is running."
        ) from None


def _check_schema(settings: Settings) -> None:
    try:
        current = current_revision(_engine(settings))
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).strip().splitlines()[0]
        raise StartError(
            f"cannot reach the database at {_where(settings)}: {reason}. "
            "Check DATABASE_URL and that the database is running."
        ) from None
    if current != head_revision():
        raise StartError(
            f"the database at {_where(settings)} is not up to date: run `vsm-bot db upgrade` "
            "first (the Procfile's release phase does this)."
        )


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    _migrate(settings)
    log.info("database at %s is up to date", _where(settings))
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    _check_schema(settings)
    from bot.server import serve

    serve(settings, args.port or settings.port)
    return 0


def _socket(args: argparse.Namespace, settings: Settings) -> int:
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    _check_schema(settings)
    from bot.socket import run_socket_mode

    run_socket_mode(settings)
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    settings.require("SLACK_BOT_TOKEN")
    if settings.slack_app_token is None:
        settings.require("SLACK_SIGNING_SECRET")
    _migrate(settings)
    if settings.slack_app_token is not None:
        return _socket(args, settings)
    return _serve(args, settings)


if __name__ == "__main__":
    sys.exit(main())
