"""gunicorn, run from inside `vsm-bot serve` so settings are checked before it starts."""

from typing import Any

from gunicorn.app.base import BaseApplication

from bot.settings import Settings, load_settings


class WebServer(BaseApplication):  # type: ignore[misc]  # gunicorn's classes are untyped
    """gunicorn with our settings; each worker builds its own app (no preload: Bolt starts
    thread pools, which must not cross a fork)."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.settings = settings
        self.port = port
        super().__init__()

    def load_config(self) -> None:
        config: dict[str, Any] = {
            "bind": f"0.0.0.0:{self.port}",
            "workers": self.settings.web_concurrency,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 30,
            "graceful_timeout": 20,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": self.settings.log_level.lower(),
            "proc_name": "vsm-bot-web",
            # gunicorn's control socket is one per user: two bots on a host would share it.
            "control_socket_disable": True,
        }
        for key, value in config.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported here, in the worker: the master only forks and watches, and carries
        # none of the bot in its memory.
        from bot.web import create_wsgi_app

        return create_wsgi_app(self.settings)


def serve(settings: Settings, port: int) -> None:
    """Serve HTTP until stopped."""
    WebServer(settings, port).run()


def main() -> None:
    """`python -m bot.server PORT`: the web server alone, in a fresh process that `vsm-bot serve`
    becomes once its checks pass — so the master, which only forks and watches its workers,
    carries none of what the checks loaded (SQLAlchemy, Alembic, slack_sdk)."""
    import logging
    import sys

    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    serve(settings, int(sys.argv[1]))


if __name__ == "__main__":
    main()
