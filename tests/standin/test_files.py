"""Pictures in messages: files upload v2 with a PNG, files.info, image blocks on uploaded files."""

import json
import struct
import time
import urllib.request
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin.server import FakeSlack

TOKEN = "xoxb-files-test"
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def png(width: int, height: int) -> bytes:
    """A real PNG of white RGB pixels, written out by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


MAP = png(64, 48)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack
    assert slack.internal_errors == []


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=TOKEN, retry_handlers=[])


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def upload(client: WebClient, data: bytes, filename: str, **complete: Any) -> str:
    """The three steps of files upload v2 by hand; the file id."""
    asked = client.files_getUploadURLExternal(filename=filename, length=len(data))
    request = urllib.request.Request(asked["upload_url"], data=data, method="POST")
    with LOOPBACK.open(request, timeout=5) as answer:
        assert answer.status == 200
    client.files_completeUploadExternal(files=[{"id": asked["file_id"]}], **complete)
    return str(asked["file_id"])


def image_block(file_id: str, alt_text: str | None = "Lead time 3 d, wait 2 d") -> dict[str, Any]:
    block: dict[str, Any] = {"type": "image", "slack_file": {"id": file_id}}
    if alt_text is not None:
        block["alt_text"] = alt_text
    return block


def test_a_png_uploaded_into_a_thread_arrives_and_shows_there(
    fake: FakeSlack, client: WebClient
) -> None:
    parent = client.chat_postMessage(channel="CPIC", text="Cycle 2 summary")["ts"]

    answer = client.files_upload_v2(
        channel="CPIC",
        thread_ts=parent,
        file=MAP,
        filename="map.png",
        title="Value stream map",
        initial_comment="The map after cycle 2",
    )

    [uploaded] = fake.files("CPIC")
    assert uploaded.data == MAP
    assert uploaded.kind == ("image/png", "png")
    assert (uploaded.title, uploaded.thread_ts) == ("Value stream map", parent)
    [message] = fake.messages("CPIC", thread_ts=parent)
    assert message.text == "The map after cycle 2"
    assert message.files is not None
    assert [f["id"] for f in message.files] == [uploaded.id]
    assert message.to_slack()["upload"] is True
    assert answer["file"]["id"] == uploaded.id
    info = client.files_info(file=uploaded.id)["file"]
    assert (info["mimetype"], info["filetype"]) == ("image/png", "png")
    assert (info["original_w"], info["original_h"]) == (64, 48)
    assert (info["size"], info["channels"]) == (len(MAP), ["CPIC"])


def test_blocks_show_unless_there_is_an_initial_comment(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*The map*"}}]

    upload(client, MAP, "a.png", channel_id="CBLK", blocks=json.dumps(blocks))
    upload(
        client,
        MAP,
        "b.png",
        channel_id="CBLK",
        initial_comment="comment wins",
        blocks=json.dumps([{"type": "not-a-block"}]),  # ignored, so not even checked
    )

    with_blocks, with_comment = fake.messages("CBLK")
    assert (with_blocks.text, with_blocks.blocks) == ("", blocks)
    assert (with_comment.text, with_comment.blocks) == ("comment wins", None)
    with pytest.raises(SlackApiError) as excinfo:
        upload(client, MAP, "c.png", channel_id="CBLK", blocks=json.dumps([{"type": "nope"}]))
    assert error_of(excinfo) == "invalid_blocks"


def test_a_file_without_a_channel_stays_private(fake: FakeSlack, client: WebClient) -> None:
    file_id = upload(client, MAP, "private.png")

    info = client.files_info(file=file_id)["file"]

    assert (info["channels"], info["groups"], info["is_public"]) == ([], [], False)
    assert not [m for m in fake.messages() if m.files and m.files[0]["id"] == file_id]


def test_files_info_knows_only_completed_uploads(client: WebClient) -> None:
    half = client.files_getUploadURLExternal(filename="half.png", length=10)["file_id"]

    with pytest.raises(SlackApiError) as unfinished:
        client.files_info(file=half)
    with pytest.raises(SlackApiError) as unknown:
        client.files_info(file="F0NOTHING1")

    assert error_of(unfinished) == error_of(unknown) == "file_not_found"


def test_an_image_block_shows_an_uploaded_file(fake: FakeSlack, client: WebClient) -> None:
    file_id = upload(client, MAP, "shown.png")

    posted = client.chat_postMessage(
        channel="CIMG", text="Cycle 2: lead time 3 d", blocks=[image_block(file_id)]
    )

    assert posted["message"]["blocks"][0]["slack_file"] == {"id": file_id}


@pytest.mark.parametrize(
    ("block", "error"),
    [
        (image_block("F0UNKNOWN1"), "invalid slack file [json-pointer:/blocks/0/slack_file]"),
        (image_block("not-an-id"), "input must match regex pattern: ^[F][A-Z0-9]{8,}$"),
        (image_block("UPLOADED", alt_text=None), "missing required field: alt_text"),
        (image_block("UPLOADED", alt_text=""), "missing required field: alt_text"),
        (
            {**image_block("UPLOADED"), "image_url": "https://x.test/a.png"},
            "must provide exactly one of image_url or slack_file",
        ),
    ],
)
def test_image_blocks_slack_would_refuse_are_invalid_blocks(
    client: WebClient, block: dict[str, Any], error: str
) -> None:
    if block.get("slack_file", {}).get("id") == "UPLOADED":
        block = {**block, "slack_file": {"id": upload(client, MAP, "ok.png")}}

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="CBADIMG", text="t", blocks=[block])

    assert error_of(excinfo) == "invalid_blocks"
    assert any(error in found for found in excinfo.value.response["errors"])


def test_a_file_can_be_shown_only_once_slack_has_processed_it(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.delay_file_processing(0.3)
    try:
        file_id = upload(client, MAP, "slow.png")
    finally:
        fake.delay_file_processing(0)

    with pytest.raises(SlackApiError) as too_soon:
        client.chat_postMessage(channel="CSLOW", text="map", blocks=[image_block(file_id)])
    assert error_of(too_soon) == "invalid_blocks"
    assert client.files_info(file=file_id)["file"]["mimetype"] == ""

    deadline = time.monotonic() + 5
    while not client.files_info(file=file_id)["file"]["mimetype"]:
        assert time.monotonic() < deadline, "the upload was never processed"
        time.sleep(0.05)

    posted = client.chat_postMessage(channel="CSLOW", text="map", blocks=[image_block(file_id)])
    assert posted["ok"] is True
    assert client.files_info(file=file_id)["file"]["original_w"] == 64
