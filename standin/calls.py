"""The call log's entries and the faults FakeSlack injects into its answers.

Faults that replace the answer: an HTTP status (429 with Retry-After, 5xx), `ok: false`, a
dropped connection. Faults that keep the effect and lose the answer ("deliver, then time
out"): Slack does what the call asked — the message is stored and shows in history — and
then answers only after a delay longer than the client waits, or closes the connection; the
client sees a timeout or a connection error, an ambiguous outcome.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

DROPPED = 0  # the `status` of a Call whose connection was closed without an answer


@dataclass(frozen=True)
class Call:
    """One HTTP request that reached the fake, and how it was answered."""

    seq: int
    method: str  # Web API method, RESPONSE_URL, UPLOAD, AUTHORIZE, or the path of an unknown URL
    params: dict[str, Any]  # form/JSON/query fields, JSON-encoded fields decoded
    headers: dict[str, str]  # lower-cased names
    at: float  # time.time() on arrival
    status: int  # HTTP status answered; DROPPED when the connection was closed instead
    path: str
    token: str | None
    body: bytes  # the raw request body
    response: Any  # the answered JSON (dict) or text; what Slack did, even when dropped
    team_id: str | None = None  # the workspace the token speaks for (None: no known token)
    enterprise_id: str | None = None
    fault: str | None = None  # the injected fault's kind, if any

    @property
    def ok(self) -> bool:
        """Whether the caller got Slack's acceptance (HTTP 200 and, for the Web API, `ok`)."""
        if self.status != 200 or self.fault == "deliver_then_time_out":
            return False
        return self.applied

    @property
    def applied(self) -> bool:
        """Whether Slack did what the call asked, even if the answer never reached the caller."""
        if isinstance(self.response, dict):
            return bool(self.response.get("ok"))
        return self.status == 200

    def describe(self, start: float) -> str:
        params = json.dumps(self.params, default=repr, ensure_ascii=False)
        if len(params) > 300:
            params = params[:300] + "…"
        fault = f" ({self.fault})" if self.fault else ""
        team = f" team={self.team_id}" if self.team_id else ""
        at = f"+{self.at - start:.3f}s"
        return f"#{self.seq} {at} {self.method} -> {self.status} {params}{fault}{team}"


@dataclass(frozen=True)
class Fault:
    kind: str  # "status", "error", "drop", "deliver_then_time_out" or "deliver_then_drop"
    status: int = 200
    retry_after: int | None = None
    error: str | None = None
    delay: float = 0.0  # seconds an answer is held back (deliver_then_time_out)

    @property
    def replaces_answer(self) -> bool:
        return self.kind in {"status", "error", "drop"}


class FaultInjection:
    """FakeSlack's fault injection, per method, for the next N calls."""

    _lock: threading.RLock
    _faults: dict[str, deque[Fault]]

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
        fault = Fault("status", status, retry_after if status == 429 else None, error)
        self._add_fault(method, fault, times)

    def error(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 200 and `ok: false`."""
        self._add_fault(method, Fault("error", error=error), times)

    def drop_connection(self, method: str, times: int = 1) -> None:
        """Close the connection of the next `times` calls of `method` without an answer."""
        self._add_fault(method, Fault("drop"), times)

    def deliver_then_time_out(self, method: str, seconds: float, times: int = 1) -> None:
        """Do what the next `times` calls of `method` ask, but answer only after `seconds`.

        A client that waits less sees a timeout although the call took effect.
        """
        self._add_fault(method, Fault("deliver_then_time_out", delay=seconds), times)

    def deliver_then_drop(self, method: str, times: int = 1) -> None:
        """Do what the next `times` calls of `method` ask, then close without answering."""
        self._add_fault(method, Fault("deliver_then_drop"), times)

    def clear_faults(self, method: str | None = None) -> None:
        """Forget the faults still waiting for `method` (every method's, by default)."""
        with self._lock:
            if method is None:
                self._faults.clear()
            else:
                self._faults.pop(method, None)

    def _add_fault(self, method: str, fault: Fault, times: int) -> None:
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def _pop_fault(self, method: str) -> Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    recorded: Any = None


def json_answer(status: int, payload: dict[str, Any], **headers: str) -> Answer:
    return Answer(
        status=status,
        body=json.dumps(payload).encode(),
        content_type="application/json; charset=utf-8",
        headers=tuple(headers.items()),
        recorded=payload,
    )


def text_answer(status: int, text: str) -> Answer:
    return Answer(status, text.encode(), "text/html", recorded=text)


def redirect(location: str) -> Answer:
    return Answer(302, b"", "text/html", headers=(("Location", location),), recorded=location)
