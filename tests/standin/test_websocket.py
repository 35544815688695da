"""The WebSocket codec reads and writes the frames RFC 6455 shows, and refuses what it forbids."""

from collections.abc import Callable

import pytest

from standin.websocket import (
    Close,
    Frame,
    MessageReader,
    Opcode,
    ProtocolError,
    accept_key,
    encode_frame,
    parse_close,
    read_frame,
    valid_key,
)

# RFC 6455, section 5.7: the examples, byte for byte.
HELLO_UNMASKED = bytes([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
HELLO_MASKED = bytes([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
HEL = bytes([0x01, 0x03, 0x48, 0x65, 0x6C])
LO = bytes([0x80, 0x02, 0x6C, 0x6F])
PING_HELLO = bytes([0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
PONG_HELLO_MASKED = bytes([0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
RFC_MASK = bytes([0x37, 0xFA, 0x21, 0x3D])


def reader_of(data: bytes) -> Callable[[int], bytes]:
    position = 0

    def read(size: int) -> bytes:
        nonlocal position
        chunk = data[position : position + size]
        if len(chunk) < size:
            raise EOFError
        position += size
        return chunk

    return read


def frames(data: bytes, *, require_mask: bool = False) -> list[Frame]:
    read = reader_of(data)
    found = []
    while True:
        try:
            found.append(read_frame(read, require_mask=require_mask))
        except EOFError:
            return found


def test_accept_key_is_the_rfc_example() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize(
    ("key", "valid"),
    [("dGhlIHNhbXBsZSBub25jZQ==", True), ("c2hvcnQ=", False), ("not base64!", False), ("", False)],
)
def test_a_key_is_sixteen_bytes_in_base64(key: str, valid: bool) -> None:
    assert valid_key(key) is valid


@pytest.mark.parametrize(
    ("data", "opcode", "payload", "masked"),
    [
        (HELLO_UNMASKED, Opcode.TEXT, b"Hello", False),
        (HELLO_MASKED, Opcode.TEXT, b"Hello", True),
        (PING_HELLO, Opcode.PING, b"Hello", False),
        (PONG_HELLO_MASKED, Opcode.PONG, b"Hello", True),
        (bytes([0x82, 0x7E, 0x01, 0x00]) + bytes(256), Opcode.BINARY, bytes(256), False),
        (
            bytes([0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]) + bytes(65536),
            Opcode.BINARY,
            bytes(65536),
            False,
        ),
    ],
)
def test_the_rfc_examples_read_as_written(
    data: bytes, opcode: Opcode, payload: bytes, masked: bool
) -> None:
    [frame] = frames(data)

    assert (frame.fin, frame.opcode, frame.payload, frame.masked) == (True, opcode, payload, masked)


def test_frames_are_written_as_the_rfc_shows() -> None:
    assert encode_frame(Opcode.TEXT, b"Hello") == HELLO_UNMASKED
    assert encode_frame(Opcode.TEXT, b"Hello", masking_key=RFC_MASK) == HELLO_MASKED
    assert encode_frame(Opcode.TEXT, b"Hel", fin=False) == HEL
    assert encode_frame(Opcode.BINARY, bytes(256))[:4] == bytes([0x82, 0x7E, 0x01, 0x00])
    assert encode_frame(Opcode.BINARY, bytes(65536))[:10] == bytes(
        [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]
    )


def test_fragments_join_and_control_frames_pass_between_them() -> None:
    reader = MessageReader()

    fed = [reader.feed(frame) for frame in frames(HEL + PING_HELLO + LO)]

    assert fed == [None, (Opcode.PING, b"Hello"), (Opcode.TEXT, b"Hello")]


def test_a_message_after_a_finished_fragmented_one_starts_fresh() -> None:
    reader = MessageReader()

    fed = [reader.feed(frame) for frame in frames(HEL + LO + HELLO_UNMASKED)]

    assert fed == [None, (Opcode.TEXT, b"Hello"), (Opcode.TEXT, b"Hello")]


@pytest.mark.parametrize(
    ("data", "require_mask", "code"),
    [
        (HELLO_UNMASKED, True, Close.PROTOCOL_ERROR),  # a client must mask
        (bytes([0xC1, 0x00]), False, Close.PROTOCOL_ERROR),  # RSV1 without an extension
        (bytes([0x83, 0x00]), False, Close.PROTOCOL_ERROR),  # reserved opcode 0x3
        (bytes([0x09, 0x00]), False, Close.PROTOCOL_ERROR),  # a fragmented ping
        (bytes([0x89, 0x7E, 0x00, 0x80]) + bytes(128), False, Close.PROTOCOL_ERROR),  # > 125
        (bytes([0x82, 0x7F, 0xFF, 0, 0, 0, 0, 0, 0, 0]), False, Close.TOO_BIG),
    ],
)
def test_frames_the_rfc_forbids_are_refused(data: bytes, require_mask: bool, code: Close) -> None:
    with pytest.raises(ProtocolError) as excinfo:
        read_frame(reader_of(data), require_mask=require_mask)

    assert excinfo.value.code == code


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (LO, Close.PROTOCOL_ERROR),  # a continuation with nothing to continue
        (HEL + HELLO_UNMASKED, Close.PROTOCOL_ERROR),  # a new message inside a fragmented one
        (bytes([0x81, 0x02, 0xC3, 0x28]), Close.INVALID_DATA),  # text that is not UTF-8
    ],
)
def test_messages_the_rfc_forbids_are_refused(data: bytes, code: Close) -> None:
    reader = MessageReader()
    *leading, last = frames(data)
    for frame in leading:
        reader.feed(frame)

    with pytest.raises(ProtocolError) as excinfo:
        reader.feed(last)

    assert excinfo.value.code == code


@pytest.mark.parametrize(
    ("payload", "expected"),
    [(b"", (1005, "")), (b"\x03\xe8", (1000, "")), (b"\x03\xe9bye", (1001, "bye"))],
)
def test_close_payloads_carry_a_code_and_a_reason(
    payload: bytes, expected: tuple[int, str]
) -> None:
    assert parse_close(payload) == expected
