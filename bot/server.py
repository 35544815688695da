"""gunicorn, run from inside `vsm-bot serve` so settings are checked before it starts."""

from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication

if TYPE_CHECKING:
    from bot.settings import Settings


class WebServer(BaseApplication):  # type: ignore[misc]  # gunicorn's classes are untyped
    """gunicorn with our settings; each worker builds its own app (no preload: Bolt starts
    thread pools, which must not cross a fork).

    Given no `settings`, each worker loads them itself, and the master — which only forks and
    watches — never imports the settings model (pydantic) at all.
    """

    def __init__(
        self, port: int, workers: int, log_level: str, settings: "Settings | None" = None
    ) -> None:
        self.port = port
        self.workers = workers
        self.log_level = log_level
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        config: dict[str, Any] = {
            "bind": f"0.0.0.0:{self.port}",
            "workers": self.workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 30,
            "graceful_timeout": 20,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": self.log_level.lower(),
            "proc_name": "vsm-bot-web",
            # gunicorn's control socket is one per user: two bots on a host would share it.
            "control_socket_disable": True,
        }
        for key, value in config.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported here, in the worker: the master only forks and watches its workers, and
        # carries none of the bot in its memory.
        from bot.settings import load_settings
        from bot.web import create_wsgi_app

        return create_wsgi_app(self.settings or load_settings())


def serve(settings: "Settings", port: int) -> None:
    """Serve HTTP until stopped."""
    WebServer(port, settings.web_concurrency, settings.log_level, settings).run()


def main() -> None:
    """`python -m bot.server PORT WORKERS LOG_LEVEL`: the web server alone, in a fresh process
    that `vsm-bot serve` becomes once its checks pass, with the values those checks read — so
    the master carries none of what the checks loaded (pydantic, SQLAlchemy, Alembic,
    slack_sdk). Its workers read the settings again, from the same environment."""
    import logging
    import sys

    port, workers, log_level = sys.argv[1:4]
    logging.basicConfig(
        level=log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    WebServer(int(port), int(workers), log_level).run()


if __name__ == "__main__":
    main()
