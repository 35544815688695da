"""The WebSocket links Socket Mode rides on: tickets, the opening handshake, connections.

`LinkServer` listens on its own loopback port. `issue_url()` hands out
`ws://127.0.0.1:<port>/link/?ticket=…`; a ticket opens one connection (a used or unknown one
gets HTTP 401, a request that is no WebSocket upgrade 400). Each connection gets Slack's
`hello`, then a thread reads its frames: pings are answered with pongs, a close with a close,
a protocol error with a close carrying RFC 6455's code; text messages go to `on_text`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from standin.websocket import (
    Close,
    MessageReader,
    Opcode,
    ProtocolError,
    accept_key,
    close_payload,
    encode_frame,
    parse_close,
    read_frame,
    valid_key,
)

LINK_PATH = "/link/"


@dataclass(frozen=True)
class ConnectionInfo:
    """One WebSocket connection, as it stands (a snapshot)."""

    id: int
    ticket: str
    opened_at: float
    closed_at: float | None
    close_code: int | None  # how the connection was closed; None if it just went away
    received: tuple[Any, ...]  # the app's messages, JSON-decoded where they parse
    pongs: tuple[bytes, ...]

    @property
    def open(self) -> bool:
        return self.closed_at is None


class Connection:
    """A live connection; its fields are guarded by the LinkServer's lock, sends by its own."""

    def __init__(self, number: int, sock: socket.socket, ticket: str) -> None:
        self.id, self.sock, self.ticket = number, sock, ticket
        self.send_lock = threading.Lock()
        self.opened_at = time.time()
        self.closed_at: float | None = None
        self.close_code: int | None = None
        self.close_sent = False
        self.received: list[Any] = []
        self.pongs: list[bytes] = []

    @property
    def usable(self) -> bool:
        return self.closed_at is None and not self.close_sent

    def send(self, opcode: Opcode, payload: bytes) -> bool:
        """Send one frame; False when the connection is closing or gone."""
        with self.send_lock:
            if self.close_sent:
                return False
            if opcode == Opcode.CLOSE:
                self.close_sent = True
            try:
                self.sock.sendall(encode_frame(opcode, payload))
            except OSError:
                return False
            return True

    def send_json(self, message: dict[str, Any]) -> bool:
        return self.send(Opcode.TEXT, json.dumps(message).encode())

    def info(self) -> ConnectionInfo:
        return ConnectionInfo(
            self.id,
            self.ticket,
            self.opened_at,
            self.closed_at,
            self.close_code,
            tuple(self.received),
            tuple(self.pongs),
        )


class LinkServer:
    """Tickets and connections; `changed` is notified whenever either changes."""

    def __init__(
        self,
        app_id: str,
        changed: threading.Condition,
        on_text: Callable[[Connection, str], None],
    ) -> None:
        self._app_id, self._changed, self._on_text = app_id, changed, on_text
        self.tickets: dict[str, bool] = {}  # ticket → used
        self.connections: list[Connection] = []
        self._server: _LinkHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._server = _LinkHTTPServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.1,),  # poll interval: stop() waits for it
            name="FakeSlack-SocketMode",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        with self._changed:
            still_open = [c for c in self.connections if c.closed_at is None]
        for connection in still_open:
            connection.send(Opcode.CLOSE, close_payload(Close.GOING_AWAY, "server stopping"))
            _shut(connection.sock)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def url(self) -> str:
        """ws://127.0.0.1:PORT"""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"ws://{host!s}:{port}"

    def issue_url(self) -> str:
        """A connection URL with a fresh single-use ticket."""
        ticket = uuid.uuid4().hex
        with self._changed:
            self.tickets[ticket] = False
        return f"{self.url}{LINK_PATH}?ticket={ticket}"

    def newest_usable(self) -> Connection | None:
        """The connection an envelope goes to (call with the lock held)."""
        usable = [c for c in self.connections if c.usable]
        return usable[-1] if usable else None

    # ---- one connection ----------------------------------------------------------------------

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        """The opening handshake, then frames until the connection ends."""
        handler.close_connection = True
        split = urlsplit(handler.path)
        ticket = (parse_qs(split.query).get("ticket") or [""])[0]
        key = handler.headers.get("Sec-WebSocket-Key", "")
        upgrade = handler.headers.get("Upgrade", "").lower() == "websocket"
        if split.path != LINK_PATH:
            handler.send_error(404)
            return
        if not (upgrade and "upgrade" in handler.headers.get("Connection", "").lower()):
            handler.send_error(400, "expected a WebSocket upgrade")
            return
        if not valid_key(key) or handler.headers.get("Sec-WebSocket-Version") != "13":
            handler.send_error(400, "expected Sec-WebSocket-Key and Sec-WebSocket-Version: 13")
            return
        with self._changed:
            if self.tickets.get(ticket) is not False:
                handler.send_error(401, "invalid or used ticket")
                return
            self.tickets[ticket] = True
        handler.send_response(101, "Switching Protocols")
        handler.send_header("Upgrade", "websocket")
        handler.send_header("Connection", "Upgrade")
        handler.send_header("Sec-WebSocket-Accept", accept_key(key))
        handler.end_headers()
        handler.wfile.flush()
        self._run(handler, ticket)

    def _run(self, handler: BaseHTTPRequestHandler, ticket: str) -> None:
        with self._changed:
            connection = Connection(len(self.connections) + 1, handler.connection, ticket)
            self.connections.append(connection)
            connection.send_json(
                {
                    "type": "hello",
                    "num_connections": sum(1 for c in self.connections if c.usable),
                    "debug_info": {
                        "host": "applink-standin",
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": self._app_id},
                }
            )
            self._changed.notify_all()

        def read(size: int) -> bytes:
            data = handler.rfile.read(size)
            if len(data) < size:
                raise EOFError
            return data

        reader = MessageReader()
        code: int | None = None
        try:
            while code is None:
                message = reader.feed(read_frame(read))
                if message is not None:
                    code = self._receive(connection, *message)
        except ProtocolError as broken:
            code = broken.code
            connection.send(Opcode.CLOSE, close_payload(broken.code, str(broken)))
        except (EOFError, OSError):
            pass  # the app went away without a close frame
        finally:
            with self._changed:
                connection.closed_at = time.time()
                connection.close_code = connection.close_code or code
                self._changed.notify_all()
            _shut(connection.sock)

    def _receive(self, connection: Connection, opcode: Opcode, data: bytes) -> int | None:
        """Handle one message or control frame; the close code once the connection ends."""
        if opcode == Opcode.PING:
            connection.send(Opcode.PONG, data)
        elif opcode == Opcode.PONG:
            with self._changed:
                connection.pongs.append(data)
                self._changed.notify_all()
        elif opcode == Opcode.CLOSE:
            code, _ = parse_close(data)
            # Echo the close (RFC 6455 5.5.1); after one the stand-in sent, this is the answer.
            connection.send(Opcode.CLOSE, b"" if code == 1005 else close_payload(code))
            return code
        elif opcode == Opcode.TEXT:
            self._on_text(connection, data.decode())
        else:
            with self._changed:
                connection.received.append(data)
                self._changed.notify_all()
        return None


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already gone
        sock.shutdown(socket.SHUT_RDWR)


class _LinkHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, links: LinkServer) -> None:
        super().__init__(("127.0.0.1", 0), _LinkHandler)
        self.links = links


class _LinkHandler(BaseHTTPRequestHandler):
    server_version = "FakeSlack-SocketMode/1.0"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        cast(_LinkHTTPServer, self.server).links.serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: SocketMode.connections() is the record."""
