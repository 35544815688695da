"""A bare Bolt app, served the way vsm-bot is: the yardstick bench/slash_latency.py measures
the bot against.

    SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… SLACK_API_URL=http://127.0.0.1:PORT/api/ \\
        .venv/bin/python bench/bare_bolt.py --port 3001

It acks `/vsm` with a fixed ephemeral text and acks every `message` event, nothing more: no
database, no templates, no checks of its own beyond Bolt's signature verification. It runs
under gunicorn with the values bot/server.py gives it (gthread, WEB_CONCURRENCY workers × 4
threads, the same timeouts and logging), so what the bot spends beyond this app is the bot's
own work. The values are copied, not imported: this app imports nothing of the bot.

Configured from the environment like the bot: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_API_URL (the stand-in Slack's Web API), WEB_CONCURRENCY (default 2), LOG_LEVEL
(default INFO). `GET /healthz` answers 200, so a caller can wait for it as for the bot.
"""

import argparse
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

REPLY = "vsm-bot bench: a fixed reply."
# bot/server.py's gunicorn settings, by value (bind, worker class, threads, timeouts, logs).
THREADS = 4
TIMEOUT_S = 30
GRACEFUL_TIMEOUT_S = 20


@dataclass(frozen=True)
class Config:
    token: str
    signing_secret: str
    api_url: str
    workers: int
    log_level: str


def config_from_env() -> Config:
    """The app's settings; SLACK_BOT_TOKEN is taken out of the environment.

    Bolt reads SLACK_BOT_TOKEN by itself when it is set and warns that the client's token
    wins; taking it out here (before gunicorn forks) keeps the workers' logs to requests.
    """
    missing = [
        name for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET") if not os.environ.get(name)
    ]
    if missing:
        raise SystemExit(f"bare_bolt: set {' and '.join(missing)}")
    return Config(
        token=os.environ.pop("SLACK_BOT_TOKEN"),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        api_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
        workers=int(os.environ.get("WEB_CONCURRENCY", "2")),
        log_level=os.environ.get("LOG_LEVEL", "INFO"),
    )


def build_app(config: Config) -> App:
    """Bolt with one command listener and one event listener, its client on SLACK_API_URL."""
    app = App(
        client=WebClient(token=config.token, base_url=config.api_url),
        signing_secret=config.signing_secret,
        # As the bot: the listener runs before the HTTP answer, and the ack carries the reply.
        process_before_response=True,
    )

    @app.command("/vsm")
    def on_vsm(ack: Ack) -> None:
        ack(text=REPLY, response_type="ephemeral")

    @app.event("message")
    def on_message(ack: Ack) -> None:
        ack()

    return app


def wsgi_app(config: Config) -> "WSGIApplication":
    """Bolt's own WSGI adapter on /slack/events, and GET /healthz."""
    handler = SlackRequestHandler(build_app(config))

    def application(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
            return [b"ok\n"]
        return handler(environ, start_response)

    return application


class BareServer(BaseApplication):  # type: ignore[misc]  # gunicorn's classes are untyped
    """gunicorn with bot/server.py's settings; each worker builds its own app (no preload)."""

    def __init__(self, config: Config, port: int) -> None:
        self.config = config
        self.port = port
        super().__init__()

    def load_config(self) -> None:
        settings: dict[str, Any] = {
            "bind": f"0.0.0.0:{self.port}",
            "workers": self.config.workers,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": TIMEOUT_S,
            "graceful_timeout": GRACEFUL_TIMEOUT_S,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": self.config.log_level.lower(),
            "proc_name": "bare-bolt-web",
            "control_socket_disable": True,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> "WSGIApplication":
        return wsgi_app(self.config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    args = parser.parse_args(argv)
    BareServer(config_from_env(), args.port).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
