"""The `vsm-bot` command line: serve, socket, run, db upgrade, export."""

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.settings import Settings, SettingsError, load_settings
from storage.engine import make_engine, normalize_database_url
from storage.migrate import current_revision, head_revision, upgrade_database
from vsm.errors import VsmError

log = logging.getLogger("vsm")


class StartError(Exception):
    """The process cannot start; the message is one line saying why and what to do."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run `vsm-bot`; returns the exit status (0 ok, 1 could not run, 2 bad configuration)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":  # builds its own configuration: no settings, no .env
            return _demo(args)
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


class _Parser(argparse.ArgumentParser):
    """Says what is wrong with the command line on one line, like every other stop."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    clock = sub.add_parser("clock", help="run scheduled work every 30 seconds (Procfile clock:)")
    clock.set_defaults(run=_clock)
    tick = sub.add_parser("tick", help="run scheduled work once, for one instant, and exit")
    tick.add_argument(
        "--now", type=_instant, help="the instant, ISO-8601 with a zone (default: now)"
    )
    tick.set_defaults(run=_tick)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(run=_db_upgrade)
    sub.add_parser(
        "demo", help="play an improvement story against a stand-in Slack (no setup needed)"
    )
    export = sub.add_parser(
        "export", help="print a stream's steps and cycles as JSON or CSV (needs DATABASE_URL only)"
    )
    export.add_argument("stream", help="the stream's name, or a unique beginning of it")
    export.add_argument("--team", help="the workspace's team id (T…); optional with one workspace")
    export.add_argument("--enterprise", help="the Enterprise Grid id (E…), if any")
    export.add_argument("--format", required=True, choices=("json", "csv"))
    export.set_defaults(run=_export)
    _workspace_parser(sub)
    for name, what in (("map", "a cycle's value stream map"), ("trend", "a stream's trend")):
        picture = sub.add_parser(name, help=f"draw {what} as a PNG (needs DATABASE_URL only)")
        picture.add_argument("stream", help="the stream's name, or a unique beginning of it")
        if name == "map":
            picture.add_argument("--cycle", type=int, help="the cycle (default: the latest)")
        picture.add_argument("--out", required=True, type=Path, help="the PNG file to write")
        picture.add_argument("--team", help="the workspace's team id (T…)")
        picture.add_argument("--enterprise", help="the Enterprise Grid id (E…), if any")
        picture.set_defaults(run=_picture, picture=name)
    return parser


def _workspace_parser(sub: "argparse._SubParsersAction[_Parser]") -> None:
    workspace = sub.add_parser(
        "workspace", help="the workspaces served: list, forget (needs DATABASE_URL only)"
    )
    actions = workspace.add_subparsers(dest="workspace_command", required=True, metavar="ACTION")
    actions.add_parser("list", help="every workspace with data or the app installed").set_defaults(
        run=_workspace
    )
    forget = actions.add_parser(
        "forget", help="delete a workspace's data for good (after it uninstalled the app)"
    )
    forget.add_argument("team_id", help="the workspace's team id (T…)")
    forget.add_argument("--confirm", metavar="T…", help="the team id again: deletes for good")
    forget.add_argument(
        "--enterprise", help="the Enterprise Grid id (E…), if the team id is not enough"
    )
    forget.set_defaults(run=_workspace)


def _workspace(args: argparse.Namespace, settings: Settings) -> int:
    if settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    _check_schema(settings)
    from bot.workspace_cli import forget_command, list_command
    from commands.workspaces import ForgetRefused

    engine = _engine(settings)
    try:
        if args.workspace_command == "list":
            return list_command(engine, sys.stdout)
        return forget_command(args, engine, sys.stdout)
    except ForgetRefused as refused:
        raise StartError(refused.message) from None
    finally:
        engine.dispose()


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stderr
    )
    if level != "DEBUG":
        # Alembic announces every connection it configures and APScheduler every run of its
        # one job; only a debugging operator cares.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


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


def _export(args: argparse.Namespace, settings: Settings) -> int:
    if settings.log_level != "DEBUG":
        # stdout carries the data; stderr says only what went wrong, not routine INFO records.
        logging.getLogger().setLevel(logging.WARNING)
    _check_schema(settings)
    from commands.export import export_stream, pick_tenant
    from commands.export_format import to_csv, to_json

    engine = _engine(settings)
    try:
        with Session(engine) as session:
            tenant = pick_tenant(session, team=args.team, enterprise=args.enterprise)
            export = export_stream(session, tenant, args.stream)
    except VsmError as error:
        raise StartError(error.message) from None
    finally:
        engine.dispose()
    sys.stdout.write(to_csv(export) if args.format == "csv" else to_json(export))
    return 0


def _check_bot_token(settings: Settings) -> None:
    from bot.startup import TokenRefused, check_bot_token

    try:
        check_bot_token(settings.secret("SLACK_BOT_TOKEN"), settings.slack_api_url)
    except TokenRefused as refused:
        raise StartError(str(refused)) from None


def _check_app_token(settings: Settings) -> None:
    from bot.startup import TokenRefused, check_app_token

    try:
        check_app_token(settings.secret("SLACK_APP_TOKEN"), settings.slack_api_url)
    except TokenRefused as refused:
        raise StartError(str(refused)) from None


def _picture(args: argparse.Namespace, settings: Settings) -> int:
    if settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    _check_schema(settings)
    from commands.export import pick_tenant
    from commands.pictures import draw_for_operator

    engine = _engine(settings)
    try:
        with Session(engine) as session:
            tenant = pick_tenant(session, team=args.team, enterprise=args.enterprise)
            png, width, height = draw_for_operator(
                session, tenant, args.stream, args.picture, getattr(args, "cycle", None)
            )
    except VsmError as error:
        raise StartError(error.message) from None
    finally:
        engine.dispose()
    try:
        args.out.write_bytes(png)
    except OSError as error:
        raise StartError(f"cannot write {args.out}: {error.strerror}") from None
    print(f"wrote {args.out} ({width} × {height} px, {len(png) // 1024} kB)")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    _check_to_serve(settings)
    # Checked: become the web server itself, a process that loads nothing the checks did.
    sys.stdout.flush()
    sys.stderr.flush()
    port = str(args.port or settings.port)
    served = [port, str(settings.web_concurrency), settings.log_level]
    # Each worker answers on several threads, and glibc gives each thread that allocates an
    # arena of its own, which keeps what it freed: two arenas hold a worker's memory as well.
    environment = {"MALLOC_ARENA_MAX": "2", **os.environ}
    os.execve(sys.executable, [sys.executable, "-m", "bot.server", *served], environment)  # noqa: S606


def _check_to_serve(settings: Settings) -> None:
    if settings.oauth:  # tokens come with each install: none to check before starting
        settings.require("SLACK_SIGNING_SECRET")
        _check_schema(settings)
        return
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    _check_schema(settings)
    _check_bot_token(settings)


def _require_token_unless_oauth(settings: Settings) -> None:
    if not settings.oauth:
        settings.require("SLACK_BOT_TOKEN")


def _refuse_socket_mode_with_oauth(settings: Settings) -> None:
    if settings.oauth:
        raise StartError(
            "Socket Mode serves the one workspace of SLACK_BOT_TOKEN: to install by OAuth "
            "(SLACK_CLIENT_ID), unset SLACK_APP_TOKEN and serve HTTP (`vsm-bot serve`)."
        )


def _serve_here(args: argparse.Namespace, settings: Settings) -> int:
    """Serve in this process (for `vsm-bot run`, whose clock runs on a thread beside it)."""
    _check_to_serve(settings)
    from bot.server import serve

    serve(settings, args.port or settings.port)
    return 0


def _socket(args: argparse.Namespace, settings: Settings) -> int:
    _refuse_socket_mode_with_oauth(settings)
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    _check_schema(settings)
    _check_bot_token(settings)
    _check_app_token(settings)
    from bot.socket import SocketModeFailed, run_socket_mode

    try:
        run_socket_mode(settings)
    except SocketModeFailed as failed:
        raise StartError(str(failed)) from None
    return 0


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 instant, e.g. 2026-03-29T07:00:00+02:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a zone, e.g. {text}Z or {text}+01:00")
    return moment.astimezone(UTC)


def _clock(args: argparse.Namespace, settings: Settings) -> int:
    _require_token_unless_oauth(settings)
    _check_schema(settings)
    if not settings.oauth:
        _check_bot_token(settings)
    from bot.app import build_core
    from bot.clock import run_clock

    run_clock(build_core(settings))
    return 0


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    _require_token_unless_oauth(settings)
    _check_schema(settings)
    from bot.app import build_core
    from bot.clock import tick

    moment: datetime = args.now or datetime.now(UTC)
    report = tick(build_core(settings, now=lambda: moment), moment)
    print(
        f"tick {moment.isoformat()}: opened {report.opened}, reminded {report.reminded}, "
        f"closed {report.closed}, cancelled {report.cancelled}, digests {report.digests}"
    )
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.slack_app_token is not None:
        _refuse_socket_mode_with_oauth(settings)
    _require_token_unless_oauth(settings)
    if settings.slack_app_token is None:
        settings.require("SLACK_SIGNING_SECRET")
    _migrate(settings)
    if not settings.oauth:
        _check_bot_token(settings)
    from bot.app import build_core
    from bot.clock import start_background_clock

    # All-in-one: the clock ticks on a thread beside the web or Socket Mode process.
    start_background_clock(build_core(settings))
    if settings.slack_app_token is not None:
        return _socket(args, settings)
    return _serve_here(args, settings)


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
