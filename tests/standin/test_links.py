"""Socket Mode on the wire: apps.connections.open, the handshake and frames, seen by a bare client.

The client here speaks RFC 6455 over a plain socket, so each test controls every byte: masks,
fragments, pings, closes. test_socket_mode.py drives the same server with slack_sdk's client.
"""

import base64
import hashlib
import json
import os
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin.server import FakeSlack
from standin.websocket import Frame, Opcode, encode_frame, read_frame

TOKEN = "xoxb-links-test"


class Link:
    """A WebSocket client with nothing but a socket: the test says what goes on the wire."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        split = urlsplit(url)
        assert split.hostname is not None
        assert split.port is not None
        self.sock = socket.create_connection((split.hostname, split.port), timeout=5)
        self.key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {split.path}?{split.query} HTTP/1.1", f"Host: {split.hostname}"]
        if upgrade:
            lines += ["Upgrade: websocket", "Connection: Upgrade"]
        lines += [f"Sec-WebSocket-Key: {self.key}", "Sec-WebSocket-Version: 13", "", ""]
        self.sock.sendall("\r\n".join(lines).encode())
        self.file = self.sock.makefile("rb")
        self.status = int(self.file.readline().split()[1])
        self.headers: dict[str, str] = {}
        while (line := self.file.readline().decode().strip()) != "":
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()

    def send(self, opcode: Opcode, payload: bytes = b"", *, fin: bool = True) -> None:
        self.sock.sendall(encode_frame(opcode, payload, fin=fin, masking_key=os.urandom(4)))

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(Opcode.TEXT, json.dumps(message).encode())

    def receive(self) -> Frame:
        def read(size: int) -> bytes:
            data = self.file.read(size)
            if len(data) < size:
                raise EOFError
            return data

        return read_frame(read, require_mask=False)

    def receive_json(self) -> dict[str, Any]:
        frame = self.receive()
        assert frame.opcode == Opcode.TEXT, frame
        message = json.loads(frame.payload)
        assert isinstance(message, dict)
        return message

    def at_end(self) -> bool:
        """Whether the server closed the TCP connection."""
        return self.file.read(1) == b""

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack


@pytest.fixture
def new_link(fake: FakeSlack) -> Iterator[Any]:
    opened: list[Link] = []

    def connect(url: str | None = None, *, upgrade: bool = True) -> Link:
        app = WebClient(base_url=fake.api_url)
        link = Link(
            url or app.apps_connections_open(app_token=fake.app_token)["url"], upgrade=upgrade
        )
        opened.append(link)
        return link

    yield connect
    for link in opened:
        link.close()


def test_apps_connections_open_takes_only_the_app_level_token(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url, retry_handlers=[])

    answer = client.apps_connections_open(app_token=fake.app_token)
    with pytest.raises(SlackApiError) as bot_token:
        client.apps_connections_open(app_token=TOKEN)
    with pytest.raises(SlackApiError) as unknown:
        client.apps_connections_open(app_token="xapp-1-A0NOPE-1-nope")
    with pytest.raises(SlackApiError) as app_token_elsewhere:
        WebClient(base_url=fake.api_url, token=fake.app_token).chat_postMessage(
            channel="C1", text="x"
        )

    assert answer["ok"] is True
    assert answer["url"].startswith(
        f"ws://127.0.0.1:{urlsplit(fake.socket_mode.url).port}/link/?ticket="
    )
    assert bot_token.value.response["error"] == "not_allowed_token_type"
    assert unknown.value.response["error"] == "invalid_auth"
    assert app_token_elsewhere.value.response["error"] == "not_allowed_token_type"


def test_the_handshake_answers_101_with_the_accept_key_then_hello(new_link: Any) -> None:
    link = new_link()

    hello = link.receive_json()

    expected = base64.b64encode(
        hashlib.sha1(
            (link.key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode(), usedforsecurity=False
        ).digest()
    ).decode()
    assert link.status == 101
    assert link.headers["upgrade"].lower() == "websocket"
    assert link.headers["sec-websocket-accept"] == expected
    assert hello["type"] == "hello"
    assert hello["num_connections"] >= 1
    assert hello["connection_info"] == {"app_id": "A0VSMBOT"}


def test_a_ticket_opens_one_connection_only(fake: FakeSlack, new_link: Any) -> None:
    url = WebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.app_token)["url"]
    first = new_link(url)

    again = new_link(url)
    invented = new_link(url.split("?")[0] + "?ticket=made-up")

    assert first.status == 101
    assert (again.status, invented.status) == (401, 401)


def test_a_plain_request_is_no_upgrade(new_link: Any) -> None:
    assert new_link(upgrade=False).status == 400


def test_a_ping_gets_a_pong_with_the_same_data(new_link: Any) -> None:
    link = new_link()
    link.receive_json()  # hello

    link.send(Opcode.PING, b"are you there")

    pong = link.receive()
    assert (pong.opcode, pong.payload, pong.masked) == (Opcode.PONG, b"are you there", False)


def test_a_fragmented_ack_with_a_ping_between_is_read_as_one(
    fake: FakeSlack, new_link: Any
) -> None:
    link = new_link()
    link.receive_json()  # hello
    envelope_id = fake.socket_mode.push("events_api", {"type": "event_callback", "event": {}})
    envelope = link.receive_json()
    ack = json.dumps({"envelope_id": envelope_id, "payload": {"note": "in pieces"}}).encode()

    link.send(Opcode.TEXT, ack[:10], fin=False)
    link.send(Opcode.PING, b"between")
    link.send(Opcode.CONTINUATION, ack[10:20], fin=False)
    link.send(Opcode.CONTINUATION, ack[20:])

    assert link.receive().opcode == Opcode.PONG
    received = fake.socket_mode.wait_for_ack(envelope_id)
    assert received.payload == {"note": "in pieces"}
    assert envelope == {
        "envelope_id": envelope_id,
        "payload": {"type": "event_callback", "event": {}},
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
    }


def test_an_unmasked_frame_closes_the_connection_with_1002(fake: FakeSlack, new_link: Any) -> None:
    link = new_link()
    link.receive_json()  # hello

    link.sock.sendall(encode_frame(Opcode.TEXT, b"{}"))  # no mask: forbidden from a client

    close = link.receive()
    assert close.opcode == Opcode.CLOSE
    assert close.payload[:2] == (1002).to_bytes(2, "big")
    assert link.at_end()
    newest = fake.socket_mode.connections()[-1]
    assert (newest.open, newest.close_code) == (False, 1002)


def test_a_close_is_answered_with_a_close(fake: FakeSlack, new_link: Any) -> None:
    link = new_link()
    link.receive_json()  # hello

    link.send(Opcode.CLOSE, (1000).to_bytes(2, "big") + b"bye")

    echo = link.receive()
    assert (echo.opcode, echo.payload) == (Opcode.CLOSE, (1000).to_bytes(2, "big"))
    assert link.at_end()
    assert fake.socket_mode.connections()[-1].close_code == 1000


def test_the_server_can_end_a_connection(fake: FakeSlack, new_link: Any) -> None:
    link = new_link()
    link.receive_json()  # hello

    closing = fake.socket_mode.close(1001, "maintenance")

    frame = link.receive()
    assert (frame.opcode, frame.payload) == (
        Opcode.CLOSE,
        (1001).to_bytes(2, "big") + b"maintenance",
    )
    link.send(Opcode.CLOSE, frame.payload[:2])
    assert link.at_end()
    ended = fake.socket_mode.wait_for_close(closing.id)
    assert (ended.open, ended.close_code) == (False, 1001)


def test_disconnect_asks_the_newest_connection_to_refresh(fake: FakeSlack, new_link: Any) -> None:
    older = new_link()
    newer = new_link()
    older.receive_json()
    newer.receive_json()

    asked = fake.socket_mode.disconnect()

    message = newer.receive_json()
    assert (message["type"], message["reason"]) == ("disconnect", "refresh_requested")
    assert asked.id == fake.socket_mode.connections()[-1].id


def test_an_envelope_nobody_acks_fails_clearly(fake: FakeSlack, new_link: Any) -> None:
    link = new_link()
    link.receive_json()  # hello
    envelope_id = fake.socket_mode.push("slash_commands", {"command": "/vsm", "text": "help"})

    with pytest.raises(AssertionError) as excinfo:
        fake.socket_mode.wait_for_ack(envelope_id, timeout=0.3)

    assert link.receive_json()["envelope_id"] == envelope_id
    assert f"no acknowledgement of envelope {envelope_id} (slash_commands)" in str(excinfo.value)
    assert "within 3 seconds" in str(excinfo.value)
    assert "connection" in str(excinfo.value)


def test_sending_with_no_connection_open_fails_clearly() -> None:
    with FakeSlack(token=TOKEN) as lonely, pytest.raises(AssertionError) as excinfo:
        lonely.socket_mode.push("events_api", {}, timeout=0.2)

    assert "no open Socket Mode connection within 0.2s" in str(excinfo.value)
    assert "No Socket Mode connection was ever opened." in str(excinfo.value)


@pytest.mark.parametrize(
    ("kind", "payload", "extra", "expected"),
    [
        ("slash_commands", {"command": "/vsm"}, {}, {"accepts_response_payload": True}),
        ("interactive", {"type": "view_submission"}, {}, {"accepts_response_payload": True}),
        ("interactive", {"type": "block_actions"}, {}, {"accepts_response_payload": False}),
        (
            "events_api",
            {"type": "event_callback"},
            {"retry_attempt": 2, "retry_reason": "timeout"},
            {"accepts_response_payload": False, "retry_attempt": 2, "retry_reason": "timeout"},
        ),
    ],
)
def test_envelopes_are_shaped_as_slack_sends_them(
    fake: FakeSlack,
    new_link: Any,
    kind: str,
    payload: dict[str, Any],
    extra: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    link = new_link()
    link.receive_json()  # hello

    envelope_id = fake.socket_mode.push(kind, payload, **extra)

    envelope = link.receive_json()
    assert envelope == {"envelope_id": envelope_id, "type": kind, "payload": payload, **expected}
