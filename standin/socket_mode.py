"""Socket Mode: the WebSocket server behind `apps.connections.open`, and what Slack sends on it.

`apps.connections.open` (with the app-level token, `FakeSlack.app_token`) answers
`ws://127.0.0.1:<port>/link/?ticket=…`; each ticket opens one connection. On connect the
stand-in sends `{"type": "hello", "num_connections", "debug_info", "connection_info"}`,
answers pings with pongs and a close with a close. The test API, on `FakeSlack.socket_mode`:

    fake.socket_mode.wait_for_connection(count=1, timeout=5.0) -> ConnectionInfo
    fake.socket_mode.slash_command(workspace, text=…, user=…, channel=…) -> dict
    fake.socket_mode.event(workspace, event, event_id=None, retry_attempt=0, retry_reason="")
    fake.socket_mode.interactive(payload) -> dict          # block_actions, view_submission, …
    fake.socket_mode.send(kind, payload, accepts_response_payload=None, …) -> dict
    fake.socket_mode.push(kind, payload, …) -> envelope_id;  wait_for_ack(envelope_id) -> Ack
    fake.socket_mode.disconnect(reason="refresh_requested") -> ConnectionInfo
    fake.socket_mode.wait_for_close(connection_id, timeout=5.0) -> ConnectionInfo
    fake.socket_mode.close(code=1001) -> ConnectionInfo    # the server ends the connection
    fake.socket_mode.ping(data=b"…", timeout=5.0)         # waits for the app's pong
    fake.socket_mode.connections() -> list[ConnectionInfo]; received() -> list

The senders build payloads with standin/payloads.py (slash command fields as a JSON object,
event_callback envelopes, interactive payloads), push the envelope `{"envelope_id", "type",
"payload", "accepts_response_payload"}` (events also carry `retry_attempt`, `retry_reason`) to
the newest open connection (waiting up to `timeout` for one), wait for the app's
acknowledgement `{"envelope_id", "payload"?}` and return its payload ({} when it had none).
The timeout is Slack's 3 seconds unless given; past it an AssertionError says what the app
did send. `accepts_response_payload` is true for slash commands, view_submission and
block_suggestion, false otherwise, as Slack sends it.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from standin import payloads
from standin.links import Connection, ConnectionInfo, LinkServer
from standin.websocket import Close, Opcode, close_payload

__all__ = ["ACK_TIMEOUT", "Ack", "ConnectionInfo", "SocketMode"]

ACK_TIMEOUT = 3.0  # Slack shows the user an error when an app takes longer
_RESPONDING = frozenset({"view_submission", "block_suggestion"})


@dataclass(frozen=True)
class Ack:
    """The app's acknowledgement of one envelope."""

    envelope_id: str
    payload: dict[str, Any]  # {} when the app acknowledged without a payload
    connection: int
    after: float  # seconds from sending the envelope


class SocketMode:
    """The Socket Mode side of the stand-in: connections, envelopes, acknowledgements."""

    def __init__(
        self, app_id: str, new_response_url: Callable[[], str], new_trigger_id: Callable[[], str]
    ) -> None:
        self._new_response_url, self._new_trigger_id = new_response_url, new_trigger_id
        self._changed = threading.Condition(threading.Lock())
        self._links = LinkServer(app_id, self._changed, self._record)
        self._sent: dict[str, tuple[float, str]] = {}  # envelope_id → (monotonic, type)
        self._acks: dict[str, Ack] = {}

    def start(self) -> None:
        self._links.start()

    def stop(self) -> None:
        self._links.stop()

    @property
    def url(self) -> str:
        """ws://127.0.0.1:PORT"""
        return self._links.url

    def issue_url(self) -> str:
        """apps.connections.open's `url`: a fresh single-use ticket."""
        return self._links.issue_url()

    # ---- test API: connections ---------------------------------------------------------------

    def connections(self) -> list[ConnectionInfo]:
        with self._changed:
            return [c.info() for c in self._links.connections]

    def received(self) -> list[Any]:
        """Every message the app sent, over all connections, in order of connection."""
        return [message for c in self.connections() for message in c.received]

    def wait_for_connection(self, count: int = 1, timeout: float = 5.0) -> ConnectionInfo:
        """Wait until `count` connections were opened in all; the newest open one."""
        links = self._links
        with self._changed:
            if self._changed.wait_for(
                lambda: len(links.connections) >= count and links.newest_usable() is not None,
                timeout,
            ):
                return _info(links.newest_usable())
            opened = len(links.connections)
        raise AssertionError(
            f"expected {count} Socket Mode connection(s) within {timeout}s; {opened} opened.\n"
            + self.describe()
        )

    def wait_for_close(self, connection_id: int, timeout: float = 5.0) -> ConnectionInfo:
        """Wait until the connection `connection_id` has ended (either side closed it)."""
        with self._changed:
            [connection] = [c for c in self._links.connections if c.id == connection_id]
            if self._changed.wait_for(lambda: connection.closed_at is not None, timeout):
                return connection.info()
        raise AssertionError(
            f"connection {connection_id} still open after {timeout}s\n{self.describe()}"
        )

    def disconnect(self, reason: str = "refresh_requested") -> ConnectionInfo:
        """Ask the app to reconnect, as Slack does before it recycles a connection."""
        connection = self._current(5.0)
        connection.send_json(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "standin"}}
        )
        with self._changed:
            return connection.info()

    def close(self, code: int = Close.GOING_AWAY, reason: str = "") -> ConnectionInfo:
        """End the newest connection from the server's side (a close frame first)."""
        connection = self._current(5.0)
        connection.send(Opcode.CLOSE, close_payload(code, reason))
        with self._changed:
            connection.close_code = connection.close_code or code
            return connection.info()

    def ping(self, data: bytes = b"standin", timeout: float = 5.0) -> None:
        """Ping the newest connection and wait for the app's pong with the same data."""
        connection = self._current(timeout)
        connection.send(Opcode.PING, data)
        with self._changed:
            if not self._changed.wait_for(lambda: data in connection.pongs, timeout):
                raise AssertionError(f"no pong for {data!r} within {timeout}s\n{self.describe()}")

    # ---- test API: envelopes -----------------------------------------------------------------

    def slash_command(
        self,
        ws: payloads.Workspace,
        *,
        text: str,
        user: str,
        channel: str,
        command: str = "/vsm",
        response_url: str | None = None,
        trigger_id: str | None = None,
        timeout: float = ACK_TIMEOUT,
    ) -> dict[str, Any]:
        """Someone types `command text`; the app's ack payload (its reply, if it gave one)."""
        fields = payloads.slash_command(
            ws,
            text=text,
            user=user,
            channel=channel,
            command=command,
            response_url=response_url or self._new_response_url(),
            trigger_id=trigger_id or self._new_trigger_id(),
        )
        return self.send("slash_commands", fields, timeout=timeout)

    def event(
        self,
        ws: payloads.Workspace,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = ACK_TIMEOUT,
    ) -> dict[str, Any]:
        """An Events API event in its event_callback; the ack payload (normally {})."""
        callback = payloads.event_callback(ws, event, event_id=event_id or payloads.new_event_id())
        return self.send(
            "events_api",
            callback,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            timeout=timeout,
        )

    def interactive(
        self, payload: dict[str, Any], *, timeout: float = ACK_TIMEOUT
    ) -> dict[str, Any]:
        """A block_actions, view_submission, shortcut… payload; the ack payload."""
        return self.send("interactive", payload, timeout=timeout)

    def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = ACK_TIMEOUT,
    ) -> dict[str, Any]:
        """Push an envelope and wait for its acknowledgement; the ack's payload."""
        envelope_id = self.push(
            kind,
            payload,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            timeout=timeout,
        )
        return self.wait_for_ack(envelope_id, timeout).payload

    def push(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        envelope_id: str | None = None,
        timeout: float = ACK_TIMEOUT,
    ) -> str:
        """Send an envelope to the newest open connection; its envelope_id."""
        if accepts_response_payload is None:
            accepts_response_payload = kind == "slash_commands" or (
                kind == "interactive" and payload.get("type") in _RESPONDING
            )
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        connection = self._current(timeout)
        with self._changed:
            self._sent[envelope_id] = (time.monotonic(), kind)
        if not connection.send_json(envelope):
            raise AssertionError(f"connection {connection.id} went away\n{self.describe()}")
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout: float = ACK_TIMEOUT) -> Ack:
        with self._changed:
            if self._changed.wait_for(lambda: envelope_id in self._acks, timeout):
                return self._acks[envelope_id]
            kind = self._sent.get(envelope_id, (0.0, "unknown"))[1]
        raise AssertionError(
            f"no acknowledgement of envelope {envelope_id} ({kind}) within {timeout}s: Slack "
            "would show the person an error (an app must ack within 3 seconds).\n" + self.describe()
        )

    def describe(self) -> str:
        """The connections and what the app sent on each, for failure messages."""
        lines = []
        for c in self.connections():
            state = "open" if c.open else f"closed ({c.close_code})"
            lines.append(f"connection {c.id}: {state}; the app sent {len(c.received)} message(s)")
            lines.extend(f"  {json.dumps(m, default=repr)[:300]}" for m in c.received[-10:])
        return "\n".join(lines) or "No Socket Mode connection was ever opened."

    # ---- internals ---------------------------------------------------------------------------

    def _current(self, timeout: float) -> Connection:
        with self._changed:
            if self._changed.wait_for(lambda: self._links.newest_usable() is not None, timeout):
                newest = self._links.newest_usable()
                if newest is not None:
                    return newest
        raise AssertionError(f"no open Socket Mode connection within {timeout}s\n{self.describe()}")

    def _record(self, connection: Connection, text: str) -> None:
        """A text message from the app (on its connection's thread): maybe an ack."""
        try:
            message: Any = json.loads(text)
        except ValueError:
            message = text
        with self._changed:
            connection.received.append(message)
            envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
            if isinstance(envelope_id, str) and envelope_id not in self._acks:
                sent_at = self._sent.get(envelope_id, (time.monotonic(), ""))[0]
                body = message.get("payload")
                self._acks[envelope_id] = Ack(
                    envelope_id,
                    body if isinstance(body, dict) else {},
                    connection.id,
                    time.monotonic() - sent_at,
                )
            self._changed.notify_all()


def _info(connection: Connection | None) -> ConnectionInfo:
    if connection is None:
        raise RuntimeError("no usable connection")  # the caller waited for one
    return connection.info()
