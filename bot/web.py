"""The WSGI application: Slack's requests on POST /slack/events, and GET /healthz.

With OAuth, GET /slack/install and GET /slack/oauth_redirect install the app (bot/oauth.py).
Every request to /slack/events is checked before Bolt sees it (bot/inbound.py): headers,
signature, age, body shape, and whether the same signed request was seen already (a replay).
What fails gets a short 400/401; our own failure a 503 with a reference, so Slack tries again.
Nothing answers 500.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.app import Runtime, build_runtime
from bot.inbound import Inbound, Refusal, check_shape, check_signature, read_body
from bot.oauth import INSTALL_PATH, REDIRECT_PATH, oauth_page
from bot.settings import Settings
from storage.health import database_answers
from storage.replays import remember_signature

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def create_wsgi_app(settings: Settings) -> "WSGIApplication":
    """The web process's application, built from settings in the worker that serves it."""
    runtime = build_runtime(settings)
    secret = settings.secret("SLACK_SIGNING_SECRET")

    def application(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy = database_answers(runtime.engine)
            return _answer(
                start_response, 200 if healthy else 503, "ok" if healthy else "database unavailable"
            )
        if path in (INSTALL_PATH, REDIRECT_PATH):  # install by OAuth; 404 without it
            return _install(runtime, environ, start_response)
        if path != EVENTS_PATH:
            return _answer(start_response, 404, "Not Found")
        if method != "POST":
            return _answer(start_response, 405, "POST only")
        try:
            response = _slack_request(runtime, secret, environ)
            if response.status == 500:  # Bolt's own answer to a failure it caught
                raise RuntimeError("Bolt answered 500")
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("request to %s failed (reference %s)", EVENTS_PATH, reference)
            return _answer(start_response, 503, f"Try again later (reference {reference}).")
        return _bolt_answer(start_response, response)

    return application


def _install(
    runtime: Runtime, environ: "WSGIEnvironment", start_response: "StartResponse"
) -> Iterable[bytes]:
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
    request = BoltRequest(body="", query=environ.get("QUERY_STRING", ""), headers=_headers(environ))
    try:
        response = oauth_page(runtime.app, method, path, request)
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("install page %s failed (reference %s)", path, reference)
        return _answer(start_response, 503, f"Try again later (reference {reference}).")
    if response is None:
        return _answer(start_response, 404, "Not Found")
    return _bolt_answer(start_response, response)


def _slack_request(runtime: Runtime, secret: str, environ: dict[str, Any]) -> BoltResponse:
    headers = _headers(environ)
    plain = {name: str(value) for name, value in headers.items()}
    body = read_body(environ)
    if isinstance(body, Refusal):
        return _refused(body)
    checked = check_signature(body, plain, secret)
    if isinstance(checked, Refusal):
        return _refused(checked)
    shape = check_shape(checked.body, plain.get("content-type", ""))
    if isinstance(shape, Refusal):
        return _refused(shape)
    # A thread answer is the most frequent request: its event_id, claimed with the answer
    # itself, already makes a replay change nothing, so it needs no write of its own.
    if not shape.message_event and not _first_time(runtime, checked):
        return _refused(Refusal(401, "This request was sent before (a replay)."))
    return runtime.app.dispatch(
        BoltRequest(body=checked.body, query=environ.get("QUERY_STRING", ""), headers=headers)
    )


def _first_time(runtime: Runtime, inbound: Inbound) -> bool:
    """Record the request's signature; False when the same signed request came before."""
    with runtime.engine.begin() as connection:
        return remember_signature(
            connection=connection, signature=inbound.signature, now=runtime.core.services.now()
        )


def _headers(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    found: dict[str, str | Sequence[str]] = {}
    for key, value in environ.items():
        if key in ("CONTENT_LENGTH", "CONTENT_TYPE"):
            found[key.lower().replace("_", "-")] = str(value)
        elif key.startswith("HTTP_"):
            found[key[5:].lower().replace("_", "-")] = str(value)
    return found


def _refused(refusal: Refusal) -> BoltResponse:
    return BoltResponse(status=refusal.status, body=refusal.reason)


def _answer(start_response: "StartResponse", status: int, text: str) -> Iterable[bytes]:
    return _bolt_answer(start_response, BoltResponse(status=status, body=text + "\n"))


_REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    503: "Service Unavailable",
}


def _bolt_answer(start_response: "StartResponse", response: BoltResponse) -> Iterable[bytes]:
    body = response.body.encode() if isinstance(response.body, str) else response.body
    headers = [
        (name, value)
        for name, values in response.headers.items()
        for value in values
        if name.lower() != "content-length"
    ]
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "text/plain; charset=utf-8"))
    headers.append(("Content-Length", str(len(body))))
    headers.append(("Cache-Control", "no-store"))
    status = response.status
    start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
    return [body]
