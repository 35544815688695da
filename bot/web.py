"""The WSGI application: Bolt on POST /slack/events, and GET /healthz for load balancers."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.app import build_runtime
from bot.settings import Settings
from storage.migrate import database_answers

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment


def create_wsgi_app(settings: Settings) -> "WSGIApplication":
    """The web process's application, built from settings in the worker that serves it."""
    runtime = build_runtime(settings)
    slack = SlackRequestHandler(runtime.app, path="/slack/events")

    def application(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            healthy = database_answers(runtime.engine)
            body = b"ok\n" if healthy else b"database unavailable\n"
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
            return [body]
        return slack(environ, start_response)

    return application
