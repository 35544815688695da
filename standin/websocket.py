"""The server side of RFC 6455 WebSocket, on the standard library: what Socket Mode rides on.

The opening handshake (`accept_key` for Sec-WebSocket-Accept), frames (`encode_frame` for the
server's unmasked frames, `read_frame` for the client's masked ones), and `MessageReader`,
which joins fragmented messages and hands control frames (ping, pong, close) through as they
come, even between fragments. What the RFC forbids raises `ProtocolError` with the close code
to answer: an unmasked client frame, reserved bits or opcodes, a fragmented or oversized
control frame, a continuation with nothing to continue, invalid UTF-8 in a text message.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3
MAX_MESSAGE = 4 * 1024 * 1024


class Opcode(IntEnum):
    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


class Close(IntEnum):
    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    INVALID_DATA = 1007
    TOO_BIG = 1009


class ProtocolError(Exception):
    """The peer broke RFC 6455; `code` is the close code to answer with."""

    def __init__(self, message: str, code: Close = Close.PROTOCOL_ERROR) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Frame:
    fin: bool
    opcode: Opcode
    payload: bytes
    masked: bool = False


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a client's Sec-WebSocket-Key."""
    digest = hashlib.sha1((key.strip() + GUID).encode(), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode()


def valid_key(key: str) -> bool:
    """A Sec-WebSocket-Key is 16 random bytes, base64-encoded."""
    try:
        return len(base64.b64decode(key.strip(), validate=True)) == 16
    except ValueError:
        return False


def mask(payload: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte masking key (masking and unmasking are the same)."""
    return bytes(byte ^ key[index % 4] for index, byte in enumerate(payload))


def encode_frame(
    opcode: Opcode, payload: bytes = b"", *, fin: bool = True, masking_key: bytes | None = None
) -> bytes:
    """One frame: unmasked as a server sends it, masked with `masking_key` as a client must."""
    head = bytes([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if masking_key is not None else 0
    size = len(payload)
    if size < 126:
        head += bytes([mask_bit | size])
    elif size < 1 << 16:
        head += bytes([mask_bit | 126]) + struct.pack("!H", size)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", size)
    if masking_key is None:
        return head + payload
    return head + masking_key + mask(payload, masking_key)


def close_payload(code: int, reason: str = "") -> bytes:
    return struct.pack("!H", code) + reason.encode()[:123]


def parse_close(payload: bytes) -> tuple[int, str]:
    """(code, reason) of a close frame; 1005 (no status) when it carries none."""
    if not payload:
        return 1005, ""
    if len(payload) == 1:
        raise ProtocolError("a close frame cannot carry one byte")
    (code,) = struct.unpack("!H", payload[:2])
    try:
        return int(code), payload[2:].decode()
    except UnicodeDecodeError:
        raise ProtocolError("close reason is not UTF-8", Close.INVALID_DATA) from None


def read_frame(read: Callable[[int], bytes], *, require_mask: bool = True) -> Frame:
    """The next frame from `read(n)` (which returns exactly n bytes or raises EOFError)."""
    first, second = read(2)
    if first & 0x70:
        raise ProtocolError("reserved bits set without an extension")
    try:
        opcode = Opcode(first & 0x0F)
    except ValueError:
        raise ProtocolError(f"reserved opcode {first & 0x0F:#x}") from None
    fin, masked, size = bool(first & 0x80), bool(second & 0x80), second & 0x7F
    if require_mask and not masked:
        raise ProtocolError("a client must mask every frame")
    if size == 126:
        (size,) = struct.unpack("!H", read(2))
    elif size == 127:
        (size,) = struct.unpack("!Q", read(8))
    if opcode >= Opcode.CLOSE and (size > 125 or not fin):
        raise ProtocolError("control frames are at most 125 bytes and never fragmented")
    if size > MAX_MESSAGE:
        raise ProtocolError("frame too big", Close.TOO_BIG)
    key = read(4) if masked else b""
    payload = read(size) if size else b""
    return Frame(fin, opcode, mask(payload, key) if masked else payload, masked)


@dataclass
class MessageReader:
    """Joins data frames into messages; control frames pass through at once."""

    _opcode: Opcode | None = None
    _parts: list[bytes] | None = None

    def feed(self, frame: Frame) -> tuple[Opcode, bytes] | None:
        """A complete message or control frame as (opcode, payload); None mid-message."""
        if frame.opcode >= Opcode.CLOSE:
            return frame.opcode, frame.payload
        if frame.opcode == Opcode.CONTINUATION:
            if self._parts is None or self._opcode is None:
                raise ProtocolError("continuation frame without a message to continue")
            self._parts.append(frame.payload)
        else:
            if self._parts is not None:
                raise ProtocolError("new message before the fragmented one ended")
            self._opcode, self._parts = frame.opcode, [frame.payload]
        if sum(len(part) for part in self._parts) > MAX_MESSAGE:
            raise ProtocolError("message too big", Close.TOO_BIG)
        if not frame.fin:
            return None
        opcode, payload = self._opcode, b"".join(self._parts)
        self._opcode = self._parts = None
        if opcode == Opcode.TEXT:
            try:
                payload.decode()
            except UnicodeDecodeError:
                raise ProtocolError("text message is not UTF-8", Close.INVALID_DATA) from None
        return opcode, payload
