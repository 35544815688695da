"""FakeSlack: a loopback HTTP server that answers the Web API the way Slack does.

    with FakeSlack(token="xoxb-test") as slack:
        client = WebClient(base_url=slack.api_url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        [call] = slack.wait_for("chat.postMessage")

Every request is recorded as a `Call` (faulted and refused ones too), so tests assert on what
reached Slack. Faults (429 with Retry-After, 5xx, `ok: false`, a dropped connection) are
injected per method for the next N calls. The Web API methods themselves live in webapi.py.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from standin import blockkit
from standin.requests import RESPONSE_URL, UPLOAD, read_request, token_of
from standin.webapi import Message, UploadedFile, WebApi

__all__ = ["DROPPED", "RESPONSE_URL", "UPLOAD", "Call", "FakeSlack", "Message", "UploadedFile"]

RESPONSE_URL_USES = 5  # Slack accepts five posts per response_url
DROPPED = 0  # the `status` of a Call whose connection was closed without an answer
NO_TOKEN_METHODS = frozenset({"api.test"})


@dataclass(frozen=True)
class Call:
    """One HTTP request that reached the fake, and how it was answered."""

    seq: int
    method: str  # Web API method, RESPONSE_URL, UPLOAD, or the raw path of an unknown URL
    params: dict[str, Any]  # form/JSON/query fields, JSON-encoded fields decoded
    headers: dict[str, str]  # lower-cased names
    at: float  # time.time() on arrival
    status: int  # HTTP status answered; DROPPED when the connection was closed instead
    path: str
    token: str | None
    body: bytes  # the raw request body
    response: Any  # the answered JSON (dict) or text; None when dropped

    @property
    def ok(self) -> bool:
        """Whether Slack accepted the call (HTTP 200 and, for the Web API, `ok: true`)."""
        if self.status != 200:
            return False
        return not isinstance(self.response, dict) or bool(self.response.get("ok"))

    def describe(self, start: float) -> str:
        params = json.dumps(self.params, default=repr, ensure_ascii=False)
        if len(params) > 300:
            params = params[:300] + "…"
        return f"#{self.seq} +{self.at - start:.3f}s {self.method} -> {self.status} {params}"


@dataclass(frozen=True)
class _Fault:
    kind: str  # "status", "error" or "drop"
    status: int = 200
    retry_after: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    recorded: Any = None


def _json_answer(status: int, payload: dict[str, Any], **headers: str) -> _Answer:
    return _Answer(
        status=status,
        body=json.dumps(payload).encode(),
        content_type="application/json; charset=utf-8",
        headers=tuple(headers.items()),
        recorded=payload,
    )


def _text_answer(status: int, text: str) -> _Answer:
    return _Answer(status, text.encode(), "text/html", recorded=text)


class FakeSlack:
    """A fake Slack Web API (plus response_url and upload URLs) on 127.0.0.1."""

    def __init__(self, token: str, *, default_tz: str = "Europe/Berlin") -> None:
        ZoneInfo(default_tz)  # fail early on a typo
        self.token = token
        self._default_tz = default_tz
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self.internal_errors: list[str] = []  # exceptions inside the fake itself
        self._faults: dict[str, deque[_Fault]] = {}
        self._response_urls: dict[str, int] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._api: WebApi | None = None
        self._started_at = time.time()

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        server = _Server(self)
        self._server = server
        self._api = WebApi(base_url=self.url, default_tz=self._default_tz)
        self._thread = threading.Thread(target=server.serve_forever, name="FakeSlack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
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
            return self._state.new_trigger_id()

    def new_ts(self) -> str:
        """A message ts from the same clock as the bot's posts (unique, increasing)."""
        with self._lock:
            return self._state.new_ts()

    # ---- workspace data ----------------------------------------------------------------------

    def set_user_tz(self, user: str, tz: str) -> None:
        """Make users.info report `tz` (an IANA name) for `user`."""
        ZoneInfo(tz)
        with self._lock:
            self._state.user_tz[user] = tz

    def clear_user_tz(self, user: str) -> None:
        with self._lock:
            self._state.user_tz.pop(user, None)

    def set_channel(
        self, channel: str, *, name: str | None = None, is_private: bool = False, tz: str = ""
    ) -> None:
        """What conversations.info says about `channel` (otherwise a public channel)."""
        info: dict[str, Any] = {"name": name or channel.lower(), "is_private": is_private}
        if tz:
            info["tz"] = tz
        with self._lock:
            self._state.channels[channel] = info

    # ---- fault injection ---------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with HTTP `status` (429 → Retry-After)."""
        if status < 400:
            raise ValueError("fail() is for HTTP errors; use error() for ok:false answers")
        if error is None:
            error = "ratelimited" if status == 429 else "fatal_error"
        fault = _Fault("status", status, retry_after if status == 429 else None, error)
        self._add_fault(method, fault, times)

    def error(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 200 and `ok: false`."""
        self._add_fault(method, _Fault("error", error=error), times)

    def drop_connection(self, method: str, times: int = 1) -> None:
        """Close the connection of the next `times` calls of `method` without an answer."""
        self._add_fault(method, _Fault("drop"), times)

    def _add_fault(self, method: str, fault: _Fault, times: int) -> None:
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

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

    def messages(
        self, channel: str | None = None, thread_ts: str | None = None, *, deleted: bool = False
    ) -> list[Message]:
        """Messages posted with chat.postMessage, as they stand after updates, oldest first.

        `thread_ts` selects the replies in that thread; deleted ones only with `deleted=True`.
        """
        with self._lock:
            found = list(self._state.messages.values())
        return [
            m
            for m in sorted(found, key=lambda m: m.ts)
            if (channel is None or m.channel == channel)
            and (thread_ts is None or m.thread_ts == thread_ts)
            and (deleted or not m.deleted)
        ]

    def message(self, channel: str, ts: str) -> Message | None:
        with self._lock:
            return self._state.messages.get((channel, ts))

    def ephemerals(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            found = list(self._state.ephemerals)
        return [
            e
            for e in found
            if (channel is None or e["channel"] == channel) and (user is None or e["user"] == user)
        ]

    def reactions(self, channel: str, ts: str) -> set[str]:
        """Reaction names the bot added to the message `ts` in `channel`."""
        with self._lock:
            return {name for c, t, name in self._state.reactions if (c, t) == (channel, ts)}

    def files(self, channel: str | None = None) -> list[UploadedFile]:
        """Files whose upload was completed (files.completeUploadExternal), oldest first."""
        with self._lock:
            found = list(self._state.files.values())
        return [
            f for f in found if f.title is not None and (channel is None or f.channel_id == channel)
        ]

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._state.views.get(view_id)

    def home_view(self, user: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._state.home_views.get(user)
            return self._state.views.get(view_id) if view_id else None

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
            answer = None
            if fault is None or fault.kind != "drop":
                try:
                    answer = self._answer(method, split.path, params, token, body, fault)
                except Exception as bug:
                    # A bug in the fake, not Slack's answer: loud in every dump, never retried
                    # into silence.
                    self.internal_errors.append(f"{method}: {bug!r}")
                    answer = _text_answer(500, f"FakeSlack bug: {bug!r}")
            self._calls.append(
                Call(
                    seq=len(self._calls) + 1,
                    method=method,
                    params=params,
                    headers=headers,
                    at=arrived,
                    status=DROPPED if answer is None else answer.status,
                    path=split.path,
                    token=token,
                    body=body,
                    response=None if answer is None else answer.recorded,
                )
            )
            self._changed.notify_all()
        if answer is None:
            handler.close_connection = True
            return
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(answer.body)
        handler.wfile.flush()

    def _pop_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    def _answer(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        token: str | None,
        body: bytes,
        fault: _Fault | None,
    ) -> _Answer:
        if fault is not None and fault.kind == "status":
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return _json_answer(fault.status, {"ok": False, "error": fault.error}, **extra)
        if fault is not None:
            return _json_answer(200, {"ok": False, "error": fault.error})
        if method == RESPONSE_URL:
            return self._answer_response_url(path, params)
        if method == UPLOAD:
            stored = self._state.receive_upload(path.rsplit("/", 1)[-1], body)
            return _text_answer(200, f"OK - {len(body)}") if stored else _text_answer(404, "")
        if path.startswith("/api/"):
            if method not in NO_TOKEN_METHODS:
                if not token:
                    return _json_answer(200, {"ok": False, "error": "not_authed"})
                if token != self.token:
                    return _json_answer(200, {"ok": False, "error": "invalid_auth"})
            return _json_answer(200, self._state.answer(method, params))
        return _text_answer(404, "Not Found")

    def _answer_response_url(self, path: str, params: dict[str, Any]) -> _Answer:
        response_id = path.rsplit("/", 1)[-1]
        uses = self._response_urls.get(response_id)
        if uses is None:
            return _text_answer(404, "no_service")
        if uses >= RESPONSE_URL_USES:
            return _text_answer(404, "used_url")
        if not (
            params.get("delete_original")
            or any(params.get(k) for k in ("text", "blocks", "attachments"))
        ):
            return _text_answer(400, "no_text")
        if params.get("blocks") is not None and blockkit.message_errors(params["blocks"]):
            return _text_answer(400, "invalid_blocks")
        self._response_urls[response_id] = uses + 1
        return _text_answer(200, "ok")


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
