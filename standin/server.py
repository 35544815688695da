"""FakeSlack: a loopback HTTP server that answers the Web API the way Slack does.

    with FakeSlack(token="xoxb-test") as slack:
        client = WebClient(base_url=slack.api_url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        [call] = slack.wait_for("chat.postMessage")

Every request is recorded as a `Call` (faulted and refused ones too) with the token and the
workspace it speaks for (`Call.team_id`, `Call.enterprise_id`), so tests assert on what
reached Slack and from whom; `Call.applied` says whether Slack did the work even when the
caller never got the answer. Faults are
injected per method for the next N calls: `fail` (429 with Retry-After, 5xx), `error`
(`ok: false`), `drop_connection`, and "deliver, then time out" (`deliver_then_time_out`,
`deliver_then_drop`: Slack does the work, the answer is lost); see calls.py. Rate limits per
workspace (`throttle`, `limit_rate`) and latency (`set_latency`): limits.py.

Workspaces: `FakeSlack(token=…)` is one workspace (T0FAKE) with that bot token, as before.
More come from OAuth (`fake.oauth`, oauth.py): each has its own bot token, and auth.test
answers for the token's workspace. `fake.revoke(token)` (`token_revoked`),
`fake.uninstall(team_id)` (`invalid_auth`), `fake.expire(token)` (`token_expired`). The
app-level token `fake.app_token` opens Socket Mode connections (`fake.socket_mode`,
socket_mode.py). The Web API methods live in webapi.py; workspace set-up and read-back in
state.py.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from standin import blockkit
from standin.base import APP_ID, DEFAULT_IDENTITY, Identity, SlackError
from standin.calls import (
    DROPPED,
    Answer,
    Call,
    Fault,
    FaultInjection,
    json_answer,
    redirect,
    text_answer,
)
from standin.files import UploadedFile
from standin.limits import RateLimits
from standin.messages import Message
from standin.oauth import OAuth
from standin.requests import AUTHORIZE, RESPONSE_URL, UPLOAD, read_request, token_of
from standin.socket_mode import SocketMode
from standin.state import WorkspaceState
from standin.tokens import Tokens
from standin.webapi import WebApi

__all__ = [
    "AUTHORIZE",
    "DROPPED",
    "RESPONSE_URL",
    "UPLOAD",
    "Call",
    "FakeSlack",
    "Message",
    "UploadedFile",
]

RESPONSE_URL_USES = 5  # Slack accepts five posts per response_url
NO_TOKEN_METHODS = frozenset({"api.test", "oauth.v2.access"})


class FakeSlack(WorkspaceState, FaultInjection, RateLimits):
    """A fake Slack Web API (plus response_url, upload, OAuth and Socket Mode) on 127.0.0.1."""

    def __init__(
        self,
        token: str | None = None,
        *,
        default_tz: str = "Europe/Berlin",
        app_token: str | None = None,
    ) -> None:
        ZoneInfo(default_tz)  # fail early on a typo
        self.token = token
        self.app_token = app_token or f"xapp-1-{APP_ID}-1-{secrets.token_hex(16)}"
        self._default_tz = default_tz
        # Reentrant: OAuth and the workspace helpers take it, also from inside _serve.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self.internal_errors: list[str] = []  # exceptions inside the fake itself
        self._faults: dict[str, deque[Fault]] = {}
        self._start_limits()
        self._response_urls: dict[str, int] = {}
        self._tokens = Tokens()
        if token:
            self._tokens.add_bot(token, DEFAULT_IDENTITY)
        self._tokens.add_app(self.app_token)
        self.oauth = OAuth(lambda: self.url, self._tokens, self._lock)
        self.socket_mode = SocketMode(APP_ID, self.new_response_url, self.new_trigger_id)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._api: WebApi | None = None
        self._started_at = time.time()

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        server = _Server(self)
        self._server = server
        self._api = WebApi(base_url=self.url, default_tz=self._default_tz)
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.1,), name="FakeSlack", daemon=True
        )
        self._thread.start()
        self.socket_mode.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # answers held back by deliver_then_time_out go out now
        self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT"""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """The base_url for WebClient (SLACK_API_URL): slack_sdk appends the method name."""
        return f"{self.url}/api/"

    # ---- things the driver hands out ---------------------------------------------------------

    def new_response_url(self) -> str:
        """A fresh response_url, usable RESPONSE_URL_USES times."""
        response_id = uuid.uuid4().hex
        with self._lock:
            self._response_urls[response_id] = 0
        return f"{self.url}/response/{response_id}"

    def new_trigger_id(self) -> str:
        """A fresh trigger_id: views.open/push accept it once, within 3 seconds."""
        with self._lock:
            return self._state.views.new_trigger_id()

    def new_ts(self) -> str:
        """A message ts from the same clock as the bot's posts (unique, increasing)."""
        with self._lock:
            return self._state.new_ts()

    # ---- what happened -----------------------------------------------------------------------

    def mark(self) -> int:
        """A position in the call log, for calls_since()."""
        with self._lock:
            return len(self._calls)

    def calls(self, method: str | None = None) -> list[Call]:
        return self.calls_since(0, method)

    def calls_since(self, mark: int, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls[mark:] if method is None or c.method == method]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
        count: int = 1,
        since: int = 0,
    ) -> list[Call]:
        """Wait until `count` calls of `method` (matching `predicate`) arrived; return them all.

        Raises AssertionError with a dump of the calls that did arrive on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [
                    c
                    for c in self._calls[since:]
                    if c.method == method and (predicate is None or predicate(c))
                ]
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    break
                self._changed.wait(min(remaining, 0.05))
        if len(found) < count:
            raise AssertionError(
                f"expected {count} call(s) of {method} within {timeout}s, got {len(found)}.\n"
                + self.dump(since)
            )
        return found

    def dump(self, since: int = 0) -> str:
        """The recorded calls, one per line, for failure messages."""
        calls = self.calls_since(since)
        bugs = "".join(f"FAKE SLACK BUG: {error}\n" for error in self.internal_errors)
        if not calls:
            return bugs + "No calls reached FakeSlack."
        lines = [call.describe(self._started_at) for call in calls[-40:]]
        skipped = f"({len(calls) - 40} earlier calls not shown)\n" if len(calls) > 40 else ""
        return bugs + "Calls that reached FakeSlack:\n" + skipped + "\n".join(lines)

    def responses(self, response_url: str) -> list[dict[str, Any]]:
        """The JSON bodies Slack accepted on `response_url`, oldest first."""
        path = urlsplit(response_url).path
        return [c.params for c in self.calls(RESPONSE_URL) if c.path == path and c.status == 200]

    @property
    def _state(self) -> WebApi:
        if self._api is None:
            raise RuntimeError("FakeSlack is not started")
        return self._api

    # ---- serving -----------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        arrived = time.time()
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in handler.headers.items()}
        split = urlsplit(handler.path)
        method, params = read_request(split.path, split.query, headers, body)
        token = token_of(headers, params)
        # Answer and record under one lock, before replying: the log's order is the order in
        # which Slack "processed" the calls, and a caller never gets an answer unrecorded.
        with self._changed:
            fault = self._pop_fault(method)
            known = self._tokens.get(token) if token else None
            who = known.identity if known is not None else None
            if fault is None and who is not None and split.path.startswith("/api/"):
                wait = self._over_limit(who.team_id, method, time.monotonic())
                if wait is not None:  # this workspace is rate-limited (limits.py)
                    fault = Fault("status", 429, wait, "ratelimited")
            answer = None
            if fault is None or fault.kind != "drop":
                try:
                    answer = self._answer(method, split.path, params, token, headers, body, fault)
                except Exception as bug:
                    # A bug in the fake, not Slack's answer: loud in every dump, never retried
                    # into silence.
                    self.internal_errors.append(f"{method}: {bug!r}")
                    answer = text_answer(500, f"FakeSlack bug: {bug!r}")
            dropped = answer is None or (fault is not None and fault.kind == "deliver_then_drop")
            self._calls.append(
                Call(
                    seq=len(self._calls) + 1,
                    method=method,
                    params=params,
                    headers=headers,
                    at=arrived,
                    status=DROPPED if dropped or answer is None else answer.status,
                    path=split.path,
                    token=token,
                    body=body,
                    response=None if answer is None else answer.recorded,
                    team_id=who.team_id if who else None,
                    enterprise_id=who.enterprise_id if who else None,
                    fault=fault.kind if fault else None,
                )
            )
            self._changed.notify_all()
        if dropped or answer is None:
            handler.close_connection = True
            return
        if fault is not None and fault.kind == "deliver_then_time_out":
            self._stopping.wait(fault.delay)
        elif self.latency and split.path.startswith("/api/"):
            self._stopping.wait(self.latency)
        try:
            _reply(handler, answer)
        except OSError:
            handler.close_connection = True  # the caller gave up waiting

    def _answer(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        token: str | None,
        headers: dict[str, str],
        body: bytes,
        fault: Fault | None,
    ) -> Answer:
        if fault is not None and fault.kind == "status":
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return json_answer(fault.status, {"ok": False, "error": fault.error}, **extra)
        if fault is not None and fault.kind == "error":
            return json_answer(200, {"ok": False, "error": fault.error})
        if method == RESPONSE_URL:
            return self._answer_response_url(path, params)
        if method == UPLOAD:
            stored = self._state.receive_upload(path.rsplit("/", 1)[-1], body)
            return text_answer(200, f"OK - {len(body)}") if stored else text_answer(404, "")
        if method == AUTHORIZE:
            status, where = self.oauth.authorize(params)
            return redirect(where) if status == 302 else text_answer(status, where)
        if path.startswith("/api/"):
            return json_answer(200, self._answer_web_api(method, params, token, headers))
        return text_answer(404, "Not Found")

    def _answer_web_api(
        self, method: str, params: dict[str, Any], token: str | None, headers: dict[str, str]
    ) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self.oauth.access(params, headers)
        who: Identity | None = None
        if method not in NO_TOKEN_METHODS:
            try:
                who = self._tokens.check(token, method).identity
            except SlackError as refused:
                return {"ok": False, "error": refused.error}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_mode.issue_url()}
        return self._state.answer(method, params, who or DEFAULT_IDENTITY)

    def _answer_response_url(self, path: str, params: dict[str, Any]) -> Answer:
        response_id = path.rsplit("/", 1)[-1]
        uses = self._response_urls.get(response_id)
        if uses is None:
            return text_answer(404, "no_service")
        if uses >= RESPONSE_URL_USES:
            return text_answer(404, "used_url")
        if not (
            params.get("delete_original")
            or any(params.get(k) for k in ("text", "blocks", "attachments"))
        ):
            return text_answer(400, "no_text")
        ready = self._state.files.is_ready
        if params.get("blocks") is not None and blockkit.message_errors(
            params["blocks"], slack_file_ready=ready
        ):
            return text_answer(400, "invalid_blocks")
        self._response_urls[response_id] = uses + 1
        return text_answer(200, "ok")


def _reply(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
    handler.send_response(answer.status)
    handler.send_header("Content-Type", answer.content_type)
    handler.send_header("Content-Length", str(len(answer.body)))
    for name, value in answer.headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(answer.body)
    handler.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeSlack/1.0"

    def do_POST(self) -> None:
        cast(_Server, self.server).fake._serve(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the call log is the record."""
